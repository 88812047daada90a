// ROCm SMI through the fake library built from tests/fake_rocm_smi/fake_rocm_smi.c (FAKE_RSMI_*),
// and the Meter reading AMD GPUs through it. Expected values are the fake's settings worked by
// hand: 250 W for 10 s is 2500 J; a counter of N counts at 15.3 µJ is N x 15.3 µJ.
#include <unistd.h>
#include <catch2/catch.hpp>
#include <cstdlib>
#include <string>
#include <thread>

#include "co2e/data.hpp"
#include "co2e/meter.hpp"
#include "co2e/rocm_smi.hpp"
#include "support.hpp"

using co2e::RocmSmi;

namespace {

constexpr const char* kVars[] = {"FAKE_RSMI_INIT_ERROR", "FAKE_RSMI_GPUS",       "FAKE_RSMI_COUNTER",
                                 "FAKE_RSMI_POWER_UW",   "FAKE_RSMI_RESOLUTION", "FAKE_RSMI_PIDS"};

/// Sets the fake's environment for one test and clears it afterwards.
struct FakeEnv {
  explicit FakeEnv(std::initializer_list<std::pair<const char*, const char*>> vars) {
    for (const char* n : kVars) ::unsetenv(n);
    for (const auto& [n, v] : vars) ::setenv(n, v, 1);
  }
  ~FakeEnv() {
    for (const char* n : kVars) ::unsetenv(n);
  }
  FakeEnv(const FakeEnv&) = delete;
  FakeEnv& operator=(const FakeEnv&) = delete;
};

}  // namespace

TEST_CASE("RocmSmi::open", "[unit]") {
  SECTION("library missing: the dlopen reason") {
    auto r = RocmSmi::open("/nonexistent/librocm_smi64.so");
    REQUIRE_FALSE(r.ok());
    CHECK(r.error().message.find("/nonexistent/librocm_smi64.so") != std::string::npos);
  }
  SECTION("library without ROCm SMI symbols") {
    auto r = RocmSmi::open("libc.so.6");
    REQUIRE_FALSE(r.ok());
    CHECK(r.error().message == "libc.so.6: no symbol rsmi_init");
  }
  SECTION("rsmi_init fails: ROCm SMI's own status string") {
    FakeEnv env{{"FAKE_RSMI_INIT_ERROR", "8"}};
    auto r = RocmSmi::open(CO2E_FAKE_ROCM_SMI);
    REQUIRE_FALSE(r.ok());
    CHECK(r.error().message == "rsmi_init failed: RSMI_STATUS_INIT_ERROR (ROCm SMI status 8)");
  }
  SECTION("GPUs by unique id, names, energy counters") {
    FakeEnv env{{"FAKE_RSMI_GPUS", "2"}};
    auto r = RocmSmi::open(CO2E_FAKE_ROCM_SMI);
    REQUIRE(r.ok());
    const auto& devs = (*r)->devices();
    REQUIRE(devs.size() == 2);
    CHECK(devs[1].uuid == "AMD-GPU-0x0000000000001001");  // the fake's id 0x1000 + index
    CHECK(devs[1].name == "AMD Instinct MI250X (fake)");
    CHECK(devs[1].has_energy_counter);
    CHECK((*r)->vendor() == co2e::GpuVendor::amd);
  }
  SECTION("power: µW read as mW") {
    FakeEnv env{{"FAKE_RSMI_POWER_UW", "312500000"}};  // 312.5 W
    auto r = RocmSmi::open(CO2E_FAKE_ROCM_SMI);
    REQUIRE(r.ok());
    CHECK(*(*r)->power_mw(0) == 312500);
  }
  SECTION("energy: counter x resolution (µJ), read as mJ") {
    // 250 W = 250 J/s: after 0.2 s the counter is about 50 J / 15.3 µJ = 3.27 million counts.
    FakeEnv env{{"FAKE_RSMI_POWER_UW", "250000000"}, {"FAKE_RSMI_RESOLUTION", "15.3"}};
    auto r = RocmSmi::open(CO2E_FAKE_ROCM_SMI);
    REQUIRE(r.ok());
    const auto e0 = *(*r)->energy_mj(0);
    std::this_thread::sleep_for(std::chrono::milliseconds(200));
    const auto e1 = *(*r)->energy_mj(0);
    // 250 W x (at least 0.2 s) = at least 50 J = 50000 mJ; far less than 250 W x 2 s.
    CHECK(e1 - e0 >= 49900);
    CHECK(e1 - e0 < 500000);
  }
  SECTION("no energy counter: why") {
    FakeEnv env{{"FAKE_RSMI_COUNTER", "0"}};
    auto r = RocmSmi::open(CO2E_FAKE_ROCM_SMI);
    REQUIRE(r.ok());
    CHECK_FALSE((*r)->devices()[0].has_energy_counter);
    CHECK((*r)->devices()[0].counter_problem ==
          "rsmi_dev_energy_count_get: RSMI_STATUS_NOT_SUPPORTED (ROCm SMI status 2)");
  }
  SECTION("compute processes: those whose GPUs include the device") {
    FakeEnv env{{"FAKE_RSMI_GPUS", "2"}, {"FAKE_RSMI_PIDS", "4242,77"}};
    auto r = RocmSmi::open(CO2E_FAKE_ROCM_SMI);
    REQUIRE(r.ok());
    CHECK(*(*r)->compute_pids(0) == std::vector<pid_t>{4242, 77});
    CHECK((*r)->compute_pids(1)->empty());  // the fake runs every process on GPU 0
  }
}

TEST_CASE("Meter: AMD GPUs through ROCm SMI when NVML lists none", "[unit]") {
  using namespace co2e;
  const Dataset data;
  co2e::test::TempDir d;
  FakeEnv env{{"FAKE_RSMI_GPUS", "1"}, {"FAKE_RSMI_COUNTER", "0"}, {"FAKE_RSMI_POWER_UW", "250000000"}};
  MeterOptions o;
  o.scope = Scope::machine;
  o.powercap_root = d.path() + "/none";
  o.proc_root = d.path() + "/proc";
  o.cpuinfo_path = d.path() + "/cpuinfo";
  o.core_power_w = 10;
  o.nvml_library = "/nonexistent/libnvidia-ml.so.1";
  o.rocm_smi_library = CO2E_FAKE_ROCM_SMI;
  Meter meter = Meter::create(o, data);
  REQUIRE(meter.gpus().size() == 1);
  CHECK(meter.gpus()[0].vendor == GpuVendor::amd);
  const auto t0 = Clock::now();
  meter.start(t0);
  meter.sample(t0 + std::chrono::seconds(10));
  // Power samples: 250 W constant, trapezoids over 10 s = 2500 J.
  CHECK(meter.totals().gpu_kwh == Approx(2500.0 / 3.6e6));
  const ComponentReport g = meter.gpu();
  CHECK(g.method == "rocm_smi_power");
  CHECK(g.detail == "ROCm SMI: 1 of 1 GPU counted (all GPUs); power samples integrated over time");
  REQUIRE_FALSE(g.unavailable.empty());
  CHECK(g.unavailable[0].starts_with("NVML unavailable: /nonexistent/libnvidia-ml.so.1"));
}

TEST_CASE("Meter: --gpu MODEL's table power when no GPU library measures one", "[unit]") {
  using namespace co2e;
  const Dataset data;
  co2e::test::TempDir d;
  MeterOptions o;
  o.scope = Scope::machine;
  o.powercap_root = d.path() + "/none";
  o.proc_root = d.path() + "/proc";
  o.cpuinfo_path = d.path() + "/cpuinfo";
  o.core_power_w = 10;
  o.nvml_library = "";
  o.rocm_smi_library = "";
  const GpuModel* a100 = *data.find_gpu("A100 PCIe 40GB");
  REQUIRE(a100->tdp_w == 250);  // NVIDIA A100 PCIe datasheet: 250 W max TDP
  o.gpu_model = a100;
  o.gpu_count = 2;
  Meter meter = Meter::create(o, data);
  CHECK(meter.gpus().empty());
  const auto t0 = Clock::now();
  meter.start(t0);
  meter.sample(t0 + std::chrono::seconds(100));
  // 2 GPUs x 250 W x 100 s = 50 000 J.
  CHECK(meter.totals().gpu_kwh == Approx(50000.0 / 3.6e6));
  const ComponentReport g = meter.gpu();
  CHECK(g.method == "table");
  CHECK(g.detail.find("250 W per GPU, its table power") != std::string::npos);
  CHECK(g.detail.find("x 2 GPUs (--gpus) x wall time: no GPU library measured it") != std::string::npos);
  CHECK(*g.dynamic_kwh == Approx(50000.0 / 3.6e6));
  SECTION("--gpu-power wins over the table, method flag") {
    o.gpu_power_w = 300;
    o.gpu_count.reset();
    Meter m2 = Meter::create(o, data);
    m2.start(t0);
    m2.sample(t0 + std::chrono::seconds(10));
    CHECK(m2.totals().gpu_kwh == Approx(3000.0 / 3.6e6));  // 1 GPU (default) x 300 W x 10 s
    CHECK(m2.gpu().method == "flag");
    CHECK(m2.gpu().detail.starts_with("300 W per GPU (--gpu-power) x 1 GPU (default; --gpus N for more)"));
  }
}
