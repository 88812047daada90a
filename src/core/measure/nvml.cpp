// NVML through dlopen (see nvml.hpp). Declarations follow nvml.h (NVML API reference, r535):
// nvmlReturn_t is an int, nvmlDevice_t an opaque pointer.
#include "co2e/nvml.hpp"

#include <fmt/format.h>
#include <utility>

#include "util/dynamic_library.hpp"

namespace co2e {

namespace {

using nvmlReturn_t = int;
using nvmlDevice_t = void*;
constexpr nvmlReturn_t kSuccess = 0;
constexpr nvmlReturn_t kInsufficientSize = 7;

/// nvmlProcessInfo_v1_t (nvmlDeviceGetComputeRunningProcesses).
struct ProcessInfoV1 {
  unsigned int pid;
  unsigned long long used_gpu_memory;
};
/// nvmlProcessInfo_t of the _v2 and _v3 functions.
struct ProcessInfoV2 {
  unsigned int pid;
  unsigned long long used_gpu_memory;
  unsigned int gpu_instance_id;
  unsigned int compute_instance_id;
};

}  // namespace

struct Nvml::Api {
  detail::DynamicLibrary lib;  // closed last, after ~Nvml's nvmlShutdown
  nvmlReturn_t (*init)() = nullptr;
  nvmlReturn_t (*shutdown)() = nullptr;
  const char* (*error_string)(nvmlReturn_t) = nullptr;
  nvmlReturn_t (*device_count)(unsigned*) = nullptr;
  nvmlReturn_t (*handle_by_index)(unsigned, nvmlDevice_t*) = nullptr;
  nvmlReturn_t (*uuid)(nvmlDevice_t, char*, unsigned) = nullptr;
  nvmlReturn_t (*name)(nvmlDevice_t, char*, unsigned) = nullptr;
  nvmlReturn_t (*energy)(nvmlDevice_t, unsigned long long*) = nullptr;
  nvmlReturn_t (*power)(nvmlDevice_t, unsigned*) = nullptr;
  nvmlReturn_t (*procs_v2)(nvmlDevice_t, unsigned*, ProcessInfoV2*) = nullptr;  // _v3 or _v2
  nvmlReturn_t (*procs_v1)(nvmlDevice_t, unsigned*, ProcessInfoV1*) = nullptr;

  [[nodiscard]] std::string why(nvmlReturn_t rc) const {
    const char* s = error_string != nullptr ? error_string(rc) : nullptr;
    return s != nullptr ? fmt::format("{} (NVML error {})", s, rc) : fmt::format("NVML error {}", rc);
  }
};

Result<std::unique_ptr<Nvml>> Nvml::open(const std::string& library) {
  auto lib = detail::DynamicLibrary::open(library);
  if (!lib) return lib.error();
  std::unique_ptr<Nvml> n(new Nvml());
  n->api_ = std::make_unique<Api>();
  Api& a = *n->api_;
  a.lib = std::move(*lib);
  const detail::DynamicLibrary& l = a.lib;
  for (Status missing : {l.require(a.init, {"nvmlInit_v2", "nvmlInit"}), l.require(a.shutdown, {"nvmlShutdown"}),
                         l.require(a.device_count, {"nvmlDeviceGetCount_v2", "nvmlDeviceGetCount"}),
                         l.require(a.handle_by_index, {"nvmlDeviceGetHandleByIndex_v2", "nvmlDeviceGetHandleByIndex"}),
                         l.require(a.uuid, {"nvmlDeviceGetUUID"}), l.require(a.power, {"nvmlDeviceGetPowerUsage"})})
    if (missing) return *missing;
  l.find(a.error_string, {"nvmlErrorString"});
  l.find(a.name, {"nvmlDeviceGetName"});
  l.find(a.energy, {"nvmlDeviceGetTotalEnergyConsumption"});
  if (!l.find(a.procs_v2, {"nvmlDeviceGetComputeRunningProcesses_v3", "nvmlDeviceGetComputeRunningProcesses_v2"}))
    l.find(a.procs_v1, {"nvmlDeviceGetComputeRunningProcesses"});

  if (const nvmlReturn_t rc = a.init(); rc != kSuccess) {
    const std::string why = a.why(rc);
    a.shutdown = nullptr;  // nothing to shut down
    return Error::data(fmt::format("nvmlInit failed: {}", why));
  }
  unsigned count = 0;
  if (const nvmlReturn_t rc = a.device_count(&count); rc != kSuccess)
    return Error::data(fmt::format("nvmlDeviceGetCount failed: {}", a.why(rc)));
  for (unsigned i = 0; i < count; ++i) {
    nvmlDevice_t dev = nullptr;
    if (const nvmlReturn_t rc = a.handle_by_index(i, &dev); rc != kSuccess)
      return Error::data(fmt::format("nvmlDeviceGetHandleByIndex({}) failed: {}", i, a.why(rc)));
    GpuDevice g;
    g.index = i;
    char buf[96] = {};  // NVML_DEVICE_UUID_V2_BUFFER_SIZE, NVML_DEVICE_NAME_V2_BUFFER_SIZE
    if (a.uuid(dev, buf, sizeof buf) == kSuccess)
      g.uuid = buf;
    else
      g.uuid = fmt::format("GPU-index-{}", i);
    if (a.name != nullptr && a.name(dev, buf, sizeof buf) == kSuccess) g.name = buf;
    if (a.energy == nullptr) {
      g.counter_problem = "nvmlDeviceGetTotalEnergyConsumption missing from the library";
    } else {
      unsigned long long mj = 0;
      const nvmlReturn_t rc = a.energy(dev, &mj);
      g.has_energy_counter = rc == kSuccess;
      if (rc != kSuccess) g.counter_problem = fmt::format("nvmlDeviceGetTotalEnergyConsumption: {}", a.why(rc));
    }
    n->device_handles_.push_back(dev);
    n->devices_.push_back(std::move(g));
  }
  return n;
}

Nvml::~Nvml() {
  if (api_ && api_->shutdown != nullptr) api_->shutdown();
}

Result<std::uint64_t> Nvml::energy_mj(std::size_t i) const {
  if (api_->energy == nullptr) return Error::data("nvmlDeviceGetTotalEnergyConsumption missing");
  unsigned long long mj = 0;
  if (const nvmlReturn_t rc = api_->energy(device_handles_.at(i), &mj); rc != kSuccess)
    return Error::data(fmt::format("nvmlDeviceGetTotalEnergyConsumption({}): {}", devices_[i].uuid, api_->why(rc)));
  return static_cast<std::uint64_t>(mj);
}

Result<unsigned> Nvml::power_mw(std::size_t i) const {
  unsigned mw = 0;
  if (const nvmlReturn_t rc = api_->power(device_handles_.at(i), &mw); rc != kSuccess)
    return Error::data(fmt::format("nvmlDeviceGetPowerUsage({}): {}", devices_[i].uuid, api_->why(rc)));
  return mw;
}

Result<std::vector<pid_t>> Nvml::compute_pids(std::size_t i) const {
  std::vector<pid_t> out;
  nvmlDevice_t dev = device_handles_.at(i);
  // Ask for the count first, then retry while processes appear in between.
  for (unsigned capacity = 16; capacity <= 4096; capacity *= 4) {
    unsigned n = capacity;
    nvmlReturn_t rc = 0;
    if (api_->procs_v2 != nullptr) {
      std::vector<ProcessInfoV2> info(capacity);
      rc = api_->procs_v2(dev, &n, info.data());
      if (rc == kSuccess) {
        for (unsigned k = 0; k < n && k < capacity; ++k) out.push_back(static_cast<pid_t>(info[k].pid));
        return out;
      }
    } else if (api_->procs_v1 != nullptr) {
      std::vector<ProcessInfoV1> info(capacity);
      rc = api_->procs_v1(dev, &n, info.data());
      if (rc == kSuccess) {
        for (unsigned k = 0; k < n && k < capacity; ++k) out.push_back(static_cast<pid_t>(info[k].pid));
        return out;
      }
    } else {
      return Error::data("nvmlDeviceGetComputeRunningProcesses missing from the library");
    }
    if (rc != kInsufficientSize)
      return Error::data(fmt::format("nvmlDeviceGetComputeRunningProcesses({}): {}", devices_[i].uuid, api_->why(rc)));
  }
  return Error::data("nvmlDeviceGetComputeRunningProcesses: too many processes");
}

}  // namespace co2e
