// co2e run: measure a command's energy and carbon while it runs (docs/cli.md, "co2e run").
#include <fmt/format.h>
#include <unistd.h>
#include <cstdio>
#include <cstdlib>
#include <optional>

#include "cli.hpp"
#include "co2e/estimate.hpp"
#include "co2e/exit_codes.hpp"
#include "co2e/files.hpp"
#include "co2e/meter.hpp"
#include "co2e/quote.hpp"
#include "co2e/render.hpp"
#include "co2e/run_report.hpp"
#include "co2e/subprocess.hpp"
#include "series_options.hpp"

namespace co2e::cli {

namespace {

/// The estimate flags that also make sense for a measurement: model fallbacks, PUE and grid.
constexpr Field kRunFields[] = {Field::cpu,      Field::core_power, Field::memory, Field::memory_power, Field::pue,
                                Field::provider, Field::platform,   Field::region, Field::intensity};

struct RunOptions {
  std::array<std::string, std::size(kRunFields)> fields;
  std::array<CLI::Option*, std::size(kRunFields)> field_options{};
  std::string interval = "1s", scope = "process", gpu_scope = "used", old_gpus, budget, max_energy, grace = "10s",
              expect;
  std::string format = "text", output, log;
  SeriesFlags series;  ///< --intensity-series: weigh each sample by the intensity at that time
  bool progress = false, quiet = false;
  std::vector<std::string> command;
};

std::string env_or(const char* name, const char* fallback) {
  const char* v = std::getenv(name);
  return v != nullptr ? v : fallback;
}

std::string hostname() {
  char buf[256] = {};
  if (::gethostname(buf, sizeof buf - 1) != 0) return "";
  return buf;
}

Seconds positive_duration(const std::string& text, const char* flag) {
  const Seconds d = need(parse_duration(text), flag);
  if (d.count() <= 0)
    throw Failure(Error::usage(fmt::format("{} {}: must be more than 0", flag, quote_for_message(text))));
  return d;
}

int run_measured(Context& ctx, const RunOptions& o) {
  // 1. Flags into a spec, limits and meter options (a bad value names its flag).
  EstimateSpec spec;
  for (std::size_t i = 0; i < std::size(kRunFields); ++i) {
    if (o.field_options[i]->empty()) continue;
    if (auto err = set_field(spec, kRunFields[i], o.fields[i]))
      throw Failure(err->with_context(std::string(field_info(kRunFields[i]).flag)));
  }
  const Seconds interval = positive_duration(o.interval, "--interval");
  // Each sample reads /proc for the whole process tree (and sysfs): sampling faster than every
  // 10 ms would cost more than it measures, and 1e-9s would keep a core busy.
  if (interval.count() < 0.01)
    throw Failure(Error::usage(fmt::format("--interval {}: at least 0.01s (each sample reads /proc and sysfs)",
                                           quote_for_message(o.interval))));
  const Seconds grace = need(parse_duration(o.grace), "--grace");
  RunLimits limits;
  if (!o.budget.empty()) limits.budget_g = need(parse_mass_g(o.budget), "--budget");
  if (!o.max_energy.empty()) limits.max_energy_kwh = need(parse_energy_kwh(o.max_energy), "--max-energy");
  if (!o.expect.empty()) limits.expect = positive_duration(o.expect, "--expect");
  const Format format = need(parse_format(o.format, "text, json"), "--format");
  if (format == Format::csv)
    throw Failure(Error::usage("--format \"csv\": accepted: text, json (use --log FILE for CSV rows)"));
  // --gpus is a count everywhere else (estimate, batch, slurm): run's old `--gpus used|all` still
  // works, with a warning, so that scripts keep running while they move to --gpu-scope.
  std::string gpu_scope = o.gpu_scope;
  if (!o.old_gpus.empty()) {
    warn(
        fmt::format("--gpus {}: the choice of GPUs is now --gpu-scope used|all (--gpus is a count in every other "
                    "command)",
                    quote_for_message(o.old_gpus)));
    gpu_scope = o.old_gpus;
  }
  if (gpu_scope != "used" && gpu_scope != "all")
    throw Failure(Error::usage(fmt::format("--gpu-scope {}: accepted: used, all", quote_for_message(gpu_scope))));
  const Dataset& data = ctx.data();

  MeterOptions mo;
  mo.scope = need(parse_scope(o.scope), "--scope");
  mo.powercap_root = env_or("CO2E_POWERCAP_ROOT", "/sys/class/powercap");
  mo.proc_root = env_or("CO2E_PROC_ROOT", "/proc");
  mo.cpuinfo_path = env_or("CO2E_CPUINFO", (mo.proc_root + "/cpuinfo").c_str());
  mo.nvml_library = env_or("CO2E_NVML_LIBRARY", "libnvidia-ml.so.1");
  mo.all_gpus = gpu_scope == "all";
  if (spec.cpu) mo.cpu_model = need(data.find_cpu(*spec.cpu), "--cpu");
  mo.core_power_w = spec.core_power_w;
  mo.memory_gb = spec.memory_gb;
  mo.memory_power_w_per_gb = spec.memory_power_w_per_gb;

  // 2. PUE and emission factor, exactly as `estimate` resolves them.
  RunReport report;
  auto intensity = need(resolve_intensity(spec.intensity_g_per_kwh, spec.region, data));
  report.pue = need(resolve_pue(spec.pue, spec.provider, spec.platform, intensity.region, data));
  report.intensity = std::move(intensity);
  report.command = o.command;
  report.host = hostname();
  report.scope = mo.scope;
  report.interval_s = interval.count();
  report.limits = limits;
  std::optional<LoadedSeries> series;
  if (o.series.given()) {
    series = o.series.load();
    report.series = SeriesWeighting{};
    report.series->series = &series->series;
  }

  // Where the report goes is checked before the command starts: a mistyped -o or an unwritable
  // --log must not come to light after hours of work.
  std::optional<OutputFile> out;
  if (!o.output.empty()) out = need(OutputFile::open(o.output));
  if (!o.log.empty()) need(check_log(o.log));

  // 3. Run the command, sampling every interval; stop it when it crosses a limit.
  Meter meter = Meter::create(mo, data);
  const bool progress = o.progress && ::isatty(STDERR_FILENO) == 1;
  bool warned = false;
  ChildHooks hooks;
  report.start = std::chrono::system_clock::now();
  meter.start(Clock::now());
  if (report.series) report.series->last = report.start;
  hooks.on_start = [&](pid_t pid, Clock::time_point) { meter.attach(pid); };
  hooks.on_tick = [&](Clock::time_point now) {
    meter.sample(now);
    report.totals = meter.totals();
    if (report.series) weigh_by_series(*report.series, report.totals.total_kwh(), std::chrono::system_clock::now());
    compute_footprint(report);
    const BudgetCheck b = check_budget(report.energy_kwh, report.co2e_g, report.totals.elapsed, limits);
    if (progress)
      std::fprintf(stderr, "\r%s\x1b[K", render_progress(report.totals, report.energy_kwh, report.co2e_g).c_str());
    if (b.projection_over && !warned) {
      warned = true;
      report.warnings.push_back(b.projection);
      if (progress) std::fputs("\r\x1b[K", stderr);
      warn(b.projection);
    }
    // The first crossing stops the command; later ticks (during --grace) must not rename the cause.
    if (b.exceeded && report.stopped_by == RunLimit::none) {
      report.stop_reason = b.reason;
      report.stopped_by = b.limit;
    }
    return b.exceeded;
  };
  hooks.tree = [&] { return meter.pids(); };
  report.outcome = run_child(o.command, interval, grace, hooks);
  if (progress) std::fputs("\r\x1b[K", stderr);
  report.end = std::chrono::system_clock::now();
  report.exit_status = exit_status(report.outcome);
  if (report.outcome.how == ChildOutcome::How::not_found || report.outcome.how == ChildOutcome::How::cannot_exec) {
    std::fprintf(
        stderr, "co2e: error: %s: %s\n", o.command[0].c_str(),
        report.outcome.how == ChildOutcome::How::not_found ? "command not found" : std::strerror(report.outcome.code));
    return report.exit_status;
  }
  if (report.outcome.stopped) {
    report.exit_status = kExitRunBudget;
    std::fprintf(stderr, "co2e: budget exceeded: %s; the command was stopped\n", report.stop_reason.c_str());
  }
  meter.finish(report.outcome.ended, report.outcome.user_s + report.outcome.system_s, report.outcome.peak_rss_gb);

  // 4. Report: summary on stderr, document to -o, a row to --log.
  report.totals = meter.totals();
  report.cpu = meter.cpu();
  report.memory = meter.memory();
  report.gpu = meter.gpu();
  report.gpus = meter.gpus();
  if (report.series) weigh_by_series(*report.series, report.totals.total_kwh(), report.end);
  compute_footprint(report);
  const std::string doc = format == Format::json ? render_run_json(report, data) : render_run_text(report, data);
  if (!o.quiet && (format == Format::text || !o.output.empty()))
    std::fputs(render_run_text(report, data).c_str(), stderr);
  if (out) {
    need(out->write(doc));
    need(out->commit());
  } else if (format == Format::json)
    std::fputs(doc.c_str(), stderr);
  if (!o.log.empty()) need(append_log(o.log, run_log_header(), run_log_row(report)));
  return report.exit_status;
}

}  // namespace

void add_run_command(CLI::App& app, Context& ctx) {
  auto* sub = app.add_subcommand("run", "Run a command and measure its energy and carbon while it runs (like time(1))");
  sub->footer(
      "CPU: RAPL (powercap) when readable, else --core-power/--cpu when given, else the CPU model from /proc/cpuinfo,\n"
      "else 12 W per core, each x CPU time; memory: RAPL dram, else W/GB x resident memory (or --memory);\n"
      "GPU: NVML (libnvidia-ml.so.1), energy counter or power samples.\n"
      "The report on stderr says which method gave each figure and why a better one was unavailable.\n"
      "Examples:\n"
      "  co2e run -- make -j8\n"
      "  co2e run --region FR --budget 50g --expect 2h -- python train.py --epochs 10\n"
      "  co2e run --format json -o run.json --log runs.csv -- ./simulate input.dat\n"
      "Exit status: the command's (128+N if killed by signal N); 124 stopped by --budget/--max-energy;\n"
      "125 co2e failed; 126 CMD cannot be executed; 127 CMD not found.");
  auto o = std::make_shared<RunOptions>();
  for (std::size_t i = 0; i < std::size(kRunFields); ++i) {
    const auto& f = field_info(kRunFields[i]);
    o->field_options[i] = add_env_option(*sub, std::string(f.flag), o->fields[i], std::string(f.help));
    o->field_options[i]
        ->type_name(std::string(f.value_name))
        ->group(kRunFields[i] >= Field::pue ? "Data centre and grid" : "Power models (no RAPL)");
  }
  o->series.add(*sub, "Data centre and grid");
  sub->add_option("--interval", o->interval, "sampling interval (default 1s)")->type_name("D")->group("Measurement");
  sub->add_option("--scope", o->scope, "process (default: the command's share) or machine (whole machine)")
      ->type_name("S")
      ->group("Measurement");
  sub->add_option("--gpu-scope", o->gpu_scope, "used (default: GPUs the command runs on) or all")
      ->type_name("WHICH")
      ->group("Measurement");
  sub->add_option("--gpus", o->old_gpus, "")->group("");  // the old name of --gpu-scope, hidden
  add_env_option(*sub, "--budget", o->budget, "carbon budget (300g, 5kg): stop the command when crossed, exit 124")
      ->type_name("MASS")
      ->group("Limits");
  sub->add_option("--max-energy", o->max_energy, "energy budget (300Wh, 2kWh): stop the command when crossed, exit 124")
      ->type_name("E")
      ->group("Limits");
  sub->add_option("--grace", o->grace, "time between SIGTERM and SIGKILL when stopping (default 10s)")
      ->type_name("D")
      ->group("Limits");
  sub->add_option("--expect", o->expect, "expected runtime: warn as soon as the projected total crosses a limit")
      ->type_name("D")
      ->group("Limits");
  sub->add_option("--format", o->format, "report: text (default) or json")->type_name("F")->group("Output");
  sub->add_option("-o,--output", o->output,
                  "write the report to FILE (atomically; - for stdout) besides the summary on stderr")
      ->type_name("FILE")
      ->group("Output");
  sub->add_option("--log", o->log, "append one CSV row per run to FILE (locked; header when new)")
      ->type_name("FILE")
      ->group("Output");
  sub->add_flag("--progress", o->progress, "live status line on stderr when it is a terminal")->group("Output");
  sub->add_flag("-q,--quiet", o->quiet, "no summary on stderr")->group("Output");
  // Everything from CMD on belongs to the command, options included (with or without `--`).
  sub->add_option("CMD", o->command, "the command and its arguments")->type_name("CMD [ARGS...]");
  sub->positionals_at_end();
  sub->callback([&ctx, o] {
    ctx.run = [&ctx, o]() -> int {
      if (o->command.empty()) {
        std::fputs("co2e: error: run: no command given: co2e run [OPTIONS] -- CMD [ARGS...]\n", stderr);
        return kExitRunFailed;
      }
      try {
        return run_measured(ctx, *o);
      } catch (const Failure& f) {
        std::fprintf(stderr, "co2e: error: %s\n", f.error().message.c_str());
        return kExitRunFailed;
      }
    };
  });
}

}  // namespace co2e::cli
