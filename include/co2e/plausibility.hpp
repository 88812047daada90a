// Values that parse and compute but are probably a mistake: a bare `--memory 64000` taken as
// 64 TB when HPC users write MB (SLURM's --mem unit), watts per core or per GPU far above any chip
// in the tables. These are warnings, never errors: the figures stay as given, and the commands
// print one sentence per finding on stderr (stdout, the product, is unchanged).
#pragma once

#include <cstdint>
#include <string>
#include <string_view>
#include <vector>

#include "co2e/data.hpp"
#include "co2e/estimate.hpp"

namespace co2e {

enum class PlausibilityKind : std::uint8_t {
  memory_bare_number_large,  ///< a bare --memory number above kBareMemoryWarnGb GB
  core_power_high,           ///< watts per core above twice the highest in the CPU table
  gpu_power_high,            ///< watts per GPU above twice the highest in the GPU table
};

/// A bare --memory number above this many GB (1 TB) is questioned: 64000 is far more often
/// 64000 MB (SLURM's unit) than 64 TB, and nodes with more than 1 TB are rare.
inline constexpr double kBareMemoryWarnGb = 1000;
/// Warn above this multiple of the highest figure in the tables: room for chips newer than the
/// tables, while a chip's TDP typed as watts per core (250 W for a 64-core CPU) still stands out.
inline constexpr double kPowerWarnMargin = 2;

/// One finding, as numbers; plausibility_message() makes the sentence.
struct Plausibility {
  PlausibilityKind kind = PlausibilityKind::memory_bare_number_large;
  double value = 0;               ///< as used: GB, W per core, W per GPU
  double limit = 0;               ///< the threshold it crossed, same unit
  double table_max = 0;           ///< the highest figure in the tables (power kinds)
  std::string_view table_max_of;  ///< the chip with that figure (power kinds)
};

/// The thresholds for a dataset, computed once (its CPU and GPU tables, --data rows included).
struct PlausibilityLimits {
  double core_power_w = 0;  ///< warn above this many W per core
  double gpu_power_w = 0;   ///< warn above this many W per GPU
  double max_core_power_w = 0;
  double max_gpu_power_w = 0;
  std::string_view max_core_power_of;
  std::string_view max_gpu_power_of;
};
PlausibilityLimits plausibility_limits(const Dataset& data);

/// The findings for one estimate, in PlausibilityKind order; empty when all is plausible.
std::vector<Plausibility> check_plausibility(const EstimateSpec& spec, const EstimateResult& result,
                                             const PlausibilityLimits& limits);
/// The same, computing the limits from `data` (for a single estimate).
std::vector<Plausibility> check_plausibility(const EstimateSpec& spec, const EstimateResult& result,
                                             const Dataset& data);

/// One sentence for a finding; `name` is how the input is called where it came from (`--memory`
/// on the command line, `memory` in a batch column):
/// `--memory 64000 is taken as 64 TB (a bare number is GB); if you meant megabytes, write 64000M`.
std::string plausibility_message(const Plausibility& p, std::string_view name);

/// The input a finding is about: Field::memory, Field::core_power or Field::gpu_power.
Field plausibility_field(PlausibilityKind kind);

}  // namespace co2e
