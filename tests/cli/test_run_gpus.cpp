// co2e run and GPUs it cannot match to the command: a container's PID namespace (NVML reports
// the host's PIDs), and --gpu-scope visible (CUDA_VISIBLE_DEVICES, SLURM_JOB_GPUS). The fake NVML.
// The library functions behind them (foreign_pid_namespace, resolve_visible_gpus) are tested in
// tests/unit/test_meter.cpp.
#include <catch2/catch.hpp>
#include <filesystem>
#include <nlohmann/json.hpp>

#include "support.hpp"

namespace t = co2e::test;
using co2e::test::contains;
using co2e::test::read_file;
using co2e::test::Run;
using co2e::test::run_args;
using co2e::test::TempDir;

namespace {

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
  auto args = [](const std::vector<std::string>& more) { return run_args(more); };
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

TEST_CASE("run: AMD GPUs through ROCm SMI (the fake library) when NVML lists none", "[cli]") {
  TempDir d;
  const std::string out = d.path() + "/run.json";
  const std::vector<std::string> env{"CO2E_POWERCAP_ROOT=" + d.path() + "/none",
                                     "CO2E_NVML_LIBRARY=",
                                     std::string("CO2E_ROCM_SMI_LIBRARY=") + CO2E_FAKE_ROCM_SMI,
                                     "FAKE_RSMI_GPUS=2",
                                     "FAKE_RSMI_COUNTER=0",
                                     "FAKE_RSMI_POWER_UW=250000000",
                                     "FAKE_RSMI_PIDS=4242"};
  SECTION("--gpu-scope all: every GPU, power samples integrated") {
    const Run r =
        t::co2e(run_args({"--gpu-scope", "all", "--format", "json", "-o", out, "--", "sleep", "0.3"}), {}, env);
    REQUIRE(r.exit_code == 0);
    CHECK(contains(r.err, "[rocm_smi_power] ROCm SMI: 2 of 2 GPUs counted (all GPUs); power samples integrated"));
    CHECK(contains(r.err, "(NVML disabled)"));
    const auto j = nlohmann::json::parse(read_file(out));
    CHECK(j["components"]["gpu"]["method"] == "rocm_smi_power");
    CHECK(j["gpu_devices"][0]["method"] == "rocm_smi_power");
    CHECK(j["gpu_devices"][1]["uuid"] == "AMD-GPU-0x0000000000001001");
    // Two GPUs at a constant 250 W: 500 W x the measured time.
    CHECK(j["gpu_kwh"].get<double>() * 3.6e6 == Approx(500 * j["runtime_s"].get<double>()).epsilon(1e-6));
  }
  SECTION("--gpu-scope visible: ROCR_VISIBLE_DEVICES, then HIP_VISIBLE_DEVICES among those, named in the report") {
    std::vector<std::string> e = env;
    // The fake's GPU 1 has the unique id 0x1001: rocminfo's form of its UUID picks it.
    e.emplace_back("ROCR_VISIBLE_DEVICES=GPU-1001,0");
    e.emplace_back("HIP_VISIBLE_DEVICES=0");
    e.emplace_back("CUDA_VISIBLE_DEVICES=1");  // HIP_VISIBLE_DEVICES first, as HIP reads them
    const Run r =
        t::co2e(run_args({"--gpu-scope", "visible", "--format", "json", "-o", out, "--", "sleep", "0.3"}), {}, e);
    REQUIRE(r.exit_code == 0);
    CHECK(contains(r.err, "ROCm SMI: 1 of 2 GPUs counted (ROCR_VISIBLE_DEVICES=GPU-1001,0 HIP_VISIBLE_DEVICES=0)"));
    const auto j = nlohmann::json::parse(read_file(out));
    CHECK_FALSE(j["gpu_devices"][0]["counted"].get<bool>());
    CHECK(j["gpu_devices"][1]["counted"].get<bool>());
    // One GPU at a constant 250 W: 250 W x the measured time.
    CHECK(j["gpu_kwh"].get<double>() * 3.6e6 == Approx(250 * j["runtime_s"].get<double>()).epsilon(1e-6));
    // env itself sets none of the variables that say which GPUs are visible.
    const Run bad = t::co2e(run_args({"--gpu-scope", "visible", "--", "true"}), {}, env);
    CHECK(bad.exit_code == 125);
    CHECK(contains(bad.err,
                   "co2e: error: --gpu-scope visible: none of ROCR_VISIBLE_DEVICES, HIP_VISIBLE_DEVICES, "
                   "CUDA_VISIBLE_DEVICES, SLURM_JOB_GPUS is set"));
  }
  SECTION("process scope: ROCm SMI's processes are matched like NVML's, and a miss is explained") {
    // Long enough for a sample while it runs: processes are matched at samples, not at the end.
    const Run r = t::co2e(run_args({"--", "sleep", "0.3"}), {}, env);
    REQUIRE(r.exit_code == 0);
    CHECK(contains(r.err, "ROCm SMI: 0 of 2 GPUs counted (those running the process tree)"));
    CHECK(contains(r.err,
                   "no GPU matched: ROCm SMI listed 1 process(es) on the GPUs, none of them in the command's "
                   "tree"));
  }
}

TEST_CASE("run --gpu MODEL: the table's power when no GPU library measures one, said so", "[cli]") {
  TempDir d;
  const std::string out = d.path() + "/run.json";
  const auto env = co2e::test::no_hardware(d.path());
  SECTION("2 A100 SXM4 at 400 W (NVIDIA's datasheet) for the run's wall time") {
    const Run r = t::co2e(
        run_args({"--gpu", "A100", "--gpus", "2", "--format", "json", "-o", out, "--", "sleep", "0.3"}), {}, env);
    REQUIRE(r.exit_code == 0);
    CHECK(contains(r.err, "[table] NVIDIA A100 SXM4 40GB (--gpu): 400 W per GPU, its table power ("));
    CHECK(contains(r.err, "x 2 GPUs (--gpus) x wall time: no GPU library measured it"));
    const auto j = nlohmann::json::parse(read_file(out));
    CHECK(j["components"]["gpu"]["method"] == "table");
    // 2 x 400 W x the run's wall time (sampled to its end).
    CHECK(j["gpu_kwh"].get<double>() * 3.6e6 == Approx(800 * j["runtime_s"].get<double>()).epsilon(1e-6));
  }
  SECTION("--gpu-power W instead of the table: method flag; --gpus 0: none") {
    const Run r = t::co2e(run_args({"--gpu-power", "300W", "--", "true"}), {}, env);
    REQUIRE(r.exit_code == 0);
    CHECK(contains(r.err, "[flag] 300 W per GPU (--gpu-power) x 1 GPU (default; --gpus N for more) x wall time"));
    const Run none = t::co2e(run_args({"--gpu", "A100", "--gpus", "0", "--", "true"}), {}, env);
    REQUIRE(none.exit_code == 0);
    CHECK(contains(none.err, "  GPU                 -  not measured"));
  }
  SECTION("the old --gpus used|all|visible still works, with a warning") {
    const Run r = t::co2e(run_args({"--gpus", "all", "--", "true"}), {}, env);
    CHECK(r.exit_code == 0);
    CHECK(contains(r.err, "co2e: warning: --gpus \"all\": the choice of GPUs is now --gpu-scope"));
  }
}
