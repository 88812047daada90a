// libFuzzer harness: the cluster description (co2e slurm --cluster FILE) and sinfo output.
#include <cstdint>
#include <string_view>

#include "co2e/cluster.hpp"

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  static const co2e::Dataset d;
  const std::string_view text(reinterpret_cast<const char*>(data), size);
  (void)co2e::load_cluster(text, "fuzz.json", co2e::ClusterOverrides{}, d);
  (void)co2e::parse_sinfo(text);
  return 0;
}
