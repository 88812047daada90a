// NVIDIA GPUs through NVML, loaded at run time with dlopen("libnvidia-ml.so.1") so that co2e needs
// no CUDA to build or run. Only the few functions co2e uses are declared, by hand (nvml.h, NVML
// API reference). Energy: nvmlDeviceGetTotalEnergyConsumption (mJ since driver load, Volta and
// newer) where supported, else nvmlDeviceGetPowerUsage (mW) integrated by the caller.
#pragma once

#include <sys/types.h>
#include <cstdint>
#include <memory>
#include <optional>
#include <string>
#include <vector>

#include "co2e/error.hpp"

namespace co2e {

/// One GPU as NVML names it.
struct GpuDevice {
  unsigned index = 0;
  std::string uuid;  ///< `GPU-8a3c...`: stable across reboots and CUDA_VISIBLE_DEVICES
  std::string name;  ///< `NVIDIA H100 80GB HBM3`
  bool has_energy_counter = false;
  std::string counter_problem;  ///< why the energy counter is not used, when it is not
};

/// An initialised NVML library; shuts it down and unloads it when destroyed.
class Nvml {
 public:
  /// Loads `library` (normally "libnvidia-ml.so.1"), initialises NVML and lists the GPUs. The
  /// Error says why NVML is unavailable (library missing, symbol missing, nvmlInit failed).
  static Result<std::unique_ptr<Nvml>> open(const std::string& library);
  ~Nvml();
  Nvml(const Nvml&) = delete;
  Nvml& operator=(const Nvml&) = delete;

  [[nodiscard]] const std::vector<GpuDevice>& devices() const { return devices_; }
  /// Energy counter of GPU `i`, millijoules since the driver loaded.
  [[nodiscard]] Result<std::uint64_t> energy_mj(std::size_t i) const;
  /// Power draw of GPU `i`, milliwatts.
  [[nodiscard]] Result<unsigned> power_mw(std::size_t i) const;
  /// PIDs of the compute processes on GPU `i`.
  [[nodiscard]] Result<std::vector<pid_t>> compute_pids(std::size_t i) const;

  struct Api;

 private:
  Nvml() = default;
  void* handle_ = nullptr;
  std::unique_ptr<Api> api_;
  std::vector<void*> device_handles_;
  std::vector<GpuDevice> devices_;
};

}  // namespace co2e
