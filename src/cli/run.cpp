// co2e run: measure a command's energy and carbon while it runs (docs/cli.md, "co2e run").
#include <fmt/format.h>
#include <unistd.h>
#include <array>
#include <cstdint>
#include <cstdio>
#include <cstdlib>
#include <cstring>
#include <exception>
#include <functional>
#include <memory>
#include <new>
#include <optional>
#include <stdexcept>
#include <string>
#include <string_view>
#include <thread>
#include <utility>
#include <vector>

#include "cli.hpp"
#include "co2e/estimate.hpp"
#include "co2e/exit_codes.hpp"
#include "co2e/files.hpp"
#include "co2e/meter.hpp"
#include "co2e/quote.hpp"
#include "co2e/render.hpp"
#include "co2e/run_report.hpp"
#include "co2e/subprocess.hpp"
#include "estimate_options.hpp"
#include "series_options.hpp"

namespace co2e::cli {

namespace {

/// The estimate flags that also make sense for a measurement: model fallbacks, PUE and grid.
/// --gpu and --gpu-power model the GPUs only when no library (NVML, ROCm SMI) measures one.
constexpr Field kRunFields[] = {Field::cpu,
                                Field::core_power,
                                Field::gpu,
                                Field::gpu_power,
                                Field::memory,
                                Field::memory_power,
                                Field::pue,
                                Field::provider,
                                Field::platform,
                                Field::region,
                                Field::intensity,
                                Field::intensity_basis,
                                Field::intensity_source,
                                Field::node_power,
                                Field::server_embodied,
                                Field::embodied_gpu,
                                Field::lifetime,
                                Field::utilisation};

struct RunOptions {
  std::unique_ptr<EstimateOptions> figures;  ///< kRunFields, read with their origins as estimate reads them
  CLI::Option* budget_option = nullptr;
  std::string interval = "1s", scope = "process", gpu_scope = "used", old_gpus, budget, max_energy, grace = "10s",
              expect;
  std::string format = "text", output, log;
  std::string upgrade_log;                ///< --upgrade-log FILE: rewrite an older --log file, run nothing
  std::string summary_file;               ///< --summary-file: the Markdown summary appended at the end
  std::string baseline;                   ///< --baseline D; empty: 1 s when RAPL is readable, else none
  std::string static_energy = "include";  ///< --static include|exclude
  std::string budget_action = "stop";     ///< --budget-action stop|report
  CLI::Option* interval_option = nullptr;
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

/// Test seam (docs/cli.md, "Testing seams"): CO2E_TEST_FAULT=KIND@STEP makes co2e throw at STEP
/// (setup, tick, report) an std::bad_alloc (KIND bad_alloc) or an std::runtime_error (exception),
/// so that the tests can check that a failure of co2e itself exits 125 whatever it is.
void test_fault(std::string_view step) {
  const char* f = std::getenv("CO2E_TEST_FAULT");
  if (f == nullptr) return;
  const std::string_view spec = f;
  const auto at = spec.find('@');
  if (at == std::string_view::npos || spec.substr(at + 1) != step) return;
  if (spec.substr(0, at) == "bad_alloc") throw std::bad_alloc();
  throw std::runtime_error(fmt::format("CO2E_TEST_FAULT at {}", step));
}

/// The text of the exception in flight, for the message of exit 125.
std::string what_failed(const std::exception_ptr& e) {
  try {
    std::rethrow_exception(e);
  } catch (const Failure& f) {
    return f.error().message;
  } catch (const std::bad_alloc&) {
    return "out of memory";
  } catch (const std::exception& x) {
    return fmt::format("internal error: {}", x.what());
  } catch (...) {
    return "internal error";
  }
}

/// How the command ended, for a message: `exited with status 0`, `was killed by signal 9`.
std::string exit_sentence(const ChildOutcome& o) {
  if (o.how == ChildOutcome::How::signaled) return fmt::format("was killed by signal {}", o.code);
  return fmt::format("exited with status {}", o.code);
}

Seconds positive_duration(const std::string& text, const char* flag) {
  const Seconds d = need(parse_duration(text), flag);
  if (d.count() <= 0)
    throw Failure(Error::usage(fmt::format("{} {}: must be more than 0", flag, quote_for_message(text))));
  return d;
}

/// --gpu-scope visible: the GPUs the job was given, from the variables CUDA, ROCm and SLURM set (the
/// way out when the library's PIDs cannot be matched, e.g. in a container); the report names the
/// variables that decided.
void count_visible_gpus(Meter& meter) {
  VisibleGpus visible =
      need(visible_gpus(meter.gpus(), [](const char* var) { return std::getenv(var); }), "--gpu-scope visible");
  if (meter.gpus().empty()) {
    warn(fmt::format("--gpu-scope visible: {}, but NVML lists no GPU (see the GPU line of the report)", visible.label));
    return;
  }
  meter.count_gpus(visible.counted, std::move(visible.label));
}

/// What run's flags say, checked before anything starts: a bad value names its flag, or the CO2E_
/// variable that gave it (each figure input keeps its origin for the report, as in estimate).
struct RunSetup {
  EstimateSpec spec;
  Seconds interval{}, grace{};
  RunLimits limits;
  Origin budget_origin;
  bool markdown = false;
  Format format = Format::text;
  std::string gpu_scope;
  MeterOptions mo;
};

RunSetup parse_run_flags(Context& ctx, const RunOptions& o) {
  RunSetup s;
  s.spec = o.figures->spec(ctx);
  const EstimateSpec& spec = s.spec;
  s.interval = positive_duration(o.interval, "--interval");
  // Each sample reads /proc for the whole process tree (and sysfs): sampling faster than every
  // 10 ms would cost more than it measures, and 1e-9s would keep a core busy.
  if (s.interval.count() < 0.01)
    throw Failure(Error::usage(fmt::format("--interval {}: at least 0.01s (each sample reads /proc and sysfs)",
                                           quote_for_message(o.interval))));
  s.grace = need(parse_duration(o.grace), "--grace");
  RunLimits& limits = s.limits;
  if (!o.budget.empty()) {
    s.budget_origin = ctx.origin(o.budget_option);
    limits.budget_g = need(parse_mass_g(o.budget), origin_label(s.budget_origin));
  }
  if (!o.max_energy.empty()) limits.max_energy_kwh = need(parse_energy_kwh(o.max_energy), "--max-energy");
  if (!o.expect.empty()) limits.expect = positive_duration(o.expect, "--expect");
  s.markdown = o.format == "markdown" || o.format == "md";
  s.format = s.markdown ? Format::text : need(parse_format(o.format, "text, json, markdown"), "--format");
  if (s.format == Format::csv)
    throw Failure(Error::usage("--format \"csv\": accepted: text, json, markdown (use --log FILE for CSV rows)"));
  if (o.budget_action != "stop" && o.budget_action != "report")
    throw Failure(
        Error::usage(fmt::format("--budget-action {}: accepted: stop, report", quote_for_message(o.budget_action))));
  limits.stop = o.budget_action == "stop";
  if (o.static_energy != "include" && o.static_energy != "exclude")
    throw Failure(
        Error::usage(fmt::format("--static {}: accepted: include, exclude", quote_for_message(o.static_energy))));
  // --gpus is a count everywhere else (estimate, batch, slurm), and here too (the GPUs of the
  // --gpu model); run's old `--gpus used|all|visible` still works, with a warning, so that scripts
  // keep running while they move to --gpu-scope.
  s.gpu_scope = o.gpu_scope;
  std::optional<std::int64_t> gpu_count;
  if (!o.old_gpus.empty() && o.old_gpus.find_first_not_of("0123456789eE+-.") == std::string::npos) {
    EstimateSpec count;
    if (auto err = set_field(count, Field::gpus, o.old_gpus)) throw Failure(err->with_context("--gpus"));
    gpu_count = count.gpus;
  } else if (!o.old_gpus.empty()) {
    warn(
        fmt::format("--gpus {}: the choice of GPUs is now --gpu-scope used|all|visible (--gpus is a count in every "
                    "other command)",
                    quote_for_message(o.old_gpus)));
    s.gpu_scope = o.old_gpus;
  }
  if (s.gpu_scope != "used" && s.gpu_scope != "all" && s.gpu_scope != "visible")
    throw Failure(
        Error::usage(fmt::format("--gpu-scope {}: accepted: used, all, visible{}", quote_for_message(s.gpu_scope),
                                 nearest_hint(s.gpu_scope, {"used", "all", "visible"}))));
  const Dataset& data = ctx.data();

  MeterOptions& mo = s.mo;
  mo.scope = need(parse_scope(o.scope), "--scope");
  mo.powercap_root = env_or("CO2E_POWERCAP_ROOT", "/sys/class/powercap");
  mo.proc_root = env_or("CO2E_PROC_ROOT", "/proc");
  mo.cpuinfo_path = env_or("CO2E_CPUINFO", (mo.proc_root + "/cpuinfo").c_str());
  mo.nvml_library = env_or("CO2E_NVML_LIBRARY", "libnvidia-ml.so.1");
  if (const char* rocm = std::getenv("CO2E_ROCM_SMI_LIBRARY")) mo.rocm_smi_library = rocm;
  if (spec.gpu) mo.gpu_model = need(data.find_gpu(*spec.gpu), input_name(spec, Field::gpu));
  mo.gpu_power_w = spec.gpu_power_w;
  mo.gpu_count = gpu_count;
  mo.gpu_name = input_name(spec, Field::gpu);
  mo.gpu_power_name = input_name(spec, Field::gpu_power);
  mo.all_gpus = s.gpu_scope == "all";
  if (spec.cpu) mo.cpu_model = need(data.find_cpu(*spec.cpu), input_name(spec, Field::cpu));
  mo.cpu_name = input_name(spec, Field::cpu);
  mo.core_power_name = input_name(spec, Field::core_power);
  mo.memory_name = input_name(spec, Field::memory);
  mo.memory_power_name = input_name(spec, Field::memory_power);
  mo.core_power_w = spec.core_power_w;
  mo.memory_gb = spec.memory_gb;
  mo.memory_power_w_per_gb = spec.memory_power_w_per_gb;
  mo.include_static = o.static_energy == "include";
  return s;
}

/// The report before the command starts: PUE and emission factor exactly as `estimate` resolves
/// them, the origins, the host and SLURM ids, the limits.
RunReport start_report(Context& ctx, const RunOptions& o, const RunSetup& s) {
  const EstimateSpec& spec = s.spec;
  const Dataset& data = ctx.data();
  RunReport report;
  auto intensity = need(resolve_intensity(spec.intensity_g_per_kwh, spec.region, data,
                                          spec.intensity_basis.value_or(Basis::lifecycle),
                                          spec.intensity_origin.value_or(IntensityOrigin::location)));
  report.pue = need(resolve_pue(spec.pue, spec.provider, spec.platform, intensity.region, data));
  report.intensity = intensity;
  report.origins = spec.origins;
  report.budget_origin = s.budget_origin;
  report.command = o.command;
  report.host = hostname();
  for (std::size_t i = 0; i < report.slurm.size(); ++i) report.slurm[i] = env_or(kRunSlurmVariables[i], "");
  report.scope = s.mo.scope;
  report.interval_s = s.interval.count();
  report.limits = s.limits;
  report.include_static = s.mo.include_static;
  return report;
}

/// The whole footprint (issue 15): the node's overhead beyond its chips (--scope machine only: a
/// process's share of a node's fans is not measurable), and the manufacturing share by wall time.
void add_footprint_inputs(const FootprintSpec& fs, const Dataset& data, RunReport& report) {
  if (fs.node_power_w && report.scope != Scope::machine)
    throw Failure(Error::usage(
        "--node-power is the whole node's overhead: add --scope machine (a command's share of it is not measured)"));
  report.node_power_w = fs.node_power_w.value_or(0);
  report.embodied = fs.server_embodied_kg || fs.embodied_gpu_kg;
  if ((fs.lifetime_years || fs.utilisation) && !report.embodied)
    throw Failure(
        Error::usage("--lifetime and --utilisation amortise --server-embodied KG or --embodied-gpu KG: "
                     "give one of them"));
  report.embodied_kg_per_node = fs.server_embodied_kg.value_or(0);
  report.embodied_kg_per_gpu = fs.embodied_gpu_kg.value_or(0);
  report.lifetime_years = fs.lifetime_years.value_or(data.constant(DefaultConstant::embodied_lifetime_years));
  report.utilisation = fs.utilisation.value_or(data.constant(DefaultConstant::embodied_utilisation));
}

/// Where the report goes, checked before the command starts: a mistyped -o or an unwritable
/// --log must not come to light after hours of work.
struct RunOutputs {
  std::optional<OutputFile> out;
  std::string log_path, summary_label;
};

RunOutputs open_run_outputs(Context& ctx, const RunOptions& o, std::string log_path) {
  RunOutputs r;
  r.log_path = std::move(log_path);
  if (!o.output.empty()) r.out = open_output(o.output);
  if (!r.log_path.empty()) need(check_log(r.log_path, run_log_header()));
  test_fault("setup");
  r.summary_label = ctx.label("--summary-file");
  if (!o.summary_file.empty()) need(check_log(o.summary_file, {}, r.summary_label));
  return r;
}

/// The sampling interval within what the RAPL counters allow: a given --interval above it is an
/// error, the default 1 s is shortened with a warning.
void bound_interval(const Meter& meter, const RunOptions& o, const RunSetup& s, RunReport& report) {
  const auto bound = meter.max_interval();
  if (!bound || s.interval <= bound->max) return;
  if (o.interval_option->count() > 0)
    throw Failure(Error::usage(
        fmt::format("--interval {}: at most {} s here, or a RAPL counter could wrap twice between two samples "
                    "and lose a whole range: {}",
                    quote_for_message(o.interval), format_sig(bound->max.count(), 3), bound->why)));
  report.interval_s = bound->max.count();
  warn(
      fmt::format("sampling every {} s instead of the default 1 s: {}", format_sig(bound->max.count(), 3), bound->why));
}

/// --baseline: the machine's power before the command starts (1 s by default when RAPL is
/// readable), subtracted as static power.
void measure_baseline(Meter& meter, const RunOptions& o, RunReport& report) {
  if (o.baseline.empty() && !meter.has_rapl()) return;
  // A bare 0 needs no unit: `--baseline 0` is the documented way to skip it.
  const Seconds d = o.baseline.empty()  ? Seconds(1)
                    : o.baseline == "0" ? Seconds(0)
                                        : need(parse_duration(o.baseline), "--baseline");
  if (d.count() < 0)
    throw Failure(Error::usage(fmt::format("--baseline {}: must be 0 or more", quote_for_message(o.baseline))));
  if (d.count() > 0 && !meter.can_measure_baseline()) {
    warn(
        fmt::format("--baseline {}: nothing to measure (no RAPL counter, no NVML GPU): the models count the "
                    "command's own use only",
                    o.baseline));
  } else if (d.count() > 0) {
    meter.begin_baseline(Clock::now());
    if (!o.quiet)
      std::fprintf(stderr, "co2e: measuring the machine's baseline power for %s before the command starts%s\n",
                   format_duration(d).c_str(), o.baseline.empty() ? " (--baseline 0 skips)" : "");
    std::this_thread::sleep_for(d);
    meter.end_baseline(Clock::now());
    report.baseline = meter.baseline();
  }
}

/// The exit status once the command ended: its own, or 124 when a limit stopped it (or, with
/// --budget-action report, when it ran to its end over a limit); the message of each. False when
/// the command never ran (not found: 127, cannot be executed: 126): there is nothing to report.
bool settle_exit_status(const RunOptions& o, const RunSetup& s, RunReport& report) {
  report.exit_status = exit_status(report.outcome);
  if (report.outcome.how == ChildOutcome::How::not_found || report.outcome.how == ChildOutcome::How::cannot_exec) {
    std::fprintf(
        stderr, "co2e: error: %s: %s\n", o.command[0].c_str(),
        report.outcome.how == ChildOutcome::How::not_found ? "command not found" : std::strerror(report.outcome.code));
    return false;
  }
  if (report.outcome.stopped) {
    report.exit_status = kExitRunBudget;
    std::fprintf(stderr, "co2e: budget exceeded: %s; the command was stopped\n", report.stop_reason.c_str());
  } else if (!s.limits.stop && report.stopped_by != RunLimit::none && report.exit_status == 0) {
    report.exit_status = kExitRunBudget;  // --budget-action report: ran to its end, over the limit
  }
  return true;
}

/// Step 5: the meter's last figures into the report; the summary on stderr, the document to -o, a
/// row to --log, the Markdown summary to --summary-file.
int write_run_outputs(const RunOptions& o, const RunSetup& s, const Meter& meter, const Dataset& data,
                      RunOutputs& outputs, RunReport& report) {
  report.totals = meter.totals();
  report.cpu = meter.cpu();
  report.memory = meter.memory();
  report.gpu = meter.gpu();
  report.gpus = meter.gpus();
  if (report.series) weigh_by_series(*report.series, report.totals.total_kwh(), report.end);
  compute_footprint(report);
  // The last figures can cross a limit that no sample saw: the command ended between two ticks,
  // or the final rusage accounting adds CPU time the samples missed. Over the limit is over the
  // limit: said, and exit 124 when the command itself succeeded, as with --budget-action report.
  if (report.stopped_by == RunLimit::none) {
    const BudgetCheck b = check_budget(report.energy_kwh, report.co2e_g, report.totals.elapsed, s.limits);
    if (b.exceeded) {
      report.stop_reason = b.reason;
      report.stopped_by = b.limit;
      std::fprintf(stderr, "co2e: budget exceeded: %s; the command had ended before a sample saw it\n",
                   b.reason.c_str());
      if (report.exit_status == 0) report.exit_status = kExitRunBudget;
    }
  }
  const std::string doc = s.markdown                 ? render_run_markdown(report, data)
                          : s.format == Format::json ? render_run_json(report, data)
                                                     : render_run_text(report, data);
  if (!o.quiet && ((s.format == Format::text && !s.markdown) || !o.output.empty()))
    std::fputs(render_run_text(report, data).c_str(), stderr);
  if (outputs.out)
    finish_output(*outputs.out, doc);
  else if (s.format == Format::json || s.markdown)
    std::fputs(doc.c_str(), stderr);
  if (!outputs.log_path.empty()) need(append_log(outputs.log_path, run_log_header(), run_log_row(report)));
  if (!o.summary_file.empty())
    need(append_log(o.summary_file, "", render_run_markdown(report, data) + "\n", outputs.summary_label));
  return report.exit_status;
}

int run_measured(Context& ctx, const RunOptions& o) {
  // 1. Flags; 2. the report's inputs (PUE, intensity, footprint, series) and where it goes.
  RunSetup setup = parse_run_flags(ctx, o);
  const RunLimits& limits = setup.limits;
  const Dataset& data = ctx.data();
  RunReport report = start_report(ctx, o, setup);
  const std::string log_path = o.log.empty() ? "" : need(expand_log_path(o.log, report.host, report.slurm));
  add_footprint_inputs(setup.spec.footprint, data, report);
  std::optional<LoadedSeries> series;
  if (o.series.given()) {
    series = o.series.load(ctx);
    report.series = SeriesWeighting{};
    report.series->series = &series->series;
  }
  RunOutputs outputs = open_run_outputs(ctx, o, log_path);

  // 3. The meters; the sampling interval within what the RAPL counters allow; the baseline.
  Meter meter = Meter::create(setup.mo, data);
  if (setup.gpu_scope == "visible") count_visible_gpus(meter);
  bound_interval(meter, o, setup, report);
  const Seconds tick(report.interval_s);
  measure_baseline(meter, o, report);

  // 4. Run the command, sampling every interval; stop it when it crosses a limit. A failure
  // inside co2e while the command runs stops the sampling, not the command: it is reported,
  // with exit 125, once the command has ended.
  std::exception_ptr failed;
  const bool progress = o.progress && ::isatty(STDERR_FILENO) == 1;
  bool warned = false;
  ChildHooks hooks;
  std::function<bool(Clock::time_point)> on_tick;
  report.start = std::chrono::system_clock::now();
  meter.start(Clock::now());
  if (report.series) report.series->last = report.start;
  hooks.on_start = [&](pid_t pid, Clock::time_point) { meter.attach(pid); };
  hooks.on_tick = [&](Clock::time_point now) {
    if (failed) return false;
    try {
      return on_tick(now);
    } catch (...) {
      failed = std::current_exception();
      return false;
    }
  };
  on_tick = [&](Clock::time_point now) {
    test_fault("tick");
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
      // --budget-action report: CI jobs that must complete; say it now, fail at the end.
      if (!limits.stop) {
        if (progress) std::fputs("\r\x1b[K", stderr);
        std::fprintf(stderr, "co2e: budget exceeded: %s; the command runs on (--budget-action report)\n",
                     b.reason.c_str());
      }
    }
    return b.exceeded && limits.stop;
  };
  hooks.tree = [&]() -> std::vector<pid_t> {
    try {
      return meter.pids();
    } catch (...) {
      return {};  // out of memory: the root still gets SIGKILL from run_child
    }
  };
  report.outcome = run_child(o.command, tick, setup.grace, hooks);
  if (progress) std::fputs("\r\x1b[K", stderr);
  report.end = std::chrono::system_clock::now();
  if (!settle_exit_status(o, setup, report)) return report.exit_status;
  if (failed)
    throw Failure(Error::data(fmt::format("{} while measuring; the command {} (no report written)", what_failed(failed),
                                          exit_sentence(report.outcome))));
  meter.finish(report.outcome.ended, report.outcome.user_s + report.outcome.system_s, report.outcome.peak_rss_gb);
  test_fault("report");

  // 5. Report: summary on stderr, document to -o, a row to --log.
  return write_run_outputs(o, setup, meter, data, outputs, report);
}

}  // namespace

// long-function: the flag table of `co2e run`, in --help order; each entry is one or two lines.
void add_run_command(CLI::App& app, Context& ctx) {
  auto* sub = app.add_subcommand("run", "Run a command and measure its energy and carbon while it runs (like time(1))");
  sub->footer(
      "CPU: RAPL (powercap) when readable, else --core-power/--cpu when given, else the CPU model from /proc/cpuinfo,\n"
      "else 12 W per core, each x CPU time; memory: RAPL dram, else W/GB x resident memory (or --memory);\n"
      "GPU: NVML (libnvidia-ml.so.1), else ROCm SMI (librocm_smi64), energy counter or power samples; with neither,\n"
      "--gpu MODEL's table power (or --gpu-power) x --gpus N x wall time.\n"
      "The report on stderr says which method gave each figure and why a better one was unavailable.\n"
      "Examples:\n"
      "  co2e run -- make -j8\n"
      "  co2e run --region FR --budget 50g --expect 2h -- python train.py --epochs 10\n"
      "  co2e run --format json -o run.json --log runs.csv -- ./simulate input.dat\n"
      "Exit status: the command's (128+N if killed by signal N); 124 stopped by --budget/--max-energy;\n"
      "125 co2e failed; 126 CMD cannot be executed; 127 CMD not found.");
  auto o = std::make_shared<RunOptions>();
  o->figures = std::make_unique<EstimateOptions>(*sub, kRunFields);
  for (const Field f : kRunFields)
    if (f < Field::pue)
      o->figures->values[static_cast<std::size_t>(f)].option->group("Power models (no RAPL or GPU library)");
  o->series.add(*sub, "Data centre and grid");
  o->interval_option =
      sub->add_option("--interval", o->interval, "sampling interval (default 1s; bounded by the RAPL counters' range)")
          ->type_name("D")
          ->group("Measurement");
  sub->add_option("--baseline", o->baseline,
                  "measure the machine's power for D before the command starts (default 1s when RAPL is readable; 0 "
                  "skips): energy above it is dynamic, up to it static")
      ->type_name("D")
      ->group("Measurement");
  sub->add_option("--static", o->static_energy,
                  "include (default) or exclude the attributed static (baseline) share from the total")
      ->type_name("WHAT")
      ->group("Measurement");
  sub->add_option("--scope", o->scope, "process (default: the command's share) or machine (whole machine)")
      ->type_name("S")
      ->group("Measurement");
  sub->add_option("--gpu-scope", o->gpu_scope,
                  "used (default: GPUs the command runs on), all, or visible (those named by CUDA_VISIBLE_DEVICES, on "
                  "AMD ROCR_VISIBLE_DEVICES / HIP_VISIBLE_DEVICES, or SLURM_JOB_GPUS)")
      ->type_name("WHICH")
      ->group("Measurement");
  sub->add_option("--gpus", o->old_gpus,
                  "how many GPUs the --gpu model counts when no GPU library measures one (default 1)")
      ->type_name("N")
      ->group("Power models (no RAPL or GPU library)");
  sub->add_option("--budget-action", o->budget_action,
                  "stop (default: SIGTERM when a limit is crossed) or report (let the command finish, then exit 124 "
                  "unless it failed)")
      ->type_name("A")
      ->group("Limits");
  o->budget_option =
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
  sub->add_option("--format", o->format, "report: text (default), json or markdown")->type_name("F")->group("Output");
  add_output_option(*sub, o->output,
                    "write the report to FILE (atomically; - for stdout) besides the summary on stderr");
  sub->add_option("--log", o->log, "append one CSV row per run to FILE (locked; header when new)")
      ->type_name("FILE")
      ->group("Output");
  add_env_option(*sub, "--summary-file", o->summary_file,
                 "append a Markdown summary table to FILE at the end (e.g. $GITHUB_STEP_SUMMARY)")
      ->type_name("FILE")
      ->group("Output");
  sub->add_option("--upgrade-log", o->upgrade_log,
                  "rewrite a --log FILE written by an older co2e run with this version's columns (old rows keep "
                  "their values), then exit; no command")
      ->type_name("FILE")
      ->group("Output");
  sub->add_flag("--progress", o->progress, "live status line on stderr when it is a terminal")->group("Output");
  sub->add_flag("-q,--quiet", o->quiet, "no summary on stderr")->group("Output");
  // Everything from CMD on belongs to the command, options included (with or without `--`).
  sub->add_option("CMD", o->command, "the command and its arguments")->type_name("CMD [ARGS...]");
  sub->positionals_at_end();
  sub->callback([&ctx, o] {
    ctx.run = [&ctx, o]() -> int {
      // Not a run: its failures take the ordinary exit codes (2 usage, 3 data), not 125.
      if (!o->upgrade_log.empty()) {
        if (!o->command.empty())
          throw Failure(Error::usage("--upgrade-log rewrites a log file and runs nothing: give no command"));
        const std::size_t rows = need(upgrade_run_log(o->upgrade_log));
        std::fprintf(stderr, "co2e: %s: %zu row%s upgraded to this version's %zu columns\n", o->upgrade_log.c_str(),
                     rows, rows == 1 ? "" : "s", run_log_columns().size());
        return kExitOk;
      }
      if (o->command.empty()) {
        std::fputs("co2e: error: run: no command given: co2e run [OPTIONS] -- CMD [ARGS...]\n", stderr);
        return kExitRunFailed;
      }
      // Every failure of co2e itself is 125 (timeout(1)'s convention): 3 or 4 would look like
      // the command's own status.
      try {
        return run_measured(ctx, *o);
      } catch (...) {
        std::fprintf(stderr, "co2e: error: %s\n", what_failed(std::current_exception()).c_str());
        return kExitRunFailed;
      }
    };
  });
}

}  // namespace co2e::cli
