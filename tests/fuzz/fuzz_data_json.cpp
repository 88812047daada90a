// libFuzzer harness: user data tables (--data FILE) from arbitrary bytes, then lookups against
// whatever was loaded. Any input must give rows or an Error, never a crash.
#include <cstdint>
#include <string_view>

#include "co2e/data.hpp"
#include "co2e/estimate.hpp"

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  const std::string_view text(reinterpret_cast<const char*>(data), size);
  co2e::Dataset d;
  if (d.add_json(text, "fuzz.json")) return 0;
  for (const auto& c : d.cpus()) (void)d.find_cpu(c.name);
  for (const auto& g : d.gpus()) (void)d.find_gpu(g.name);
  for (const auto& c : d.cloud_regions()) (void)d.find_region(c.code);
  for (const auto& p : d.providers()) (void)d.find_provider(p.id);
  return 0;
}
