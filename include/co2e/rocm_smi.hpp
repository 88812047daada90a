// AMD GPUs through ROCm SMI, loaded at run time with dlopen("librocm_smi64.so...") like NVML, so
// that co2e needs no ROCm to build or run. Only the functions co2e calls are declared, by hand,
// from rocm_smi/rocm_smi.h (ROCm SMI library, ROCm 5 and 6). Energy: rsmi_dev_energy_count_get
// (an accumulator × its resolution in µJ) where supported, else rsmi_dev_power_ave_get (µW)
// integrated by the caller. Processes: rsmi_compute_process_info_get and
// rsmi_compute_process_gpus_get (KFD's PIDs).
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

/// The library names tried, in order, when CO2E_ROCM_SMI_LIBRARY is not set: the versioned
/// names of ROCm 7, 6 and 5, Debian's (librocm-smi64-1), the development link, and ROCm's
/// default prefix.
inline constexpr const char* kRocmSmiLibraries[] = {"librocm_smi64.so.7", "librocm_smi64.so.6",
                                                    "librocm_smi64.so.5", "librocm_smi64.so.1",
                                                    "librocm_smi64.so",   "/opt/rocm/lib/librocm_smi64.so"};

/// An initialised ROCm SMI library; shuts it down and unloads it when destroyed.
class RocmSmi final : public GpuLibrary {
 public:
  /// Loads `library`, calls rsmi_init(0) and lists the GPUs. The Error says why ROCm SMI is
  /// unavailable (library missing, symbol missing, rsmi_init failed).
  static Result<std::unique_ptr<RocmSmi>> open(const std::string& library);
  /// The first of kRocmSmiLibraries that loads; the Error lists why each failed.
  static Result<std::unique_ptr<RocmSmi>> open_default();
  ~RocmSmi() override;

  [[nodiscard]] GpuVendor vendor() const override { return GpuVendor::amd; }
  [[nodiscard]] std::string_view name() const override { return "ROCm SMI"; }
  [[nodiscard]] const std::vector<GpuDevice>& devices() const override { return devices_; }
  /// rsmi_dev_energy_count_get: counter × resolution (µJ), in millijoules.
  [[nodiscard]] Result<std::uint64_t> energy_mj(std::size_t i) const override;
  /// rsmi_dev_power_ave_get (sensor 0), µW, in milliwatts.
  [[nodiscard]] Result<unsigned> power_mw(std::size_t i) const override;
  /// The PIDs ROCm SMI lists whose GPUs include `i`.
  [[nodiscard]] Result<std::vector<pid_t>> compute_pids(std::size_t i) const override;

  struct Api;

 private:
  RocmSmi() = default;
  std::unique_ptr<Api> api_;
  std::vector<GpuDevice> devices_;
};

}  // namespace co2e
