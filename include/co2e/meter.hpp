// Measuring a running process tree: the energy sources (RAPL, NVML, models), the sampling and
// integration per component, the method used for each and why better ones were unavailable,
// and the budget check with its projection (carbontracker's prediction, for any program).
#pragma once

#include <sys/types.h>
#include <chrono>
#include <cstddef>
#include <cstdint>
#include <functional>
#include <memory>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "co2e/data.hpp"
#include "co2e/error.hpp"
#include "co2e/gpu_library.hpp"
#include "co2e/powercap.hpp"
#include "co2e/units.hpp"

namespace co2e {

using Clock = std::chrono::steady_clock;

/// Whether machine counters are attributed to the process tree or reported whole.
enum class Scope : std::uint8_t { process, machine };
Result<Scope> parse_scope(std::string_view text);
std::string_view scope_name(Scope s);

/// How the CPU energy was obtained, best first.
enum class CpuMethod : std::uint8_t { rapl, model, flag, default_power };
/// How the memory energy was obtained.
enum class MemoryMethod : std::uint8_t { rapl_dram, flag, rss };
/// How the GPU energy was obtained.
/// counter, power, mixed: read through a GPU library (NVML or ROCm SMI); table: --gpu MODEL's
/// table power (or --gpu-power) × GPUs × wall time, when no library measures a GPU.
enum class GpuMethod : std::uint8_t { none, counter, power, mixed, table };

std::string_view cpu_method_name(CpuMethod m);        ///< rapl, model, flag, default
std::string_view memory_method_name(MemoryMethod m);  ///< rapl_dram, flag, rss
/// none, nvml_counter, nvml_power, rocm_smi_counter, rocm_smi_power, mixed, table (gpu_power: flag)
std::string_view gpu_method_name(GpuMethod m, GpuVendor v = GpuVendor::nvidia);

/// Where to read from and what the user said; every path is injectable for tests.
struct MeterOptions {
  Scope scope = Scope::process;
  std::string powercap_root = "/sys/class/powercap";
  std::string proc_root = "/proc";
  std::string cpuinfo_path = "/proc/cpuinfo";
  std::string nvml_library = "libnvidia-ml.so.1";  ///< empty: NVML not tried
  /// ROCm SMI, tried when NVML lists no GPU: unset, the names in kRocmSmiLibraries; empty: not tried.
  std::optional<std::string> rocm_smi_library;
  /// --gpu MODEL / --gpu-power W and --gpus N: the model used when no library measures a GPU.
  const GpuModel* gpu_model = nullptr;
  std::optional<double> gpu_power_w;
  std::optional<std::int64_t> gpu_count;        ///< unset: 1
  bool all_gpus = false;                        ///< --gpus all
  const CpuModel* cpu_model = nullptr;          ///< --cpu
  std::optional<double> core_power_w;           ///< --core-power
  std::optional<double> memory_gb;              ///< --memory
  std::optional<double> memory_power_w_per_gb;  ///< --memory-power
  bool include_static = true;                   ///< --static include (default) or exclude
  /// How the report names the model inputs above: their flag, or the CO2E_ variable that gave
  /// them (input_name()), so that a stale export is not passed off as a typed flag.
  std::string cpu_name = "--cpu", core_power_name = "--core-power", memory_name = "--memory",
              memory_power_name = "--memory-power", gpu_name = "--gpu", gpu_power_name = "--gpu-power",
              gpu_count_name = "--gpus";
};

/// The machine's power before the command started (`--baseline D`), per counter: what the
/// machine draws idle plus whatever else was running then. Energy above it is dynamic; energy up
/// to it is static (docs/methodology.md, "Dynamic and static energy").
struct Baseline {
  bool measured = false;
  Seconds duration{0};
  double cpu_w = 0;           ///< RAPL packages (or psys)
  double dram_w = 0;          ///< RAPL dram
  std::vector<double> gpu_w;  ///< per GPU, in NVML's order
};

/// The longest --interval at which no RAPL counter can wrap twice between two samples.
struct IntervalBound {
  Seconds max{0};
  std::string why;  ///< `intel-rapl:0 wraps after 262.1 kJ (max_energy_range_uj): 1049 s at 250 W (...)`
};

/// One GPU's share of the measurement.
struct GpuEnergy {
  std::string uuid;
  std::string name;
  double kwh = 0;                        ///< counted energy: dynamic, plus static unless --static exclude
  double static_kwh = 0;                 ///< the part up to the GPU's baseline power (0 without a baseline)
  bool counter = false;                  ///< energy counter (else integrated power samples)
  bool used = false;                     ///< counted: used by the tree, or --gpus all / --scope machine
  GpuVendor vendor = GpuVendor::nvidia;  ///< which library read it (the method's name)
};

/// A component's energy so far and how it was obtained.
struct ComponentReport {
  double kwh = 0;
  std::string method;                    ///< the *_method_name
  std::string detail;                    ///< how: `RAPL package-0, package-1 (2 sockets)`
  std::vector<std::string> unavailable;  ///< why each better method was not used
  std::vector<std::string> notes;        ///< flags given but not used, and why
  /// Energy above the baseline and the attributed share up to it; unset when a counter was read
  /// without a baseline (--baseline 0), which cannot be split.
  std::optional<double> dynamic_kwh, static_kwh;
  std::optional<double> baseline_w;  ///< the machine counter's baseline power (whole machine)
  std::string split_detail;          ///< how the static share was attributed, or why there is none
};

/// Running totals, before PUE.
struct MeterTotals {
  Seconds elapsed{0};
  double cpu_kwh = 0;
  double memory_kwh = 0;
  double gpu_kwh = 0;
  double dynamic_kwh = 0;  ///< sum of the components' dynamic energy (a component without a split counts whole)
  double static_kwh = 0;   ///< sum of the attributed static shares
  double tree_cpu_s = 0;   ///< CPU time of the process tree
  double rss_gb = 0;       ///< resident memory of the tree at the last sample
  double peak_rss_gb = 0;  ///< largest tree RSS seen
  std::size_t samples = 0;
  [[nodiscard]] double total_kwh() const { return cpu_kwh + memory_kwh + gpu_kwh; }
};

/// Samples the energy sources and integrates them over time.
class Meter {
 public:
  /// Probes RAPL, NVML and the CPU model and picks a method per component; never fails (each
  /// component falls back, and says why).
  static Meter create(const MeterOptions& options, const Dataset& data);
  Meter(Meter&&) noexcept;
  Meter& operator=(Meter&&) noexcept;
  ~Meter();

  /// True when RAPL is readable: the default --baseline then samples the machine first.
  [[nodiscard]] bool has_rapl() const { return rapl_.has_value(); }
  /// True when there is a machine counter (RAPL or an NVML GPU) whose baseline can be measured.
  [[nodiscard]] bool can_measure_baseline() const { return rapl_.has_value() || !gpus_.empty(); }
  /// Reads every counter at the start and the end of the baseline period (the command has not
  /// started yet) and keeps the mean power of each.
  void begin_baseline(Clock::time_point now);
  void end_baseline(Clock::time_point now);
  [[nodiscard]] const Baseline& baseline() const { return baseline_; }
  /// The bound on --interval from the RAPL counters' ranges and power limits; none without RAPL.
  [[nodiscard]] std::optional<IntervalBound> max_interval() const;

  /// Takes the first readings; call right before the process starts.
  void start(Clock::time_point now);
  /// Attaches the process tree rooted at `root`.
  void attach(pid_t root) { root_ = root; }
  /// Reads every source and adds the energy since the previous sample.
  void sample(Clock::time_point now);
  /// The last sample after the root was reaped: `rusage_cpu_s` and `rusage_peak_rss_gb` (from
  /// wait4) cover children that the sampling missed.
  void finish(Clock::time_point now, double rusage_cpu_s, double rusage_peak_rss_gb);

  [[nodiscard]] const MeterTotals& totals() const { return totals_; }
  [[nodiscard]] ComponentReport cpu() const;
  [[nodiscard]] ComponentReport memory() const;
  [[nodiscard]] ComponentReport gpu() const;
  [[nodiscard]] const std::vector<GpuEnergy>& gpus() const { return gpus_; }
  /// --gpus visible: counts exactly the GPUs in `counted` (from resolve_visible_gpus), whatever
  /// runs on them; `label` names where the list came from (`CUDA_VISIBLE_DEVICES=0,2`).
  void count_gpus(const std::vector<bool>& counted, std::string label);
  /// The PID namespace co2e runs in when it is not the host's (a container): NVML's PIDs are the
  /// host's, so they cannot be matched to the command's tree. Empty in the host's namespace.
  [[nodiscard]] const std::string& foreign_pid_namespace() const { return foreign_pid_namespace_; }
  [[nodiscard]] Scope scope() const { return opt_.scope; }
  /// The PIDs of the tree at the last sample (to stop them all on a budget kill).
  [[nodiscard]] const std::vector<pid_t>& pids() const { return pids_; }

 private:
  Meter() = default;
  MeterOptions opt_;
  CpuMethod cpu_method_ = CpuMethod::default_power;
  MemoryMethod memory_method_ = MemoryMethod::rss;
  double core_power_w_ = 0;
  double memory_power_w_per_gb_ = 0;
  std::string cpu_detail_;
  std::vector<std::string> cpu_unavailable_, memory_unavailable_, gpu_unavailable_;
  std::vector<std::string> cpu_notes_, memory_notes_, gpu_notes_;
  std::string gpu_label_;              // --gpus visible: `CUDA_VISIBLE_DEVICES=0,2`
  std::string foreign_pid_namespace_;  // `pid:[4026532287]` when not the host's
  std::vector<pid_t> other_gpu_pids_;  // compute PIDs NVML listed that are not in the tree
  Baseline baseline_;
  double base_rapl_cpu_j_ = 0, base_rapl_dram_j_ = 0;  // counters at begin_baseline
  std::vector<double> base_gpu_j_;
  std::optional<Rapl> rapl_;
  std::unique_ptr<GpuLibrary> gpu_lib_;  // NVML or ROCm SMI
  double gpu_model_w_ = 0;               // GpuMethod::table: W per GPU × gpu_count
  std::string gpu_model_detail_;
  std::vector<GpuEnergy> gpus_;
  std::vector<std::uint64_t> gpu_last_mj_;
  std::vector<double> gpu_last_mw_;
  pid_t root_ = 0;
  Clock::time_point start_{}, last_{};
  double last_rapl_cpu_j_ = 0, last_rapl_dram_j_ = 0;
  double last_busy_s_ = 0, last_total_s_ = 0;
  bool have_busy_ = false;
  double last_rss_gb_ = 0;
  /// Energy so far, joules: dynamic (or all of it, without a split) and the attributed static.
  struct Joules {
    double dynamic = 0, fixed = 0;
  };
  Joules cpu_j_, memory_j_, gpu_j_;
  std::vector<pid_t> pids_;
  MeterTotals totals_;

  /// The GPU library (NVML, else ROCm SMI) and its devices, or the --gpu model without one.
  void open_gpus(const MeterOptions& options, const Dataset& data);
  void integrate(Clock::time_point now, double tree_cpu_s, double rss_gb, bool final_sample);
  /// Adds a machine counter's energy over an interval, split at the baseline and attributed.
  void add_counter(Joules& to, double machine_j, double baseline_j, double share, double capacity) const;
  /// Fills the dynamic/static fields of a component read from a machine counter (or a model).
  void split(ComponentReport& r, const Joules& j, bool counter, double baseline_w) const;
};

/// The PID namespace of the process reading `proc_root` (`proc_root`/self/ns/pid) when it is not
/// the host's initial one (inode 0xEFFFFFFC, PROC_PID_INIT_INO in linux/proc_ns.h); empty in the
/// host's namespace or when unreadable.
std::string foreign_pid_namespace(const std::string& proc_root);

/// The GPUs named by `var`=`value` (CUDA_VISIBLE_DEVICES or SLURM_JOB_GPUS: indexes as NVML
/// numbers them, or UUIDs or their prefixes, comma-separated; `NoDevFiles` for none) among `gpus`.
/// An index or UUID that names no GPU is an error naming the variable and the value.
Result<std::vector<bool>> resolve_visible_gpus(std::string_view var, std::string_view value,
                                               const std::vector<GpuEnergy>& gpus);

/// How the environment is read (std::getenv in co2e; a table in tests).
using EnvLookup = std::function<const char*(const char*)>;

/// The GPUs --gpu-scope visible counts, and the variables that decided (`CUDA_VISIBLE_DEVICES=0,2`,
/// `ROCR_VISIBLE_DEVICES=1,3 HIP_VISIBLE_DEVICES=0`), for the report.
struct VisibleGpus {
  std::vector<bool> counted;  ///< one per GPU of `gpus`; empty when the library lists none
  std::string label;
};

/// --gpu-scope visible. NVIDIA (and no GPU listed): CUDA_VISIBLE_DEVICES, else SLURM_JOB_GPUS, as
/// resolve_visible_gpus reads them. AMD (ROCm SMI's GPUs): ROCR_VISIBLE_DEVICES (indexes as ROCm
/// SMI numbers the GPUs, co2e's `AMD-GPU-0x...` UUIDs or rocminfo's `GPU-...`), then
/// HIP_VISIBLE_DEVICES, else CUDA_VISIBLE_DEVICES (indexes among the GPUs ROCR_VISIBLE_DEVICES
/// leaves, as HIP numbers them; the same list in both counts once), else SLURM_JOB_GPUS. A usage
/// Error names the variable and the value when an entry names no GPU, or when no variable is set.
Result<VisibleGpus> visible_gpus(const std::vector<GpuEnergy>& gpus, const EnvLookup& env);

/// Limits of `co2e run --budget / --max-energy`, on the PUE-inclusive figures.
struct RunLimits {
  std::optional<double> budget_g;
  std::optional<double> max_energy_kwh;
  std::optional<Seconds> expect;  ///< expected runtime, for the projection
  bool stop = true;               ///< --budget-action stop (default); false: report, let the command finish
};

/// Which of the RunLimits a measurement crossed.
enum class RunLimit { none, budget, max_energy };

/// Where a running measurement stands against its limits.
struct BudgetCheck {
  bool exceeded = false;
  RunLimit limit = RunLimit::none;    ///< the limit crossed (the budget when both are)
  std::string reason;                 ///< `12.3 g CO2e is over the budget of 10 g`
  std::optional<double> projected_g;  ///< with --expect: total projected from the rate so far
  std::optional<double> projected_kwh;
  bool projection_over = false;  ///< the projection crosses a limit
  std::string projection;        ///< the warning sentence when it does
};

/// Checks `energy_kwh` (PUE included) and its CO2e against `limits` after `elapsed`.
BudgetCheck check_budget(double energy_kwh, double co2e_g, Seconds elapsed, const RunLimits& limits);

}  // namespace co2e
