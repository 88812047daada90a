// A GPU vendor's management library, loaded at run time: NVML for NVIDIA (nvml.hpp), ROCm SMI
// for AMD (rocm_smi.hpp). The Meter reads every GPU through this one interface, so the
// attribution (compute PIDs), the baseline and the dynamic/static split are the same whatever
// the vendor.
#pragma once

#include <sys/types.h>
#include <cstdint>
#include <string>
#include <string_view>
#include <vector>

#include "co2e/error.hpp"

namespace co2e {

/// One GPU as its library names it.
struct GpuDevice {
  unsigned index = 0;
  std::string uuid;  ///< `GPU-8a3c...` (NVML), `AMD-GPU-0x1f2e...` (ROCm SMI's unique id)
  std::string name;  ///< `NVIDIA H100 80GB HBM3`, `AMD Instinct MI250X`
  bool has_energy_counter = false;
  std::string counter_problem;  ///< why the energy counter is not used, when it is not
};

/// The vendors co2e can measure; their names appear in method names (docs/cli.md).
enum class GpuVendor : std::uint8_t { nvidia, amd };

class GpuLibrary {
 public:
  GpuLibrary() = default;
  GpuLibrary(const GpuLibrary&) = delete;
  GpuLibrary& operator=(const GpuLibrary&) = delete;
  virtual ~GpuLibrary() = default;

  [[nodiscard]] virtual GpuVendor vendor() const = 0;
  /// `NVML`, `ROCm SMI`: how reports name the library.
  [[nodiscard]] virtual std::string_view name() const = 0;
  [[nodiscard]] virtual const std::vector<GpuDevice>& devices() const = 0;
  /// Energy counter of GPU `i`, millijoules since an arbitrary origin (driver load).
  [[nodiscard]] virtual Result<std::uint64_t> energy_mj(std::size_t i) const = 0;
  /// Power draw of GPU `i`, milliwatts.
  [[nodiscard]] virtual Result<unsigned> power_mw(std::size_t i) const = 0;
  /// PIDs of the compute processes on GPU `i`.
  [[nodiscard]] virtual Result<std::vector<pid_t>> compute_pids(std::size_t i) const = 0;
};

}  // namespace co2e
