// NVML through the fake library built from tests/fake_nvml/fake_nvml.c (configured by FAKE_NVML_*).
#include <unistd.h>
#include <catch2/catch.hpp>
#include <cstdlib>
#include <string>
#include <thread>

#include "co2e/data.hpp"
#include "co2e/meter.hpp"
#include "co2e/nvml.hpp"
#include "support.hpp"

using co2e::Nvml;

namespace {

/// Sets the fake's environment for one test and clears it afterwards.
struct FakeEnv {
  explicit FakeEnv(std::initializer_list<std::pair<const char*, const char*>> vars) {
    for (const char* n : {"FAKE_NVML_INIT_ERROR", "FAKE_NVML_GPUS", "FAKE_NVML_COUNTER", "FAKE_NVML_POWER_MW",
                          "FAKE_NVML_POWER_ERROR", "FAKE_NVML_PIDS"})
      ::unsetenv(n);
    for (const auto& [n, v] : vars) ::setenv(n, v, 1);
  }
  ~FakeEnv() {
    for (const char* n : {"FAKE_NVML_INIT_ERROR", "FAKE_NVML_GPUS", "FAKE_NVML_COUNTER", "FAKE_NVML_POWER_MW",
                          "FAKE_NVML_POWER_ERROR", "FAKE_NVML_PIDS"})
      ::unsetenv(n);
  }
  FakeEnv(const FakeEnv&) = delete;
  FakeEnv& operator=(const FakeEnv&) = delete;
};

}  // namespace

TEST_CASE("Nvml::open", "[unit]") {
  SECTION("library missing: the dlopen reason") {
    auto n = Nvml::open("/nonexistent/libnvidia-ml.so.1");
    REQUIRE_FALSE(n.ok());
    CHECK(n.error().message.find("/nonexistent/libnvidia-ml.so.1") != std::string::npos);
  }
  SECTION("library without NVML symbols") {
    auto n = Nvml::open("libc.so.6");
    REQUIRE_FALSE(n.ok());
    CHECK(n.error().message == "libc.so.6: no symbol nvmlInit_v2");
  }
  SECTION("nvmlInit fails: NVML's own error string") {
    FakeEnv env{{"FAKE_NVML_INIT_ERROR", "9"}};
    auto n = Nvml::open(CO2E_FAKE_NVML);
    REQUIRE_FALSE(n.ok());
    CHECK(n.error().message == "nvmlInit failed: Driver Not Loaded (NVML error 9)");
  }
  SECTION("several GPUs, by UUID, with energy counters") {
    FakeEnv env{{"FAKE_NVML_GPUS", "3"}};
    auto n = Nvml::open(CO2E_FAKE_NVML);
    REQUIRE(n.ok());
    const auto& devs = (*n)->devices();
    REQUIRE(devs.size() == 3);
    CHECK(devs[2].uuid == "GPU-fake-0002");
    CHECK(devs[2].name == "Fake GPU 2");
    CHECK(devs[0].has_energy_counter);
  }
  SECTION("counter not supported (pre-Volta): the reason is kept") {
    FakeEnv env{{"FAKE_NVML_COUNTER", "0"}};
    auto n = Nvml::open(CO2E_FAKE_NVML);
    REQUIRE(n.ok());
    CHECK_FALSE((*n)->devices()[0].has_energy_counter);
    CHECK((*n)->devices()[0].counter_problem == "nvmlDeviceGetTotalEnergyConsumption: Not Supported (NVML error 3)");
    CHECK_FALSE((*n)->energy_mj(0).ok());
  }
}

TEST_CASE("Nvml readings", "[unit]") {
  FakeEnv env{{"FAKE_NVML_GPUS", "2"}, {"FAKE_NVML_POWER_MW", "250000"}, {"FAKE_NVML_PIDS", "123,456"}};
  auto n = Nvml::open(CO2E_FAKE_NVML);
  REQUIRE(n.ok());
  const Nvml& nv = **n;
  SECTION("power in mW") { CHECK(*nv.power_mw(1) == 250000); }
  SECTION("energy counter grows") {
    const auto a = *nv.energy_mj(0);
    std::this_thread::sleep_for(std::chrono::milliseconds(20));
    CHECK(*nv.energy_mj(0) > a);
  }
  SECTION("compute processes per GPU") {
    CHECK(*nv.compute_pids(0) == std::vector<pid_t>{123, 456});
    CHECK(nv.compute_pids(1)->empty());
  }
}

TEST_CASE("Nvml power error", "[unit]") {
  FakeEnv env{{"FAKE_NVML_POWER_ERROR", "15"}};
  auto n = Nvml::open(CO2E_FAKE_NVML);
  REQUIRE(n.ok());
  auto p = (*n)->power_mw(0);
  REQUIRE_FALSE(p.ok());
  CHECK(p.error().message == "nvmlDeviceGetPowerUsage(GPU-fake-0000): GPU is lost (NVML error 15)");
}

TEST_CASE("Meter GPU methods", "[unit]") {
  const co2e::Dataset data;
  co2e::test::TempDir empty;
  co2e::MeterOptions o;
  o.powercap_root = empty.path();
  o.nvml_library = CO2E_FAKE_NVML;
  o.core_power_w = 10;
  auto measure = [&](bool all) {
    o.all_gpus = all;
    co2e::Meter m = co2e::Meter::create(o, data);
    const auto t0 = co2e::Clock::now();
    m.start(t0);
    m.attach(::getpid());
    m.sample(t0 + std::chrono::milliseconds(500));
    std::this_thread::sleep_for(std::chrono::milliseconds(50));
    m.finish(t0 + std::chrono::seconds(1), 0, 0);
    return m;
  };
  SECTION("counter: the counter's delta") {
    FakeEnv env{{"FAKE_NVML_GPUS", "2"}};
    const auto m = measure(true);
    CHECK(m.gpu().method == "nvml_counter");
    CHECK(m.gpus().size() == 2);
    CHECK(m.totals().gpu_kwh > 0);
  }
  SECTION("no counter: 100 W integrated over the 1 s of (fake) clock time") {
    FakeEnv env{{"FAKE_NVML_COUNTER", "0"}};
    const auto m = measure(true);
    CHECK(m.gpu().method == "nvml_power");
    CHECK(m.totals().gpu_kwh * 3.6e6 == Approx(100.0));
    CHECK(m.gpu().unavailable.at(0).find("Not Supported") != std::string::npos);
  }
  SECTION("process scope: a GPU the tree does not use is not counted") {
    FakeEnv env{{"FAKE_NVML_COUNTER", "0"}};
    const auto m = measure(false);
    CHECK(m.gpu().method == "none");
    CHECK(m.totals().gpu_kwh == 0);
  }
  SECTION("process scope: a GPU running a process of the tree is counted") {
    const std::string self = std::to_string(::getpid());
    FakeEnv env{{"FAKE_NVML_COUNTER", "0"}, {"FAKE_NVML_PIDS", self.c_str()}};
    const auto m = measure(false);
    CHECK(m.gpu().method == "nvml_power");
    CHECK(m.gpus()[0].used);
    CHECK(m.totals().gpu_kwh > 0);
  }
}
