// co2e run and GPUs it cannot match to the command: a container's PID namespace (NVML reports
// the host's PIDs), and --gpu-scope visible (CUDA_VISIBLE_DEVICES, SLURM_JOB_GPUS). The fake NVML.
// The library functions behind them (foreign_pid_namespace, resolve_visible_gpus) are tested in
// tests/unit/test_meter.cpp.
#include <catch2/catch.hpp>
#include <filesystem>
#include <nlohmann/json.hpp>

#include "support.hpp"

namespace t = co2e::test;
using co2e::test::read_file;
using co2e::test::Run;
using co2e::test::TempDir;

namespace {

bool contains(const std::string& haystack, const std::string& needle) {
  return haystack.find(needle) != std::string::npos;
}

/// A fake /proc whose self/ns/pid names a PID namespace other than the host's.
std::string container_proc(const TempDir& d, const std::string& ns) {
  std::filesystem::create_directories(d.path() + "/proc/self/ns");
  std::filesystem::create_symlink(ns, d.path() + "/proc/self/ns/pid");
  return d.path() + "/proc";
}

}  // namespace

TEST_CASE("run: GPUs in a container's PID namespace", "[cli]") {
  TempDir d;
  const std::string proc = container_proc(d, "pid:[4026532287]");
  const std::vector<std::string> base_env{"CO2E_POWERCAP_ROOT=" + d.path() + "/none", "CO2E_PROC_ROOT=" + proc,
                                          std::string("CO2E_NVML_LIBRARY=") + CO2E_FAKE_NVML, "FAKE_NVML_GPUS=2",
                                          "FAKE_NVML_COUNTER=0",
                                          // NVML reports the job by its host PID, which is nobody here.
                                          "FAKE_NVML_PIDS=4242"};
  const std::vector<std::string> base{"run",   "--interval", "0.05s",       "--core-power", "10",
                                      "--pue", "1",          "--intensity", "100"};
  auto args = [&](std::vector<std::string> more) {
    std::vector<std::string> a = base;
    a.insert(a.end(), more.begin(), more.end());
    return a;
  };
  SECTION("0 of 2 counted, and why, and the ways out") {
    const Run r = t::co2e(args({"--", "sleep", "0.3"}), {}, base_env);
    REQUIRE(r.exit_code == 0);
    CHECK(contains(r.err, "NVML: 0 of 2 GPUs counted (those running the process tree)"));
    CHECK(contains(
        r.err,
        "(no GPU matched: co2e runs in a PID namespace of its own (pid:[4026532287]: a container?) and NVML reports "
        "the host's PIDs, which match no process here (NVML listed 1 process(es)); count the GPUs the job was given "
        "with --gpu-scope visible (CUDA_VISIBLE_DEVICES or SLURM_JOB_GPUS), every GPU with --gpu-scope all, or the "
        "whole "
        "machine with --scope machine)"));
  }
  SECTION("--gpu-scope visible with CUDA_VISIBLE_DEVICES: those GPUs, whole") {
    const std::string out = d.path() + "/run.json";
    std::vector<std::string> env = base_env;
    env.emplace_back("CUDA_VISIBLE_DEVICES=1");
    env.emplace_back("SLURM_JOB_GPUS=0");  // CUDA's variable wins: it is what the command sees
    const Run r =
        t::co2e(args({"--gpu-scope", "visible", "--format", "json", "-o", out, "--", "sleep", "0.3"}), {}, env);
    REQUIRE(r.exit_code == 0);
    CHECK(contains(r.err, "NVML: 1 of 2 GPUs counted (CUDA_VISIBLE_DEVICES=1)"));
    const auto j = nlohmann::json::parse(read_file(out));
    CHECK(j["gpus"] == 1);
    CHECK_FALSE(j["gpu_devices"][0]["counted"].get<bool>());
    CHECK(j["gpu_devices"][1]["counted"].get<bool>());
    // The fake GPU draws a constant 100 W: 100 W x the measured time, power samples integrated.
    CHECK(j["gpu_kwh"].get<double>() * 3.6e6 == Approx(100 * j["runtime_s"].get<double>()).epsilon(1e-6));
  }
  SECTION("--gpu-scope visible with SLURM_JOB_GPUS") {
    std::vector<std::string> env = base_env;
    env.emplace_back("SLURM_JOB_GPUS=0,1");
    const Run r = t::co2e(args({"--gpu-scope", "visible", "--", "true"}), {}, env);
    REQUIRE(r.exit_code == 0);
    CHECK(contains(r.err, "NVML: 2 of 2 GPUs counted (SLURM_JOB_GPUS=0,1)"));
  }
  SECTION("--gpu-scope visible without either variable, or naming a GPU that is not there: 125") {
    const Run r = t::co2e(args({"--gpu-scope", "visible", "--", "true"}), {}, base_env);
    CHECK(r.exit_code == 125);
    CHECK(r.err ==
          "co2e: error: --gpu-scope visible: neither CUDA_VISIBLE_DEVICES nor SLURM_JOB_GPUS is set (they name the "
          "GPUs a "
          "job was given)\n");
    std::vector<std::string> env = base_env;
    env.emplace_back("CUDA_VISIBLE_DEVICES=5");
    const Run bad = t::co2e(args({"--gpu-scope", "visible", "--", "true"}), {}, env);
    CHECK(bad.exit_code == 125);
    CHECK(contains(bad.err, "CUDA_VISIBLE_DEVICES=\"5\": GPU 5 is not among the 2 GPUs NVML lists (0 to 1)"));
  }
}
