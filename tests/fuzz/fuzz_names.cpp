// libFuzzer harness: model, region and provider names, as typed on the command line, against the
// built-in tables (normalization, exact, relaxed, contains and suggestion paths), instance types,
// and a full estimate.
#include <cstdint>
#include <string>
#include <string_view>
#include <vector>

#include "co2e/data.hpp"
#include "co2e/estimate.hpp"

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  static const co2e::Dataset d;
  // The Dataset stops suggesting after 1,000 unknown names in a process; call the suggestion
  // search directly too, so that it stays fuzzed for the whole run.
  static const std::vector<std::string_view> cpu_names = [] {
    std::vector<std::string_view> v;
    for (const auto& c : d.cpus()) v.push_back(c.name);
    return v;
  }();
  const std::string_view text(reinterpret_cast<const char*>(data), size < 256 ? size : 256);
  (void)co2e::normalize_name(text);
  (void)co2e::closest_names(text, cpu_names, 5);
  (void)d.find_cpu(text);
  (void)d.find_gpu(text);
  (void)d.find_region(text);
  (void)d.find_provider(text);
  (void)d.find_instance(text);
  (void)co2e::relaxed_name(co2e::normalize_name(text));
  (void)co2e::look_alike_digits(std::string(text));
  (void)co2e::nearest_hint(text, {"cpus", "gpus", "regions"});
  if (auto g = d.find_gpu(text)) (void)d.gpu_variants(text, *g);
  co2e::EstimateSpec spec;
  spec.runtime = co2e::Seconds(3600);
  spec.cpu = std::string(text);
  spec.region = std::string(text);
  (void)co2e::estimate(spec, d);
  co2e::EstimateSpec with_instance;  // --instance TEXT: the expansion and its overrides
  with_instance.runtime = co2e::Seconds(3600);
  with_instance.instance = std::string(text);
  with_instance.gpus = 2;
  (void)co2e::estimate(with_instance, d);
  return 0;
}
