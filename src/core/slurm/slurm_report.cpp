// Per-job footprints, their sums, and the renderers of `co2e slurm`.
#include "co2e/slurm_report.hpp"

#include <fmt/format.h>
#include <algorithm>
#include <cmath>
#include <iterator>
#include <nlohmann/json.hpp>

#include "co2e/csv.hpp"
#include "co2e/energy.hpp"
#include "co2e/estimate.hpp"
#include "co2e/number.hpp"
#include "co2e/render.hpp"
#include "co2e/units.hpp"
#include "co2e/version.hpp"
#include "report/json_text.hpp"

namespace co2e {

namespace {

constexpr std::array<std::string_view, 4> kGroupNames{"user", "account", "partition", "day"};
constexpr std::array<std::string_view, 5> kFormatNames{"text", "json", "markdown", "csv", "jsonl"};

std::string_view pue_source_text(PueSource s) {
  switch (s) {
    case PueSource::flag:
      return "given";
    case PueSource::provider:
      return "provider default";
    case PueSource::cloud_region:
      return "cloud region";
    case PueSource::platform:
      return "platform default";
    case PueSource::default_local:
      return "default: an average data centre";
  }
  return "";
}

/// `1234567` → `1,234,567`.
std::string thousands(std::uint64_t n) {
  const std::string digits = std::to_string(n);
  std::string s;
  for (std::size_t i = 0; i < digits.size(); ++i) {
    if (i > 0 && (digits.size() - i) % 3 == 0) s += ',';
    s += digits[i];
  }
  return s;
}

std::string percent(double part, double whole) {
  if (whole <= 0) return "-";
  return format_sig(100.0 * part / whole, 3) + "%";
}

/// Rows of cells rendered as aligned text (first column left, others right) or Markdown.
std::string table(const std::vector<std::vector<std::string>>& rows, bool markdown) {
  if (rows.empty()) return {};
  std::vector<std::size_t> width(rows[0].size(), 0);
  for (const auto& r : rows)
    for (std::size_t i = 0; i < r.size(); ++i) width[i] = std::max(width[i], r[i].size());
  std::string out;
  for (std::size_t ri = 0; ri < rows.size(); ++ri) {
    const auto& r = rows[ri];
    if (markdown) {
      out += '|';
      for (const auto& c : r) out += ' ' + c + " |";
      out += '\n';
      if (ri == 0) {
        out += '|';
        for (std::size_t i = 0; i < r.size(); ++i) out += i == 0 ? "---|" : "---:|";
        out += '\n';
      }
      continue;
    }
    out += "  ";
    for (std::size_t i = 0; i < r.size(); ++i) {
      if (i == 0)
        out += fmt::format("{:<{}}", r[i], width[i]);
      else
        out += fmt::format("  {:>{}}", r[i], width[i]);
    }
    while (!out.empty() && out.back() == ' ') out.pop_back();
    out += '\n';
  }
  return out;
}

std::vector<std::vector<std::string>> group_rows(const SlurmReport& r, GroupBy g) {
  std::vector<std::pair<const std::string*, const SlurmTotals*>> items;
  for (const auto& [k, t] : r.groups(g)) items.emplace_back(&k, &t);
  // Days read best in date order; users, accounts and partitions biggest first.
  if (g != GroupBy::day)
    std::stable_sort(items.begin(), items.end(),
                     [](const auto& a, const auto& b) { return a.second->energy_kwh > b.second->energy_kwh; });
  std::vector<std::vector<std::string>> rows;
  rows.push_back({std::string(group_by_name(g)), "jobs", "core-h", "GPU-h", "energy kWh", "CO2e kg", "share", "failed",
                  "memory savings kWh"});
  const double all = r.total().energy_kwh;
  for (const auto& [k, t] : items)
    rows.push_back({*k, thousands(t->jobs), format_sig(t->core_hours, 4), format_sig(t->gpu_hours, 4),
                    format_sig(t->energy_kwh, 4), format_sig(t->co2e_g / 1000, 4), percent(t->energy_kwh, all),
                    percent(t->failed_energy_kwh, t->energy_kwh), format_sig(t->savings_kwh, 3)});
  return rows;
}

std::string partition_text(const PartitionPower& p) {
  std::string s = fmt::format("{} W/core", format_sig(p.core_power_w, 4));
  if (p.cpu != nullptr) s += fmt::format(" ({})", p.cpu->name);
  s += fmt::format(", {} W/GPU", format_sig(p.gpu_power_w, 4));
  if (p.gpu != nullptr) s += fmt::format(" ({})", p.gpu->name);
  if (p.node_memory_gb > 0) s += fmt::format(", {} GB per node", format_sig(p.node_memory_gb, 4));
  return s;
}

std::vector<std::string> figures_used(const SlurmReport& r) {
  const Cluster& c = r.cluster();
  std::vector<std::string> out;
  out.push_back(fmt::format("PUE {} ({}{})", format_sig(c.pue, 4), pue_source_text(c.pue_source),
                            c.provider != nullptr ? fmt::format(": {}", c.provider->name) : ""));
  std::string grid = fmt::format("{} gCO2e/kWh", format_sig(c.intensity_g_per_kwh, 4));
  if (c.intensity_source == IntensitySource::flag)
    grid += " (given)";
  else if (c.region)
    grid += fmt::format(" (grid of {}, {} {})", c.region->grid->name, c.region->intensity_prov().source,
                        c.region->intensity_prov().year);
  out.push_back(grid);
  out.push_back(fmt::format("memory {} W per GB requested (GB = 10^9 bytes; SLURM's binary units converted)",
                            format_sig(c.memory_power_w_per_gb, 4)));
  if (c.memory_granularity_gb > 0)
    out.push_back(fmt::format("memory requests right-sized to MaxRSS x nodes, rounded up to {} GB",
                              format_sig(c.memory_granularity_gb, 4)));
  else
    out.push_back("memory requests right-sized to MaxRSS x nodes (no granularity given)");
  for (const auto& p : c.partitions) out.push_back(fmt::format("partition {}: {}", p.name, partition_text(p)));
  out.push_back(fmt::format("other partitions: {}", partition_text(c.fallback)));
  return out;
}

nlohmann::json totals_json(const SlurmTotals& t) {
  nlohmann::json j;
  j["jobs"] = t.jobs;
  j["energy_kwh"] = t.energy_kwh;
  j["co2e_kg"] = t.co2e_g / 1000;
  j["cpu_kwh"] = t.cpu_kwh;  // before PUE, as in every command's output
  j["gpu_kwh"] = t.gpu_kwh;
  j["memory_kwh"] = t.memory_kwh;
  j["elapsed_h"] = t.elapsed_h;
  j["core_hours"] = t.core_hours;
  j["gpu_hours"] = t.gpu_hours;
  j["failed_jobs"] = t.failed_jobs;
  j["failed_energy_kwh"] = t.failed_energy_kwh;
  j["failed_co2e_kg"] = t.failed_co2e_g / 1000;
  j["memory_jobs_with_maxrss"] = t.rss_jobs;
  j["memory_requested_gbh"] = t.requested_gbh;
  j["memory_used_gbh"] = t.used_gbh;
  j["memory_savings_kwh"] = t.savings_kwh;
  j["memory_savings_co2e_kg"] = t.savings_g / 1000;
  return j;
}

nlohmann::json partition_json(const PartitionPower& p) {
  return {{"name", p.name},
          {"core_power_w", p.core_power_w},
          {"gpu_power_w", p.gpu_power_w},
          {"node_memory_gb", p.node_memory_gb},
          {"cpu", p.cpu != nullptr ? nlohmann::json(std::string(p.cpu->name)) : nlohmann::json()},
          {"gpu", p.gpu != nullptr ? nlohmann::json(std::string(p.gpu->name)) : nlohmann::json()}};
}

}  // namespace

void SlurmTotals::add(const JobFootprint& f) {
  ++jobs;
  elapsed_h += f.elapsed_h;
  core_hours += f.core_hours;
  gpu_hours += f.gpu_hours;
  cpu_kwh += f.cpu_kwh;
  gpu_kwh += f.gpu_kwh;
  memory_kwh += f.memory_kwh;
  energy_kwh += f.energy_kwh;
  co2e_g += f.co2e_g;
  if (!f.success) {
    ++failed_jobs;
    failed_energy_kwh += f.energy_kwh;
    failed_co2e_g += f.co2e_g;
  }
  if (f.used_gb >= 0 && f.memory_gb > 0) {
    ++rss_jobs;
    requested_gbh += f.memory_gb * f.elapsed_h;
    used_gbh += f.used_gb * f.elapsed_h;
    savings_kwh += f.savings_kwh;
    savings_g += f.energy_kwh > 0 ? f.savings_kwh * f.co2e_g / f.energy_kwh : 0;
  }
}

std::string_view group_by_name(GroupBy g) { return kGroupNames[static_cast<std::size_t>(g)]; }

Result<std::vector<GroupBy>> parse_group_by(std::string_view text) {
  std::vector<GroupBy> out;
  while (true) {
    const auto comma = text.find(',');
    const std::string_view item = trim(text.substr(0, comma));
    const auto it = std::find(kGroupNames.begin(), kGroupNames.end(), item);
    if (it == kGroupNames.end())
      return Error::usage(
          fmt::format("\"{}\" is not a grouping: use user, account, partition or day, "
                      "or a comma-separated list of them",
                      item));
    const auto g = static_cast<GroupBy>(it - kGroupNames.begin());
    if (std::find(out.begin(), out.end(), g) == out.end()) out.push_back(g);
    if (comma == std::string_view::npos) break;
    text.remove_prefix(comma + 1);
  }
  return out;
}

Result<SlurmFormat> parse_slurm_format(std::string_view text) {
  const auto it = std::find(kFormatNames.begin(), kFormatNames.end(), trim(text));
  if (it == kFormatNames.end())
    return Error::usage(fmt::format("\"{}\" is not a format: use text, json, markdown, csv or jsonl", text));
  return static_cast<SlurmFormat>(it - kFormatNames.begin());
}

SlurmReport::SlurmReport(const Cluster& cluster, std::vector<GroupBy> group_by, std::vector<std::string> success_states)
    : cluster_(&cluster), group_by_(std::move(group_by)), success_(std::move(success_states)) {
  if (success_.empty()) success_.emplace_back("COMPLETED");
}

const std::map<std::string, SlurmTotals, std::less<>>& SlurmReport::groups(GroupBy g) const {
  return groups_[static_cast<std::size_t>(g)];
}

JobFootprint SlurmReport::add(const SacctJob& j) {
  const Cluster& c = *cluster_;
  JobFootprint f;
  f.job = &j;

  // Partition: exact name, else the first described one of a list, else the fallback powers.
  std::string_view pname = j.partition;
  const PartitionPower* power = c.find(pname);
  if (power == nullptr) {
    if (pname.find(',') != std::string_view::npos) {
      ++partition_list_;
      std::string_view rest = pname;
      pname = pname.substr(0, pname.find(','));
      while (!rest.empty()) {
        const auto comma = rest.find(',');
        const std::string_view item = rest.substr(0, comma);
        if (const auto* p = c.find(item)) {
          power = p;
          pname = item;
          break;
        }
        rest = comma == std::string_view::npos ? std::string_view{} : rest.substr(comma + 1);
      }
    }
    if (power == nullptr) {
      power = &c.fallback;
      ++partition_unknown_;
      const std::string_view key = pname.empty() ? std::string_view("(none)") : pname;
      if (auto it = unknown_.find(key); it != unknown_.end())
        ++it->second;
      else if (unknown_.size() < 100)
        unknown_.emplace(std::string(key), 1);
    }
  }
  f.partition = pname;
  f.power = power;

  f.success = std::find(success_.begin(), success_.end(), j.state) != success_.end();
  f.elapsed_h = j.elapsed_s / 3600.0;
  f.core_hours = j.cpu_s / 3600.0;
  f.gpu_hours = static_cast<double>(j.gpus) * f.elapsed_h;
  if (j.req_mem_gb > 0)
    f.memory_gb = j.req_mem_gb;
  else if (j.req_mem_gb == 0)
    f.memory_gb = power->node_memory_gb * static_cast<double>(std::max<std::int64_t>(j.nnodes, 1));
  const EnergyFigures e = compute_energy({.core_hours = f.core_hours,
                                          .core_power_w = power->core_power_w,
                                          .gpu_hours = f.gpu_hours,
                                          .gpu_power_w = power->gpu_power_w,
                                          .memory_gb = f.memory_gb,
                                          .memory_power_w_per_gb = c.memory_power_w_per_gb,
                                          .memory_hours = f.elapsed_h,
                                          .pue = c.pue,
                                          .intensity_g_per_kwh = c.intensity_g_per_kwh});
  f.cpu_kwh = e.cpu_kwh;
  f.gpu_kwh = e.gpu_kwh;
  f.memory_kwh = e.memory_kwh;
  f.energy_kwh = e.energy_kwh;
  f.co2e_g = e.co2e_g;
  if (j.max_rss_gb >= 0) {
    // MaxRSS is the largest task's peak; one such task per node is the estimate of use.
    f.used_gb = j.max_rss_gb * static_cast<double>(std::max<std::int64_t>(j.nnodes, 1));
    if (f.memory_gb > 0) {
      const double g = c.memory_granularity_gb;
      double right = g > 0 ? std::max(g, std::ceil(f.used_gb / g - 1e-9) * g) : f.used_gb;
      right = std::min(right, f.memory_gb);
      f.right_sized_gb = right;
      f.savings_kwh = compute_energy({.memory_gb = f.memory_gb - right,
                                      .memory_power_w_per_gb = c.memory_power_w_per_gb,
                                      .memory_hours = f.elapsed_h,
                                      .pue = c.pue})
                          .energy_kwh;
    }
  }

  total_.add(f);
  for (const GroupBy g : group_by_) {
    const auto gi = static_cast<std::size_t>(g);
    std::string_view key = g == GroupBy::user        ? std::string_view(j.user)
                           : g == GroupBy::account   ? std::string_view(j.account)
                           : g == GroupBy::partition ? f.partition
                                                     : std::string_view(j.day);
    if (key.empty()) key = "(none)";
    if (last_group_[gi] == nullptr || last_key_[gi] != key) {
      auto& m = groups_[gi];
      auto it = m.find(key);
      if (it == m.end()) it = m.emplace(std::string(key), SlurmTotals{}).first;
      last_group_[gi] = &it->second;
      last_key_[gi].assign(key);
    }
    last_group_[gi]->add(f);
  }
  {
    auto it = by_state_.find(std::string_view(j.state));
    if (it == by_state_.end()) it = by_state_.emplace(j.state, SlurmTotals{}).first;
    it->second.add(f);
  }
  if (!j.day.empty()) {
    if (first_day_.empty() || j.day < first_day_) first_day_ = j.day;
    if (last_day_.empty() || j.day > last_day_) last_day_ = j.day;
  }
  return f;
}

void SlurmReport::set_stats(const SacctStats& stats) {
  stats_ = stats;
  stats_.add(SacctIssue::partition_list, partition_list_);
  stats_.add(SacctIssue::partition_unknown, partition_unknown_);
}

std::string_view job_csv_header() {
  return "job_id,job_name,user,account,partition,state,success,day,elapsed_h,ncpus,nnodes,gpus,core_hours,"
         "gpu_hours,memory_requested_gb,memory_used_gb,cpu_kwh,gpu_kwh,memory_kwh,energy_kwh,co2e_kg,co2e_g,"
         "memory_right_sized_gb,memory_savings_kwh\n";
}

namespace {

/// `,v` (nothing after the comma when v < 0: unknown), through the one number formatter.
void comma_number(std::string& out, double v, bool known = true) {
  out += ',';
  if (known) append_number(out, v);
}

}  // namespace

void append_job_csv(std::string& out, const JobFootprint& f) {
  const SacctJob& j = *f.job;
  append_csv_field(out, j.job_id);
  out += ',';
  append_csv_field(out, j.job_name);
  out += ',';
  append_csv_field(out, j.user);
  out += ',';
  append_csv_field(out, j.account);
  out += ',';
  append_csv_field(out, f.partition);
  out += ',';
  append_csv_field(out, j.state);
  fmt::format_to(std::back_inserter(out), ",{},{}", f.success ? "true" : "false", j.day);
  comma_number(out, f.elapsed_h);
  fmt::format_to(std::back_inserter(out), ",{},{},{}", j.ncpus, j.nnodes, j.gpus);
  for (const double v : {f.core_hours, f.gpu_hours, f.memory_gb}) comma_number(out, v);
  comma_number(out, f.used_gb, f.used_gb >= 0);
  for (const double v : {f.cpu_kwh, f.gpu_kwh, f.memory_kwh, f.energy_kwh, f.co2e_g / 1000, f.co2e_g})
    comma_number(out, v);
  comma_number(out, f.right_sized_gb, f.right_sized_gb >= 0);
  comma_number(out, f.savings_kwh);
  out += '\n';
}

void append_job_jsonl(std::string& out, const JobFootprint& f) {
  const SacctJob& j = *f.job;
  out += "{\"job_id\":";
  append_json_string(out, j.job_id);
  out += ",\"job_name\":";
  append_json_string(out, j.job_name);
  out += ",\"user\":";
  append_json_string(out, j.user);
  out += ",\"account\":";
  append_json_string(out, j.account);
  out += ",\"partition\":";
  append_json_string(out, f.partition);
  out += ",\"state\":";
  append_json_string(out, j.state);
  fmt::format_to(std::back_inserter(out), ",\"success\":{},\"day\":", f.success);
  append_json_string(out, j.day);
  auto member = [&](std::string_view key, double v, bool known = true) {
    out += ",\"";
    out += key;
    out += "\":";
    if (known)
      append_number(out, v);
    else
      out += "null";
  };
  member("elapsed_h", f.elapsed_h);
  fmt::format_to(std::back_inserter(out), ",\"ncpus\":{},\"nnodes\":{},\"gpus\":{}", j.ncpus, j.nnodes, j.gpus);
  member("core_hours", f.core_hours);
  member("gpu_hours", f.gpu_hours);
  member("memory_requested_gb", f.memory_gb);
  member("memory_used_gb", f.used_gb, f.used_gb >= 0);
  member("cpu_kwh", f.cpu_kwh);
  member("gpu_kwh", f.gpu_kwh);
  member("memory_kwh", f.memory_kwh);
  member("energy_kwh", f.energy_kwh);
  member("co2e_kg", f.co2e_g / 1000);
  member("co2e_g", f.co2e_g);
  member("memory_right_sized_gb", f.right_sized_gb, f.right_sized_gb >= 0);
  member("memory_savings_kwh", f.savings_kwh);
  out += "}\n";
}

namespace {

std::string render_report(const SlurmReport& r, const Dataset& data, bool md) {
  const SlurmTotals& t = r.total();
  const Cluster& c = r.cluster();
  const SacctStats& s = r.stats();
  std::string out;
  auto line = [&](const std::string& text) { out += text + "\n"; };
  const std::string h2 = md ? "## " : "";
  const std::string cluster_name = c.name.empty() ? "" : fmt::format(", cluster {}", c.name);
  const std::string period =
      r.first_day().empty() ? std::string() : fmt::format(" from {} to {}", r.first_day(), r.last_day());
  if (md) line(fmt::format("# SLURM carbon footprint{}", cluster_name));
  line(fmt::format("co2e slurm: {} jobs{}{}", thousands(t.jobs), period, md ? "" : cluster_name));
  line("");
  const double pre = t.cpu_kwh + t.gpu_kwh + t.memory_kwh;
  std::vector<std::vector<std::string>> main{
      {"", "", "", ""},
      {"Carbon footprint", format_mass(t.co2e_g) + " CO2e", "", ""},
      {"Energy", format_energy(t.energy_kwh), "", fmt::format("PUE {} included", format_sig(c.pue, 4))},
      {"  CPU", format_energy(t.cpu_kwh), percent(t.cpu_kwh, pre),
       fmt::format("{} core-h used", format_sig(t.core_hours, 4))},
      {"  GPU", format_energy(t.gpu_kwh), percent(t.gpu_kwh, pre), fmt::format("{} GPU-h", format_sig(t.gpu_hours, 4))},
      {"  memory", format_energy(t.memory_kwh), percent(t.memory_kwh, pre), "memory requested"},
      {"  PUE overhead", format_energy(t.energy_kwh - pre), "", ""},
  };
  if (md) {
    main[0] = {"", "value", "share", "note"};
    out += table(main, true);
  } else {
    main.erase(main.begin());
    out += table(main, false);
  }
  line("");
  std::string succ;
  for (const auto& st : r.success_states()) succ += (succ.empty() ? "" : ", ") + st;
  line(fmt::format("{}Failed jobs (state not {}): {} of {} jobs, {} ({} of the energy), {} CO2e", h2, succ,
                   thousands(t.failed_jobs), thousands(t.jobs), format_energy(t.failed_energy_kwh),
                   percent(t.failed_energy_kwh, t.energy_kwh), format_mass(t.failed_co2e_g)));
  {
    std::vector<std::vector<std::string>> rows{{"state", "jobs", "energy", "CO2e"}};
    for (const auto& [state, st] : r.by_state())
      rows.push_back({state, thousands(st.jobs), format_energy(st.energy_kwh), format_mass(st.co2e_g)});
    if (md) line("");
    out += table(rows, md);
  }
  line("");
  if (t.rss_jobs > 0) {
    line(
        fmt::format("{}Memory: the {} jobs with a MaxRSS requested {} GB-h and used {} GB-h ({}); right-sized "
                    "requests would have saved {} and {} CO2e",
                    h2, thousands(t.rss_jobs), format_sig(t.requested_gbh, 4), format_sig(t.used_gbh, 4),
                    percent(t.used_gbh, t.requested_gbh), format_energy(t.savings_kwh), format_mass(t.savings_g)));
  } else {
    line(fmt::format("{}Memory: no job has a MaxRSS, so requests cannot be compared with use", h2));
  }
  line("");
  line(fmt::format("{}That is about:", h2));
  if (md) line("");
  for (const auto& e : equivalents(t.co2e_g, data))
    line(fmt::format("{}{} {}", md ? "- " : "  ", format_sig(e.amount, 3), e.row->name));
  for (const GroupBy g : r.group_by()) {
    line("");
    line(fmt::format("{}By {}", h2, group_by_name(g)));
    if (md) line("");
    out += table(group_rows(r, g), md);
  }
  line("");
  line(fmt::format("{}Input: {} lines, {} jobs with {} steps used", h2, thousands(s.lines), thousands(s.jobs),
                   thousands(s.steps)));
  if (md) line("");
  bool any = false;
  for (std::size_t i = 0; i < s.issues.size(); ++i) {
    if (s.issues[i] == 0) continue;
    any = true;
    line(fmt::format("{}{:>8}  {}", md ? "- " : "  ", thousands(s.issues[i]),
                     sacct_issue_text(static_cast<SacctIssue>(i))));
  }
  if (!any) line(md ? "- nothing skipped or defaulted" : "  nothing skipped or defaulted");
  if (!r.unknown_partitions().empty()) {
    std::string names;
    for (const auto& [name, n] : r.unknown_partitions())
      names += fmt::format("{}{} ({} jobs)", names.empty() ? "" : ", ", name, n);
    line(fmt::format("{}partitions not described: {}", md ? "- " : "  ", names));
  }
  line("");
  line(fmt::format("{}Figures used{}:", h2,
                   c.origin.empty() ? " (no --cluster file: defaults)" : fmt::format(" ({})", c.origin)));
  if (md) line("");
  for (const auto& f : figures_used(r)) line(fmt::format("{}{}", md ? "- " : "  ", f));
  return out;
}

}  // namespace

std::string render_slurm_text(const SlurmReport& r, const Dataset& data) { return render_report(r, data, false); }
std::string render_slurm_markdown(const SlurmReport& r, const Dataset& data) { return render_report(r, data, true); }

std::string render_slurm_json(const SlurmReport& r, const Dataset& data) {
  const Cluster& c = r.cluster();
  const SacctStats& s = r.stats();
  nlohmann::json j;
  j["schema_version"] = 2;
  j["co2e_version"] = version();
  // The output contract: every command's JSON has energy_kwh and co2e_kg at the top level.
  j["energy_kwh"] = r.total().energy_kwh;
  j["co2e_kg"] = r.total().co2e_g / 1000;
  nlohmann::json cl;
  cl["name"] = c.name;
  cl["file"] = c.origin.empty() ? nlohmann::json() : nlohmann::json(c.origin);
  cl["pue"] = c.pue;
  cl["pue_source"] = pue_source_name(c.pue_source);
  cl["intensity_g_per_kwh"] = c.intensity_g_per_kwh;
  cl["intensity_source"] = intensity_source_name(c.intensity_source);
  cl["region"] = c.region ? nlohmann::json(std::string(c.region->grid->code)) : nlohmann::json();
  cl["memory_power_w_per_gb"] = c.memory_power_w_per_gb;
  cl["memory_granularity_gb"] = c.memory_granularity_gb;
  cl["partitions"] = nlohmann::json::array();
  for (const auto& p : c.partitions) cl["partitions"].push_back(partition_json(p));
  cl["default_partition"] = partition_json(c.fallback);
  j["cluster"] = cl;
  j["period"] = {{"first_day", r.first_day().empty() ? nlohmann::json() : nlohmann::json(std::string(r.first_day()))},
                 {"last_day", r.last_day().empty() ? nlohmann::json() : nlohmann::json(std::string(r.last_day()))}};
  j["success_states"] = r.success_states();
  j["total"] = totals_json(r.total());
  nlohmann::json states = nlohmann::json::object();
  for (const auto& [k, t] : r.by_state()) states[k] = totals_json(t);
  j["by_state"] = states;
  nlohmann::json groups = nlohmann::json::object();
  for (const GroupBy g : r.group_by()) {
    nlohmann::json arr = nlohmann::json::array();
    for (const auto& [k, t] : r.groups(g)) {
      auto row = totals_json(t);
      row["key"] = k;
      arr.push_back(row);
    }
    groups[std::string(group_by_name(g))] = arr;
  }
  j["groups"] = groups;
  j["input"] = {{"lines", s.lines}, {"jobs", s.jobs}, {"steps", s.steps}};
  nlohmann::json issues = nlohmann::json::object();
  for (std::size_t i = 0; i < s.issues.size(); ++i) {
    const auto is = static_cast<SacctIssue>(i);
    issues[std::string(sacct_issue_id(is))] = {
        {"count", s.issues[i]}, {"skipped", sacct_issue_skips(is)}, {"text", std::string(sacct_issue_text(is))}};
  }
  j["issues"] = issues;
  nlohmann::json unknown = nlohmann::json::object();
  for (const auto& [k, n] : r.unknown_partitions()) unknown[k] = n;
  j["unknown_partitions"] = unknown;
  nlohmann::json eq = nlohmann::json::array();
  for (const auto& e : equivalents(r.total().co2e_g, data))
    eq.push_back({{"id", std::string(e.row->id)},
                  {"name", std::string(e.row->name)},
                  {"amount", e.amount},
                  {"g_per_unit", e.row->g_per_unit}});
  j["equivalents"] = eq;
  j["figures_used"] = figures_used(r);
  return json_text(j);
}

std::string render_slurm_stream_note(const SlurmReport& r) {
  const SlurmTotals& t = r.total();
  std::uint64_t skipped = 0, defaulted = 0;
  for (std::size_t i = 0; i < r.stats().issues.size(); ++i)
    (sacct_issue_skips(static_cast<SacctIssue>(i)) ? skipped : defaulted) += r.stats().issues[i];
  return fmt::format(
      "co2e slurm: {} jobs, {}, {} CO2e; {} lines or jobs skipped, {} values defaulted (--format text "
      "lists the reasons)\n",
      thousands(t.jobs), format_energy(t.energy_kwh), format_mass(t.co2e_g), thousands(skipped), thousands(defaulted));
}

}  // namespace co2e
