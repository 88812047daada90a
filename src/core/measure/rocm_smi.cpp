// ROCm SMI through dlopen (see rocm_smi.hpp). Declarations follow rocm_smi/rocm_smi.h:
// rsmi_status_t is an enum (an int here, RSMI_STATUS_SUCCESS = 0); devices are plain indexes.
#include "co2e/rocm_smi.hpp"

#include <fcntl.h>
#include <fmt/format.h>
#include <unistd.h>
#include <algorithm>
#include <cstdio>
#include <utility>

#include "co2e/fd.hpp"
#include "util/dynamic_library.hpp"

namespace co2e {

namespace {

using rsmi_status_t = int;
constexpr rsmi_status_t kSuccess = 0;

/// rsmi_process_info_t of ROCm 5 and 6 (process_id, pasid, vram_usage, sdma_usage, cu_occupancy).
struct ProcessInfo {
  std::uint32_t process_id;
  std::uint32_t pasid;
  std::uint64_t vram_usage;
  std::uint64_t sdma_usage;
  std::uint32_t cu_occupancy;
};

/// Standard error sent to /dev/null while it lives. ROCm SMI writes its own diagnostics to stderr
/// ("Failed to open drm root directory ...", "Exception caught: rsmi_init.") on a machine without
/// AMD GPUs, in the middle of co2e's report; the status it returns says the same, and co2e reports
/// it ("ROCm SMI unavailable: rsmi_init failed: ..."). Used only before the command starts and
/// after it ended (co2e is single-threaded then), so no other output is lost.
class QuietStderr {
 public:
  QuietStderr() : saved_(::fcntl(STDERR_FILENO, F_DUPFD_CLOEXEC, 0)) {
    std::fflush(stderr);
    const Fd null = Fd::open("/dev/null", O_WRONLY);
    if (saved_ && null) ::dup2(null.get(), STDERR_FILENO);
  }
  ~QuietStderr() {
    if (!saved_) return;
    std::fflush(stderr);
    ::dup2(saved_.get(), STDERR_FILENO);
  }
  QuietStderr(const QuietStderr&) = delete;
  QuietStderr& operator=(const QuietStderr&) = delete;

 private:
  Fd saved_;  // the real stderr, restored and closed at the end
};

}  // namespace

struct RocmSmi::Api {
  detail::DynamicLibrary lib;  // closed last, after ~RocmSmi's rsmi_shut_down
  rsmi_status_t (*init)(std::uint64_t) = nullptr;
  rsmi_status_t (*shut_down)() = nullptr;
  rsmi_status_t (*status_string)(rsmi_status_t, const char**) = nullptr;
  rsmi_status_t (*num_devices)(std::uint32_t*) = nullptr;
  rsmi_status_t (*name)(std::uint32_t, char*, std::size_t) = nullptr;
  rsmi_status_t (*unique_id)(std::uint32_t, std::uint64_t*) = nullptr;
  rsmi_status_t (*power_ave)(std::uint32_t, std::uint32_t, std::uint64_t*) = nullptr;
  rsmi_status_t (*energy)(std::uint32_t, std::uint64_t*, float*, std::uint64_t*) = nullptr;
  rsmi_status_t (*procs)(ProcessInfo*, std::uint32_t*) = nullptr;
  rsmi_status_t (*proc_gpus)(std::uint32_t, std::uint32_t*, std::uint32_t*) = nullptr;

  [[nodiscard]] std::string why(rsmi_status_t rc) const {
    const char* s = nullptr;
    if (status_string != nullptr && status_string(rc, &s) != kSuccess) s = nullptr;
    return s != nullptr ? fmt::format("{} (ROCm SMI status {})", s, rc) : fmt::format("ROCm SMI status {}", rc);
  }
};

Result<std::unique_ptr<RocmSmi>> RocmSmi::open(const std::string& library) {
  auto lib = detail::DynamicLibrary::open(library);
  if (!lib) return lib.error();
  std::unique_ptr<RocmSmi> r(new RocmSmi());
  r->api_ = std::make_unique<Api>();
  Api& a = *r->api_;
  a.lib = std::move(*lib);
  const detail::DynamicLibrary& l = a.lib;
  for (Status missing :
       {l.require(a.init, {"rsmi_init"}), l.require(a.shut_down, {"rsmi_shut_down"}),
        l.require(a.num_devices, {"rsmi_num_monitor_devices"}), l.require(a.power_ave, {"rsmi_dev_power_ave_get"})})
    if (missing) return *missing;
  l.find(a.status_string, {"rsmi_status_string"});
  l.find(a.name, {"rsmi_dev_name_get"});
  l.find(a.unique_id, {"rsmi_dev_unique_id_get"});
  l.find(a.energy, {"rsmi_dev_energy_count_get"});
  l.find(a.procs, {"rsmi_compute_process_info_get"});
  l.find(a.proc_gpus, {"rsmi_compute_process_gpus_get"});

  rsmi_status_t init_rc = 0;
  {
    const QuietStderr quiet;
    init_rc = a.init(0);
  }
  if (const rsmi_status_t rc = init_rc; rc != kSuccess) {
    const std::string why = a.why(rc);
    a.shut_down = nullptr;  // nothing to shut down
    return Error::data(fmt::format("rsmi_init failed: {}", why));
  }
  std::uint32_t count = 0;
  if (const rsmi_status_t rc = a.num_devices(&count); rc != kSuccess)
    return Error::data(fmt::format("rsmi_num_monitor_devices failed: {}", a.why(rc)));
  for (std::uint32_t i = 0; i < count; ++i) {
    GpuDevice g;
    g.index = i;
    std::uint64_t id = 0;
    if (a.unique_id != nullptr && a.unique_id(i, &id) == kSuccess)
      g.uuid = fmt::format("AMD-GPU-{:#018x}", id);
    else
      g.uuid = fmt::format("AMD-GPU-index-{}", i);
    char buf[256] = {};
    if (a.name != nullptr && a.name(i, buf, sizeof buf - 1) == kSuccess) g.name = buf;
    if (a.energy == nullptr) {
      g.counter_problem = "rsmi_dev_energy_count_get missing from the library";
    } else {
      std::uint64_t counter = 0, timestamp = 0;
      float resolution = 0;
      const rsmi_status_t rc = a.energy(i, &counter, &resolution, &timestamp);
      g.has_energy_counter = rc == kSuccess && resolution > 0;
      if (rc != kSuccess)
        g.counter_problem = fmt::format("rsmi_dev_energy_count_get: {}", a.why(rc));
      else if (resolution <= 0)
        g.counter_problem = "rsmi_dev_energy_count_get: no counter resolution";
    }
    r->devices_.push_back(std::move(g));
  }
  return r;
}

Result<std::unique_ptr<RocmSmi>> RocmSmi::open_default() {
  std::string why;
  for (const char* lib : kRocmSmiLibraries) {
    auto r = open(lib);
    if (r) return r;
    // A library that loads but fails (rsmi_init) is the answer: the others are the same library.
    if (r.error().message.starts_with("rsmi_") || r.error().message.find("no symbol") != std::string::npos) return r;
    if (why.empty()) why = r.error().message;
  }
  return Error::data(fmt::format("{} not found ({})", kRocmSmiLibraries[0], why));
}

RocmSmi::~RocmSmi() {
  if (api_ && api_->shut_down != nullptr) {
    const QuietStderr quiet;
    api_->shut_down();
  }
}

Result<std::uint64_t> RocmSmi::energy_mj(std::size_t i) const {
  if (api_->energy == nullptr) return Error::data("rsmi_dev_energy_count_get missing");
  std::uint64_t counter = 0, timestamp = 0;
  float resolution = 0;
  const auto dv = static_cast<std::uint32_t>(devices_.at(i).index);
  if (const rsmi_status_t rc = api_->energy(dv, &counter, &resolution, &timestamp); rc != kSuccess)
    return Error::data(fmt::format("rsmi_dev_energy_count_get({}): {}", devices_[i].uuid, api_->why(rc)));
  // The accumulator counts units of `resolution` µJ (15.3 µJ on MI200): µJ → mJ.
  return static_cast<std::uint64_t>(static_cast<double>(counter) * static_cast<double>(resolution) / 1000);
}

Result<unsigned> RocmSmi::power_mw(std::size_t i) const {
  std::uint64_t uw = 0;
  const auto dv = static_cast<std::uint32_t>(devices_.at(i).index);
  if (const rsmi_status_t rc = api_->power_ave(dv, 0, &uw); rc != kSuccess)
    return Error::data(fmt::format("rsmi_dev_power_ave_get({}): {}", devices_[i].uuid, api_->why(rc)));
  return static_cast<unsigned>(uw / 1000);
}

Result<std::vector<pid_t>> RocmSmi::compute_pids(std::size_t i) const {
  if (api_->procs == nullptr || api_->proc_gpus == nullptr)
    return Error::data("rsmi_compute_process_info_get missing from the library");
  // Ask for the count first (null array), then read at most that many.
  std::uint32_t n = 0;
  if (const rsmi_status_t rc = api_->procs(nullptr, &n); rc != kSuccess)
    return Error::data(fmt::format("rsmi_compute_process_info_get: {}", api_->why(rc)));
  std::vector<ProcessInfo> info(std::min<std::uint32_t>(n, 4096));
  n = static_cast<std::uint32_t>(info.size());
  if (n > 0)
    if (const rsmi_status_t rc = api_->procs(info.data(), &n); rc != kSuccess)
      return Error::data(fmt::format("rsmi_compute_process_info_get: {}", api_->why(rc)));
  std::vector<pid_t> out;
  const auto dv = devices_.at(i).index;
  for (std::uint32_t k = 0; k < n && k < info.size(); ++k) {
    std::uint32_t gpus[64] = {};
    std::uint32_t m = 64;
    if (api_->proc_gpus(info[k].process_id, gpus, &m) != kSuccess) continue;  // ended meanwhile
    if (std::find(gpus, gpus + std::min<std::uint32_t>(m, 64), dv) != gpus + std::min<std::uint32_t>(m, 64))
      out.push_back(static_cast<pid_t>(info[k].process_id));
  }
  return out;
}

}  // namespace co2e
