// The meter's choice of method per component (the fallback chain), its integration, the budget
// check, and the /proc readers it uses.
#include <unistd.h>
#include <catch2/catch.hpp>
#include <filesystem>
#include <string>

#include "co2e/data.hpp"
#include "co2e/meter.hpp"
#include "co2e/proctree.hpp"
#include "support.hpp"

using namespace co2e;
using co2e::test::TempDir;

namespace {

MeterOptions no_hardware(const TempDir& d) {
  MeterOptions o;
  o.powercap_root = d.path() + "/powercap";  // missing
  o.nvml_library = "";
  o.cpuinfo_path = d.path() + "/cpuinfo";
  return o;
}

}  // namespace

TEST_CASE("Meter::create CPU fallback chain", "[unit]") {
  const Dataset data;
  TempDir d;
  MeterOptions o = no_hardware(d);
  SECTION("RAPL when readable") {
    std::filesystem::create_directories(d.path() + "/powercap/intel-rapl:0");
    d.write("powercap/intel-rapl:0/name", "package-0\n");
    d.write("powercap/intel-rapl:0/energy_uj", "1000000\n");
    o.scope = Scope::machine;
    Meter m = Meter::create(o, data);
    CHECK(m.cpu().method == "rapl");
    CHECK(m.cpu().detail == "RAPL package-0 (whole machine)");
    CHECK(m.memory().method == "rss");
    CHECK(m.memory().unavailable == std::vector<std::string>{"RAPL has no dram domain"});
    // 3.6 kJ more on the counter: 1 Wh, whole machine.
    const auto t0 = Clock::now();
    m.start(t0);
    m.attach(::getpid());
    d.write("powercap/intel-rapl:0/energy_uj", "3601000000\n");
    m.sample(t0 + std::chrono::seconds(1));
    CHECK(m.totals().cpu_kwh == Approx(0.001));
  }
  SECTION("the CPU model from cpuinfo") {
    d.write("cpuinfo",
            "processor\t: 0\nvendor_id\t: GenuineIntel\nmodel name\t: Intel(R) Xeon(R) Gold 6248 CPU @ 2.50GHz\n");
    const Meter m = Meter::create(o, data);
    CHECK(m.cpu().method == "model");
    CHECK(m.cpu().detail.starts_with("Intel Xeon Gold 6248 (detected in " + d.path() +
                                     "/cpuinfo): 150 W TDP / 20 cores = 7.5 W per core"));
    REQUIRE(m.cpu().unavailable.size() == 1);
    CHECK(m.cpu().unavailable[0] == "RAPL unavailable: " + d.path() + "/powercap: No such file or directory");
  }
  SECTION("an unknown model: the default, and why") {
    d.write("cpuinfo", "model name\t: Imaginary CPU 9000\n");
    const Meter m = Meter::create(o, data);
    CHECK(m.cpu().method == "default");
    CHECK(m.cpu().detail.starts_with("default 12 W per core"));
    REQUIRE(m.cpu().unavailable.size() == 2);
    CHECK(m.cpu().unavailable[1].starts_with("CPU model \"Imaginary CPU 9000\""));
  }
  SECTION("no cpuinfo: the default, and why") {
    const Meter m = Meter::create(o, data);
    CHECK(m.cpu().method == "default");
    CHECK(m.cpu().unavailable[1] == "CPU model unknown: " + d.path() + "/cpuinfo: No such file or directory");
  }
  SECTION("--core-power wins over the detected model") {
    d.write("cpuinfo", "model name\t: Intel(R) Xeon(R) Gold 6248 CPU @ 2.50GHz\n");
    o.core_power_w = 3;
    const Meter m = Meter::create(o, data);
    CHECK(m.cpu().method == "flag");
    CHECK(m.cpu().detail.starts_with("3 W per core (--core-power)"));
  }
  SECTION("memory: --memory instead of the resident memory") {
    o.memory_gb = 10;
    o.core_power_w = 1;
    Meter m = Meter::create(o, data);
    CHECK(m.memory().method == "flag");
    const auto t0 = Clock::now();
    m.start(t0);
    m.attach(::getpid());
    m.finish(t0 + std::chrono::hours(1), 0, 0);
    CHECK(m.totals().memory_kwh == Approx(10 * 0.3725 / 1000));
  }
}

TEST_CASE("Meter CPU energy from CPU time", "[unit]") {
  const Dataset data;
  TempDir d;
  MeterOptions o = no_hardware(d);
  o.core_power_w = 10;
  Meter m = Meter::create(o, data);
  const auto t0 = Clock::now();
  m.start(t0);
  m.attach(::getpid());
  // wait4's CPU time at the end covers what the samples missed: 36 s x 10 W = 0.1 Wh.
  m.finish(t0 + std::chrono::seconds(40), 36, 0.5);
  CHECK(m.totals().tree_cpu_s == Approx(36));
  CHECK(m.totals().cpu_kwh == Approx(0.0001));
  CHECK(m.totals().peak_rss_gb == Approx(0.5));
}

TEST_CASE("check_budget", "[unit]") {
  RunLimits l;
  l.budget_g = 10;
  SECTION("under") { CHECK_FALSE(check_budget(0.01, 5, Seconds(10), l).exceeded); }
  SECTION("over the mass") {
    const auto b = check_budget(0.01, 12, Seconds(10), l);
    CHECK(b.exceeded);
    CHECK(b.limit == RunLimit::budget);
    CHECK(b.reason == "12 g CO2e is over the budget of 10 g");
  }
  SECTION("over --max-energy") {
    l.budget_g.reset();
    l.max_energy_kwh = 0.001;
    const auto b = check_budget(0.002, 1, Seconds(1), l);
    CHECK(b.exceeded);
    CHECK(b.limit == RunLimit::max_energy);
  }
  SECTION("over --max-energy, under the budget") {
    l.max_energy_kwh = 0.001;
    CHECK(check_budget(0.002, 1, Seconds(1), l).limit == RunLimit::max_energy);
  }
  SECTION("projection with --expect") {
    l.expect = Seconds(100);
    const auto b = check_budget(0.001, 1, Seconds(1), l);
    CHECK_FALSE(b.exceeded);
    CHECK(b.projection_over);
    CHECK(*b.projected_g == Approx(100));
    CHECK(b.projection.starts_with("at this rate the run will emit 100 g CO2e in"));
  }
}

TEST_CASE("read_tree", "[unit]") {
  SECTION("this process") {
    const TreeSample t = read_tree("/proc", ::getpid());
    REQUIRE_FALSE(t.pids.empty());
    CHECK(t.pids[0] == ::getpid());
    CHECK(t.rss_gb > 0);
  }
  SECTION("a fake /proc: the tree, not its neighbours; command names with spaces and parentheses") {
    TempDir d;
    // pid (comm) state ppid pgrp session tty tpgid flags minflt cminflt majflt cmajflt
    // utime stime cutime cstime priority nice threads itrealvalue starttime vsize rss
    auto proc = [&](int pid, int ppid, int utime, int cutime, int rss_pages, const std::string& comm) {
      std::filesystem::create_directories(d.path() + "/" + std::to_string(pid));
      d.write(std::to_string(pid) + "/stat", std::to_string(pid) + " (" + comm + ") S " + std::to_string(ppid) +
                                                 " 1 1 0 -1 0 0 0 0 0 " + std::to_string(utime) + " 0 " +
                                                 std::to_string(cutime) + " 0 20 0 1 0 100 1000 " +
                                                 std::to_string(rss_pages) + " 0 0\n");
    };
    const double hz = static_cast<double>(::sysconf(_SC_CLK_TCK));
    proc(10, 1, 100, 50, 1000, "make");
    proc(11, 10, 200, 0, 2000, "cc1 (x) y");
    proc(12, 11, 300, 0, 3000, "ld");
    proc(20, 1, 999, 0, 9999, "other");
    const TreeSample t = read_tree(d.path(), 10);
    CHECK(t.pids.size() == 3);
    CHECK(t.cpu_s == Approx(650 / hz));
    CHECK(t.rss_gb == Approx(6000.0 * static_cast<double>(::sysconf(_SC_PAGESIZE)) / 1e9));
  }
  SECTION("gone: empty") { CHECK(read_tree("/proc", 999999999).pids.empty()); }
}

TEST_CASE("read_cpu_model", "[unit]") {
  TempDir d;
  SECTION("x86") {
    CHECK(*read_cpu_model(d.write("c", "processor\t: 0\nmodel name\t: AMD EPYC 7763 64-Core Processor\n")) ==
          "AMD EPYC 7763 64-Core Processor");
  }
  SECTION("missing line") {
    CHECK(read_cpu_model(d.write("c", "processor\t: 0\n")).error().message == d.path() + "/c: no \"model name\" line");
  }
}
