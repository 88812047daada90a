// Ranges (issue 17): every input that enters a figure has a low and a high bound beside the value
// used, and the energy and CO2e carry the bounds that follow from them.
//
// Method: exact interval propagation. The energy formula (energy.hpp) is a sum of products of
// non-negative inputs, so it is monotone non-decreasing in every input; evaluating it once with
// every input at its low bound and once with every input at its high bound gives the exact lowest
// and highest value the figure can take while each input stays within its range. The bounds say
// nothing about how likely values inside them are (they are not percentiles): "the footprint if
// every input lies within its stated range". docs/methodology.md, "Ranges", lists each input's
// range with its source and says why intervals rather than Monte Carlo.
#pragma once

#include <array>
#include <cstdint>
#include <optional>
#include <string_view>

namespace co2e {

/// A closed interval [low, high] of one quantity, in that quantity's unit.
struct Bounds {
  double low = 0;
  double high = 0;
  /// A single value: low = high.
  static constexpr Bounds exact(double v) { return {v, v}; }
  [[nodiscard]] constexpr bool is_exact() const { return low == high; }
  [[nodiscard]] constexpr Bounds scaled(double lo, double hi) const { return {low * lo, high * hi}; }
};

/// Why an input has the range it has; renderers turn these into words and JSON names
/// (range_reason_name()).
enum class RangeReason : std::uint8_t {
  exact,           ///< given as one value (flag, variable, column, cluster file), or exact by definition
  given,           ///< given as a range LOW:HIGH
  tdp_draw,        ///< a model's TDP: measured draw lies between draw factors x TDP
  default_spread,  ///< a default power ("Any" model): the spread of the table, x the draw factors
  usage_default,   ///< usage not given with a TDP-based power: between the low usage and 1
  memory_default,  ///< the default W/GB: the published spread of memory power
  pue_row,         ///< a provider, cloud region or platform PUE: its overhead (PUE - 1) halved to doubled
  grid_year,       ///< a grid factor from the tables: year-to-year spread
  grid_basis,      ///< the same, and the figure's basis is not the one asked for (or not stated)
  world_spread,    ///< no location: the spread of the countries' factors
};

/// `exact`, `given`, `tdp_draw`, ...: the `reason` key in JSON.
std::string_view range_reason_name(RangeReason r);

/// One input's range and why it has it.
struct InputRange {
  Bounds bounds;
  RangeReason reason = RangeReason::exact;
};

/// The uncertain inputs of the formula, each with its range. Counts, hours, sizes and PSF are
/// what the user states about the job and are exact.
struct InputRanges {
  InputRange core_power_w;
  InputRange cpu_usage;
  InputRange gpu_power_w;
  InputRange gpu_usage;
  InputRange memory_power_w_per_gb;
  InputRange pue;
  InputRange intensity_g_per_kwh;
  InputRange known_kwh;      ///< --energy: one run, before PUE
  InputRange known_power_w;  ///< --power: the average power of a run (x runtime)
};

/// How the bounds were propagated and what they mean; JSON's `method` and `coverage`.
inline constexpr std::string_view kRangeMethod = "interval";
inline constexpr std::string_view kRangeCoverage = "bounds";

/// An estimate's range: the inputs' ranges and the figures' bounds that follow.
struct EstimateRange {
  InputRanges inputs;
  Bounds energy_kwh;  ///< all runs, PUE included
  Bounds co2e_kg;
};

/// The inputs a user gave as a range LOW:HIGH (`--pue 1.2:1.5`); the spec's field holds the midpoint.
struct GivenRanges {
  std::optional<Bounds> core_power_w;
  std::optional<Bounds> cpu_usage;
  std::optional<Bounds> gpu_power_w;
  std::optional<Bounds> gpu_usage;
  std::optional<Bounds> memory_power_w_per_gb;
  std::optional<Bounds> pue;
  std::optional<Bounds> intensity_g_per_kwh;
  std::optional<Bounds> energy_kwh;
  std::optional<Bounds> power_w;
};

/// The range constants: data/constants.json's `range_*` rows (their values, sources and years
/// live there only; docs/methodology.md "Ranges" lists them), read once by range_constants().
struct RangeConstants {
  double cpu_draw_low = 0;  ///< CPU package power at full load / TDP, lowest
  double cpu_draw_high = 0;
  double gpu_draw_low = 0;  ///< GPU average power in training / TDP, lowest
  double gpu_draw_high = 0;
  double usage_low = 0;  ///< usage factor when not given, lowest
  double default_core_power_low_w = 0;
  double default_core_power_high_w = 0;
  double default_gpu_power_low_w = 0;
  double default_gpu_power_high_w = 0;
  double memory_power_low_w_per_gb = 0;
  double memory_power_high_w_per_gb = 0;
  double pue_overhead_low = 0;  ///< x (PUE - 1) of a table PUE
  double pue_overhead_high = 0;
  double grid_year_spread = 0;   ///< a table factor x (1 -/+ this)
  double grid_basis_factor = 0;  ///< lifecycle / direct, when the basis differs from the one asked
  double world_intensity_low_g_per_kwh = 0;
  double world_intensity_high_g_per_kwh = 0;
};

/// The ids of the rows behind RangeConstants, in member order: co2e_gen_tables refuses to build
/// without any of them (as for the DefaultConstant rows), and a --data file can replace a row but
/// not remove it.
inline constexpr std::array<std::string_view, 17> kRangeConstantIds{
    "range_cpu_draw_low",
    "range_cpu_draw_high",
    "range_gpu_draw_low",
    "range_gpu_draw_high",
    "range_usage_low",
    "range_default_core_power_low_w",
    "range_default_core_power_high_w",
    "range_default_gpu_power_low_w",
    "range_default_gpu_power_high_w",
    "range_memory_power_low_w_per_gb",
    "range_memory_power_high_w_per_gb",
    "range_pue_overhead_low",
    "range_pue_overhead_high",
    "range_grid_year_spread",
    "range_grid_basis_factor",
    "range_world_intensity_low_g_per_kwh",
    "range_world_intensity_high_g_per_kwh",
};
static_assert(sizeof(RangeConstants) == kRangeConstantIds.size() * sizeof(double),
              "kRangeConstantIds names every member of RangeConstants");

class Dataset;
/// The range constants of `data`: its `range_*` rows (data/constants.json, or a --data file's
/// replacements).
RangeConstants range_constants(const Dataset& data);

}  // namespace co2e
