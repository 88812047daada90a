// Sampling and integration of a run's energy (see meter.hpp). Per sample interval:
//   CPU    RAPL: Δpackage × share          else: W/core × Δ(CPU seconds)     (Green Algorithms)
//   memory RAPL: Δdram × share             else: W/GB × GB × Δt              (data/constants.json)
//   GPU    Δcounter (mJ)                   else: mean of two power samples × Δt
// share = Δ(tree CPU time) / Δ(machine busy CPU time) with --scope process, 1 with machine.
#include "co2e/meter.hpp"
#include "co2e/nvml.hpp"
#include "co2e/rocm_smi.hpp"

#include <fmt/format.h>
#include <unistd.h>
#include <algorithm>
#include <cctype>
#include <charconv>
#include <string>
#include <utility>
#include <vector>

#include "co2e/energy.hpp"
#include "co2e/proctree.hpp"
#include "co2e/quote.hpp"
#include "co2e/trace.hpp"
#include "util/trace_format.hpp"

namespace co2e {

namespace {

constexpr double kJoulesPerKwh = 3.6e6;
// A RAPL zone that publishes no power limit: above the TDP of any CPU package sold as of 2026
// (AMD EPYC 9965: 500 W), so the --interval bound it gives is safe.
constexpr double kAssumedMaxZonePowerW = 1000;

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
  return Error::usage(fmt::format("\"{}\": accepted: process, machine{}", text.substr(0, 40),
                                  nearest_hint(text, {"process", "machine"})));
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

std::string_view gpu_method_name(GpuMethod m, GpuVendor v) {
  const bool amd = v == GpuVendor::amd;
  switch (m) {
    case GpuMethod::none:
      return "none";
    case GpuMethod::counter:
      return amd ? "rocm_smi_counter" : "nvml_counter";
    case GpuMethod::power:
      return amd ? "rocm_smi_power" : "nvml_power";
    case GpuMethod::mixed:
      return "mixed";
    case GpuMethod::table:
      return "table";
  }
  return "none";
}

std::string foreign_pid_namespace(const std::string& proc_root) {
  char buf[64] = {};
  const ssize_t n = ::readlink((proc_root + "/self/ns/pid").c_str(), buf, sizeof buf - 1);
  if (n <= 0) return "";
  const std::string ns(buf, static_cast<std::size_t>(n));
  return ns == "pid:[4026531836]" ? "" : ns;  // 0xEFFFFFFC: the initial PID namespace
}

namespace {

/// `AMD-GPU-0x00000000000019a2` (co2e's form of ROCm SMI's unique id) named by `GPU-19A2...`, the
/// form rocminfo prints and ROCR_VISIBLE_DEVICES takes: the hex digits compared without case, as a
/// prefix (as NVIDIA UUID prefixes are).
bool rocm_uuid_matches(std::string_view uuid, std::string_view tok) {
  constexpr std::string_view kOurs = "AMD-GPU-0x", kRocm = "GPU-";
  if (!uuid.starts_with(kOurs) || tok.size() <= kRocm.size()) return false;
  if (!std::equal(kRocm.begin(), kRocm.end(), tok.begin(),
                  [](char a, char b) { return a == std::toupper(static_cast<unsigned char>(b)); }))
    return false;
  std::string_view hex = uuid.substr(kOurs.size()), want = tok.substr(kRocm.size());
  // With or without the zero padding to 16 digits: the numbers' digits are compared.
  while (hex.size() > 1 && hex.front() == '0') hex.remove_prefix(1);
  while (want.size() > 1 && want.front() == '0') want.remove_prefix(1);
  if (want.size() > hex.size()) return false;
  for (std::size_t i = 0; i < want.size(); ++i)
    if (std::tolower(static_cast<unsigned char>(want[i])) != std::tolower(static_cast<unsigned char>(hex[i])))
      return false;
  return true;
}

/// The entries of `var`=`value` (comma-separated indexes into `pool`, or with `uuids` also UUIDs
/// or their prefixes) as indexes into `gpus`, in the order given. `pool_name` says what the
/// indexes number (`NVML lists`, `ROCR_VISIBLE_DEVICES leaves`).
Result<std::vector<std::size_t>> visible_list(std::string_view var, std::string_view value,
                                              const std::vector<GpuEnergy>& gpus, const std::vector<std::size_t>& pool,
                                              bool uuids, std::string_view pool_name) {
  std::vector<std::size_t> out;
  const std::string quoted = fmt::format("{}={}", var, quote_for_message(value));
  if (trim(value) == "NoDevFiles") return out;  // SLURM: the job was given no GPU
  std::size_t pos = 0;
  while (pos <= value.size()) {
    const std::size_t comma = std::min(value.find(',', pos), value.size());
    const std::string_view tok = trim(value.substr(pos, comma - pos));
    pos = comma + 1;
    if (tok.empty())
      return Error::usage(fmt::format("{}: an empty entry; accepted: GPU indexes{}", quoted, uuids ? " or UUIDs" : ""));
    std::size_t index = 0;
    if (std::from_chars(tok.data(), tok.data() + tok.size(), index).ptr == tok.data() + tok.size()) {
      if (index >= pool.size())
        return Error::usage(fmt::format("{}: GPU {} is not among the {} GPU{} {} (0 to {})", quoted, index, pool.size(),
                                        pool.size() == 1 ? "" : "s", pool_name, pool.empty() ? 0 : pool.size() - 1));
      out.push_back(pool[index]);
      continue;
    }
    if (!uuids)
      return Error::usage(fmt::format("{}: {} is not a GPU index; accepted: indexes among the {} GPU{} {}", quoted,
                                      quote_for_message(tok), pool.size(), pool.size() == 1 ? "" : "s", pool_name));
    bool found = false;
    for (std::size_t i : pool)
      if (gpus[i].uuid.starts_with(tok) || rocm_uuid_matches(gpus[i].uuid, tok)) {
        out.push_back(i);
        found = true;
      }
    if (!found)
      return Error::usage(fmt::format("{}: no GPU has the UUID {} (co2e run --gpu-scope all lists them)", quoted,
                                      quote_for_message(tok)));
  }
  return out;
}

std::vector<std::size_t> all_indexes(std::size_t n) {
  std::vector<std::size_t> v(n);
  for (std::size_t i = 0; i < n; ++i) v[i] = i;
  return v;
}

std::vector<bool> as_counted(const std::vector<std::size_t>& list, std::size_t n) {
  std::vector<bool> counted(n, false);
  for (std::size_t i : list) counted[i] = true;
  return counted;
}

std::string_view library_name(const std::vector<GpuEnergy>& gpus) {
  return !gpus.empty() && gpus.front().vendor == GpuVendor::amd ? "ROCm SMI" : "NVML";
}

}  // namespace

Result<std::vector<bool>> resolve_visible_gpus(std::string_view var, std::string_view value,
                                               const std::vector<GpuEnergy>& gpus) {
  const std::string lists = fmt::format("{} lists", library_name(gpus));
  auto list = visible_list(var, value, gpus, all_indexes(gpus.size()), true, lists);
  if (!list) return list.error();
  return as_counted(*list, gpus.size());
}

Result<VisibleGpus> visible_gpus(const std::vector<GpuEnergy>& gpus, const EnvLookup& env) {
  const bool amd = !gpus.empty() && gpus.front().vendor == GpuVendor::amd;
  VisibleGpus v;
  if (!amd) {
    const char* var = "CUDA_VISIBLE_DEVICES";
    const char* value = env(var);
    if (value == nullptr) value = env(var = "SLURM_JOB_GPUS");
    if (value == nullptr)
      return Error::usage(
          "neither CUDA_VISIBLE_DEVICES nor SLURM_JOB_GPUS is set (they name the GPUs a job was "
          "given)");
    v.label = fmt::format("{}={}", var, value);
    if (gpus.empty()) return v;
    auto counted = resolve_visible_gpus(var, value, gpus);
    if (!counted) return counted.error();
    v.counted = std::move(*counted);
    return v;
  }
  // ROCm (docs/cli.md, "--gpu-scope"): ROCr exposes the GPUs ROCR_VISIBLE_DEVICES names (indexes
  // or UUIDs), and HIP numbers those from 0 for HIP_VISIBLE_DEVICES, else CUDA_VISIBLE_DEVICES
  // (indexes only); ROCm's "GPU isolation techniques" page. SLURM_JOB_GPUS when none is set.
  const char* rocr = env("ROCR_VISIBLE_DEVICES");
  const char* hip_var = "HIP_VISIBLE_DEVICES";
  const char* hip = env(hip_var);
  if (hip == nullptr) hip = env(hip_var = "CUDA_VISIBLE_DEVICES");
  // SLURM's default gres setup writes the same list to both: one list, not a list of a list.
  if (rocr != nullptr && hip != nullptr && std::string_view(rocr) == hip) hip = nullptr;
  std::vector<std::size_t> pool = all_indexes(gpus.size());
  if (rocr == nullptr && hip == nullptr) {
    const char* slurm = env("SLURM_JOB_GPUS");
    if (slurm == nullptr)
      return Error::usage(
          "none of ROCR_VISIBLE_DEVICES, HIP_VISIBLE_DEVICES, CUDA_VISIBLE_DEVICES, "
          "SLURM_JOB_GPUS is set (they name the GPUs a job was given)");
    auto list = visible_list("SLURM_JOB_GPUS", slurm, gpus, pool, true, "ROCm SMI lists");
    if (!list) return list.error();
    v.counted = as_counted(*list, gpus.size());
    v.label = fmt::format("SLURM_JOB_GPUS={}", slurm);
    return v;
  }
  if (rocr != nullptr) {
    auto list = visible_list("ROCR_VISIBLE_DEVICES", rocr, gpus, pool, true, "ROCm SMI lists");
    if (!list) return list.error();
    pool = std::move(*list);
    v.label = fmt::format("ROCR_VISIBLE_DEVICES={}", rocr);
  }
  if (hip != nullptr) {
    auto list = visible_list(hip_var, hip, gpus, pool, false,
                             rocr != nullptr ? "ROCR_VISIBLE_DEVICES leaves" : "ROCm SMI lists");
    if (!list) return list.error();
    pool = std::move(*list);
    if (!v.label.empty()) v.label += ' ';
    v.label += fmt::format("{}={}", hip_var, hip);
  }
  v.counted = as_counted(pool, gpus.size());
  return v;
}

Meter::Meter(Meter&&) noexcept = default;
Meter& Meter::operator=(Meter&&) noexcept = default;
Meter::~Meter() = default;

// long-function: one block per component (CPU, memory, GPU), each choosing the best method available
// and recording why the better ones were not; the blocks share the options and the meter.
Meter Meter::create(const MeterOptions& options, const Dataset& data) {
  Meter m;
  m.opt_ = options;
  // CPU: RAPL, else a power per core from the flags, the detected model or the default.
  Rapl rapl = Rapl::open(options.powercap_root);
  if (rapl.has_cpu()) {
    m.cpu_method_ = CpuMethod::rapl;
    m.cpu_detail_ = fmt::format("RAPL {}", rapl.describe());
    // A flag that only feeds a model is ignored when a counter measures: say so (issue 12).
    if (options.core_power_w)
      m.cpu_notes_.push_back(
          fmt::format("{} {} W not used: RAPL measures the CPU packages, and a "
                      "measurement wins over a model",
                      options.core_power_name, format_sig(*options.core_power_w, 4)));
    if (options.cpu_model != nullptr)
      m.cpu_notes_.push_back(
          fmt::format("{} \"{}\" not used: RAPL measures the CPU packages, and a measurement "
                      "wins over a model",
                      options.cpu_name, options.cpu_model->name));
  } else {
    if (options.core_power_w && options.cpu_model != nullptr)
      m.cpu_notes_.push_back(fmt::format("{} \"{}\" not used: {} {} W wins over it", options.cpu_name,
                                         options.cpu_model->name, options.core_power_name,
                                         format_sig(*options.core_power_w, 4)));
    m.cpu_unavailable_.push_back(fmt::format("RAPL unavailable: {}", rapl.problems().empty()
                                                                         ? std::string("no package domain")
                                                                         : join(rapl.problems(), "; ")));
    if (options.core_power_w) {
      m.cpu_method_ = CpuMethod::flag;
      m.core_power_w_ = *options.core_power_w;
      m.cpu_detail_ =
          fmt::format("{} W per core ({}) x CPU time", format_sig(m.core_power_w_, 4), options.core_power_name);
    } else if (options.cpu_model != nullptr) {
      m.cpu_method_ = CpuMethod::flag;
      m.core_power_w_ = options.cpu_model->watts_per_core();
      m.cpu_detail_ = fmt::format("{} ({}): {} W TDP / {} cores = {} W per core x CPU time", options.cpu_model->name,
                                  options.cpu_name, format_sig(options.cpu_model->tdp_w, 4), options.cpu_model->cores,
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
    if (options.memory_gb)
      m.memory_notes_.push_back(
          fmt::format("{} {} GB not used: RAPL dram measures the memory, and a "
                      "measurement wins over a model",
                      options.memory_name, format_sig(*options.memory_gb, 4)));
    if (options.memory_power_w_per_gb)
      m.memory_notes_.push_back(fmt::format("{} {} W/GB not used: RAPL dram measures the memory",
                                            options.memory_power_name, format_sig(*options.memory_power_w_per_gb, 4)));
  } else {
    m.memory_unavailable_.push_back(rapl.has_cpu() ? std::string("RAPL has no dram domain")
                                                   : std::string("RAPL unavailable (see CPU)"));
    m.memory_method_ = options.memory_gb ? MemoryMethod::flag : MemoryMethod::rss;
  }
  if (rapl.has_cpu() || rapl.has_dram()) m.rapl_ = std::move(rapl);
  m.foreign_pid_namespace_ = co2e::foreign_pid_namespace(options.proc_root);
  m.open_gpus(options, data);
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

void Meter::open_gpus(const MeterOptions& options, const Dataset& data) {
  // GPU: NVML, else ROCm SMI (the first library that lists a GPU), else the --gpu model.
  std::unique_ptr<GpuLibrary> lib;
  if (options.nvml_library.empty()) {
    gpu_unavailable_.push_back("NVML disabled");
  } else if (auto nvml = Nvml::open(options.nvml_library); !nvml) {
    gpu_unavailable_.push_back(fmt::format("NVML unavailable: {}", nvml.error().message));
  } else if ((*nvml)->devices().empty()) {
    gpu_unavailable_.push_back("NVML found no GPU");
  } else {
    lib = std::move(*nvml);
  }
  if (!lib) {
    if (options.rocm_smi_library && options.rocm_smi_library->empty()) {
      gpu_unavailable_.push_back("ROCm SMI disabled");
    } else if (auto rocm =
                   options.rocm_smi_library ? RocmSmi::open(*options.rocm_smi_library) : RocmSmi::open_default();
               !rocm) {
      gpu_unavailable_.push_back(fmt::format("ROCm SMI unavailable: {}", rocm.error().message));
    } else if ((*rocm)->devices().empty()) {
      gpu_unavailable_.push_back("ROCm SMI found no GPU");
    } else {
      lib = std::move(*rocm);
    }
  }
  if (lib) {
    for (const auto& d : lib->devices()) {
      GpuEnergy g;
      g.uuid = d.uuid;
      g.name = d.name;
      g.counter = d.has_energy_counter;
      g.used = options.all_gpus || options.scope == Scope::machine;
      g.vendor = lib->vendor();
      gpus_.push_back(std::move(g));
      if (!d.has_energy_counter) gpu_unavailable_.push_back(fmt::format("{}: {}", d.uuid, d.counter_problem));
    }
    gpu_lib_ = std::move(lib);
    if (options.gpu_model != nullptr || options.gpu_power_w)
      gpu_notes_.push_back(fmt::format("{} not used: {} measures the GPUs, and a measurement wins over a model",
                                       options.gpu_power_w ? options.gpu_power_name : options.gpu_name,
                                       gpu_lib_->name()));
    return;
  }
  // No library measures a GPU, but the user named one (issue 13): its table power (or
  // --gpu-power) × the GPUs × wall time, as estimate models a GPU at full use. Said so.
  if (options.gpu_model == nullptr && !options.gpu_power_w) return;
  const double w = options.gpu_power_w.value_or(options.gpu_model != nullptr ? options.gpu_model->tdp_w : 0);
  const std::int64_t n = options.gpu_count.value_or(1);
  gpu_model_w_ = w * static_cast<double>(n);
  const std::string count =
      fmt::format("{} GPU{} ({})", n, n == 1 ? "" : "s",
                  options.gpu_count ? options.gpu_count_name : std::string("default; --gpus N for more"));
  if (options.gpu_power_w)
    gpu_model_detail_ =
        fmt::format("{} W per GPU ({}) x {} x wall time", format_sig(w, 4), options.gpu_power_name, count);
  else
    gpu_model_detail_ =
        fmt::format("{} ({}): {} W per GPU, its table power ({}), x {} x wall time", options.gpu_model->name,
                    options.gpu_name, format_sig(w, 4), options.gpu_model->prov.source, count);
  gpu_model_detail_ += ": no GPU library measured it, so the GPUs are taken as busy at that power the whole run";
  (void)data;
}

void Meter::begin_baseline(Clock::time_point now) {
  start_ = now;
  if (rapl_) {
    rapl_->sample();
    base_rapl_cpu_j_ = rapl_->cpu_j();
    base_rapl_dram_j_ = rapl_->dram_j();
  }
  base_gpu_j_.assign(gpus_.size(), -1);
  gpu_last_mw_.assign(gpus_.size(), 0);
  for (std::size_t i = 0; i < gpus_.size(); ++i) {
    if (gpus_[i].counter)
      if (auto e = gpu_lib_->energy_mj(i)) base_gpu_j_[i] = static_cast<double>(*e) / 1000;
    if (auto p = gpu_lib_->power_mw(i)) gpu_last_mw_[i] = *p;
  }
}

void Meter::end_baseline(Clock::time_point now) {
  const double dt = std::chrono::duration<double>(now - start_).count();
  if (dt <= 0) return;
  baseline_.measured = true;
  baseline_.duration = Seconds(dt);
  if (rapl_) {
    rapl_->sample();
    baseline_.cpu_w = (rapl_->cpu_j() - base_rapl_cpu_j_) / dt;
    baseline_.dram_w = (rapl_->dram_j() - base_rapl_dram_j_) / dt;
  }
  baseline_.gpu_w.assign(gpus_.size(), 0);
  for (std::size_t i = 0; i < gpus_.size(); ++i) {
    if (base_gpu_j_[i] >= 0) {
      if (auto e = gpu_lib_->energy_mj(i)) {
        baseline_.gpu_w[i] = std::max(0.0, static_cast<double>(*e) / 1000 - base_gpu_j_[i]) / dt;
        continue;
      }
    }
    if (auto p = gpu_lib_->power_mw(i)) baseline_.gpu_w[i] = (gpu_last_mw_[i] + *p) / 2 / 1000;
  }
}

std::optional<IntervalBound> Meter::max_interval() const {
  if (!rapl_) return std::nullopt;
  // Energy between two samples must stay below the counter's range, or a whole wrap is lost:
  // interval <= max_energy_range_uj / the highest power the zone may draw (its TDP or power
  // limits). DRAM zones rarely publish a limit: the packages' is far above any DRAM power.
  double package_w = 0;
  for (const auto& d : rapl_->domains())
    if (d.counted && d.kind != RaplKind::dram)
      package_w = std::max(package_w, static_cast<double>(d.max_power_uw) / 1e6);
  std::optional<IntervalBound> best;
  for (const auto& d : rapl_->domains()) {
    if (!d.counted || d.max_range_uj == 0) continue;
    double w = static_cast<double>(d.max_power_uw) / 1e6;
    std::string from = d.max_power_file;
    if (w <= 0 && package_w > 0) {
      w = package_w;
      from = "the packages' highest power limit";
    } else if (w <= 0) {
      w = kAssumedMaxZonePowerW;
      from = "no power limit readable: assumed";
    }
    const double range_j = static_cast<double>(d.max_range_uj) / 1e6;
    const double s = range_j / w;
    if (best && best->max.count() <= s) continue;
    best = IntervalBound{
        Seconds(s), fmt::format("{} ({}) wraps after {} J (max_energy_range_uj), {} s at {} W ({})", d.zone, d.name,
                                format_sig(range_j, 6), format_sig(s, 4), format_sig(w, 4), from)};
  }
  return best;
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
    last_total_s_ = busy->total_s;
    have_busy_ = true;
  }
  gpu_last_mj_.assign(gpus_.size(), 0);
  gpu_last_mw_.assign(gpus_.size(), 0);
  for (std::size_t i = 0; i < gpus_.size(); ++i) {
    if (gpus_[i].counter) {
      if (auto e = gpu_lib_->energy_mj(i))
        gpu_last_mj_[i] = *e;
      else
        gpus_[i].counter = false;
    }
    if (auto p = gpu_lib_->power_mw(i)) gpu_last_mw_[i] = *p;
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

// long-function: one sample: each component's energy over the same interval, in order (CPU, GPU,
// memory, static share); the steps share the interval and the counter deltas.
void Meter::integrate(Clock::time_point now, double tree_cpu_s, double rss_gb, bool final_sample) {
  const double dt = std::chrono::duration<double>(now - last_).count();
  last_ = now;
  // The tree's CPU time only grows; it can seem to shrink when an orphan is reaped by init.
  const double cpu_s = std::max(tree_cpu_s, totals_.tree_cpu_s);
  const double d_tree = cpu_s - totals_.tree_cpu_s;
  totals_.tree_cpu_s = cpu_s;
  double d_busy = d_tree, d_total = 0;
  if (auto busy = read_machine_cpu(opt_.proc_root); busy && have_busy_) {
    d_busy = std::max(0.0, busy->busy_s - last_busy_s_);
    d_total = std::max(0.0, busy->total_s - last_total_s_);
    last_busy_s_ = busy->busy_s;
    last_total_s_ = busy->total_s;
  }
  // The share of the machine's CPU time used by the tree (the /proc/stat and /proc/PID clocks
  // tick at the same rate but are read at slightly different instants: clamp to [0, 1]).
  double share = 1;
  if (opt_.scope == Scope::process) share = d_busy > 0 ? std::min(1.0, d_tree / d_busy) : (d_tree > 0 ? 1.0 : 0.0);
  // The static (baseline) power belongs to the whole machine, busy or idle: the command's share
  // of it is its share of the CPUs' capacity, Δ tree CPU time / Δ all CPU time (busy + idle).
  double capacity = 1;
  if (opt_.scope == Scope::process) capacity = d_total > 0 ? std::min(1.0, d_tree / d_total) : share;

  if (rapl_) rapl_->sample();
  if (cpu_method_ == CpuMethod::rapl) {
    const double d = rapl_->cpu_j() - last_rapl_cpu_j_;
    last_rapl_cpu_j_ = rapl_->cpu_j();
    add_counter(cpu_j_, d, baseline_.cpu_w * dt, share, capacity);
  } else {
    const double cpu_s_used = opt_.scope == Scope::process ? d_tree : d_busy;
    cpu_j_.dynamic += model_joules({.core_hours = cpu_s_used / 3600.0, .core_power_w = core_power_w_});
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
      add_counter(memory_j_, d, baseline_.dram_w * dt, share, capacity);
      break;
    }
    case MemoryMethod::flag:
      memory_j_.dynamic += model_joules(
          {.memory_gb = *opt_.memory_gb, .memory_power_w_per_gb = memory_power_w_per_gb_, .memory_hours = dt / 3600.0});
      break;
    case MemoryMethod::rss: {
      double gb = mean_rss;
      if (opt_.scope == Scope::machine)
        if (auto used = read_machine_memory_gb(opt_.proc_root)) gb = *used;
      memory_j_.dynamic +=
          model_joules({.memory_gb = gb, .memory_power_w_per_gb = memory_power_w_per_gb_, .memory_hours = dt / 3600.0});
      break;
    }
  }

  gpu_j_.dynamic += gpu_model_w_ * dt;  // GpuMethod::table; 0 otherwise
  for (std::size_t i = 0; i < gpus_.size(); ++i) {
    auto& g = gpus_[i];
    if (!g.used && !final_sample && gpu_label_.empty()) {
      if (auto pids = gpu_lib_->compute_pids(i)) {
        for (pid_t p : *pids) {
          if (std::find(pids_.begin(), pids_.end(), p) != pids_.end())
            g.used = true;
          else if (other_gpu_pids_.size() < 64 &&
                   std::find(other_gpu_pids_.begin(), other_gpu_pids_.end(), p) == other_gpu_pids_.end())
            other_gpu_pids_.push_back(p);
        }
      }
    }
    double joules = 0;
    if (g.counter) {
      if (auto e = gpu_lib_->energy_mj(i)) {
        joules = static_cast<double>(*e >= gpu_last_mj_[i] ? *e - gpu_last_mj_[i] : 0) / 1000;
        gpu_last_mj_[i] = *e;
      }
    } else if (auto p = gpu_lib_->power_mw(i)) {
      joules = (gpu_last_mw_[i] + *p) / 2 / 1000 * dt;  // trapezoid rule over the interval
      gpu_last_mw_[i] = *p;
    }
    if (g.used) {
      // A counted GPU is the command's whole: its static share is all of its baseline.
      Joules one;
      add_counter(one, joules, baseline_.measured ? baseline_.gpu_w[i] * dt : 0, 1, 1);
      g.kwh += (one.dynamic + (opt_.include_static ? one.fixed : 0)) / kJoulesPerKwh;
      g.static_kwh += one.fixed / kJoulesPerKwh;
      gpu_j_.dynamic += one.dynamic;
      gpu_j_.fixed += one.fixed;
    }
  }

  ++totals_.samples;
  totals_.elapsed = std::chrono::duration<double>(now - start_);
  const double keep = opt_.include_static ? 1 : 0;
  totals_.cpu_kwh = (cpu_j_.dynamic + keep * cpu_j_.fixed) / kJoulesPerKwh;
  totals_.memory_kwh = (memory_j_.dynamic + keep * memory_j_.fixed) / kJoulesPerKwh;
  totals_.gpu_kwh = (gpu_j_.dynamic + keep * gpu_j_.fixed) / kJoulesPerKwh;
  totals_.dynamic_kwh = (cpu_j_.dynamic + memory_j_.dynamic + gpu_j_.dynamic) / kJoulesPerKwh;
  totals_.static_kwh = (cpu_j_.fixed + memory_j_.fixed + gpu_j_.fixed) / kJoulesPerKwh;
}

void Meter::add_counter(Joules& to, double machine_j, double baseline_j, double share, double capacity) const {
  if (!baseline_.measured) {
    to.dynamic += machine_j * share;  // no baseline: the share of the whole reading, not split
    return;
  }
  // Above the baseline: dynamic, attributed by the share of busy CPU time (what made the
  // machine busier). Up to it: static, attributed by the share of the CPUs' capacity.
  const double dynamic = std::max(0.0, machine_j - baseline_j);
  to.dynamic += dynamic * share;
  to.fixed += (machine_j - dynamic) * capacity;
}

void Meter::split(ComponentReport& r, const Joules& j, bool counter, double baseline_w) const {
  if (counter && !baseline_.measured) {
    r.split_detail = "not split: no baseline measured (--baseline 0)";
    return;
  }
  r.dynamic_kwh = j.dynamic / kJoulesPerKwh;
  r.static_kwh = j.fixed / kJoulesPerKwh;
  if (!counter) {
    r.split_detail = "a model of the command's own use: all dynamic, no static share";
    return;
  }
  r.baseline_w = baseline_w;
  r.split_detail = opt_.scope == Scope::process
                       ? fmt::format(
                             "baseline {} W over {}; static share by the tree's share of all CPU time "
                             "(busy and idle), dynamic by its share of busy CPU time",
                             format_sig(baseline_w, 4), format_duration(baseline_.duration))
                       : fmt::format("baseline {} W over {}, whole machine", format_sig(baseline_w, 4),
                                     format_duration(baseline_.duration));
}

ComponentReport Meter::cpu() const {
  ComponentReport r;
  r.kwh = totals_.cpu_kwh;
  r.method = cpu_method_name(cpu_method_);
  r.detail = cpu_detail_;
  r.unavailable = cpu_unavailable_;
  r.notes = cpu_notes_;
  if (cpu_method_ == CpuMethod::rapl)
    r.detail += opt_.scope == Scope::process ? " x the tree's share of the machine's CPU time" : " (whole machine)";
  else if (opt_.scope == Scope::machine)
    r.detail += " of the whole machine (/proc/stat)";
  split(r, cpu_j_, cpu_method_ == CpuMethod::rapl, baseline_.cpu_w);
  return r;
}

ComponentReport Meter::memory() const {
  ComponentReport r;
  r.kwh = totals_.memory_kwh;
  r.method = memory_method_name(memory_method_);
  r.unavailable = memory_unavailable_;
  r.notes = memory_notes_;
  const std::string w = format_sig(memory_power_w_per_gb_, 4);
  switch (memory_method_) {
    case MemoryMethod::rapl_dram:
      r.detail = opt_.scope == Scope::process ? "RAPL dram x the tree's share of the machine's CPU time"
                                              : "RAPL dram (whole machine)";
      break;
    case MemoryMethod::flag:
      r.detail = fmt::format("{} W/GB x {} GB ({}) x runtime", w, format_sig(*opt_.memory_gb, 4), opt_.memory_name);
      break;
    case MemoryMethod::rss:
      r.detail = opt_.scope == Scope::process
                     ? fmt::format("{} W/GB x the process tree's resident memory x time", w)
                     : fmt::format("{} W/GB x the machine's memory in use (/proc/meminfo) x time", w);
      break;
  }
  split(r, memory_j_, memory_method_ == MemoryMethod::rapl_dram, baseline_.dram_w);
  return r;
}

void Meter::count_gpus(const std::vector<bool>& counted, std::string label) {
  for (std::size_t i = 0; i < gpus_.size() && i < counted.size(); ++i) gpus_[i].used = counted[i];
  gpu_label_ = std::move(label);
}

ComponentReport Meter::gpu() const {
  ComponentReport r;
  r.kwh = totals_.gpu_kwh;
  r.method = "none";
  r.unavailable = gpu_unavailable_;
  int counters = 0, powers = 0, used = 0;
  double base_w = 0;
  for (std::size_t i = 0; i < gpus_.size(); ++i) {
    const auto& g = gpus_[i];
    if (!g.used) continue;
    ++used;
    (g.counter ? counters : powers) += 1;
    if (baseline_.measured) base_w += baseline_.gpu_w[i];
  }
  GpuMethod m = gpu_model_w_ > 0 ? GpuMethod::table : GpuMethod::none;
  if (counters > 0 && powers > 0)
    m = GpuMethod::mixed;
  else if (counters > 0)
    m = GpuMethod::counter;
  else if (powers > 0)
    m = GpuMethod::power;
  r.method = std::string(gpu_method_name(m, gpu_lib_ ? gpu_lib_->vendor() : GpuVendor::nvidia));
  if (m == GpuMethod::table && opt_.gpu_power_w) r.method = "flag";
  r.notes = gpu_notes_;
  if (m == GpuMethod::table) {
    r.detail = gpu_model_detail_;
    split(r, gpu_j_, false, 0);
    return r;
  }
  const std::string lib = gpu_lib_ ? std::string(gpu_lib_->name()) : std::string("NVML");
  if (gpu_lib_ && !gpus_.empty()) {
    const std::string which = !gpu_label_.empty()                             ? gpu_label_
                              : opt_.all_gpus || opt_.scope == Scope::machine ? "all GPUs"
                                                                              : "those running the process tree";
    r.detail =
        fmt::format("{}: {} of {} GPU{} counted ({}){}", lib, used, gpus_.size(), gpus_.size() > 1 ? "s" : "", which,
                    m == GpuMethod::power || m == GpuMethod::mixed ? "; power samples integrated over time" : "");
    // "0 of N counted" is never left without its reason (issue 13).
    if (used == 0 && gpu_label_.empty() && !opt_.all_gpus && opt_.scope == Scope::process) {
      if (!foreign_pid_namespace_.empty())
        r.unavailable.push_back(fmt::format(
            "no GPU matched: co2e runs in a PID namespace of its own ({}: a container?) and {} reports the host's "
            "PIDs, which match no process here{}; count the GPUs the job was given with --gpu-scope visible "
            "({} or SLURM_JOB_GPUS), every GPU with --gpu-scope all, or the whole machine with "
            "--scope "
            "machine",
            foreign_pid_namespace_, lib,
            other_gpu_pids_.empty() ? "" : fmt::format(" ({} listed {} process(es))", lib, other_gpu_pids_.size()),
            gpu_lib_->vendor() == GpuVendor::amd ? "ROCR_VISIBLE_DEVICES, HIP_VISIBLE_DEVICES"
                                                 : "CUDA_VISIBLE_DEVICES"));
      else if (!other_gpu_pids_.empty())
        r.unavailable.push_back(
            fmt::format("no GPU matched: {} listed {} process(es) on the GPUs, none of them in the command's tree", lib,
                        other_gpu_pids_.size()));
      else
        r.unavailable.push_back(fmt::format("no GPU matched: {} listed no compute process of the command's tree", lib));
    }
  }
  if (used > 0) {
    split(r, gpu_j_, true, base_w);
    if (baseline_.measured)
      r.split_detail = fmt::format("baseline {} W of the counted GPUs over {}; a counted GPU is the command's whole",
                                   format_sig(base_w, 4), format_duration(baseline_.duration));
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
