// libFuzzer harness: the RAPL reader over a powercap tree whose files hold arbitrary bytes. The
// input is split at NUL bytes into: a zone name, the first energy_uj, max_energy_range_uj, a
// second energy_uj, and a nested sub-zone's name. Counters that go down, overflow, or are not
// numbers must be handled, never crash, and totals must stay finite.
#include <unistd.h>
#include <cmath>
#include <cstdint>
#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <string>
#include <string_view>
#include <vector>

#include "co2e/powercap.hpp"

namespace {
void put(const std::filesystem::path& p, std::string_view content) {
  std::ofstream(p, std::ios::binary | std::ios::trunc)
      .write(content.data(), static_cast<std::streamsize>(content.size()));
}
}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  namespace fs = std::filesystem;
  static const fs::path root = [] {
    fs::path p = fs::temp_directory_path() / ("co2e-fuzz-powercap-" + std::to_string(::getpid()));
    fs::create_directories(p / "intel-rapl:0" / "intel-rapl:0:0");
    return p;
  }();
  std::vector<std::string_view> parts;
  std::string_view text(reinterpret_cast<const char*>(data), size);
  while (parts.size() < 5) {
    const auto nul = text.find('\0');
    parts.push_back(text.substr(0, nul));
    if (nul == std::string_view::npos) break;
    text.remove_prefix(nul + 1);
  }
  parts.resize(5);
  const fs::path zone = root / "intel-rapl:0";
  put(zone / "name", parts[0]);
  put(zone / "energy_uj", parts[1]);
  put(zone / "max_energy_range_uj", parts[2]);
  put(zone / "intel-rapl:0:0" / "name", parts[4]);
  put(zone / "intel-rapl:0:0" / "energy_uj", parts[1]);
  auto rapl = co2e::Rapl::open(root.string());
  put(zone / "energy_uj", parts[3]);
  rapl.sample();
  rapl.sample();
  if (!std::isfinite(rapl.cpu_j()) || !std::isfinite(rapl.dram_j())) std::abort();
  (void)rapl.describe();
  return 0;
}
