// The a-priori estimate (Green Algorithms, Lannelongue et al. 2021):
//   E_run  = Σ components                                         (kWh, one run, before PUE)
//   cpu    = core-hours × P_core × u_cpu / 1000
//   gpu    = GPU-hours × P_gpu × u_gpu / 1000
//   memory = runtime_h × mem_GB × P_mem / 1000
//   energy_kwh = PUE × PSF × E_run       co2e_kg = energy_kwh × intensity_g_per_kwh / 1000
// The same spec and the same code serve `estimate`, each `batch` row, and `slurm` jobs.
#pragma once

#include <array>
#include <chrono>
#include <cstddef>
#include <cstdint>
#include <memory>
#include <optional>
#include <span>
#include <string>
#include <string_view>
#include <vector>

#include "co2e/data.hpp"
#include "co2e/error.hpp"
#include "co2e/footprint.hpp"
#include "co2e/origin.hpp"
#include "co2e/range.hpp"
#include "co2e/units.hpp"

namespace co2e {

/// The inputs of an estimate, by the name shared by CLI flags, batch columns and env variables.
enum class Field : std::uint8_t {
  runtime,
  cores,
  cpu,
  core_power,
  cpu_usage,
  gpus,
  gpu,
  gpu_power,
  gpu_usage,
  gpu_hours,
  core_hours,
  memory,
  memory_power,
  pue,
  provider,
  platform,
  region,
  intensity,
  intensity_basis,   ///< lifecycle or direct (issue 14)
  intensity_source,  ///< location or provider: whose figure a cloud region uses
  psf,
  energy,        ///< known energy of one run (a wattmeter, a paper): replaces the component sum
  power,         ///< known average power at the plug, x runtime: replaces the component sum
  energy_scope,  ///< `it` (PUE applies) or `facility` (PUE already included)
  instance,      ///< a cloud instance type (issue 21): fills cores, CPU, GPUs and memory not given
  // The whole footprint (issue 15, include/co2e/footprint.hpp): new fields go at the end.
  embodied,         ///< count manufacturing emissions (a flag on the command line)
  lifetime,         ///< years over which hardware is amortised
  utilisation,      ///< share of its life a device is busy
  server,           ///< server model of the embodied table
  server_embodied,  ///< kg CO2e per server node, instead of --server's row
  nodes,            ///< server nodes used
  embodied_gpu,     ///< kg CO2e per GPU, instead of the table
  embodied_cpu,     ///< kg CO2e per CPU chip, instead of the table
  node_power,       ///< W per node beyond CPUs, GPUs and memory
  storage,          ///< data kept on storage for the job's duration
  storage_type,     ///< ssd or hdd
  transfer,         ///< data moved over networks
};
/// How many Fields there are: arrays indexed by Field have this size.
inline constexpr std::size_t kFieldCount = static_cast<std::size_t>(Field::transfer) + 1;
static_assert(kFieldCount <= 64, "bit sets of Field (instance_overrides) are 64 bits wide");

/// Whether a known energy (--energy, --power) is the IT equipment's or the whole facility's.
enum class EnergyScope : std::uint8_t { it, facility };

/// The names a front end gives the inputs, by Field: used in messages for inputs not given
/// (given ones are named by their Origin).
using FieldNames = std::array<std::string_view, kFieldCount>;

/// What the user said about a computation; every field may be missing.
struct EstimateSpec {
  std::optional<Seconds> runtime;
  std::optional<std::int64_t> cores;
  std::optional<std::string> cpu;
  std::optional<double> core_power_w;
  std::optional<double> cpu_usage;
  std::optional<std::int64_t> gpus;
  std::optional<std::string> gpu;
  std::optional<double> gpu_power_w;
  std::optional<double> gpu_usage;
  std::optional<double> gpu_hours;
  std::optional<double> core_hours;
  std::optional<double> memory_gb;
  /// memory was given as a bare number (taken as GB): check_plausibility() questions large ones.
  bool memory_bare_number = false;
  std::optional<double> memory_power_w_per_gb;
  std::optional<double> pue;
  std::optional<std::string> provider;
  std::optional<std::string> platform;
  std::optional<std::string> region;
  std::optional<double> intensity_g_per_kwh;
  std::optional<Basis> intensity_basis;             ///< default lifecycle
  std::optional<IntensityOrigin> intensity_origin;  ///< default location
  std::optional<std::int64_t> psf;
  std::optional<double> energy_kwh;  ///< one run's known energy
  std::optional<double> power_w;     ///< known average power
  std::optional<EnergyScope> energy_scope;
  /// Inputs given as a range LOW:HIGH (issue 17); each field above then holds the midpoint.
  GivenRanges ranges;
  /// No range wanted (`--no-range`, CO2E_NO_RANGE): estimate() leaves EstimateResult::range empty.
  bool no_range = false;
  /// A cloud instance type (`aws:p4d.24xlarge`): fills cores, CPU, GPUs and memory not given.
  std::optional<std::string> instance;
  FootprintSpec footprint;  ///< server overhead, storage, network, embodied

  /// Where each given value came from (set_field with an Origin records it).
  std::array<Origin, kFieldCount> origins{};
  /// The front end's names for inputs not given; nullptr: the CLI flags (`--runtime`).
  const FieldNames* names = nullptr;

  [[nodiscard]] const Origin& origin(Field f) const { return origins[static_cast<std::size_t>(f)]; }
};

struct FieldInfo {
  Field field;
  std::string_view column;      ///< batch column / JSON key: `core_power`
  std::string_view flag;        ///< CLI flag: `--core-power` (env: CO2E_CORE_POWER)
  std::string_view value_name;  ///< `W`, `D`, `SIZE`
  std::string_view help;
};

/// Every input field, in the order of docs/cli.md.
std::span<const FieldInfo> estimate_fields();
const FieldInfo& field_info(Field f);
/// A field by its column name, accepting `core_power`, `core-power` and `--core-power`.
std::optional<Field> field_from_name(std::string_view name);

/// Parses `text` into the field of `spec`. The error message quotes the value and says what is
/// accepted; the caller prefixes the flag or column.
Status set_field(EstimateSpec& spec, Field field, std::string_view text);
/// The same, recording where the value came from in `spec.origins`; the error carries `field`.
Status set_field(EstimateSpec& spec, Field field, std::string_view text, const Origin& origin);

/// How messages name input `f` of `spec`: by its origin when given (`--pue`, `CO2E_PUE`, a
/// column's name), else by the front end's name for it (`spec.names`, or the flag).
std::string input_name(const EstimateSpec& spec, Field f);

/// How a figure was chosen; the renderers turn these into sentences.
enum class PowerSource : std::uint8_t { none, flag, model, default_value };
enum class PueSource : std::uint8_t {
  flag,
  provider,
  cloud_region,
  platform,
  default_local,
  included,  ///< a known facility energy (--energy-scope facility): PUE already in it, not applied
};
/// Where the energy before PUE came from: the component sum, or a known figure.
enum class EnergySource : std::uint8_t { components, energy, power };
enum class IntensitySource : std::uint8_t { flag, region, cloud_region, default_world, series };

/// The names of these choices in JSON output and reports: `flag`, `model`, `default`, ...
std::string_view power_source_name(PowerSource s);
std::string_view pue_source_name(PueSource s);
std::string_view intensity_source_name(IntensitySource s);

/// Things the estimate assumed or noticed, each rendered as one sentence.
enum class Note : std::uint8_t {
  cores_from_model,        ///< --cpu without --cores: all cores of one chip
  one_gpu_assumed,         ///< --gpu without --gpus: one GPU
  gpu_only_no_cpu,         ///< GPUs and no CPU given: CPU power not counted (Green Algorithms)
  no_memory,               ///< memory not given: not counted
  memory_without_runtime,  ///< memory given with device-hours only: runtime needed
  cpu_power_overrides_model,
  gpu_power_overrides_model,
  intensity_overrides_region,
  pue_overrides_provider,
  pue_overrides_platform,  ///< --pue given with --platform: the platform's default is not used
  provider_overrides_platform,
  pue_overrides_cloud_region,  ///< --pue or --provider with a cloud region: its PUE is not used
  cpu_count_zero,              ///< --cores 0: no CPU counted
  gpu_count_zero,              ///< --gpus 0: no GPU counted
  count_,
};

/// Energy per component for one run, before PUE and PSF.
struct Components {
  double cpu_kwh = 0;
  double gpu_kwh = 0;
  double memory_kwh = 0;
  double known_kwh = 0;    ///< a known energy (--energy, or --power x runtime) instead of the three
  double server_kwh = 0;   ///< server overhead beyond the chips (--node-power, --nodes)
  double storage_kwh = 0;  ///< storage kept for the run (--storage)
  [[nodiscard]] double total_kwh() const {
    return cpu_kwh + gpu_kwh + memory_kwh + known_kwh + server_kwh + storage_kwh;
  }
};

/// The job's actual window against an intensity series (`estimate --start --intensity-series`).
struct SeriesWindow {
  std::chrono::sys_seconds start;
  std::chrono::sys_seconds end;
  double average_g_per_kwh = 0;  ///< time-weighted over [start, end): the figure used
  double annual_g_per_kwh = 0;   ///< what the estimate would have used without the series
  IntensitySource annual_source = IntensitySource::default_world;
};

/// A carbon budget checked against the result (`--budget`), for the renderers.
struct CarbonBudget {
  double budget_kg = 0;
  Origin origin;
  [[nodiscard]] bool exceeded(double co2e_kg) const { return co2e_kg > budget_kg; }
};

/// A resolved estimate: the figures, how each was chosen and the rows used.
struct EstimateResult {
  EstimateResult() = default;
  /// A fresh result for inputs whose origins are `given` (estimate_into, once per batch row): the
  /// 1.8 kB of origins copied in, not zeroed first and then overwritten.
  explicit EstimateResult(const std::array<Origin, kFieldCount>& given) : origins(given) {}

  std::optional<double> runtime_h;
  // CPU
  std::int64_t cores = 0;
  double core_hours = 0;  ///< device time used for the CPU component
  double core_power_w = 0;
  double cpu_usage = 1;
  PowerSource cpu_power_source = PowerSource::none;
  const CpuModel* cpu_model = nullptr;
  // GPU
  std::int64_t gpus = 0;
  double gpu_hours = 0;
  double gpu_power_w = 0;
  double gpu_usage = 1;
  PowerSource gpu_power_source = PowerSource::none;
  const GpuModel* gpu_model = nullptr;
  // memory
  double memory_gb = 0;
  double memory_power_w_per_gb = 0;
  bool memory_power_from_flag = false;
  // facility and grid
  double pue = 1;
  PueSource pue_source = PueSource::default_local;
  const Provider* provider = nullptr;  ///< the row the PUE came from, if any
  const Provider* platform = nullptr;  ///< the --platform row, when one was given
  double intensity_g_per_kwh = 0;
  IntensitySource intensity_source = IntensitySource::default_world;
  std::optional<RegionMatch> region;
  std::int64_t psf = 1;
  // known energy (--energy, --power): replaces the components
  EnergySource energy_source = EnergySource::components;
  EnergyScope energy_scope = EnergyScope::it;
  double power_w = 0;  ///< --power, when that was the source
  // where each input came from (OriginKind::default_value for those not given)
  std::array<Origin, kFieldCount> origins{};
  // results
  Components components;               ///< one run, before PUE
  double energy_kwh = 0;               ///< all runs, PUE included (and network energy, which has no PUE)
  double co2e_kg = 0;                  ///< operational: energy_kwh × intensity
  FootprintResult footprint;           ///< server overhead, storage, network and embodied details
  std::uint32_t notes = 0;             ///< bit set of Note
  std::optional<SeriesWindow> window;  ///< set by apply_intensity_series()
  std::optional<CarbonBudget> budget;  ///< set by the front end when a budget was given
  std::optional<EstimateRange> range;  ///< the bounds of the figures (issue 17); empty with no_range
  // cloud instance and names
  const CloudInstance* instance = nullptr;    ///< the instance type that filled the spec, if any
  std::uint64_t instance_overrides = 0;       ///< bit set of Field: the user's values that replaced the instance's
  std::vector<const GpuModel*> gpu_variants;  ///< other rows a family name (`--gpu A100`) also names

  [[nodiscard]] const Origin& origin(Field f) const { return origins[static_cast<std::size_t>(f)]; }
  /// Manufacturing emissions amortised over the job, all runs (0 unless asked for).
  [[nodiscard]] double embodied_kg() const { return footprint.embodied_kg; }
  /// Operational plus embodied emissions.
  [[nodiscard]] double total_co2e_kg() const { return co2e_kg + footprint.embodied_kg; }
  [[nodiscard]] bool has(Note n) const { return (notes >> static_cast<unsigned>(n)) & 1U; }
  void add(Note n) { notes |= 1U << static_cast<unsigned>(n); }
};

/// Remembers Dataset lookups (CPU, GPU, region, provider) by the text as typed, so that commands
/// estimating many rows (batch) normalize each distinct name once. Not thread-safe.
class LookupCache {
 public:
  explicit LookupCache(const Dataset& data);
  ~LookupCache();
  LookupCache(const LookupCache&) = delete;
  LookupCache& operator=(const LookupCache&) = delete;

  Result<const CpuModel*> cpu(std::string_view query);
  Result<const GpuModel*> gpu(std::string_view query);
  Result<RegionMatch> region(std::string_view query);
  Result<const Provider*> provider(std::string_view query);
  /// range_constants(data), read once.
  const RangeConstants& range_constants();

 private:
  struct Impl;
  std::unique_ptr<Impl> impl_;
};

/// Resolves models, PUE and region against `data` and computes the footprint. Inconsistent or
/// insufficient input is a usage Error naming the inputs involved by input_name() (the flag, the
/// variable or the column the user gave) and carrying the main one's Field. With a `cache`, name
/// lookups go through it (same results, faster).
Result<EstimateResult> estimate(const EstimateSpec& spec, const Dataset& data, LookupCache* cache = nullptr);

/// What `--instance` puts into a spec: the instance's vCPUs (as cores), CPU model, GPUs and
/// their model, and memory, each only where the user gave nothing for it; and, with no region,
/// provider, platform or PUE given, the instance's provider (for its default PUE).
struct InstanceExpansion {
  EstimateSpec spec;                   ///< the filled spec, without `instance`
  const CloudInstance* row = nullptr;  ///< the instance type
  std::uint64_t overrides = 0;         ///< bit set of Field: the user's values kept over the instance's
};
Result<InstanceExpansion> expand_instance(const EstimateSpec& spec, const Dataset& data);
/// The same, into `out` (reset first): what batch calls for each row, so that the ~1.5 KB result
/// is not copied twice a row through Result and optional (issue 18's throughput target).
Status estimate_into(const EstimateSpec& spec, const Dataset& data, LookupCache* cache, EstimateResult& out);

/// The PUE part of estimate(), for commands that measure energy (run, slurm).
struct PueChoice {
  double pue = 1;
  PueSource source = PueSource::default_local;
  const Provider* provider = nullptr;
};
/// `provider_name` names the provider input in errors (a flag, a variable, a cluster key).
Result<PueChoice> resolve_pue(std::optional<double> pue, const std::optional<std::string>& provider,
                              const std::optional<std::string>& platform, const std::optional<RegionMatch>& region,
                              const Dataset& data, std::string_view provider_name = "--provider");

/// The emission-factor part of estimate(). The region's figure follows RegionMatch's rule for
/// `basis` and `origin` (docs/methodology.md, "Grid factor bases").
struct IntensityChoice {
  double g_per_kwh = 0;
  IntensitySource source = IntensitySource::default_world;
  std::optional<RegionMatch> region;
};
/// `region_name` names the region input in errors.
Result<IntensityChoice> resolve_intensity(std::optional<double> intensity, const std::optional<std::string>& region,
                                          const Dataset& data, Basis basis = Basis::lifecycle,
                                          IntensityOrigin origin = IntensityOrigin::location,
                                          std::string_view region_name = "--region");

/// The ranges of a resolved estimate's inputs (docs/methodology.md, "Ranges": a value given
/// exactly is exact, one given as LOW:HIGH has that range, defaults and table figures have the
/// sourced ranges of `k`) and the bounds of its energy and CO2e, into `range` (value-initialised;
/// it may be `r.range`'s own value: only r's figures are read, and no 0.5 kB result is copied,
/// once a batch row). estimate() calls it unless `spec.no_range`.
void estimate_range_into(EstimateRange& range, const EstimateSpec& spec, const EstimateResult& r,
                         const RangeConstants& k);
/// The range of each kind of input, by the rules of docs/methodology.md "Ranges", for commands
/// that resolve their figures outside estimate() (slurm's cluster description). `given`: the
/// user's LOW:HIGH, if any. Every range holds the figure used.
InputRange core_power_input_range(PowerSource source, double w, const std::optional<Bounds>& given,
                                  const RangeConstants& k);
InputRange gpu_power_input_range(PowerSource source, double w, const std::optional<Bounds>& given,
                                 const RangeConstants& k);
/// `given_value`: the W/GB was given (flag, column, cluster key): exact unless `given`.
InputRange memory_power_input_range(bool given_value, double w_per_gb, const std::optional<Bounds>& given,
                                    const RangeConstants& k);
InputRange pue_input_range(PueSource source, double pue, const std::optional<Bounds>& given, const RangeConstants& k);
InputRange intensity_input_range(IntensitySource source, double g_per_kwh, const std::optional<RegionMatch>& region,
                                 const std::optional<Bounds>& given, const RangeConstants& k);
/// A figure the user stated (flag, column, cluster key): exact, unless given as `given` LOW:HIGH.
InputRange stated_input_range(double value, const std::optional<Bounds>& given);
/// An embodied figure's range: with a data `row`, the row's own low_kg / high_kg where its
/// sources give them (the row's kg for a missing end), else kg x the sourced default factors;
/// without a row (a flag, column or cluster key), exact unless `given`.
InputRange embodied_kg_input_range(const EmbodiedItem* row, double kg_each, const std::optional<Bounds>& given,
                                   const RangeConstants& k);
/// The service life's range: `given_value` (flag, column, cluster key) is exact unless `given`;
/// the default spans the sourced lifetimes.
InputRange lifetime_input_range(bool given_value, double years, const std::optional<Bounds>& given,
                                const RangeConstants& k);
/// Bounds of amortised_kg() (footprint.hpp) over the ranges: it grows with the kg and falls
/// with the lifetime and utilisation, so the low bound takes the low kg and the long life.
Bounds amortised_bounds(const Bounds& kg_each, double unit_hours, const Bounds& lifetime_years,
                        const Bounds& utilisation);
/// Recomputes `range`'s energy and CO2e bounds from its input ranges and `r`'s amounts: the
/// formula (energy.hpp) with every input low, then every input high; then the embodied bounds
/// (amortised_bounds() over the parts) and the total's. The bounds always hold the central
/// figures of `r`.
void propagate_range(EstimateRange& range, const EstimateResult& r);

/// A footprint expressed in a reference emission (e.g. 3.2 tree-months).
struct Equivalent {
  const Equivalence* row = nullptr;
  double amount = 0;
};
/// Tree-months, EU car km and the one flight that Green Algorithms v3.0 would show for `co2e_g`:
/// below 285 kg a fraction of Paris–Dublin, below 1155 kg NYC–San Francisco, else NYC–Melbourne.
std::vector<Equivalent> equivalents(double co2e_g, const Dataset& data);

}  // namespace co2e
