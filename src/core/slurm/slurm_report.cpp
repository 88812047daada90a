// Per-job footprints, their sums, and the renderers of `co2e slurm`.
#include "co2e/slurm_report.hpp"

#include "co2e/energy.hpp"

#include <fmt/format.h>
#include <algorithm>
#include <cmath>
#include <cstdint>
#include <iterator>
#include <map>
#include <nlohmann/json.hpp>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include "co2e/csv.hpp"
#include "co2e/energy.hpp"
#include "co2e/estimate.hpp"
#include "co2e/number.hpp"
#include "co2e/quote.hpp"
#include "co2e/render.hpp"
#include "co2e/units.hpp"
#include "co2e/version.hpp"
#include "report/json_text.hpp"

namespace co2e {

namespace {

constexpr std::array<std::string_view, kGroupByCount> kGroupNames{"user", "account", "partition", "day",
                                                                  "user+partition"};
constexpr std::array<std::string_view, 5> kFormatNames{"text", "json", "markdown", "csv", "jsonl"};

/// {"origin": "env", "name": "CO2E_PUE"} ("file" for the cluster file), as estimate's JSON writes it.
nlohmann::json origin_json(const Origin& o) {
  nlohmann::json j{{"origin", origin_kind_name(o.kind)}, {"name", o.name}};
  if (o.kind == OriginKind::cluster) j["file"] = o.file;
  return j;
}

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
    case PueSource::included:
      return "included in a facility energy";
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
  // --top N: the N biggest, then the rest in one row (days are not ranked).
  SlurmTotals others;
  std::size_t hidden = 0;
  if (r.top() > 0 && g != GroupBy::day && items.size() > r.top()) {
    for (std::size_t i = r.top(); i < items.size(); ++i) others.merge(*items[i].second);
    hidden = items.size() - r.top();
    items.resize(r.top());
  }
  const bool pair = g == GroupBy::user_partition;
  std::vector<std::vector<std::string>> rows;
  std::vector<std::string> head{pair ? std::string("user") : std::string(group_by_name(g))};
  if (pair) head.emplace_back("partition");
  for (const char* h :
       {"jobs", "core-h", "GPU-h", "energy kWh (with PUE)", "CO2e kg", "share", "failed", "memory savings kWh"})
    head.emplace_back(h);
  rows.push_back(head);
  const double all = r.total().energy_kwh;
  auto row = [&](std::string key, const SlurmTotals& t) {
    std::vector<std::string> cells;
    if (pair) {
      const auto tab = key.find('\t');
      cells.push_back(key.substr(0, tab));
      cells.push_back(tab == std::string::npos ? std::string() : key.substr(tab + 1));
    } else {
      cells.push_back(std::move(key));
    }
    for (auto& c : {thousands(t.jobs), format_sig(t.core_hours, 4), format_sig(t.gpu_hours, 4),
                    format_sig(t.energy_kwh, 4), format_sig(t.co2e_g / 1000, 4), percent(t.energy_kwh, all),
                    percent(t.failed_energy_kwh, t.energy_kwh), format_sig(t.savings_kwh, 3)})
      cells.push_back(c);
    rows.push_back(std::move(cells));
  };
  for (const auto& [k, t] : items) row(*k, *t);
  if (hidden > 0) row(fmt::format("({} others)", thousands(hidden)), others);
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
  out.push_back(fmt::format(
      "PUE {} ({}{})", format_sig(c.pue, 4),
      c.pue_source == PueSource::flag ? origin_phrase(c.pue_origin) : std::string(pue_source_text(c.pue_source)),
      c.provider != nullptr ? fmt::format(": {}", c.provider->name) : ""));
  std::string grid = fmt::format("{} gCO2e/kWh", format_sig(c.intensity_g_per_kwh, 4));
  if (c.intensity_source == IntensitySource::flag)
    grid += fmt::format(" ({})", origin_phrase(c.intensity_origin));
  else if (c.region)
    grid += fmt::format(" (grid of {}, {}, {} {}{})", c.region->grid->name, grid_basis_label(*c.region),
                        c.region->intensity_prov().source, c.region->intensity_prov().year,
                        c.region->basis_fallback()
                            ? fmt::format("; no {} figure for {}", basis_name(c.region->basis), c.region->grid->code)
                            : std::string());
  out.push_back(grid);
  for (const auto& o : c.overrides)
    out.push_back(fmt::format("{} replaces the cluster file's {} {}", origin_label(o.by), o.key, o.file_value));
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
  // The bounds (issue 17), named as batch's columns; null with --no-range.
  const auto bound = [&](double v) { return t.ranged ? nlohmann::json(v) : nlohmann::json(nullptr); };
  j["co2e_kg_low"] = bound(t.co2e_g_low / 1000);
  j["co2e_kg_high"] = bound(t.co2e_g_high / 1000);
  j["total_co2e_kg_low"] = bound(t.co2e_g_low / 1000 + t.embodied_kg_low);
  j["total_co2e_kg_high"] = bound(t.co2e_g_high / 1000 + t.embodied_kg_high);
  j["cpu_kwh"] = t.cpu_kwh;  // before PUE, as in every command's output
  j["gpu_kwh"] = t.gpu_kwh;
  j["memory_kwh"] = t.memory_kwh;
  j["server_kwh"] = t.server_kwh;  // before PUE (issue 15)
  j["embodied_kg"] = t.embodied_kg;
  j["total_co2e_kg"] = t.co2e_g / 1000 + t.embodied_kg;
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
  j["run_log_jobs"] = t.run_log_jobs;
  j["run_log_kwh"] = t.run_log_kwh;
  j["measured_jobs"] = t.measured_jobs;
  j["measured_kwh"] = t.measured_kwh;
  j["measured_vs_model"] = {
      {"jobs", t.both_jobs},
      {"measured_kwh", t.both_measured_kwh},
      {"model_kwh", t.both_model_kwh},
      {"ratio", t.both_model_kwh > 0 ? nlohmann::json(t.both_measured_kwh / t.both_model_kwh) : nlohmann::json()}};
  return j;
}

nlohmann::json partition_json(const PartitionPower& p) {
  return {
      {"name", p.name},
      {"core_power_w", p.core_power_w},
      {"gpu_power_w", p.gpu_power_w},
      {"node_memory_gb", p.node_memory_gb},
      {"node_power_w", p.node_power_w},
      {"embodied_kg_per_node", p.embodied_kg_per_node >= 0 ? nlohmann::json(p.embodied_kg_per_node) : nlohmann::json()},
      {"embodied_kg_per_gpu", p.embodied_kg_per_gpu >= 0 ? nlohmann::json(p.embodied_kg_per_gpu) : nlohmann::json()},
      {"cpu", p.cpu != nullptr ? nlohmann::json(std::string(p.cpu->name)) : nlohmann::json()},
      {"gpu", p.gpu != nullptr ? nlohmann::json(std::string(p.gpu->name)) : nlohmann::json()}};
}

}  // namespace

void SlurmTotals::add(const JobFootprint& f) {
  ++jobs;
  elapsed_h += f.elapsed_h;
  core_hours += f.core_hours;
  gpu_hours += f.gpu_hours;
  if (f.method == "co2e_run") {
    ++run_log_jobs;
    run_log_kwh += f.run_log_kwh;
  } else if (f.method == "measured") {
    // A measured job's energy is SLURM's figure: the model's components stay out of the sums, so
    // that cpu + gpu + memory + measured is what the total counts.
    ++measured_jobs;
    measured_kwh += f.measured_kwh;
  } else {
    cpu_kwh += f.cpu_kwh;
    gpu_kwh += f.gpu_kwh;
    memory_kwh += f.memory_kwh;
    server_kwh += f.server_kwh;
  }
  embodied_kg += f.embodied_kg;
  if (f.measured_kwh >= 0) {
    ++both_jobs;
    both_measured_kwh += f.measured_kwh;
    both_model_kwh += f.model_kwh;
  }
  energy_kwh += f.energy_kwh;
  co2e_g += f.co2e_g;
  energy_kwh_low += f.energy_kwh_low;
  energy_kwh_high += f.energy_kwh_high;
  co2e_g_low += f.co2e_g_low;
  co2e_g_high += f.co2e_g_high;
  embodied_kg_low += f.embodied_kg_low;
  embodied_kg_high += f.embodied_kg_high;
  ranged = ranged || f.ranged;
  {
    const bool model = f.method != "co2e_run" && f.method != "measured";
    const double known = f.method == "co2e_run" ? f.run_log_kwh : f.method == "measured" ? f.measured_kwh : 0;
    // A measurement holds the node's overhead (JobFootprint::server_kwh): only the model splits it.
    const PartEnergies e{.cpu_kwh = model ? f.cpu_kwh : 0,
                         .gpu_kwh = model ? f.gpu_kwh : 0,
                         .memory_kwh = model ? f.memory_kwh : 0,
                         .known_kwh = known,
                         .server_kwh = model ? f.server_kwh : 0};
    add_parts(co2e_parts, split_co2e(e, f.energy_kwh, f.co2e_g / 1000, f.embodied_kg));
  }
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

Status read_run_log(ReadFn read, std::string_view origin, RunLogs& logs) {
  CsvReader reader(std::move(read), ',');
  CsvRecord rec;
  auto more = reader.next(rec);
  if (!more) return Error::data(fmt::format("--measured \"{}\": {}", origin, more.error().message));
  if (!*more) return Error::data(fmt::format("--measured \"{}\": empty (expected a co2e run --log file)", origin));
  // The columns by name: a later co2e may add columns after these.
  enum { job, cpu, memory, gpu, n };
  constexpr std::array<std::string_view, n> kNames{"slurm_job_id", "cpu_kwh", "memory_kwh", "gpu_kwh"};
  std::array<std::size_t, n> col{};
  for (std::size_t k = 0; k < n; ++k) {
    const auto it = std::find(rec.fields.begin(), rec.fields.end(), kNames[k]);
    if (it == rec.fields.end())
      return Error::data(fmt::format("--measured \"{}\": no column {}: not a co2e run --log file{}", origin, kNames[k],
                                     k == job ? " of this version (written outside SLURM or by an older co2e?)" : ""));
    col[k] = static_cast<std::size_t>(it - rec.fields.begin());
  }
  // Optional: a run log of this version also has the node overhead each run counted.
  const auto server =
      static_cast<std::size_t>(std::find(rec.fields.begin(), rec.fields.end(), "server_kwh") - rec.fields.begin());
  while (true) {
    more = reader.next(rec);
    if (!more) return Error::data(fmt::format("--measured \"{}\": {}", origin, more.error().message));
    if (!*more) break;
    if (rec.fields.size() == 1 && rec.fields[0].empty()) continue;  // blank line
    ++logs.rows;
    if (rec.fields.size() <= *std::max_element(col.begin(), col.end()))
      return Error::data(fmt::format("--measured \"{}\" line {}: {} fields, fewer than the header's", origin, rec.line,
                                     rec.fields.size()));
    const std::string_view id = trim(rec.fields[col[job]]);
    if (id.empty()) {
      ++logs.rows_without_job;
      continue;
    }
    double kwh = 0;
    for (const std::size_t k : {cpu, memory, gpu}) {
      auto v = parse_non_negative(rec.fields[col[k]]);
      if (!v)
        return Error::data(
            fmt::format("--measured \"{}\" line {}: column {}: {}", origin, rec.line, kNames[k], v.error().message));
      kwh += *v;
    }
    // A run's node overhead (--node-power, before PUE) is part of what it counted; an older log
    // has no such column, an upgraded one leaves it empty: nothing to add.
    if (server < rec.fields.size() && !trim(rec.fields[server]).empty()) {
      auto v = parse_non_negative(rec.fields[server]);
      if (!v)
        return Error::data(
            fmt::format("--measured \"{}\" line {}: column server_kwh: {}", origin, rec.line, v.error().message));
      kwh += *v;
    }
    auto& e = logs.jobs[std::string(id)];
    e.kwh += kwh;
    ++e.rows;
  }
  return std::nullopt;
}

Result<SlurmEnergySource> parse_energy_source(std::string_view text) {
  if (text == "auto") return SlurmEnergySource::automatic;
  if (text == "measured") return SlurmEnergySource::measured;
  if (text == "model") return SlurmEnergySource::model;
  return Error::usage(fmt::format("{}: accepted: auto, measured, model", quote_for_message(text)));
}

std::string_view energy_source_name(SlurmEnergySource s) {
  switch (s) {
    case SlurmEnergySource::automatic:
      return "auto";
    case SlurmEnergySource::measured:
      return "measured";
    case SlurmEnergySource::model:
      return "model";
  }
  return "auto";
}

void SlurmTotals::merge(const SlurmTotals& o) {
  jobs += o.jobs;
  elapsed_h += o.elapsed_h;
  core_hours += o.core_hours;
  gpu_hours += o.gpu_hours;
  cpu_kwh += o.cpu_kwh;
  gpu_kwh += o.gpu_kwh;
  memory_kwh += o.memory_kwh;
  energy_kwh += o.energy_kwh;
  add_parts(co2e_parts, o.co2e_parts);
  co2e_g += o.co2e_g;
  failed_jobs += o.failed_jobs;
  failed_energy_kwh += o.failed_energy_kwh;
  failed_co2e_g += o.failed_co2e_g;
  rss_jobs += o.rss_jobs;
  requested_gbh += o.requested_gbh;
  used_gbh += o.used_gbh;
  savings_kwh += o.savings_kwh;
  savings_g += o.savings_g;
  measured_jobs += o.measured_jobs;
  run_log_jobs += o.run_log_jobs;
  run_log_kwh += o.run_log_kwh;
  measured_kwh += o.measured_kwh;
  both_jobs += o.both_jobs;
  both_measured_kwh += o.both_measured_kwh;
  both_model_kwh += o.both_model_kwh;
  energy_kwh_low += o.energy_kwh_low;
  energy_kwh_high += o.energy_kwh_high;
  co2e_g_low += o.co2e_g_low;
  co2e_g_high += o.co2e_g_high;
  embodied_kg_low += o.embodied_kg_low;
  embodied_kg_high += o.embodied_kg_high;
  ranged = ranged || o.ranged;
  server_kwh += o.server_kwh;
  embodied_kg += o.embodied_kg;
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
          fmt::format("\"{}\" is not a grouping: use user, account, partition, day or user+partition, "
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

namespace {

/// A job's energy from a measured IT figure: × PUE, × intensity, through the one formula.
void set_known_energy(JobFootprint& f, double it_kwh, const Cluster& c) {
  const EnergyFigures e =
      compute_energy({.known_kwh = it_kwh, .pue = c.pue, .intensity_g_per_kwh = c.intensity_g_per_kwh});
  f.energy_kwh = e.energy_kwh;
  f.co2e_g = e.co2e_g;
}

}  // namespace

void SlurmReport::choose_energy(JobFootprint& f, const SacctJob& j) {
  constexpr double kJoulesPerKwh = 3.6e6;
  const Cluster& c = *cluster_;
  f.model_kwh = f.cpu_kwh + f.gpu_kwh + f.memory_kwh + f.server_kwh;
  f.measured_kwh = j.energy_j > 0 ? j.energy_j / kJoulesPerKwh : -1;
  if (run_logs_ != nullptr)
    if (auto it = run_logs_->jobs.find(j.job_id); it != run_logs_->jobs.end()) f.run_log_kwh = it->second.kwh;
  if (f.run_log_kwh >= 0 && energy_source_ != SlurmEnergySource::model) {
    // co2e run measured the job's own processes on each node and task: closest to the job.
    f.method = "co2e_run";
    set_known_energy(f, f.run_log_kwh, c);
  } else if (f.measured_kwh >= 0 && energy_source_ != SlurmEnergySource::model) {
    // SLURM's figure is IT energy (what its plugin measured on the nodes): PUE applies as to the model.
    f.method = "measured";
    set_known_energy(f, f.measured_kwh, c);
  } else if (energy_source_ == SlurmEnergySource::measured) {
    f.counted = false;
    ++unmeasured_left_out_;
  }
}

namespace {

/// A job's bounds (issue 17): the formula with every input at its low end, then its high end
/// (docs/methodology.md, "Ranges"). TotalCPU is the CPU time used, so there is no usage factor to
/// vary; a measured energy (co2e run's rows, SLURM's counter) is exact before PUE.
void job_range(JobFootprint& f, const Cluster& c) {
  const PartitionPower& p = *f.power;
  auto at = [&](bool high) {
    auto pick = [high](const InputRange& x) { return high ? x.bounds.high : x.bounds.low; };
    const bool model = f.method == "model";
    const EnergyFigures e = compute_energy({.core_hours = model ? f.core_hours : 0,
                                            .core_power_w = pick(p.core_power_range),
                                            .gpu_hours = model ? f.gpu_hours : 0,
                                            .gpu_power_w = pick(p.gpu_power_range),
                                            .memory_gb = model ? f.memory_gb : 0,
                                            .memory_power_w_per_gb = pick(c.memory_power_range),
                                            .memory_hours = f.elapsed_h,
                                            .known_kwh = model                    ? 0
                                                         : f.method == "co2e_run" ? f.run_log_kwh
                                                                                  : f.measured_kwh,
                                            .node_hours = model ? f.node_hours : 0,
                                            .node_power_w = pick(p.node_power_range),
                                            .pue = pick(c.pue_range),
                                            .intensity_g_per_kwh = pick(c.intensity_range)});
    return std::pair{e.energy_kwh, e.co2e_g};
  };
  const auto [lo_kwh, lo_g] = at(false);
  const auto [hi_kwh, hi_g] = at(true);
  // The central figures lie inside by monotonicity; min/max keep them inside whatever the rounding.
  f.energy_kwh_low = std::min(lo_kwh, f.energy_kwh);
  f.energy_kwh_high = std::max(hi_kwh, f.energy_kwh);
  f.co2e_g_low = std::min(lo_g, f.co2e_g);
  f.co2e_g_high = std::max(hi_g, f.co2e_g);
  // Embodied: the partition's kg per node and per GPU, amortised at the ends of the life and use.
  if (c.embodied) {
    const Bounds node = amortised_bounds(p.embodied_node_range.bounds, f.node_hours, c.lifetime_range.bounds,
                                         c.utilisation_range.bounds);
    const Bounds gpu =
        amortised_bounds(p.embodied_gpu_range.bounds, f.gpu_hours, c.lifetime_range.bounds, c.utilisation_range.bounds);
    f.embodied_kg_low = std::min(node.low + gpu.low, f.embodied_kg);
    f.embodied_kg_high = std::max(node.high + gpu.high, f.embodied_kg);
  }
  f.ranged = true;
}

}  // namespace

// long-function: one job's figures in the formula's order (devices, hours, energy source, memory
// right-sizing, totals); called once per job on the hot path.
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
  // The whole footprint (issue 15): the partition's node overhead and the job's share of its
  // hardware's manufacturing, by node-hours and GPU-hours.
  f.node_hours = static_cast<double>(std::max<std::int64_t>(j.nnodes, 1)) * f.elapsed_h;
  if (c.embodied)
    f.embodied_kg =
        amortised_kg(std::max(power->embodied_kg_per_node, 0.0), f.node_hours, c.lifetime_years, c.utilisation) +
        amortised_kg(std::max(power->embodied_kg_per_gpu, 0.0), f.gpu_hours, c.lifetime_years, c.utilisation);
  const EnergyFigures e = compute_energy({.core_hours = f.core_hours,
                                          .core_power_w = power->core_power_w,
                                          .gpu_hours = f.gpu_hours,
                                          .gpu_power_w = power->gpu_power_w,
                                          .memory_gb = f.memory_gb,
                                          .memory_power_w_per_gb = c.memory_power_w_per_gb,
                                          .memory_hours = f.elapsed_h,
                                          .node_hours = f.node_hours,
                                          .node_power_w = power->node_power_w,
                                          .pue = c.pue,
                                          .intensity_g_per_kwh = c.intensity_g_per_kwh});
  f.cpu_kwh = e.cpu_kwh;
  f.gpu_kwh = e.gpu_kwh;
  f.memory_kwh = e.memory_kwh;
  f.server_kwh = e.server_kwh;
  f.energy_kwh = e.energy_kwh;
  f.co2e_g = e.co2e_g;
  choose_energy(f, j);
  if (!f.counted) return f;
  if (ranged_) job_range(f, c);
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
    if (g == GroupBy::user_partition) {
      pair_key_.assign(j.user.empty() ? std::string_view("(none)") : std::string_view(j.user));
      pair_key_ += '\t';
      pair_key_.append(f.partition.empty() ? std::string_view("(none)") : f.partition);
    }
    std::string_view key = g == GroupBy::user        ? std::string_view(j.user)
                           : g == GroupBy::account   ? std::string_view(j.account)
                           : g == GroupBy::partition ? f.partition
                           : g == GroupBy::day       ? std::string_view(j.day)
                                                     : std::string_view(pair_key_);
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
    const std::string_view day = j.day.empty() ? std::string_view("(none)") : std::string_view(j.day);
    if (last_day_totals_ == nullptr || last_day_key_ != day) {
      auto it = by_day_.find(day);
      if (it == by_day_.end()) it = by_day_.emplace(std::string(day), SlurmTotals{}).first;
      last_day_totals_ = &it->second;
      last_day_key_.assign(day);
    }
    last_day_totals_->add(f);
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
         "memory_right_sized_gb,memory_savings_kwh,method,measured_kwh,model_kwh,run_log_kwh,server_kwh,embodied_kg,"
         "total_co2e_kg,co2e_kg_low,co2e_kg_high,total_co2e_kg_low,total_co2e_kg_high\n";
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
  out += ',';
  out += f.method;
  comma_number(out, f.measured_kwh, f.measured_kwh >= 0);
  comma_number(out, f.model_kwh);
  comma_number(out, f.run_log_kwh, f.run_log_kwh >= 0);
  for (const double v : {f.server_kwh, f.embodied_kg, f.co2e_g / 1000 + f.embodied_kg}) comma_number(out, v);
  // The bounds (issue 17), empty with --no-range.
  for (const double v : {f.co2e_g_low / 1000, f.co2e_g_high / 1000, f.co2e_g_low / 1000 + f.embodied_kg_low,
                         f.co2e_g_high / 1000 + f.embodied_kg_high})
    comma_number(out, v, f.ranged);
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
  fmt::format_to(std::back_inserter(out), ",\"method\":\"{}\"", f.method);
  member("measured_kwh", f.measured_kwh, f.measured_kwh >= 0);
  member("model_kwh", f.model_kwh);
  member("run_log_kwh", f.run_log_kwh, f.run_log_kwh >= 0);
  member("server_kwh", f.server_kwh);
  member("embodied_kg", f.embodied_kg);
  member("total_co2e_kg", f.co2e_g / 1000 + f.embodied_kg);
  member("co2e_kg_low", f.co2e_g_low / 1000, f.ranged);
  member("co2e_kg_high", f.co2e_g_high / 1000, f.ranged);
  member("total_co2e_kg_low", f.co2e_g_low / 1000 + f.embodied_kg_low, f.ranged);
  member("total_co2e_kg_high", f.co2e_g_high / 1000 + f.embodied_kg_high, f.ranged);
  out += "}\n";
}

namespace {

/// Which energy each job counts, and the model against SLURM's meters for the jobs with both.
std::string energy_source_sentence(const SlurmReport& r, const std::string& h2) {
  const SlurmTotals& t = r.total();
  std::string s = fmt::format("{}Energy source ({}): ", h2, energy_source_name(r.energy_source()));
  switch (r.energy_source()) {
    case SlurmEnergySource::automatic:
      s += fmt::format("{} of {} jobs measured by SLURM (ConsumedEnergyRaw), the model for the rest",
                       thousands(t.measured_jobs), thousands(t.jobs - t.run_log_jobs));
      break;
    case SlurmEnergySource::measured:
      s += fmt::format("{} jobs measured by SLURM; {} jobs without a recorded energy left out",
                       thousands(t.measured_jobs), thousands(r.unmeasured_left_out()));
      break;
    case SlurmEnergySource::model:
      s += fmt::format("the model for all {} jobs", thousands(t.jobs));
      break;
  }
  if (r.run_logs() != nullptr)
    s += fmt::format("; {} jobs counted from co2e run logs (--measured: {} rows, {} of them outside SLURM)",
                     thousands(t.run_log_jobs), thousands(r.run_logs()->rows),
                     thousands(r.run_logs()->rows_without_job));
  if (t.both_jobs == 0) return s + "; no job has a measured energy to compare with the model";
  return s + fmt::format("\n  measured vs model, the {} jobs with both (before PUE): measured {}, model {}, ratio {}",
                         thousands(t.both_jobs), format_energy(t.both_measured_kwh), format_energy(t.both_model_kwh),
                         t.both_model_kwh > 0 ? format_sig(t.both_measured_kwh / t.both_model_kwh, 3) : "-");
}

/// The footprint and its parts (CPU, GPU, memory, measured, co2e run logs, PUE), as a table.
std::string summary_table(const SlurmReport& r, bool md) {
  const SlurmTotals& t = r.total();
  const Cluster& c = r.cluster();
  const double pre = t.cpu_kwh + t.gpu_kwh + t.memory_kwh + t.server_kwh + t.measured_kwh + t.run_log_kwh;
  std::vector<std::vector<std::string>> main{
      {"", "", "", ""},
      {"Carbon footprint", format_mass(t.co2e_g) + " CO2e", "", ""},
      {"Energy", format_energy(t.energy_kwh), "", fmt::format("PUE {} included", format_sig(c.pue, 4))},
      {"  CPU (before PUE)", format_energy(t.cpu_kwh), percent(t.cpu_kwh, pre),
       fmt::format("{} core-h used", format_sig(t.core_hours, 4))},
      {"  GPU (before PUE)", format_energy(t.gpu_kwh), percent(t.gpu_kwh, pre),
       fmt::format("{} GPU-h", format_sig(t.gpu_hours, 4))},
      {"  memory (before PUE)", format_energy(t.memory_kwh), percent(t.memory_kwh, pre), "memory requested"},
      {"  PUE overhead", format_energy(t.energy_kwh - pre), "", ""},
  };
  if (t.server_kwh > 0)
    main.insert(main.end() - 1, {"  server", format_energy(t.server_kwh), percent(t.server_kwh, pre),
                                 "node overhead: node_power_w x node-hours"});
  // The bounds (issue 17) follow each figure they bound; none with --no-range.
  const auto range_row = [&](double low_g, double high_g) -> std::vector<std::string> {
    return {"  range", fmt::format("{} to {}", format_mass(low_g), format_mass(high_g)), "",
            "if every input lies within its range (bounds; docs/methodology.md)"};
  };
  std::size_t at = 2;
  if (t.ranged) main.insert(main.begin() + static_cast<std::ptrdiff_t>(at++), range_row(t.co2e_g_low, t.co2e_g_high));
  if (c.embodied) {
    main.insert(main.begin() + static_cast<std::ptrdiff_t>(at++),
                {"Embodied", format_mass(t.embodied_kg * 1000) + " CO2e", "",
                 fmt::format("manufacturing, {} years at {} use", format_sig(c.lifetime_years, 3),
                             format_sig(c.utilisation, 3))});
    main.insert(main.begin() + static_cast<std::ptrdiff_t>(at++),
                {"Total", format_mass(t.co2e_g + t.embodied_kg * 1000) + " CO2e", "", ""});
    if (t.ranged)
      main.insert(main.begin() + static_cast<std::ptrdiff_t>(at++),
                  range_row(t.co2e_g_low + t.embodied_kg_low * 1000, t.co2e_g_high + t.embodied_kg_high * 1000));
  }
  if (t.run_log_jobs > 0)
    main.insert(main.end() - 1, {"  co2e run", format_energy(t.run_log_kwh), percent(t.run_log_kwh, pre),
                                 fmt::format("{} jobs, co2e run logs (--measured)", thousands(t.run_log_jobs))});
  if (t.measured_jobs > 0)
    main.insert(main.end() - 1, {"  measured", format_energy(t.measured_kwh), percent(t.measured_kwh, pre),
                                 fmt::format("{} jobs, SLURM's ConsumedEnergyRaw", thousands(t.measured_jobs))});
  if (md) {
    main[0] = {"", "value", "share", "note"};
    return table(main, true);
  }
  main.erase(main.begin());
  return table(main, false);
}

/// What was read and what was skipped or defaulted, with the counts.
std::string input_section(const SlurmReport& r, bool md) {
  const SacctStats& s = r.stats();
  const std::string h2 = md ? "## " : "";
  std::string out;
  auto line = [&](const std::string& text) { out += text + "\n"; };
  line(fmt::format("{}Input: {} lines, {} jobs with {} steps used", h2, thousands(s.lines), thousands(s.jobs),
                   thousands(s.steps)));
  if (md) line("");
  if (!r.filters().empty())
    line(fmt::format("{}{:>8}  jobs left out by the filters ({})", md ? "- " : "  ", thousands(r.filtered_out()),
                     r.filters()));
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
  return out;
}

std::string render_report(const SlurmReport& r, const Dataset& data, bool md) {
  const SlurmTotals& t = r.total();
  const Cluster& c = r.cluster();
  std::string out;
  auto line = [&](const std::string& text) { out += text + "\n"; };
  const std::string h2 = md ? "## " : "";
  const std::string cluster_name = c.name.empty() ? "" : fmt::format(", cluster {}", c.name);
  const std::string period =
      r.first_day().empty() ? std::string() : fmt::format(" from {} to {}", r.first_day(), r.last_day());
  if (md) line(fmt::format("# SLURM carbon footprint{}", cluster_name));
  line(fmt::format("co2e slurm: {} jobs{}{}", thousands(t.jobs), period, md ? "" : cluster_name));
  line("");
  out += summary_table(r, md);
  line("");
  line(energy_source_sentence(r, h2));
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
  out += input_section(r, md);
  line("");
  line(fmt::format("{}Figures used{}:", h2,
                   c.origin.empty() ? " (no --cluster file: defaults)" : fmt::format(" ({})", c.origin)));
  if (md) line("");
  for (const auto& f : figures_used(r)) line(fmt::format("{}{}", md ? "- " : "  ", f));
  return out;
}

}  // namespace

std::string render_slurm_text(const SlurmReport& r, const Dataset& data) { return render_report(r, data, false); }
std::string render_slurm_markdown(const SlurmReport& r, const Dataset& data, std::string_view svg_link) {
  std::string out = render_report(r, data, true);
  if (svg_link.empty()) return out;
  // The chart under the title line: `# ...\n` then the image, as the batch report shows it.
  const auto eol = out.find('\n');
  const bool plain = svg_link.find_first_of(" ()<>") == std::string_view::npos;
  out.insert(eol + 1, fmt::format("\n![CO2e by component]({}{}{})\n", plain ? "" : "<", svg_link, plain ? "" : ">"));
  return out;
}

std::vector<StackedBars> slurm_charts(const SlurmReport& r) {
  std::vector<StackedBars> out;
  const GroupBy g = r.group_by().empty() ? GroupBy::user : r.group_by().front();
  StackedBars groups;
  groups.title = fmt::format("CO2e per {} (kg), by component",
                             g == GroupBy::user_partition ? std::string_view("user and partition") : group_by_name(g));
  groups.axis = "kg CO2e";
  std::vector<std::pair<std::string, const SlurmTotals*>> items;
  for (const auto& [k, t] : r.groups(g)) items.emplace_back(k, &t);
  if (g != GroupBy::day)
    std::stable_sort(items.begin(), items.end(),
                     [](const auto& a, const auto& b) { return a.second->co2e_g > b.second->co2e_g; });
  const std::size_t shown = r.top() > 0 ? r.top() : 20;
  SlurmTotals others;
  for (std::size_t i = 0; i < items.size(); ++i) {
    if (i >= shown && g != GroupBy::day) {
      others.merge(*items[i].second);
      continue;
    }
    std::string label = items[i].first;
    if (const auto tab = label.find('\t'); tab != std::string::npos) label.replace(tab, 1, " / ");
    groups.categories.push_back(std::move(label));
    groups.values.push_back(items[i].second->co2e_parts);
  }
  if (others.jobs > 0) {
    groups.categories.push_back(fmt::format("({} others)", thousands(items.size() - shown)));
    groups.values.push_back(others.co2e_parts);
  }
  const SlurmTotals& t = r.total();
  if (t.failed_jobs > 0)
    groups.notes.push_back(fmt::format("Failed jobs are included: {} of {} jobs ({} CO2e)", thousands(t.failed_jobs),
                                       thousands(t.jobs), format_mass(t.failed_co2e_g)));
  out.push_back(std::move(groups));
  StackedBars days;
  days.title = "CO2e per day (kg), by component";
  days.axis = "kg CO2e";
  days.horizontal = false;
  for (const auto& [day, dt] : r.by_day()) {
    days.categories.push_back(day);
    days.values.push_back(dt.co2e_parts);
  }
  out.push_back(std::move(days));
  return out;
}

namespace {

/// The bounds of the totals if every input lies within its range (issue 17), as estimate's
/// `range`; null with --no-range.
nlohmann::json slurm_range_json(const SlurmReport& r) {
  if (!r.ranged()) return nullptr;
  const SlurmTotals& t = r.total();
  return {{"energy_kwh", {{"low", t.energy_kwh_low}, {"high", t.energy_kwh_high}}},
          {"co2e_kg", {{"low", t.co2e_g_low / 1000}, {"high", t.co2e_g_high / 1000}}},
          {"embodied_kg", {{"low", t.embodied_kg_low}, {"high", t.embodied_kg_high}}},
          {"total_co2e_kg",
           {{"low", t.co2e_g_low / 1000 + t.embodied_kg_low}, {"high", t.co2e_g_high / 1000 + t.embodied_kg_high}}},
          {"method", kRangeMethod},
          {"coverage", kRangeCoverage}};
}

}  // namespace

std::string render_slurm_json(const SlurmReport& r, const Dataset& data) {
  const Cluster& c = r.cluster();
  const SacctStats& s = r.stats();
  nlohmann::json j;
  j["schema_version"] = 2;
  j["co2e_version"] = version();
  // The output contract: every command's JSON has energy_kwh and co2e_kg at the top level.
  j["energy_kwh"] = r.total().energy_kwh;
  j["co2e_kg"] = r.total().co2e_g / 1000;
  j["embodied_kg"] = r.total().embodied_kg;
  j["total_co2e_kg"] = r.total().co2e_g / 1000 + r.total().embodied_kg;
  j["range"] = slurm_range_json(r);
  nlohmann::json cl;
  cl["name"] = c.name;
  cl["file"] = c.origin.empty() ? nlohmann::json() : nlohmann::json(c.origin);
  cl["pue"] = c.pue;
  cl["pue_source"] = pue_source_name(c.pue_source);
  cl["pue_origin"] = origin_json(c.pue_origin);
  cl["intensity_g_per_kwh"] = c.intensity_g_per_kwh;
  cl["intensity_source"] = intensity_source_name(c.intensity_source);
  cl["intensity_origin"] = origin_json(c.intensity_origin);
  cl["overrides"] = nlohmann::json::array();
  for (const auto& o : c.overrides)
    cl["overrides"].push_back({{"key", o.key}, {"file_value", o.file_value}, {"by", origin_json(o.by)}});
  cl["region"] = c.region ? nlohmann::json(std::string(c.region->grid->code)) : nlohmann::json();
  // The basis of the figure (null with an intensity given explicitly), as in estimate.
  const bool tables = c.region && c.intensity_source != IntensitySource::flag;
  cl["intensity_basis"] = tables && !c.region->intensity_basis().empty()
                              ? nlohmann::json(std::string(c.region->intensity_basis()))
                              : nlohmann::json();
  cl["basis_fallback"] = tables && c.region->basis_fallback();
  j["data_release"] = std::string(data_release());
  cl["memory_power_w_per_gb"] = c.memory_power_w_per_gb;
  cl["memory_granularity_gb"] = c.memory_granularity_gb;
  cl["embodied"] = c.embodied ? nlohmann::json{{"lifetime_years", c.lifetime_years},
                                               {"lifetime_origin", origin_json(c.lifetime_origin)},
                                               {"utilisation", c.utilisation},
                                               {"utilisation_origin", origin_json(c.utilisation_origin)}}
                              : nlohmann::json();
  cl["partitions"] = nlohmann::json::array();
  for (const auto& p : c.partitions) cl["partitions"].push_back(partition_json(p));
  cl["default_partition"] = partition_json(c.fallback);
  j["cluster"] = cl;
  j["period"] = {{"first_day", r.first_day().empty() ? nlohmann::json() : nlohmann::json(std::string(r.first_day()))},
                 {"last_day", r.last_day().empty() ? nlohmann::json() : nlohmann::json(std::string(r.last_day()))}};
  j["success_states"] = r.success_states();
  j["energy_source"] = energy_source_name(r.energy_source());
  j["unmeasured_left_out"] = r.unmeasured_left_out();
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
      if (g == GroupBy::user_partition) {
        const auto tab = k.find('\t');
        row["user"] = k.substr(0, tab);
        row["partition"] = tab == std::string::npos ? std::string() : k.substr(tab + 1);
      }
      arr.push_back(row);
    }
    groups[std::string(group_by_name(g))] = arr;
  }
  j["groups"] = groups;
  j["input"] = {{"lines", s.lines},
                {"jobs", s.jobs},
                {"steps", s.steps},
                {"filtered_out", r.filtered_out()},
                {"filters", r.filters()}};
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
