// Sampling and integration of a run's energy (see meter.hpp). Per sample interval:
//   CPU    RAPL: Δpackage × share          else: W/core × Δ(CPU seconds)     (Green Algorithms)
//   memory RAPL: Δdram × share             else: W/GB × GB × Δt              (data/constants.json)
//   GPU    Δcounter (mJ)                   else: mean of two power samples × Δt
// share = Δ(tree CPU time) / Δ(machine busy CPU time) with --scope process, 1 with machine.
#include "co2e/meter.hpp"

#include <fmt/format.h>
#include <algorithm>
#include <string>
#include <utility>
#include <vector>

#include "co2e/energy.hpp"
#include "co2e/proctree.hpp"
#include "util/trace_format.hpp"

namespace co2e {

namespace {

constexpr double kJoulesPerKwh = 3.6e6;

/// The model paths go through the one formula (energy.hpp); the meter sums joules.
double model_joules(const PowerInputs& in) {
  const EnergyFigures e = compute_energy(in);
  return (e.cpu_kwh + e.gpu_kwh + e.memory_kwh) * kJoulesPerKwh;
}

std::string join(const std::vector<std::string>& v, std::string_view sep) {
  std::string out;
  for (const auto& s : v) {
    if (!out.empty()) out += sep;
    out += s;
  }
  return out;
}

}  // namespace

Result<Scope> parse_scope(std::string_view text) {
  if (text == "process") return Scope::process;
  if (text == "machine") return Scope::machine;
  return Error::usage(fmt::format("\"{}\": accepted: process, machine", text.substr(0, 40)));
}

std::string_view scope_name(Scope s) { return s == Scope::process ? "process" : "machine"; }

std::string_view cpu_method_name(CpuMethod m) {
  switch (m) {
    case CpuMethod::rapl:
      return "rapl";
    case CpuMethod::model:
      return "model";
    case CpuMethod::flag:
      return "flag";
    case CpuMethod::default_power:
      return "default";
  }
  return "default";
}

std::string_view memory_method_name(MemoryMethod m) {
  switch (m) {
    case MemoryMethod::rapl_dram:
      return "rapl_dram";
    case MemoryMethod::flag:
      return "flag";
    case MemoryMethod::rss:
      return "rss";
  }
  return "rss";
}

std::string_view gpu_method_name(GpuMethod m) {
  switch (m) {
    case GpuMethod::none:
      return "none";
    case GpuMethod::counter:
      return "nvml_counter";
    case GpuMethod::power:
      return "nvml_power";
    case GpuMethod::mixed:
      return "mixed";
  }
  return "none";
}

Meter::Meter(Meter&&) noexcept = default;
Meter& Meter::operator=(Meter&&) noexcept = default;
Meter::~Meter() = default;

Meter Meter::create(const MeterOptions& options, const Dataset& data) {
  Meter m;
  m.opt_ = options;
  // CPU: RAPL, else a power per core from the flags, the detected model or the default.
  Rapl rapl = Rapl::open(options.powercap_root);
  if (rapl.has_cpu()) {
    m.cpu_method_ = CpuMethod::rapl;
    m.cpu_detail_ = fmt::format("RAPL {}", rapl.describe());
  } else {
    m.cpu_unavailable_.push_back(fmt::format("RAPL unavailable: {}", rapl.problems().empty()
                                                                         ? std::string("no package domain")
                                                                         : join(rapl.problems(), "; ")));
    if (options.core_power_w) {
      m.cpu_method_ = CpuMethod::flag;
      m.core_power_w_ = *options.core_power_w;
      m.cpu_detail_ = fmt::format("{} W per core (--core-power) x CPU time", format_sig(m.core_power_w_, 4));
    } else if (options.cpu_model != nullptr) {
      m.cpu_method_ = CpuMethod::flag;
      m.core_power_w_ = options.cpu_model->watts_per_core();
      m.cpu_detail_ = fmt::format("{} (--cpu): {} W TDP / {} cores = {} W per core x CPU time", options.cpu_model->name,
                                  format_sig(options.cpu_model->tdp_w, 4), options.cpu_model->cores,
                                  format_sig(m.core_power_w_, 4));
    } else {
      auto model_name = read_cpu_model(options.cpuinfo_path);
      const CpuModel* model = nullptr;
      if (!model_name) {
        m.cpu_unavailable_.push_back(fmt::format("CPU model unknown: {}", model_name.error().message));
      } else if (auto found = data.find_cpu(*model_name); !found) {
        m.cpu_unavailable_.push_back(
            fmt::format("CPU model \"{}\" ({}) is not in the table (co2e list cpus; give --cpu or --core-power)",
                        *model_name, options.cpuinfo_path));
      } else {
        model = *found;
      }
      if (model != nullptr) {
        m.cpu_method_ = CpuMethod::model;
        m.core_power_w_ = model->watts_per_core();
        m.cpu_detail_ = fmt::format("{} (detected in {}): {} W TDP / {} cores = {} W per core x CPU time", model->name,
                                    options.cpuinfo_path, format_sig(model->tdp_w, 4), model->cores,
                                    format_sig(m.core_power_w_, 4));
      } else {
        m.cpu_method_ = CpuMethod::default_power;
        m.core_power_w_ = data.constant(DefaultConstant::core_power_w);
        m.cpu_detail_ = fmt::format("default {} W per core (Green Algorithms \"Any\" CPU) x CPU time",
                                    format_sig(m.core_power_w_, 4));
      }
    }
  }
  // Memory: RAPL DRAM, else W/GB over --memory or the tree's resident memory.
  m.memory_power_w_per_gb_ =
      options.memory_power_w_per_gb.value_or(data.constant(DefaultConstant::memory_power_w_per_gb));
  if (rapl.has_dram()) {
    m.memory_method_ = MemoryMethod::rapl_dram;
  } else {
    m.memory_unavailable_.push_back(rapl.has_cpu() ? std::string("RAPL has no dram domain")
                                                   : std::string("RAPL unavailable (see CPU)"));
    m.memory_method_ = options.memory_gb ? MemoryMethod::flag : MemoryMethod::rss;
  }
  if (rapl.has_cpu() || rapl.has_dram()) m.rapl_ = std::move(rapl);
  // GPU: NVML, when the library loads.
  if (options.nvml_library.empty()) {
    m.gpu_unavailable_.push_back("NVML disabled");
  } else if (auto nvml = Nvml::open(options.nvml_library); !nvml) {
    m.gpu_unavailable_.push_back(fmt::format("NVML unavailable: {}", nvml.error().message));
  } else {
    m.nvml_ = std::move(*nvml);
    for (const auto& d : m.nvml_->devices()) {
      m.gpus_.push_back({d.uuid, d.name, 0, d.has_energy_counter, options.all_gpus || options.scope == Scope::machine});
      if (!d.has_energy_counter) m.gpu_unavailable_.push_back(fmt::format("{}: {}", d.uuid, d.counter_problem));
    }
    if (m.gpus_.empty()) m.gpu_unavailable_.push_back("NVML found no GPU");
  }
  if (tracing()) {
    const std::pair<const char*, ComponentReport> parts[] = {
        {"CPU", m.cpu()}, {"memory", m.memory()}, {"GPU", m.gpu()}};
    for (const auto& [name, r] : parts)
      trace(TraceLevel::debug, "run: {} method {}{}{}{}", name, r.method, r.detail.empty() ? "" : ": ", r.detail,
            r.unavailable.empty() ? std::string()
                                  : fmt::format("; better ones unavailable: {}", join(r.unavailable, "; ")));
  }
  return m;
}

void Meter::start(Clock::time_point now) {
  start_ = last_ = now;
  if (rapl_) {
    rapl_->sample();
    last_rapl_cpu_j_ = rapl_->cpu_j();
    last_rapl_dram_j_ = rapl_->dram_j();
  }
  if (auto busy = read_machine_cpu(opt_.proc_root)) {
    last_busy_s_ = busy->busy_s;
    have_busy_ = true;
  }
  gpu_last_mj_.assign(gpus_.size(), 0);
  gpu_last_mw_.assign(gpus_.size(), 0);
  for (std::size_t i = 0; i < gpus_.size(); ++i) {
    if (gpus_[i].counter) {
      if (auto e = nvml_->energy_mj(i))
        gpu_last_mj_[i] = *e;
      else
        gpus_[i].counter = false;
    }
    if (auto p = nvml_->power_mw(i)) gpu_last_mw_[i] = *p;
  }
}

void Meter::sample(Clock::time_point now) {
  const TreeSample tree = read_tree(opt_.proc_root, root_);
  if (!tree.pids.empty()) pids_ = tree.pids;
  integrate(now, tree.cpu_s, tree.rss_gb, false);
}

void Meter::finish(Clock::time_point now, double rusage_cpu_s, double rusage_peak_rss_gb) {
  integrate(now, rusage_cpu_s, 0, true);
  totals_.peak_rss_gb = std::max(totals_.peak_rss_gb, rusage_peak_rss_gb);
}

void Meter::integrate(Clock::time_point now, double tree_cpu_s, double rss_gb, bool final_sample) {
  const double dt = std::chrono::duration<double>(now - last_).count();
  last_ = now;
  // The tree's CPU time only grows; it can seem to shrink when an orphan is reaped by init.
  const double cpu_s = std::max(tree_cpu_s, totals_.tree_cpu_s);
  const double d_tree = cpu_s - totals_.tree_cpu_s;
  totals_.tree_cpu_s = cpu_s;
  double d_busy = d_tree;
  if (auto busy = read_machine_cpu(opt_.proc_root); busy && have_busy_) {
    d_busy = std::max(0.0, busy->busy_s - last_busy_s_);
    last_busy_s_ = busy->busy_s;
  }
  // The share of the machine's CPU time used by the tree (the /proc/stat and /proc/PID clocks
  // tick at the same rate but are read at slightly different instants: clamp to [0, 1]).
  double share = 1;
  if (opt_.scope == Scope::process) share = d_busy > 0 ? std::min(1.0, d_tree / d_busy) : (d_tree > 0 ? 1.0 : 0.0);

  if (rapl_) rapl_->sample();
  if (cpu_method_ == CpuMethod::rapl) {
    const double d = rapl_->cpu_j() - last_rapl_cpu_j_;
    last_rapl_cpu_j_ = rapl_->cpu_j();
    cpu_j_ += d * share;
  } else {
    const double cpu_s_used = opt_.scope == Scope::process ? d_tree : d_busy;
    cpu_j_ += model_joules({.core_hours = cpu_s_used / 3600.0, .core_power_w = core_power_w_});
  }

  const double mean_rss = final_sample ? last_rss_gb_ : (rss_gb + last_rss_gb_) / 2;
  if (!final_sample) {
    last_rss_gb_ = rss_gb;
    totals_.rss_gb = rss_gb;
    totals_.peak_rss_gb = std::max(totals_.peak_rss_gb, rss_gb);
  }
  switch (memory_method_) {
    case MemoryMethod::rapl_dram: {
      const double d = rapl_->dram_j() - last_rapl_dram_j_;
      last_rapl_dram_j_ = rapl_->dram_j();
      memory_j_ += d * share;
      break;
    }
    case MemoryMethod::flag:
      memory_j_ += model_joules(
          {.memory_gb = *opt_.memory_gb, .memory_power_w_per_gb = memory_power_w_per_gb_, .memory_hours = dt / 3600.0});
      break;
    case MemoryMethod::rss: {
      double gb = mean_rss;
      if (opt_.scope == Scope::machine)
        if (auto used = read_machine_memory_gb(opt_.proc_root)) gb = *used;
      memory_j_ +=
          model_joules({.memory_gb = gb, .memory_power_w_per_gb = memory_power_w_per_gb_, .memory_hours = dt / 3600.0});
      break;
    }
  }

  for (std::size_t i = 0; i < gpus_.size(); ++i) {
    auto& g = gpus_[i];
    if (!g.used && !final_sample) {
      if (auto pids = nvml_->compute_pids(i)) {
        for (pid_t p : *pids)
          if (std::find(pids_.begin(), pids_.end(), p) != pids_.end()) g.used = true;
      }
    }
    double joules = 0;
    if (g.counter) {
      if (auto e = nvml_->energy_mj(i)) {
        joules = static_cast<double>(*e >= gpu_last_mj_[i] ? *e - gpu_last_mj_[i] : 0) / 1000;
        gpu_last_mj_[i] = *e;
      }
    } else if (auto p = nvml_->power_mw(i)) {
      joules = (gpu_last_mw_[i] + *p) / 2 / 1000 * dt;  // trapezoid rule over the interval
      gpu_last_mw_[i] = *p;
    }
    if (g.used) {
      g.kwh += joules / kJoulesPerKwh;
      gpu_j_ += joules;
    }
  }

  ++totals_.samples;
  totals_.elapsed = std::chrono::duration<double>(now - start_);
  totals_.cpu_kwh = cpu_j_ / kJoulesPerKwh;
  totals_.memory_kwh = memory_j_ / kJoulesPerKwh;
  totals_.gpu_kwh = gpu_j_ / kJoulesPerKwh;
}

ComponentReport Meter::cpu() const {
  ComponentReport r{totals_.cpu_kwh, std::string(cpu_method_name(cpu_method_)), cpu_detail_, cpu_unavailable_};
  if (cpu_method_ == CpuMethod::rapl)
    r.detail += opt_.scope == Scope::process ? " x the tree's share of the machine's CPU time" : " (whole machine)";
  else if (opt_.scope == Scope::machine)
    r.detail += " of the whole machine (/proc/stat)";
  return r;
}

ComponentReport Meter::memory() const {
  ComponentReport r{totals_.memory_kwh, std::string(memory_method_name(memory_method_)), {}, memory_unavailable_};
  const std::string w = format_sig(memory_power_w_per_gb_, 4);
  switch (memory_method_) {
    case MemoryMethod::rapl_dram:
      r.detail = opt_.scope == Scope::process ? "RAPL dram x the tree's share of the machine's CPU time"
                                              : "RAPL dram (whole machine)";
      break;
    case MemoryMethod::flag:
      r.detail = fmt::format("{} W/GB x {} GB (--memory) x runtime", w, format_sig(*opt_.memory_gb, 4));
      break;
    case MemoryMethod::rss:
      r.detail = opt_.scope == Scope::process
                     ? fmt::format("{} W/GB x the process tree's resident memory x time", w)
                     : fmt::format("{} W/GB x the machine's memory in use (/proc/meminfo) x time", w);
      break;
  }
  return r;
}

ComponentReport Meter::gpu() const {
  ComponentReport r{totals_.gpu_kwh, "none", {}, gpu_unavailable_};
  int counters = 0, powers = 0, used = 0;
  for (const auto& g : gpus_) {
    if (!g.used) continue;
    ++used;
    (g.counter ? counters : powers) += 1;
  }
  GpuMethod m = GpuMethod::none;
  if (counters > 0 && powers > 0)
    m = GpuMethod::mixed;
  else if (counters > 0)
    m = GpuMethod::counter;
  else if (powers > 0)
    m = GpuMethod::power;
  r.method = std::string(gpu_method_name(m));
  if (nvml_ && !gpus_.empty()) {
    r.detail =
        fmt::format("NVML: {} of {} GPU{} counted ({}){}", used, gpus_.size(), gpus_.size() > 1 ? "s" : "",
                    opt_.all_gpus || opt_.scope == Scope::machine ? "all GPUs" : "those running the process tree",
                    m == GpuMethod::power || m == GpuMethod::mixed ? "; power samples integrated over time" : "");
  }
  return r;
}

BudgetCheck check_budget(double energy_kwh, double co2e_g, Seconds elapsed, const RunLimits& limits) {
  BudgetCheck b;
  if (limits.budget_g && co2e_g > *limits.budget_g) {
    b.exceeded = true;
    b.limit = RunLimit::budget;
    b.reason = fmt::format("{} CO2e is over the budget of {}", format_mass(co2e_g), format_mass(*limits.budget_g));
  } else if (limits.max_energy_kwh && energy_kwh > *limits.max_energy_kwh) {
    b.exceeded = true;
    b.limit = RunLimit::max_energy;
    b.reason =
        fmt::format("{} is over --max-energy {}", format_energy(energy_kwh), format_energy(*limits.max_energy_kwh));
  }
  if (limits.expect && elapsed.count() > 0 && limits.expect->count() > 0) {
    const double k = limits.expect->count() / elapsed.count();
    b.projected_g = co2e_g * k;
    b.projected_kwh = energy_kwh * k;
    if (limits.budget_g && *b.projected_g > *limits.budget_g) {
      b.projection_over = true;
      b.projection =
          fmt::format("at this rate the run will emit {} CO2e in {} (--expect), over the budget of {}",
                      format_mass(*b.projected_g), format_duration(*limits.expect), format_mass(*limits.budget_g));
    } else if (limits.max_energy_kwh && *b.projected_kwh > *limits.max_energy_kwh) {
      b.projection_over = true;
      b.projection = fmt::format("at this rate the run will use {} in {} (--expect), over --max-energy {}",
                                 format_energy(*b.projected_kwh), format_duration(*limits.expect),
                                 format_energy(*limits.max_energy_kwh));
    }
  }
  return b;
}

}  // namespace co2e
