// NVIDIA GPUs through NVML, loaded at run time with dlopen("libnvidia-ml.so.1") so that co2e needs
// no CUDA to build or run. Only the few functions co2e uses are declared, by hand (nvml.h, NVML
// API reference). Energy: nvmlDeviceGetTotalEnergyConsumption (mJ since driver load, Volta and
// newer) where supported, else nvmlDeviceGetPowerUsage (mW) integrated by the caller.
#pragma once

#include <sys/types.h>
#include <cstddef>
#include <cstdint>
#include <memory>
#include <string>
#include <string_view>
#include <vector>

#include "co2e/error.hpp"
#include "co2e/gpu_library.hpp"

namespace co2e {

/// An initialised NVML library; shuts it down and unloads it when destroyed.
class Nvml final : public GpuLibrary {
 public:
  /// Loads `library` (normally "libnvidia-ml.so.1"), initialises NVML and lists the GPUs. The
  /// Error says why NVML is unavailable (library missing, symbol missing, nvmlInit failed).
  static Result<std::unique_ptr<Nvml>> open(const std::string& library);
  ~Nvml() override;

  [[nodiscard]] GpuVendor vendor() const override { return GpuVendor::nvidia; }
  [[nodiscard]] std::string_view name() const override { return "NVML"; }
  [[nodiscard]] const std::vector<GpuDevice>& devices() const override { return devices_; }
  /// nvmlDeviceGetTotalEnergyConsumption: millijoules since the driver loaded.
  [[nodiscard]] Result<std::uint64_t> energy_mj(std::size_t i) const override;
  /// nvmlDeviceGetPowerUsage, milliwatts.
  [[nodiscard]] Result<unsigned> power_mw(std::size_t i) const override;
  /// nvmlDeviceGetComputeRunningProcesses.
  [[nodiscard]] Result<std::vector<pid_t>> compute_pids(std::size_t i) const override;

  struct Api;

 private:
  Nvml() = default;
  std::unique_ptr<Api> api_;
  std::vector<void*> device_handles_;
  std::vector<GpuDevice> devices_;
};

}  // namespace co2e
