// Renderers of the `co2e run` report and the locked log append (run_report.hpp).
#include "co2e/run_report.hpp"
#include "co2e/quote.hpp"

#include <fcntl.h>
#include <fmt/format.h>
#include <sys/file.h>
#include <sys/stat.h>
#include <unistd.h>
#include <cerrno>
#include <cstring>
#include <ctime>
#include <nlohmann/json.hpp>

#include "co2e/fd.hpp"
#include "co2e/render.hpp"
#include "co2e/version.hpp"
#include "report/json_text.hpp"

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

std::string pue_sentence(const PueChoice& p, const IntensityChoice& i) {
  const std::string v = format_sig(p.pue, 6);
  switch (p.source) {
    case PueSource::flag:
      return fmt::format("{} (--pue)", v);
    case PueSource::provider:
      return fmt::format("{}: default of {}", v, p.provider->name);
    case PueSource::cloud_region:
      return fmt::format("{} published for {}", v, i.region && i.region->cloud ? i.region->cloud->code : "the region");
    case PueSource::platform:
      return fmt::format("{}: default for platform \"{}\"", v, p.provider->id);
    case PueSource::default_local:
      return fmt::format("{}: an average data centre (no --pue, --provider or --platform)", v);
  }
  return v;
}

std::string intensity_sentence(const IntensityChoice& i) {
  const std::string v = format_sig(i.g_per_kwh, 6);
  switch (i.source) {
    case IntensitySource::flag:
      return fmt::format("{} gCO2e/kWh (--intensity)", v);
    case IntensitySource::region:
    case IntensitySource::cloud_region:
      return fmt::format("{} gCO2e/kWh: {}{} ({}, {})", v,
                         i.region->cloud ? std::string(i.region->cloud->code) + " in " : "", i.region->grid->name,
                         i.region->intensity_prov().source, i.region->intensity_prov().year);
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

/// A component's method; its energy is the top-level cpu_kwh / memory_kwh / gpu_kwh (before PUE).
ojson component_json(const ComponentReport& c) {
  return ojson{{"method", c.method}, {"detail", c.detail}, {"unavailable", c.unavailable}};
}

}  // namespace

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
  const double total = r.totals.total_kwh();
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
      line("  {:<9}  {:>10}  not measured", label, "-");
    } else {
      line("  {:<9}  {:>10}  [{}] {}", label, format_energy(c.kwh), c.method, c.detail);
    }
    for (const auto& u : c.unavailable) line("  {:<9}  {:>10}    ({})", "", "", u);
  };
  component("CPU", r.cpu);
  component("memory", r.memory);
  component("GPU", r.gpu);
  for (const auto& g : r.gpus)
    if (g.used)
      line("  {:<9}  {:>10}    {} {} ({})", "", format_energy(g.kwh), g.uuid, g.name,
           g.counter ? "energy counter" : "power samples");
  line("  PUE        {}", pue_sentence(r.pue, r.intensity));
  line("  grid       {}", intensity_sentence(r.intensity));
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
  line("  energy     {} (PUE included)", format_energy(r.energy_kwh));
  std::string eq;
  for (const auto& e : text_equivalents(r.co2e_g, data)) {
    if (!eq.empty()) eq += ", ";
    eq += fmt::format("{} {}", format_sig(e.amount, 3), e.row->name);
  }
  line("  CO2e       {}{}", format_mass(r.co2e_g), eq.empty() ? "" : fmt::format("  (about {})", eq));
  auto stopped_by = [&](RunLimit l) {
    return r.outcome.stopped && r.stopped_by == l ? ": exceeded, command stopped" : "";
  };
  if (r.limits.budget_g) line("  budget     {}{}", format_mass(*r.limits.budget_g), stopped_by(RunLimit::budget));
  if (r.limits.max_energy_kwh)
    line("  max energy {}{}", format_energy(*r.limits.max_energy_kwh), stopped_by(RunLimit::max_energy));
  for (const auto& w : r.warnings) line("  warning    {}", w);
  return out;
}

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
  j["energy_before_pue_kwh"] = r.totals.total_kwh();
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
                            {"method", g.counter ? "nvml_counter" : "nvml_power"},
                            {"counted", g.used}});
  j["gpu_devices"] = devices;
  j["pue_detail"] = pue_sentence(r.pue, r.intensity);
  j["grid"] = ojson{{"annual_g_per_kwh", r.intensity.g_per_kwh}, {"detail", intensity_sentence(r.intensity)}};
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
  return json_text(j);
}

const std::vector<std::string_view>& run_log_columns() {
  static const std::vector<std::string_view> cols{
      "start_utc",  "end_utc",       "host",        "command",    "exit_status", "stopped_by_budget",
      "runtime_s",  "cpu_time_s",    "peak_rss_mb", "scope",      "cpu_kwh",     "cpu_method",
      "memory_kwh", "memory_method", "gpu_kwh",     "gpu_method", "pue",         "intensity_g_per_kwh",
      "region",     "energy_kwh",    "co2e_g"};
  return cols;
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
                                   format_number(r.co2e_g)};
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

Status check_log(const std::string& path) {
  const Fd fd = Fd::open(path, O_WRONLY | O_APPEND | O_CREAT | O_NOCTTY, 0644);
  if (!fd) return Error::data(fmt::format("--log \"{}\": {}", path, std::strerror(errno)));
  return std::nullopt;
}

Status append_log(const std::string& path, std::string_view header, std::string_view row) {
  Fd fd = Fd::open(path, O_WRONLY | O_APPEND | O_CREAT, 0644);
  if (!fd) return Error::data(fmt::format("--log \"{}\": {}", path, std::strerror(errno)));
  auto fail = [&](const char* what) -> Status {
    return Error::data(fmt::format("--log \"{}\": {}: {}", path, what, std::strerror(errno)));
  };
  while (::flock(fd.get(), LOCK_EX) != 0)
    if (errno != EINTR) return fail("cannot lock");
  struct stat st {};
  if (::fstat(fd.get(), &st) != 0) return fail("cannot stat");
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
    return Error::data(fmt::format("--log \"{}\": cannot write: {}", path, std::strerror(err)));
  return std::nullopt;
}

std::string render_progress(const MeterTotals& t, double energy_kwh, double co2e_g) {
  return fmt::format("co2e: {}  {}  {} CO2e  CPU {} s  RSS {} MB", format_duration(t.elapsed),
                     format_energy(energy_kwh), format_mass(co2e_g), format_sig(t.tree_cpu_s, 3),
                     format_sig(t.rss_gb * 1000, 3));
}

}  // namespace co2e
