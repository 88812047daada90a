// estimate() per call, as batch calls it for each row: the Green Algorithms worked example with
// a CPU model, a region and a provider to look up (docs/performance.md).
#include <benchmark/benchmark.h>

#include "co2e/energy.hpp"
#include "co2e/estimate.hpp"

namespace {

co2e::EstimateSpec example() {
  co2e::EstimateSpec s;
  for (const auto& [field, value] : {std::pair{co2e::Field::runtime, "12h"},
                                     {co2e::Field::cores, "12"},
                                     {co2e::Field::cpu, "Xeon Gold 6248"},
                                     {co2e::Field::memory, "64G"},
                                     {co2e::Field::region, "GB"},
                                     {co2e::Field::provider, "gcp"}})
    if (co2e::set_field(s, field, value)) std::abort();  // a bad spec is a broken benchmark
  return s;
}

void estimate_uncached(benchmark::State& state) {
  const co2e::Dataset data;
  const co2e::EstimateSpec spec = example();
  for (auto _ : state) benchmark::DoNotOptimize(co2e::estimate(spec, data));
}
BENCHMARK(estimate_uncached);

void estimate_with_cache(benchmark::State& state) {
  const co2e::Dataset data;
  co2e::LookupCache cache(data);
  const co2e::EstimateSpec spec = example();
  for (auto _ : state) benchmark::DoNotOptimize(co2e::estimate(spec, data, &cache));
}
BENCHMARK(estimate_with_cache);

void compute_energy(benchmark::State& state) {
  co2e::PowerInputs in{.core_hours = 144,
                       .core_power_w = 7.5,
                       .memory_gb = 64,
                       .memory_power_w_per_gb = 0.3725,
                       .memory_hours = 12,
                       .pue = 1.56,
                       .intensity_g_per_kwh = 231.12};
  for (auto _ : state) {
    benchmark::DoNotOptimize(in);
    benchmark::DoNotOptimize(co2e::compute_energy(in));
  }
}
BENCHMARK(compute_energy);

}  // namespace
