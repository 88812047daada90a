// Renderers of the `co2e run` report and the locked log append (run_report.hpp).
#include "co2e/run_report.hpp"
#include "co2e/quote.hpp"

#include <fcntl.h>
#include <fmt/format.h>
#include <fmt/ranges.h>
#include <sys/file.h>
#include <sys/stat.h>
#include <unistd.h>
#include <algorithm>
#include <cerrno>
#include <cstring>
#include <ctime>
#include <nlohmann/json.hpp>

#include "co2e/csv.hpp"
#include "co2e/energy.hpp"
#include "co2e/fd.hpp"
#include "co2e/files.hpp"
#include "co2e/render.hpp"
#include "co2e/units.hpp"
#include "co2e/version.hpp"
#include "report/json_text.hpp"
#include "report/origin_json.hpp"

namespace co2e {

namespace {

using ojson = nlohmann::ordered_json;

std::string iso_utc(std::chrono::system_clock::time_point t) {
  const std::time_t s = std::chrono::system_clock::to_time_t(t);
  std::tm tm{};
  gmtime_r(&s, &tm);
  char buf[32];
  std::strftime(buf, sizeof buf, "%Y-%m-%dT%H:%M:%SZ", &tm);
  return buf;
}

/// The command line as a shell would read it back (arguments with spaces or quotes quoted).
std::string command_line(const std::vector<std::string>& argv) {
  std::string out;
  for (const auto& a : argv) {
    if (!out.empty()) out += ' ';
    const bool plain = !a.empty() && a.find_first_of(" \t\n'\"\\$`!*?;&|<>()[]{}#~") == std::string::npos;
    if (plain) {
      out += a;
    } else {
      out += '\'';
      for (char c : a) out += c == '\'' ? std::string("'\\''") : std::string(1, c);
      out += '\'';
    }
  }
  return out;
}

std::string how_it_ended(const RunReport& r) {
  const auto& o = r.outcome;
  std::string s;
  switch (o.how) {
    case ChildOutcome::How::exited:
      s = fmt::format("exited with status {}", o.code);
      break;
    case ChildOutcome::How::signaled:
      s = fmt::format("was killed by signal {} ({})", o.code,
                      sigabbrev_np(o.code) != nullptr ? sigabbrev_np(o.code) : "?");
      break;
    case ChildOutcome::How::not_found:
      s = fmt::format("was not found: {}", std::strerror(o.code));
      break;
    case ChildOutcome::How::cannot_exec:
      s = fmt::format("cannot be executed: {}", std::strerror(o.code));
      break;
  }
  if (o.stopped) s += " after co2e stopped it: " + r.stop_reason;
  return s;
}

/// How the report names a given input: `(--pue)` when typed, `(from CO2E_PUE)` when its variable
/// gave it, so that a stale `export` never passes for a flag that was not typed (issue 12).
std::string given_note(const RunReport& r, Field f) {
  const Origin& o = r.origins[static_cast<std::size_t>(f)];
  if (!o.given()) return fmt::format("({})", field_info(f).flag);
  return o.kind == OriginKind::env ? fmt::format("(from {})", o.name) : fmt::format("({})", origin_label(o));
}

/// ` (from CO2E_REGION)` when input `f` came from its environment variable; empty otherwise.
std::string env_note(const RunReport& r, Field f) {
  const Origin& o = r.origins[static_cast<std::size_t>(f)];
  return o.kind == OriginKind::env ? fmt::format(" (from {})", o.name) : std::string();
}

std::string pue_sentence(const RunReport& r) {
  const PueChoice& p = r.pue;
  const IntensityChoice& i = r.intensity;
  std::string v = format_sig(p.pue, 6);
  switch (p.source) {
    case PueSource::flag:
      return fmt::format("{} {}", v, given_note(r, Field::pue));
    case PueSource::provider:
      return fmt::format("{}: default of {}{}", v, p.provider->name, env_note(r, Field::provider));
    case PueSource::cloud_region:
      return fmt::format("{} published for {}{}", v, i.region && i.region->cloud ? i.region->cloud->code : "the region",
                         env_note(r, Field::region));
    case PueSource::platform:
      return fmt::format("{}: default for platform \"{}\"{}", v, p.provider->id, env_note(r, Field::platform));
    case PueSource::default_local:
      return fmt::format("{}: an average data centre (no --pue, --provider or --platform)", v);
    case PueSource::included:
      return fmt::format("{}: included in a facility energy", v);
  }
  return v;
}

std::string intensity_sentence(const RunReport& r) {
  const IntensityChoice& i = r.intensity;
  std::string v = format_sig(i.g_per_kwh, 6);
  switch (i.source) {
    case IntensitySource::flag:
      return fmt::format("{} gCO2e/kWh {}", v, given_note(r, Field::intensity));
    case IntensitySource::region:
    case IntensitySource::cloud_region:
      return fmt::format("{} gCO2e/kWh: {}{}{}, {} ({}, {}){}", v,
                         i.region->cloud ? std::string(i.region->cloud->code) + " in " : "", i.region->grid->name,
                         env_note(r, Field::region), grid_basis_label(*i.region), i.region->intensity_prov().source,
                         i.region->intensity_prov().year,
                         i.region->basis_fallback()
                             ? fmt::format("; no {} figure for {}", basis_name(i.region->basis), i.region->grid->code)
                             : std::string());
    case IntensitySource::default_world:
      return fmt::format("{} gCO2e/kWh: world average (no --region or --intensity)", v);
    case IntensitySource::series:
      return fmt::format("{} gCO2e/kWh: average of --intensity-series over the run", v);
  }
  return v;
}

std::string region_code(const IntensityChoice& i) {
  if (!i.region) return "";
  return std::string(i.region->cloud ? i.region->cloud->code : i.region->grid->code);
}

ojson optional_json(const std::optional<double>& v) { return v ? ojson(*v) : ojson(nullptr); }

/// A component's method and its dynamic/static split; its energy is the top-level cpu_kwh /
/// memory_kwh / gpu_kwh (before PUE).
ojson component_json(const ComponentReport& c) {
  return ojson{{"method", c.method},
               {"detail", c.detail},
               {"unavailable", c.unavailable},
               {"notes", c.notes},
               {"dynamic_kwh", optional_json(c.dynamic_kwh)},
               {"static_kwh", optional_json(c.static_kwh)},
               {"baseline_w", optional_json(c.baseline_w)},
               {"split_detail", c.split_detail}};
}

/// The first release's --log had 21 columns (start_utc to co2e_g).
constexpr std::size_t kFirstLogColumns = 21;

/// The number of columns of an older co2e run's --log header on `line` (its columns are a
/// prefix of today's: columns are only ever added at the end), or 0 when it is not one.
std::size_t older_log_columns(std::string_view line) {
  const auto& cols = run_log_columns();
  std::size_t k = 0, pos = 0;
  while (k < cols.size() && line.substr(pos).starts_with(cols[k])) {
    pos += cols[k].size();
    ++k;
    if (pos == line.size()) break;
    if (line[pos] != ',') return 0;
    ++pos;
  }
  // The first release wrote 21 columns (up to co2e_g); anything shorter is not a co2e log.
  return pos == line.size() && k >= kFirstLogColumns && k < cols.size() ? k : 0;
}

std::string_view total_uses(const RunReport& r) { return r.include_static ? "dynamic+static" : "dynamic"; }

/// Where a component's figures or the run's totals before PUE sit against the baseline.
std::string split_sentence(const RunReport& r) {
  if (!energy_split_known(r))
    return "not split into dynamic and static: a machine counter was read without a baseline (--baseline 0)";
  return fmt::format("dynamic {} + static {}; the total counts {}", format_energy(r.totals.dynamic_kwh),
                     format_energy(r.totals.static_kwh),
                     r.include_static ? "both (default; --static exclude counts dynamic energy only)"
                                      : "dynamic energy only (--static exclude)");
}

}  // namespace

bool energy_split_known(const RunReport& r) {
  for (const ComponentReport* c : {&r.cpu, &r.memory, &r.gpu})
    if (c->method != "none" && !c->dynamic_kwh) return false;
  return true;
}

void weigh_by_series(SeriesWeighting& w, double total_kwh, std::chrono::system_clock::time_point now) {
  const double kwh = total_kwh - w.seen_kwh;
  const auto t0 = std::chrono::floor<std::chrono::seconds>(w.last);
  const auto t1 = std::chrono::floor<std::chrono::seconds>(now);
  w.seen_kwh = total_kwh;
  w.last = now;
  if (kwh <= 0 || w.series == nullptr) return;
  // A stretch shorter than a second takes the intensity in force at its start.
  auto avg = t1 > t0 ? w.series->average(t0, t1) : Result<double>(Error::usage(""));
  std::optional<double> g_per_kwh = avg ? std::optional<double>(*avg) : w.series->at(t0);
  if (!g_per_kwh) {
    w.uncovered_kwh += kwh;
    return;
  }
  w.weighed_kwh += kwh;
  w.weighed_g += kwh * *g_per_kwh;
}

void compute_footprint(RunReport& r) {
  // The node's overhead (--node-power) and its manufacturing share go by wall time (issue 15).
  const double wall_h = to_hours(r.totals.elapsed);
  r.server_kwh = compute_energy({.node_hours = wall_h, .node_power_w = r.node_power_w}).server_kwh;
  if (r.embodied)
    r.embodied_kg = amortised_kg(r.embodied_kg_per_node, wall_h, r.lifetime_years, r.utilisation) +
                    amortised_kg(r.embodied_kg_per_gpu, static_cast<double>(r.gpus.size()) * wall_h, r.lifetime_years,
                                 r.utilisation);
  const double total = r.totals.total_kwh() + r.server_kwh;
  r.energy_kwh = total * r.pue.pue;
  if (r.series) {
    // Energy not yet weighed (since the last sample) or outside the series: the annual figure.
    const double unweighed = std::max(0.0, total - r.series->weighed_kwh);
    r.co2e_g = (r.series->weighed_g + unweighed * r.intensity.g_per_kwh) * r.pue.pue;
  } else {
    r.co2e_g = r.energy_kwh * r.intensity.g_per_kwh;
  }
}

std::string render_run_text(const RunReport& r, const Dataset& data) {
  std::string out;
  auto line = [&]<class... A>(fmt::format_string<A...> f, A&&... args) {
    fmt::format_to(std::back_inserter(out), f, std::forward<A>(args)...);
    out += '\n';
  };
  const auto& t = r.totals;
  line("co2e: `{}` {} after {}", escape_for_message(command_line(r.command), 400), how_it_ended(r),
       format_duration(t.elapsed));
  line("  CPU time   {} s (user {} s, system {} s); peak memory {}", format_sig(t.tree_cpu_s, 4),
       format_sig(r.outcome.user_s, 4), format_sig(r.outcome.system_s, 4),
       t.peak_rss_gb > 0 ? format_sig(t.peak_rss_gb * 1000, 4) + " MB"
                         : std::string("not sampled (shorter than --interval)"));
  line("  scope      {}",
       r.scope == Scope::process
           ? "process: the command and its descendants (machine counters scaled by their share of CPU time)"
           : "machine: everything the machine used while the command ran");
  auto component = [&](std::string_view label, const ComponentReport& c) {
    if (c.method == "none") {
      line("  {:<9}  {:>10}  not measured{}", label, "-", c.detail.empty() ? "" : ": " + c.detail);
    } else {
      line("  {:<9}  {:>10}  [{}] {}", label, format_energy(c.kwh), c.method, c.detail);
    }
    for (const auto& u : c.unavailable) line("  {:<9}  {:>10}    ({})", "", "", u);
    for (const auto& n : c.notes) line("  {:<9}  {:>10}    ({})", "", "", n);
    if (c.method != "none" && c.dynamic_kwh)
      line("  {:<9}  {:>10}    dynamic {} + static {} ({})", "", "", format_energy(*c.dynamic_kwh),
           format_energy(*c.static_kwh), c.split_detail);
  };
  component("CPU", r.cpu);
  component("memory", r.memory);
  component("GPU", r.gpu);
  for (const auto& g : r.gpus)
    if (g.used)
      line("  {:<9}  {:>10}    {} {} ({})", "", format_energy(g.kwh), g.uuid, g.name,
           g.counter ? "energy counter" : "power samples");
  if (r.node_power_w > 0)
    line("  {:<9}  {:>10}  [flag] {} W beyond the chips x wall time (--node-power, before PUE)", "server",
         format_energy(r.server_kwh), format_sig(r.node_power_w, 5));
  line("  PUE        {}", pue_sentence(r));
  line("  grid       {}", intensity_sentence(r));
  if (r.series) {
    const double total = r.totals.total_kwh();
    const double avg = total > 0 ? r.co2e_g / r.energy_kwh : 0;
    line(
        "  series     {} gCO2e/kWh on average over the run, from --intensity-series ({} of the energy inside the "
        "series{})",
        format_sig(avg, 5),
        total > 0 ? fmt::format("{:.1f}%", 100 * r.series->weighed_kwh / total) : std::string("all"),
        r.series->weighed_kwh < total ? "; the rest at the annual figure above" : "");
  }
  if (r.baseline.measured)
    line("  baseline   {} W CPU, {} W DRAM: the machine's power over {} before the command started (--baseline)",
         format_sig(r.baseline.cpu_w, 4), format_sig(r.baseline.dram_w, 4), format_duration(r.baseline.duration));
  line("  split      {}", split_sentence(r));
  line("  energy     {} (PUE included)", format_energy(r.energy_kwh));
  std::string eq;
  for (const auto& e : text_equivalents(r.co2e_g, data)) {
    if (!eq.empty()) eq += ", ";
    eq += fmt::format("{} {}", format_sig(e.amount, 3), e.row->name);
  }
  line("  CO2e       {}{}", format_mass(r.co2e_g), eq.empty() ? "" : fmt::format("  (about {})", eq));
  if (r.embodied)
    line(
        "  embodied   {} (manufacturing: {} kg per node, {} kg per GPU, by wall time over {} years at {} use); "
        "total {}",
        format_mass(r.embodied_kg * 1000), format_sig(r.embodied_kg_per_node, 5), format_sig(r.embodied_kg_per_gpu, 5),
        format_sig(r.lifetime_years, 3), format_sig(r.utilisation, 3), format_mass(r.co2e_g + r.embodied_kg * 1000));
  auto stopped_by = [&](RunLimit l) {
    if (r.stopped_by != l) return "";
    if (r.outcome.stopped) return ": exceeded, command stopped";
    return r.limits.stop ? ": exceeded as the command ended"
                         : ": exceeded, the command ran to its end (--budget-action report)";
  };
  if (r.limits.budget_g)
    line("  budget     {}{}{}", format_mass(*r.limits.budget_g),
         r.budget_origin.kind == OriginKind::env ? fmt::format(" (from {})", r.budget_origin.name) : std::string(),
         stopped_by(RunLimit::budget));
  if (r.limits.max_energy_kwh)
    line("  max energy {}{}", format_energy(*r.limits.max_energy_kwh), stopped_by(RunLimit::max_energy));
  for (const auto& w : r.warnings) line("  warning    {}", w);
  return out;
}

std::string render_run_markdown(const RunReport& r, const Dataset& data) {
  (void)data;  // same signature as the other renderers; the table names no equivalents
  std::string out =
      fmt::format("| co2e run | `{}` |\n|---|---|\n", markdown_cell(escape_for_message(command_line(r.command), 400)));
  auto row = [&](std::string_view label, const std::string& value) {
    out += fmt::format("| {} | {} |\n", label, markdown_cell(value));
  };
  row("**Carbon footprint**", fmt::format("**{} CO2e**", format_mass(r.co2e_g)));
  row("Energy", format_energy(r.energy_kwh) + " (PUE included)");
  row("Ended", fmt::format("{} after {}", how_it_ended(r), format_duration(r.totals.elapsed)));
  auto component = [&](std::string_view label, const ComponentReport& c) {
    row(label,
        c.method == "none" ? std::string("not measured") : fmt::format("{} [{}]", format_energy(c.kwh), c.method));
  };
  component("CPU", r.cpu);
  component("Memory", r.memory);
  component("GPU", r.gpu);
  row("PUE", pue_sentence(r));
  row("Grid", intensity_sentence(r));
  if (r.limits.budget_g) row("Budget", format_mass(*r.limits.budget_g));
  if (r.limits.max_energy_kwh) row("Max energy", format_energy(*r.limits.max_energy_kwh));
  return out;
}

// long-function: one key per member of the documented JSON document (docs/cli.md), in its order.
std::string render_run_json(const RunReport& r, const Dataset& data) {
  ojson j;
  j["schema_version"] = 2;
  j["co2e_version"] = version();
  j["command"] = r.command;
  j["host"] = r.host;
  j["start"] = iso_utc(r.start);
  j["end"] = iso_utc(r.end);
  const char* how = "exited";
  switch (r.outcome.how) {
    case ChildOutcome::How::exited:
      how = "exited";
      break;
    case ChildOutcome::How::signaled:
      how = "signaled";
      break;
    case ChildOutcome::How::not_found:
      how = "not_found";
      break;
    case ChildOutcome::How::cannot_exec:
      how = "cannot_exec";
      break;
  }
  j["outcome"] = ojson{{"how", how},
                       {"code", r.outcome.code},
                       {"exit_status", r.exit_status},
                       {"stopped_by_budget", r.outcome.stopped},
                       {"limit_exceeded", r.stopped_by != RunLimit::none},
                       {"stop_reason", r.stop_reason}};
  j["runtime_s"] = r.totals.elapsed.count();
  j["cpu_time_s"] = r.totals.tree_cpu_s;
  j["user_s"] = r.outcome.user_s;
  j["system_s"] = r.outcome.system_s;
  j["peak_rss_gb"] = r.totals.peak_rss_gb;
  j["scope"] = scope_name(r.scope);
  j["interval_s"] = r.interval_s;
  j["samples"] = r.totals.samples;
  // The output contract (docs/cli.md): energy_kwh and co2e_kg at the top level as in every
  // command; component energies before PUE under the names estimate and batch use.
  j["energy_kwh"] = r.energy_kwh;
  j["co2e_kg"] = r.co2e_g / 1000;
  j["co2e_g"] = r.co2e_g;
  j["cpu_kwh"] = r.cpu.kwh;
  j["gpu_kwh"] = r.gpu.kwh;
  j["memory_kwh"] = r.memory.kwh;
  j["energy_before_pue_kwh"] = r.totals.total_kwh() + r.server_kwh;
  j["server_kwh"] = r.server_kwh;  // --node-power (issue 15), before PUE
  j["embodied_kg"] = r.embodied_kg;
  j["total_co2e_kg"] = r.co2e_g / 1000 + r.embodied_kg;
  j["pue"] = r.pue.pue;
  // With a series, the figure applied (the energy-weighted average); the annual one is in grid.
  j["intensity_g_per_kwh"] = r.series && r.energy_kwh > 0 ? r.co2e_g / r.energy_kwh : r.intensity.g_per_kwh;
  const std::string region = region_code(r.intensity);
  j["region"] = region.empty() ? ojson(nullptr) : ojson(region);
  j["components"] =
      ojson{{"cpu", component_json(r.cpu)}, {"memory", component_json(r.memory)}, {"gpu", component_json(r.gpu)}};
  j["gpus"] = std::count_if(r.gpus.begin(), r.gpus.end(), [](const GpuEnergy& g) { return g.used; });
  ojson devices = ojson::array();
  for (const auto& g : r.gpus)
    devices.push_back(ojson{{"uuid", g.uuid},
                            {"name", g.name},
                            {"gpu_kwh", g.kwh},
                            {"method", gpu_method_name(g.counter ? GpuMethod::counter : GpuMethod::power, g.vendor)},
                            {"counted", g.used}});
  j["gpu_devices"] = devices;
  const bool split = energy_split_known(r);
  j["dynamic_before_pue_kwh"] = split ? ojson(r.totals.dynamic_kwh) : ojson(nullptr);
  j["static_before_pue_kwh"] = split ? ojson(r.totals.static_kwh) : ojson(nullptr);
  j["total_uses"] = total_uses(r);
  j["baseline"] = r.baseline.measured ? ojson{{"duration_s", r.baseline.duration.count()},
                                              {"cpu_w", r.baseline.cpu_w},
                                              {"dram_w", r.baseline.dram_w},
                                              {"gpus_w", r.baseline.gpu_w}}
                                      : ojson(nullptr);
  j["pue_detail"] = pue_sentence(r);
  j["grid"] = ojson{{"annual_g_per_kwh", r.intensity.g_per_kwh}, {"detail", intensity_sentence(r)}};
  // The basis of the figure (null with --intensity, whose basis is the user's), as in estimate.
  const bool tables = r.intensity.region && r.intensity.source != IntensitySource::flag;
  j["grid"]["basis"] = tables && !r.intensity.region->intensity_basis().empty()
                           ? ojson(r.intensity.region->intensity_basis())
                           : ojson(nullptr);
  j["grid"]["basis_fallback"] = tables && r.intensity.region->basis_fallback();
  j["data_release"] = data_release();
  if (r.series) {
    j["grid"]["series"] = ojson{{"average_g_per_kwh", r.energy_kwh > 0 ? r.co2e_g / r.energy_kwh : 0.0},
                                {"weighed_kwh", r.series->weighed_kwh},
                                {"uncovered_kwh", std::max(0.0, r.totals.total_kwh() - r.series->weighed_kwh)}};
  }
  ojson eq = ojson::array();
  for (const auto& e : equivalents(r.co2e_g, data))
    eq.push_back(ojson{{"id", e.row->id}, {"name", e.row->name}, {"amount", e.amount}});
  j["equivalents"] = eq;
  j["budget_g"] = r.limits.budget_g ? ojson(*r.limits.budget_g) : ojson(nullptr);
  j["max_energy_kwh"] = r.limits.max_energy_kwh ? ojson(*r.limits.max_energy_kwh) : ojson(nullptr);
  j["warnings"] = r.warnings;
  // Where each input came from, in estimate's shape (docs/cli.md, "Input origins").
  ojson origins = origins_json(r.origins);
  if (r.limits.budget_g && r.budget_origin.given()) origins["budget"] = origin_json(r.budget_origin);
  j["inputs"] = ojson{{"origins", origins}};
  if (r.slurm[0].empty()) {
    j["slurm"] = nullptr;
  } else {
    j["slurm"] = ojson::object();
    for (std::size_t i = 0; i < r.slurm.size(); ++i) j["slurm"][kRunSlurmVariables[i]] = r.slurm[i];
  }
  return json_text(j);
}

Result<std::string> expand_log_path(std::string_view pattern, const std::string& host,
                                    const std::array<std::string, 4>& slurm) {
  std::string out;
  for (std::size_t i = 0; i < pattern.size(); ++i) {
    if (pattern[i] != '%' || i + 1 == pattern.size()) {
      out += pattern[i];
      continue;
    }
    const char c = pattern[++i];
    const std::string* value = nullptr;
    const char* name = nullptr;
    switch (c) {
      case '%':
        out += '%';
        continue;
      case 'h':
        value = &host;
        name = "the host name";
        break;
      case 'j':
      case 's':
      case 'n':
      case 't': {
        const std::size_t k = c == 'j' ? 0 : c == 's' ? 1 : c == 'n' ? 2 : 3;
        value = &slurm[k];
        name = kRunSlurmVariables[k];
        break;
      }
      default:
        return Error::usage(
            fmt::format("--log {}: %{} is not a pattern; accepted: %h (host), %j (SLURM_JOB_ID), %s "
                        "(SLURM_STEP_ID), %n (SLURM_NODEID), %t (SLURM_PROCID), %% (a %)",
                        quote_for_message(pattern), escape_for_message(std::string_view(&c, 1))));
    }
    if (value->empty())
      return Error::usage(fmt::format("--log {}: %{} needs {}, which is not set (not under srun or sbatch?)",
                                      quote_for_message(pattern), c, name));
    out += *value;
  }
  return out;
}

const std::vector<std::string_view>& run_log_columns() {
  static const std::vector<std::string_view> cols{
      "start_utc", "end_utc", "host", "command", "exit_status", "stopped_by_budget", "runtime_s", "cpu_time_s",
      "peak_rss_mb", "scope", "cpu_kwh", "cpu_method", "memory_kwh", "memory_method", "gpu_kwh", "gpu_method", "pue",
      "intensity_g_per_kwh", "region", "energy_kwh", "co2e_g",
      // Added by issue 13 (after the original 21, so old readers keep their column numbers).
      "baseline_s", "dynamic_before_pue_kwh", "static_before_pue_kwh", "total_uses",
      // SLURM's identifiers, for `co2e slurm --measured` (empty outside SLURM).
      "slurm_job_id", "slurm_step_id", "slurm_nodeid", "slurm_procid",
      // The output contract's unit (issue 12): co2e_kg as in every command's JSON and CSV.
      "co2e_kg",
      // The whole footprint (issue 15), named as in batch and slurm: the node overhead before PUE
      // (--node-power), the manufacturing share (--embodied), operational + embodied.
      "server_kwh", "embodied_kg", "total_co2e_kg"};
  return cols;
}

Result<std::size_t> upgrade_run_log(const std::string& path) {
  const auto label = [&] { return fmt::format("--upgrade-log \"{}\"", path); };
  auto read = read_text_file(path);
  if (!read) return read.error().with_context(label());
  std::string text = std::move(*read);
  if (text.empty()) return Error::data(fmt::format("{}: empty: nothing to upgrade", label()));
  CsvReader reader(string_reader(std::move(text)), ',');
  CsvRecord rec;
  auto more = reader.next(rec);
  if (!more) return Error::data(fmt::format("{}: {}", label(), more.error().message));
  std::string first;
  for (const auto f : rec.fields) first += (first.empty() ? "" : ",") + std::string(f);
  if (first + "\n" == run_log_header())
    return Error::usage(fmt::format("{}: already has this version's {} columns", label(), run_log_columns().size()));
  const std::size_t old = older_log_columns(first);
  if (old == 0)
    return Error::data(fmt::format("{}: the first line is not the header of a co2e run --log file", label()));
  const auto& cols = run_log_columns();
  const auto g_col = static_cast<std::size_t>(std::find(cols.begin(), cols.end(), "co2e_g") - cols.begin());
  std::string out = run_log_header();
  std::size_t rows = 0;
  while (true) {
    more = reader.next(rec);
    if (!more) return Error::data(fmt::format("{}: {}", label(), more.error().message));
    if (!*more) break;
    if (rec.fields.size() == 1 && rec.fields[0].empty()) continue;  // blank line
    if (rec.fields.size() != old)
      return Error::data(fmt::format("{} line {}: {} fields, the header has {}; nothing was changed", label(), rec.line,
                                     rec.fields.size(), old));
    std::string row;
    for (std::size_t k = 0; k < cols.size(); ++k) {
      if (k > 0) row += ',';
      if (k < old) {
        append_csv_field(row, rec.fields[k], ',');
      } else if (cols[k] == "co2e_kg") {
        auto g = parse_non_negative(rec.fields[g_col]);
        if (!g)
          return Error::data(
              fmt::format("{} line {}: column co2e_g: {}; nothing was changed", label(), rec.line, g.error().message));
        row += format_number(*g / 1000);
      }
      // The other added columns (baseline, split, SLURM's ids, the whole footprint) were not
      // recorded then: empty. Not 0 and not co2e_kg for total_co2e_kg: a run of issue 15's first
      // version could count a node overhead or embodied emissions without these columns.
    }
    out += row + '\n';
    ++rows;
  }
  auto file = OutputFile::open(path, "--upgrade-log");
  if (!file) return file.error();
  if (auto st = file->write(out)) return *st;
  if (auto st = file->commit()) return *st;
  return rows;
}

std::string run_log_header() {
  std::string out;
  for (auto c : run_log_columns()) {
    if (!out.empty()) out += ',';
    out += c;
  }
  return out + "\n";
}

std::string run_log_row(const RunReport& r) {
  const bool split = energy_split_known(r);
  const std::vector<std::string> v{iso_utc(r.start),
                                   iso_utc(r.end),
                                   r.host,
                                   command_line(r.command),
                                   std::to_string(r.exit_status),
                                   r.outcome.stopped ? "1" : "0",
                                   format_number(r.totals.elapsed.count()),
                                   format_number(r.totals.tree_cpu_s),
                                   format_number(r.totals.peak_rss_gb * 1000),
                                   std::string(scope_name(r.scope)),
                                   format_number(r.cpu.kwh),
                                   r.cpu.method,
                                   format_number(r.memory.kwh),
                                   r.memory.method,
                                   format_number(r.gpu.kwh),
                                   r.gpu.method,
                                   format_number(r.pue.pue),
                                   format_number(r.intensity.g_per_kwh),
                                   region_code(r.intensity),
                                   format_number(r.energy_kwh),
                                   format_number(r.co2e_g),
                                   r.baseline.measured ? format_number(r.baseline.duration.count()) : "0",
                                   split ? format_number(r.totals.dynamic_kwh) : "",
                                   split ? format_number(r.totals.static_kwh) : "",
                                   std::string(total_uses(r)),
                                   r.slurm[0],
                                   r.slurm[1],
                                   r.slurm[2],
                                   r.slurm[3],
                                   format_number(r.co2e_g / 1000),
                                   format_number(r.server_kwh),
                                   format_number(r.embodied_kg),
                                   format_number(r.co2e_g / 1000 + r.embodied_kg)};
  std::string out;
  for (const auto& f : v) {
    if (!out.empty()) out += ',';
    // A command line may hold anything: never let it break the row.
    std::string clean = f;
    for (auto& c : clean)
      if (c == '\n' || c == '\r') c = ' ';
    out += csv_escape(clean);
  }
  return out + "\n";
}

namespace {

/// A log that already has rows must start with `header`: another version's columns would be
/// misread by every reader of the file.
Status check_header(const Fd& fd, const std::string& path, std::string_view header, std::string_view flag) {
  if (header.empty()) return std::nullopt;
  std::string first(header.size(), '\0');
  const ssize_t n = ::pread(fd.get(), first.data(), first.size(), 0);
  if (n <= 0) return std::nullopt;  // new or empty: the header is written with the first row
  first.resize(static_cast<std::size_t>(n));
  if (first == header) return std::nullopt;
  std::string line(4096, '\0');
  const ssize_t m = ::pread(fd.get(), line.data(), line.size(), 0);
  line.resize(static_cast<std::size_t>(std::max<ssize_t>(m, 0)));
  line = line.substr(0, line.find('\n'));
  if (!line.empty() && line.back() == '\r') line.pop_back();
  if (const std::size_t old = older_log_columns(line); old > 0)
    return Error::data(fmt::format(
        "{} \"{}\": written by an older co2e run ({} columns, up to {}; this version writes {}, adding {}): its rows "
        "would not line up with new ones. Upgrade it in place (old rows keep their values; co2e_kg = co2e_g / 1000) "
        "with `co2e run --upgrade-log {}` while no run writes to it, or give a new file",
        flag, path, old, run_log_columns()[old - 1], run_log_columns().size(),
        fmt::join(run_log_columns().begin() + static_cast<std::ptrdiff_t>(old), run_log_columns().end(), ", "), path));
  return Error::data(fmt::format(
      "{} \"{}\": the file's first line is not co2e run's header ({} columns, from \"{}\" to \"{}\"): it was "
      "written by another version or program, and the rows would not line up; give a new file",
      flag, path, run_log_columns().size(), run_log_columns().front(), run_log_columns().back()));
}

/// Opens the log for appending; read access too when allowed, to check its header.
Fd open_log(const std::string& path) {
  const int flags = O_APPEND | O_CREAT | O_NOCTTY;
  Fd fd = Fd::open(path, O_RDWR | flags, 0644);
  if (fd || errno != EACCES) return fd;
  return Fd::open(path, O_WRONLY | flags, 0644);  // write-only file: no header check
}

}  // namespace

Status check_log(const std::string& path, std::string_view header, std::string_view flag) {
  const Fd fd = open_log(path);
  if (!fd) return Error::data(fmt::format("{} \"{}\": {}", flag, path, std::strerror(errno)));
  return check_header(fd, path, header, flag);
}

Status append_log(const std::string& path, std::string_view header, std::string_view row, std::string_view flag) {
  Fd fd = open_log(path);
  if (!fd) return Error::data(fmt::format("{} \"{}\": {}", flag, path, std::strerror(errno)));
  auto fail = [&](const char* what) -> Status {
    return Error::data(fmt::format("{} \"{}\": {}: {}", flag, path, what, std::strerror(errno)));
  };
  while (::flock(fd.get(), LOCK_EX) != 0)
    if (errno != EINTR) return fail("cannot lock");
  struct stat st {};
  if (::fstat(fd.get(), &st) != 0) return fail("cannot stat");
  if (st.st_size > 0 && S_ISREG(st.st_mode))
    if (Status bad = check_header(fd, path, header, flag)) return bad;
  std::string text;
  if (st.st_size == 0) text = header;
  text += row;
  std::size_t done = 0;
  while (done < text.size()) {
    const ssize_t n = ::write(fd.get(), text.data() + done, text.size() - done);
    if (n < 0) {
      if (errno == EINTR) continue;
      return fail("cannot write");
    }
    done += static_cast<std::size_t>(n);
  }
  if (const int err = fd.close())  // releases the lock
    return Error::data(fmt::format("{} \"{}\": cannot write: {}", flag, path, std::strerror(err)));
  return std::nullopt;
}

std::string render_progress(const MeterTotals& t, double energy_kwh, double co2e_g) {
  return fmt::format("co2e: {}  {}  {} CO2e  CPU {} s  RSS {} MB", format_duration(t.elapsed),
                     format_energy(energy_kwh), format_mass(co2e_g), format_sig(t.tree_cpu_s, 3),
                     format_sig(t.rss_gb * 1000, 3));
}

}  // namespace co2e
