// The sentences of plausibility findings (include/co2e/plausibility.hpp).
#include <fmt/format.h>

#include "co2e/plausibility.hpp"
#include "co2e/units.hpp"

namespace co2e {

std::string plausibility_message(const Plausibility& p, std::string_view name) {
  switch (p.kind) {
    case PlausibilityKind::memory_bare_number_large: {
      // The bare number as typed is the value in GB; as MB it would be value / 1000 GB.
      const std::string typed = format_sig(p.value, 10);
      const std::string tb = format_sig(p.value / 1000, 6);
      return fmt::format(
          "{} {} is taken as {} TB (a bare number is GB); if you meant {} MB (SLURM's --mem unit), write {}M; "
          "write {}T to keep it",
          name, typed, tb, typed, typed, tb);
    }
    case PlausibilityKind::core_power_high:
      return fmt::format(
          "{} W per core is more than {} times the highest in the CPU table ({} W per core, {}): is it a whole "
          "chip's TDP? Give watts per core, or --cpu MODEL",
          format_sig(p.value, 6), format_sig(kPowerWarnMargin, 3), format_sig(p.table_max, 4), p.table_max_of);
    case PlausibilityKind::gpu_power_high:
      return fmt::format(
          "{} W per GPU is more than {} times the highest in the GPU table ({} W, {}): is it a whole node's power? "
          "Give watts per GPU, or --gpu MODEL",
          format_sig(p.value, 6), format_sig(kPowerWarnMargin, 3), format_sig(p.table_max, 4), p.table_max_of);
  }
  return {};
}

}  // namespace co2e
