// Plausibility findings (include/co2e/plausibility.hpp): numbers only; the sentence is made by
// plausibility_message() in src/core/report/plausibility_text.cpp.
#include "co2e/plausibility.hpp"

namespace co2e {

PlausibilityLimits plausibility_limits(const Dataset& data) {
  PlausibilityLimits l;
  for (const auto& c : data.cpus())
    if (c.cores > 0 && c.watts_per_core() > l.max_core_power_w) {
      l.max_core_power_w = c.watts_per_core();
      l.max_core_power_of = c.name;
    }
  for (const auto& g : data.gpus())
    if (g.tdp_w > l.max_gpu_power_w) {
      l.max_gpu_power_w = g.tdp_w;
      l.max_gpu_power_of = g.name;
    }
  l.core_power_w = kPowerWarnMargin * l.max_core_power_w;
  l.gpu_power_w = kPowerWarnMargin * l.max_gpu_power_w;
  return l;
}

std::vector<Plausibility> check_plausibility(const EstimateSpec& spec, const EstimateResult& r,
                                             const PlausibilityLimits& l) {
  std::vector<Plausibility> out;
  if (spec.memory_bare_number && spec.memory_gb && *spec.memory_gb > kBareMemoryWarnGb)
    out.push_back({PlausibilityKind::memory_bare_number_large, *spec.memory_gb, kBareMemoryWarnGb, 0, {}});
  // Empty tables (a --data file cannot remove rows, but be safe) give no limit: no finding.
  if (r.cpu_power_source != PowerSource::none && l.core_power_w > 0 && r.core_power_w > l.core_power_w)
    out.push_back(
        {PlausibilityKind::core_power_high, r.core_power_w, l.core_power_w, l.max_core_power_w, l.max_core_power_of});
  if (r.gpu_power_source != PowerSource::none && l.gpu_power_w > 0 && r.gpu_power_w > l.gpu_power_w)
    out.push_back(
        {PlausibilityKind::gpu_power_high, r.gpu_power_w, l.gpu_power_w, l.max_gpu_power_w, l.max_gpu_power_of});
  return out;
}

std::vector<Plausibility> check_plausibility(const EstimateSpec& spec, const EstimateResult& result,
                                             const Dataset& data) {
  return check_plausibility(spec, result, plausibility_limits(data));
}

Field plausibility_field(PlausibilityKind kind) {
  switch (kind) {
    case PlausibilityKind::memory_bare_number_large:
      return Field::memory;
    case PlausibilityKind::core_power_high:
      return Field::core_power;
    case PlausibilityKind::gpu_power_high:
      return Field::gpu_power;
  }
  return Field::memory;
}

}  // namespace co2e
