// The meter's choice of method per component (the fallback chain), its integration, the budget
// check, and the /proc readers it uses.
#include <fmt/format.h>
#include <unistd.h>
#include <catch2/catch.hpp>
#include <cstdlib>
#include <filesystem>
#include <string>

#include "co2e/data.hpp"
#include "co2e/meter.hpp"
#include "co2e/powercap.hpp"
#include "co2e/proctree.hpp"
#include "support.hpp"

using namespace co2e;
using co2e::test::TempDir;

namespace {

MeterOptions no_hardware_options(const TempDir& d) {
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
  MeterOptions o = no_hardware_options(d);
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
  MeterOptions o = no_hardware_options(d);
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

namespace {

/// A fake machine for the baseline tests: /proc (stat, the command's tree, another user's
/// process) and a powercap tree with package-0 and dram, all written by the test.
struct FakeMachine {
  TempDir d;
  double hz = static_cast<double>(::sysconf(_SC_CLK_TCK));
  FakeMachine() {
    std::filesystem::create_directories(d.path() + "/powercap/intel-rapl:0");
    std::filesystem::create_directories(d.path() + "/powercap/intel-rapl:0:0");
    std::filesystem::create_directories(d.path() + "/proc");
    d.write("powercap/intel-rapl:0/name", "package-0\n");
    d.write("powercap/intel-rapl:0:0/name", "dram\n");
    rapl(0, 0);
    cpu(0, 0);
    proc(100, 1, 0);    // the command
    proc(101, 100, 0);  // its child
    proc(200, 1, 0);    // someone else's job on the same machine
  }
  void rapl(double package_j, double dram_j) const {
    d.write("powercap/intel-rapl:0/energy_uj", fmt::format("{:.0f}\n", package_j * 1e6));
    d.write("powercap/intel-rapl:0:0/energy_uj", fmt::format("{:.0f}\n", dram_j * 1e6));
  }
  /// /proc/stat: busy and idle CPU seconds summed over all CPUs.
  void cpu(double busy_s, double idle_s) const {
    d.write("proc/stat", fmt::format("cpu  {:.0f} 0 0 {:.0f} 0 0 0 0 0 0\n", busy_s * hz, idle_s * hz));
  }
  void proc(int pid, int ppid, double cpu_s) const {
    std::filesystem::create_directories(d.path() + "/proc/" + std::to_string(pid));
    d.write(
        "proc/" + std::to_string(pid) + "/stat",
        fmt::format("{} (p) S {} 1 1 0 -1 0 0 0 0 0 {:.0f} 0 0 0 20 0 1 0 100 1000 100 0 0\n", pid, ppid, cpu_s * hz));
  }
  [[nodiscard]] MeterOptions options(Scope scope) const {
    MeterOptions o;
    o.scope = scope;
    o.powercap_root = d.path() + "/powercap";
    o.proc_root = d.path() + "/proc";
    o.cpuinfo_path = d.path() + "/cpuinfo";
    o.nvml_library = "";
    return o;
  }
};

constexpr double kJ = 1 / 3.6e6;  // kWh per joule

}  // namespace

TEST_CASE("Meter baseline: dynamic and static energy, process scope on a shared machine", "[unit]") {
  const Dataset data;
  const FakeMachine m;
  MeterOptions o = m.options(Scope::process);
  auto run = [&](bool include_static) {
    o.include_static = include_static;
    Meter meter = Meter::create(o, data);
    const auto t0 = Clock::now();
    // Baseline: 100 J on the package and 20 J on dram in 2 s: 50 W and 10 W.
    meter.begin_baseline(t0);
    m.rapl(100, 20);
    meter.end_baseline(t0 + std::chrono::seconds(2));
    CHECK(meter.baseline().cpu_w == Approx(50));
    CHECK(meter.baseline().dram_w == Approx(10));
    meter.start(t0 + std::chrono::seconds(2));
    meter.attach(100);
    // 10 s on 4 CPUs (40 CPU-s): the tree (100 and 101) uses 10 CPU-s, the other job 10, idle 20.
    // The package uses 1500 J (500 J baseline + 1000 J above), dram 200 J (100 + 100).
    m.proc(100, 1, 4);
    m.proc(101, 100, 6);
    m.proc(200, 1, 10);
    m.cpu(20, 20);
    m.rapl(100 + 1500, 20 + 200);
    meter.sample(t0 + std::chrono::seconds(12));
    return meter;
  };
  SECTION("static included (default)") {
    const Meter meter = run(true);
    // dynamic = share of busy time (10/20) x 1000 J = 500 J; static = share of all CPU time (10/40) x 500 J = 125 J.
    const ComponentReport cpu = meter.cpu();
    CHECK(*cpu.dynamic_kwh == Approx(500 * kJ));
    CHECK(*cpu.static_kwh == Approx(125 * kJ));
    CHECK(*cpu.baseline_w == Approx(50));
    CHECK(cpu.kwh == Approx(625 * kJ));
    CHECK(cpu.split_detail.starts_with("baseline 50 W over 2 s; static share by the tree's share of all CPU time"));
    // dram: 0.5 x 100 J dynamic, 0.25 x 100 J static.
    const ComponentReport mem = meter.memory();
    CHECK(*mem.dynamic_kwh == Approx(50 * kJ));
    CHECK(*mem.static_kwh == Approx(25 * kJ));
    CHECK(meter.totals().dynamic_kwh == Approx(550 * kJ));
    CHECK(meter.totals().static_kwh == Approx(150 * kJ));
    CHECK(meter.totals().total_kwh() == Approx(700 * kJ));
  }
  SECTION("--static exclude: the total counts dynamic energy only") {
    const Meter meter = run(false);
    CHECK(meter.totals().cpu_kwh == Approx(500 * kJ));
    CHECK(meter.totals().memory_kwh == Approx(50 * kJ));
    CHECK(*meter.cpu().static_kwh == Approx(125 * kJ));  // still reported
  }
}

TEST_CASE("Meter baseline: machine scope, an interval below the baseline, and no baseline", "[unit]") {
  const Dataset data;
  const FakeMachine m;
  SECTION("machine scope: the whole machine, split at the baseline") {
    Meter meter = Meter::create(m.options(Scope::machine), data);
    const auto t0 = Clock::now();
    meter.begin_baseline(t0);
    m.rapl(100, 20);
    meter.end_baseline(t0 + std::chrono::seconds(2));
    meter.start(t0 + std::chrono::seconds(2));
    meter.attach(100);
    m.rapl(100 + 1500, 20 + 200);
    meter.sample(t0 + std::chrono::seconds(12));
    CHECK(*meter.cpu().dynamic_kwh == Approx(1000 * kJ));
    CHECK(*meter.cpu().static_kwh == Approx(500 * kJ));
    // Next 10 s the package draws 30 W, below its 50 W baseline: no dynamic energy, 300 J static.
    m.rapl(1600 + 300, 220 + 100);
    meter.sample(t0 + std::chrono::seconds(22));
    CHECK(*meter.cpu().dynamic_kwh == Approx(1000 * kJ));
    CHECK(*meter.cpu().static_kwh == Approx(800 * kJ));
    CHECK(*meter.memory().static_kwh == Approx(200 * kJ));
  }
  SECTION("--baseline 0: the counter's share, not split, and the report says why") {
    Meter meter = Meter::create(m.options(Scope::process), data);
    const auto t0 = Clock::now();
    meter.start(t0);
    meter.attach(100);
    m.proc(100, 1, 10);
    m.cpu(20, 20);
    m.rapl(1500, 200);
    meter.sample(t0 + std::chrono::seconds(10));
    CHECK(meter.totals().cpu_kwh == Approx(750 * kJ));  // 10/20 of the package's 1500 J
    CHECK_FALSE(meter.cpu().dynamic_kwh);
    CHECK(meter.cpu().split_detail == "not split: no baseline measured (--baseline 0)");
  }
  SECTION("a model has no static share") {
    MeterOptions o = m.options(Scope::process);
    o.powercap_root = m.d.path() + "/none";
    o.core_power_w = 10;
    Meter meter = Meter::create(o, data);
    const auto t0 = Clock::now();
    meter.start(t0);
    meter.attach(100);
    m.proc(100, 1, 36);
    meter.sample(t0 + std::chrono::seconds(40));
    CHECK(*meter.cpu().dynamic_kwh == Approx(360 * kJ));  // 10 W x 36 CPU-s
    CHECK(*meter.cpu().static_kwh == 0);
    CHECK(meter.cpu().split_detail == "a model of the command's own use: all dynamic, no static share");
  }
}

TEST_CASE("Meter baseline: a counted GPU at its baseline power is all static", "[unit]") {
  const Dataset data;
  const FakeMachine m;
  // The fake NVML: one GPU at a constant 100 W, without the energy counter.
  ::setenv("FAKE_NVML_GPUS", "1", 1);
  ::setenv("FAKE_NVML_COUNTER", "0", 1);
  MeterOptions o = m.options(Scope::machine);
  o.powercap_root = m.d.path() + "/none";
  o.core_power_w = 10;
  o.nvml_library = CO2E_FAKE_NVML;
  Meter meter = Meter::create(o, data);
  ::unsetenv("FAKE_NVML_GPUS");
  ::unsetenv("FAKE_NVML_COUNTER");
  REQUIRE(meter.can_measure_baseline());
  const auto t0 = Clock::now();
  meter.begin_baseline(t0);
  meter.end_baseline(t0 + std::chrono::seconds(1));
  REQUIRE(meter.baseline().gpu_w.size() == 1);
  CHECK(meter.baseline().gpu_w[0] == Approx(100));
  meter.start(t0 + std::chrono::seconds(1));
  meter.attach(100);
  meter.sample(t0 + std::chrono::seconds(11));
  // 100 W x 10 s = 1000 J, all of it up to the baseline.
  CHECK(*meter.gpu().dynamic_kwh == Approx(0).margin(1e-12));
  CHECK(*meter.gpu().static_kwh == Approx(1000 * kJ));
  CHECK(meter.gpus()[0].static_kwh == Approx(1000 * kJ));
}

TEST_CASE("Rapl::open reads each zone's highest power limit", "[unit]") {
  TempDir d;
  std::filesystem::create_directories(d.path() + "/intel-rapl:0");
  d.write("intel-rapl:0/name", "package-0\n");
  d.write("intel-rapl:0/energy_uj", "0\n");
  d.write("intel-rapl:0/constraint_0_max_power_uw", "150000000\n");    // TDP 150 W
  d.write("intel-rapl:0/constraint_0_power_limit_uw", "150000000\n");  // PL1
  d.write("intel-rapl:0/constraint_1_power_limit_uw", "187500000\n");  // PL2
  const Rapl r = Rapl::open(d.path());
  REQUIRE(r.domains().size() == 1);
  CHECK(r.domains()[0].max_power_uw == 187500000);
  CHECK(r.domains()[0].max_power_file == "constraint_1_power_limit_uw");
}

// co2e run in a container, and --gpu-scope visible (tests/cli/test_run_gpus.cpp runs them end to end).
namespace {

/// A fake /proc whose self/ns/pid names a PID namespace other than the host's.
std::string container_proc(const TempDir& d, const std::string& ns) {
  std::filesystem::create_directories(d.path() + "/proc/self/ns");
  std::filesystem::create_symlink(ns, d.path() + "/proc/self/ns/pid");
  return d.path() + "/proc";
}

std::vector<GpuEnergy> fake_gpus(int n) {
  std::vector<GpuEnergy> g(static_cast<std::size_t>(n));
  for (int i = 0; i < n; ++i) g[static_cast<std::size_t>(i)].uuid = "GPU-fake-000" + std::to_string(i);
  return g;
}

/// `n` AMD GPUs as ROCm SMI names them: unique id 0x19a0 + i (co2e's form `AMD-GPU-0x...`).
std::vector<GpuEnergy> fake_amd_gpus(int n) {
  std::vector<GpuEnergy> g(static_cast<std::size_t>(n));
  for (int i = 0; i < n; ++i) {
    g[static_cast<std::size_t>(i)].uuid = fmt::format("AMD-GPU-{:#018x}", 0x19a0 + i);
    g[static_cast<std::size_t>(i)].vendor = GpuVendor::amd;
  }
  return g;
}

/// An environment of the given NAME=VALUE pairs only.
EnvLookup env_of(std::vector<std::pair<std::string, std::string>> vars) {
  return [vars = std::move(vars)](const char* name) -> const char* {
    for (const auto& [k, v] : vars)
      if (k == name) return v.c_str();
    return nullptr;
  };
}

}  // namespace

TEST_CASE("foreign_pid_namespace", "[unit]") {
  TempDir d;
  SECTION("a container's namespace") {
    CHECK(foreign_pid_namespace(container_proc(d, "pid:[4026532287]")) == "pid:[4026532287]");
  }
  SECTION("the host's (PROC_PID_INIT_INO 0xEFFFFFFC = 4026531836)") {
    CHECK(foreign_pid_namespace(container_proc(d, "pid:[4026531836]")).empty());
  }
  SECTION("unreadable: not claimed") { CHECK(foreign_pid_namespace(d.path() + "/none").empty()); }
}

TEST_CASE("resolve_visible_gpus", "[unit]") {
  const auto gpus = fake_gpus(4);
  using V = std::vector<bool>;
  CHECK(*resolve_visible_gpus("CUDA_VISIBLE_DEVICES", "0,2", gpus) == V{true, false, true, false});
  CHECK(*resolve_visible_gpus("CUDA_VISIBLE_DEVICES", " 3 ", gpus) == V{false, false, false, true});
  CHECK(*resolve_visible_gpus("CUDA_VISIBLE_DEVICES", "GPU-fake-0001", gpus) == V{false, true, false, false});
  CHECK(*resolve_visible_gpus("SLURM_JOB_GPUS", "NoDevFiles", gpus) == V{false, false, false, false});
  CHECK(resolve_visible_gpus("SLURM_JOB_GPUS", "1,7", gpus).error().message ==
        "SLURM_JOB_GPUS=\"1,7\": GPU 7 is not among the 4 GPUs NVML lists (0 to 3)");
  CHECK(resolve_visible_gpus("CUDA_VISIBLE_DEVICES", "GPU-abc", gpus).error().message ==
        "CUDA_VISIBLE_DEVICES=\"GPU-abc\": no GPU has the UUID \"GPU-abc\" (co2e run --gpu-scope all lists them)");
  CHECK(resolve_visible_gpus("CUDA_VISIBLE_DEVICES", "0,,1", gpus).error().message ==
        "CUDA_VISIBLE_DEVICES=\"0,,1\": an empty entry; accepted: GPU indexes or UUIDs");
}

TEST_CASE("visible_gpus: which variable decides, NVIDIA and AMD", "[unit]") {
  using V = std::vector<bool>;
  SECTION("NVIDIA: CUDA_VISIBLE_DEVICES before SLURM_JOB_GPUS; ROCm's variables do not count") {
    const auto gpus = fake_gpus(4);
    auto v = visible_gpus(
        gpus, env_of({{"CUDA_VISIBLE_DEVICES", "2"}, {"SLURM_JOB_GPUS", "0"}, {"ROCR_VISIBLE_DEVICES", "1"}}));
    REQUIRE(v);
    CHECK(v->counted == V{false, false, true, false});
    CHECK(v->label == "CUDA_VISIBLE_DEVICES=2");
    CHECK(visible_gpus(gpus, env_of({{"ROCR_VISIBLE_DEVICES", "1"}})).error().message ==
          "neither CUDA_VISIBLE_DEVICES nor SLURM_JOB_GPUS is set (they name the GPUs a job was given)");
  }
  const auto gpus = fake_amd_gpus(4);
  SECTION("AMD: ROCR_VISIBLE_DEVICES indexes and UUIDs (co2e's form or rocminfo's GPU-<hex>, any case)") {
    auto v = visible_gpus(gpus, env_of({{"ROCR_VISIBLE_DEVICES", "3,GPU-00000000000019A1"}}));
    REQUIRE(v);
    CHECK(v->counted == V{false, true, false, true});
    CHECK(v->label == "ROCR_VISIBLE_DEVICES=3,GPU-00000000000019A1");
    CHECK(visible_gpus(gpus, env_of({{"ROCR_VISIBLE_DEVICES", "GPU-19a2"}}))->counted == V{false, false, true, false});
    CHECK(visible_gpus(gpus, env_of({{"ROCR_VISIBLE_DEVICES", "AMD-GPU-0x00000000000019a0"}}))->counted ==
          V{true, false, false, false});
  }
  SECTION("AMD: HIP_VISIBLE_DEVICES numbers the GPUs ROCR_VISIBLE_DEVICES leaves, from 0") {
    // ROCr exposes GPUs 3 and 1, in that order; HIP's device 1 is the second: GPU 1.
    auto v = visible_gpus(gpus, env_of({{"ROCR_VISIBLE_DEVICES", "3,1"}, {"HIP_VISIBLE_DEVICES", "1"}}));
    REQUIRE(v);
    CHECK(v->counted == V{false, true, false, false});
    CHECK(v->label == "ROCR_VISIBLE_DEVICES=3,1 HIP_VISIBLE_DEVICES=1");
    CHECK(visible_gpus(gpus, env_of({{"ROCR_VISIBLE_DEVICES", "3,1"}, {"HIP_VISIBLE_DEVICES", "2"}})).error().message ==
          "HIP_VISIBLE_DEVICES=\"2\": GPU 2 is not among the 2 GPUs ROCR_VISIBLE_DEVICES leaves (0 to 1)");
    CHECK(visible_gpus(gpus, env_of({{"HIP_VISIBLE_DEVICES", "GPU-19a0"}})).error().message ==
          "HIP_VISIBLE_DEVICES=\"GPU-19a0\": \"GPU-19a0\" is not a GPU index; accepted: indexes among the 4 GPUs "
          "ROCm SMI lists");
  }
  SECTION("AMD: HIP_VISIBLE_DEVICES before CUDA_VISIBLE_DEVICES, which HIP also reads") {
    auto hip = visible_gpus(gpus, env_of({{"HIP_VISIBLE_DEVICES", "0,2"}, {"CUDA_VISIBLE_DEVICES", "3"}}));
    REQUIRE(hip);
    CHECK(hip->counted == V{true, false, true, false});
    CHECK(hip->label == "HIP_VISIBLE_DEVICES=0,2");
    auto cuda = visible_gpus(gpus, env_of({{"CUDA_VISIBLE_DEVICES", "3"}, {"SLURM_JOB_GPUS", "0"}}));
    REQUIRE(cuda);
    CHECK(cuda->counted == V{false, false, false, true});
    CHECK(cuda->label == "CUDA_VISIBLE_DEVICES=3");
  }
  SECTION("AMD: SLURM's default writes one list to ROCR_ and CUDA_VISIBLE_DEVICES: counted once") {
    auto v = visible_gpus(gpus, env_of({{"ROCR_VISIBLE_DEVICES", "2,3"}, {"CUDA_VISIBLE_DEVICES", "2,3"}}));
    REQUIRE(v);
    CHECK(v->counted == V{false, false, true, true});
    CHECK(v->label == "ROCR_VISIBLE_DEVICES=2,3");
  }
  SECTION("AMD: SLURM_JOB_GPUS last; none set: an error naming all four") {
    auto v = visible_gpus(gpus, env_of({{"SLURM_JOB_GPUS", "0,1"}}));
    REQUIRE(v);
    CHECK(v->counted == V{true, true, false, false});
    CHECK(v->label == "SLURM_JOB_GPUS=0,1");
    CHECK(visible_gpus(gpus, env_of({})).error().message ==
          "none of ROCR_VISIBLE_DEVICES, HIP_VISIBLE_DEVICES, CUDA_VISIBLE_DEVICES, SLURM_JOB_GPUS is set (they name "
          "the GPUs a job was given)");
    CHECK(visible_gpus(gpus, env_of({{"ROCR_VISIBLE_DEVICES", "4"}})).error().message ==
          "ROCR_VISIBLE_DEVICES=\"4\": GPU 4 is not among the 4 GPUs ROCm SMI lists (0 to 3)");
  }
}
