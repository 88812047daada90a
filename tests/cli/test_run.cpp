// co2e run, black-box: real child processes, exit codes, signals, budget stop, reports, the log.
// No hardware counters are used: CO2E_POWERCAP_ROOT points at an empty or fake tree, NVML is off
// or the fake library, and --core-power makes the CPU figure deterministic.
#include <fcntl.h>
#include <fmt/format.h>
#include <spawn.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <unistd.h>
#include <catch2/catch.hpp>
#include <chrono>
#include <csignal>
#include <filesystem>
#include <nlohmann/json.hpp>
#include <set>
#include <sstream>
#include <thread>

#include "support.hpp"

namespace t = co2e::test;
using co2e::test::contains;
using co2e::test::no_hardware;
using co2e::test::read_file;
using co2e::test::Run;
using co2e::test::TempDir;

namespace {

std::vector<std::string> args(std::initializer_list<std::string> cmd) { return co2e::test::run_args(cmd); }

/// co2e started in the background, with stdout and stderr in files.
struct Background {
  pid_t pid = 0;
  std::string err_path;
  Background(const TempDir& d, const std::vector<std::string>& argv_in) {
    err_path = d.path() + "/bg.err";
    std::vector<std::string> argv_s{co2e::test::co2e_binary()};
    argv_s.insert(argv_s.end(), argv_in.begin(), argv_in.end());
    std::vector<char*> argv;
    argv.reserve(argv_s.size() + 1);
    for (auto& a : argv_s) argv.push_back(a.data());
    argv.push_back(nullptr);
    std::vector<std::string> env_s{"PATH=/usr/bin:/bin", "CO2E_POWERCAP_ROOT=" + d.path() + "/none",
                                   "CO2E_NVML_LIBRARY="};
    if (const char* a = std::getenv("ASAN_OPTIONS")) env_s.push_back(std::string("ASAN_OPTIONS=") + a);
    std::vector<char*> envp;
    envp.reserve(env_s.size() + 1);
    for (auto& e : env_s) envp.push_back(e.data());
    envp.push_back(nullptr);
    posix_spawn_file_actions_t fa;
    posix_spawn_file_actions_init(&fa);
    posix_spawn_file_actions_addopen(&fa, 0, "/dev/null", O_RDONLY, 0);
    posix_spawn_file_actions_addopen(&fa, 1, "/dev/null", O_WRONLY, 0);
    posix_spawn_file_actions_addopen(&fa, 2, err_path.c_str(), O_WRONLY | O_CREAT | O_TRUNC, 0644);
    // Not in our process group, as when a job scheduler or `kill PID` sends the signal.
    posix_spawnattr_t attr;
    posix_spawnattr_init(&attr);
    posix_spawnattr_setpgroup(&attr, 0);
    posix_spawnattr_setflags(&attr, POSIX_SPAWN_SETPGROUP);
    REQUIRE(posix_spawn(&pid, co2e::test::co2e_binary(), &fa, &attr, argv.data(), envp.data()) == 0);
    posix_spawn_file_actions_destroy(&fa);
    posix_spawnattr_destroy(&attr);
  }
  int wait() const {
    int status = 0;
    while (waitpid(pid, &status, 0) < 0 && errno == EINTR) {
    }
    return WIFEXITED(status) ? WEXITSTATUS(status) : 128 + WTERMSIG(status);
  }
};

void wait_for_file(const std::string& path) {
  for (int i = 0; i < 400 && !std::filesystem::exists(path); ++i)
    std::this_thread::sleep_for(std::chrono::milliseconds(10));
  REQUIRE(std::filesystem::exists(path));
}

}  // namespace

TEST_CASE("run: exit status and streams", "[cli]") {
  TempDir d;
  SECTION("the command's stdout is untouched; the report is on stderr") {
    const Run r = t::co2e(args({"--", "echo", "hello"}), {}, no_hardware(d));
    CHECK(r.exit_code == 0);
    CHECK(r.out == "hello\n");
    CHECK(contains(r.err, "co2e: `echo hello` exited with status 0 after"));
    CHECK(contains(r.err, "[flag] 10 W per core (--core-power) x CPU time"));
    CHECK(contains(r.err, "(RAPL unavailable: " + d.path() + "/no-powercap: No such file or directory)"));
    CHECK(contains(r.err, "(NVML disabled)"));
  }
  SECTION("stdin reaches the command") {
    const Run r = t::co2e(args({"--", "cat"}), "piped\n", no_hardware(d));
    CHECK(r.out == "piped\n");
  }
  SECTION("the command's exit status") {
    CHECK(t::co2e(args({"--", "sh", "-c", "exit 7"}), {}, no_hardware(d)).exit_code == 7);
  }
  SECTION("options after the command are the command's") {
    const Run r = t::co2e(args({"sh", "-c", "echo $1", "sh", "--interval"}), {}, no_hardware(d));
    CHECK(r.exit_code == 0);
    CHECK(r.out == "--interval\n");
  }
  SECTION("death by signal N: 128+N") {
    CHECK(t::co2e(args({"--", "sh", "-c", "kill -TERM $$"}), {}, no_hardware(d)).exit_code == 128 + SIGTERM);
    CHECK(t::co2e(args({"--", "sh", "-c", "kill -KILL $$"}), {}, no_hardware(d)).exit_code == 128 + SIGKILL);
  }
  SECTION("not found: 127") {
    const Run r = t::co2e(args({"--", "co2e-no-such-command"}), {}, no_hardware(d));
    CHECK(r.exit_code == 127);
    CHECK(r.err == "co2e: error: co2e-no-such-command: command not found\n");
  }
  SECTION("not executable: 126") {
    const std::string script = d.write("script.sh", "#!/bin/sh\necho hi\n");
    ::chmod(script.c_str(), 0644);
    const Run r = t::co2e(args({"--", script}), {}, no_hardware(d));
    CHECK(r.exit_code == 126);
    CHECK(r.err == "co2e: error: " + script + ": Permission denied\n");
  }
  SECTION("co2e's own failures: 125") {
    const Run r = t::co2e({"run", "--interval", "soon", "--", "true"}, {}, no_hardware(d));
    CHECK(r.exit_code == 125);
    CHECK(contains(r.err, "co2e: error: --interval"));
    const Run unknown = t::co2e({"run", "--no-such-flag", "--", "true"}, {}, no_hardware(d));
    CHECK(unknown.exit_code == 125);
    CHECK(unknown.err == "co2e: error: run: unknown option --no-such-flag; see 'co2e run --help'\n");
    CHECK(t::co2e({"run"}, {}, no_hardware(d)).exit_code == 125);
    CHECK(t::co2e({"run", "--region", "Atlantis", "--", "true"}, {}, no_hardware(d)).exit_code == 125);
  }
}

TEST_CASE("run: signals are forwarded", "[cli]") {
  TempDir d;
  const std::string ready = d.path() + "/ready";
  for (int sig : {SIGTERM, SIGHUP}) {
    const std::string name = sig == SIGTERM ? "TERM" : "HUP";
    std::filesystem::remove(ready);
    Background bg(d, args({"--", "sh", "-c",
                           fmt::format("trap 'exit 42' {}; touch {}; while :; do sleep 0.02; done", name, ready)}));
    wait_for_file(ready);
    ::kill(bg.pid, sig);
    CHECK(bg.wait() == 42);
    CHECK(contains(read_file(bg.err_path), "exited with status 42"));
  }
}

TEST_CASE("run: budget stop", "[cli]") {
  TempDir d;
  SECTION("--budget: SIGTERM, partial report, 124") {
    // 1 MW per core makes a busy loop cross 1 g (at 100 g/kWh) within the first samples.
    const Run r = t::co2e({"run", "--interval", "0.05s", "--core-power", "1000000", "--pue", "1", "--intensity", "100",
                           "--budget", "1g", "--", "sh", "-c", "while :; do :; done"},
                          {}, no_hardware(d));
    CHECK(r.exit_code == 124);
    CHECK(contains(r.err, "co2e: budget exceeded: "));
    CHECK(contains(r.err, "is over the budget of 1 g; the command was stopped"));
    CHECK(contains(r.err, "was killed by signal 15 (TERM) after co2e stopped it"));
  }
  SECTION("--max-energy, a command that ignores SIGTERM: SIGKILL after --grace") {
    const Run r = t::co2e({"run", "--interval", "0.05s", "--core-power", "1000000", "--max-energy", "1Wh", "--grace",
                           "0.2s", "--", "sh", "-c", "trap '' TERM; while :; do :; done"},
                          {}, no_hardware(d));
    CHECK(r.exit_code == 124);
    CHECK(contains(r.err, "is over --max-energy 1 Wh"));
    CHECK(contains(r.err, "was killed by signal 9 (KILL)"));
    CHECK(contains(r.err, "  max energy 1 Wh: exceeded, command stopped\n"));
  }
  SECTION("--expect: a warning when the projection crosses the budget; the command runs on") {
    const Run r =
        t::co2e({"run", "--interval", "0.05s", "--core-power", "100", "--pue", "1", "--intensity", "1000", "--budget",
                 "1kg", "--expect", "1000h", "--", "sh", "-c", "i=0; while [ $i -lt 300000 ]; do i=$((i+1)); done"},
                {}, no_hardware(d));
    CHECK(r.exit_code == 0);
    CHECK(contains(r.err, "co2e: warning: at this rate the run will emit"));
    CHECK(contains(r.err, "over the budget of 1 kg"));
  }
}

TEST_CASE("run: JSON report", "[cli]") {
  TempDir d;
  const std::string out = d.path() + "/run.json";
  const Run r = t::co2e(args({"--format", "json", "-o", out, "--", "sh", "-c", "exit 3"}), {}, no_hardware(d));
  CHECK(r.exit_code == 3);
  const auto j = nlohmann::json::parse(read_file(out));
  CHECK(j["schema_version"] == 2);
  CHECK(j["command"] == nlohmann::json::array({"sh", "-c", "exit 3"}));
  CHECK(j["outcome"]["exit_status"] == 3);
  CHECK(j["scope"] == "process");
  CHECK(j["components"]["cpu"]["method"] == "flag");
  CHECK(j["components"]["memory"]["method"] == "rss");
  CHECK(j["components"]["gpu"]["method"] == "none");
  CHECK(j["pue"] == 1.0);
  CHECK(j["intensity_g_per_kwh"] == 100.0);
  CHECK(j["grid"]["annual_g_per_kwh"] == 100.0);
  CHECK(j["co2e_g"].get<double>() == Approx(j["energy_kwh"].get<double>() * 100));
  // The output contract: co2e_kg at the top level as in every command (jq .co2e_kg).
  CHECK(j["co2e_kg"].get<double>() == Approx(j["co2e_g"].get<double>() / 1000));
  CHECK(j["energy_kwh"].get<double>() ==
        Approx(j["cpu_kwh"].get<double>() + j["gpu_kwh"].get<double>() + j["memory_kwh"].get<double>()));  // PUE 1
}

TEST_CASE("run: RAPL from a fake powercap tree", "[cli]") {
  TempDir d;
  const std::string pkg = d.path() + "/powercap/intel-rapl:0";
  std::filesystem::create_directories(pkg);
  d.write("powercap/intel-rapl:0/name", "package-0\n");
  d.write("powercap/intel-rapl:0/energy_uj", "1000000\n");
  d.write("powercap/intel-rapl:0/max_energy_range_uj", "262143328850\n");
  std::filesystem::create_directories(d.path() + "/powercap/intel-rapl:0:0");
  d.write("powercap/intel-rapl:0:0/name", "dram\n");
  d.write("powercap/intel-rapl:0:0/energy_uj", "0\n");
  const std::string out = d.path() + "/run.json";
  // The command itself moves the counters: +3.6 kJ on the package (1 Wh), +0.36 kJ on dram.
  const Run r =
      t::co2e({"run", "--scope", "machine", "--pue", "1", "--intensity", "100", "--format", "json", "-o", out, "--",
               "sh", "-c", "echo 3601000000 > " + pkg + "/energy_uj; echo 360000000 > " + pkg + ":0/energy_uj"},
              {}, {"CO2E_POWERCAP_ROOT=" + d.path() + "/powercap", "CO2E_NVML_LIBRARY="});
  REQUIRE(r.exit_code == 0);
  const auto j = nlohmann::json::parse(read_file(out));
  CHECK(j["components"]["cpu"]["method"] == "rapl");
  CHECK(j["cpu_kwh"].get<double>() == Approx(0.001));
  CHECK(j["components"]["memory"]["method"] == "rapl_dram");
  CHECK(j["memory_kwh"].get<double>() == Approx(0.0001));
  CHECK(j["co2e_g"].get<double>() == Approx(0.11));
  CHECK(j["co2e_kg"].get<double>() == Approx(0.00011));
  CHECK(contains(r.err, "[rapl] RAPL package-0; dram (whole machine)"));
}

TEST_CASE("run: GPUs through the fake NVML", "[cli]") {
  TempDir d;
  const std::string out = d.path() + "/run.json";
  const Run r = t::co2e(args({"--gpu-scope", "all", "--format", "json", "-o", out, "--", "sleep", "0.1"}), {},
                        {"CO2E_POWERCAP_ROOT=" + d.path(), std::string("CO2E_NVML_LIBRARY=") + CO2E_FAKE_NVML,
                         "FAKE_NVML_GPUS=2", "FAKE_NVML_COUNTER=0"});
  REQUIRE(r.exit_code == 0);
  const auto j = nlohmann::json::parse(read_file(out));
  CHECK(j["components"]["gpu"]["method"] == "nvml_power");
  CHECK(j["gpus"] == 2);  // a count, as --gpus is everywhere; the devices are listed apart
  REQUIRE(j["gpu_devices"].size() == 2);
  CHECK(j["gpu_devices"][1]["uuid"] == "GPU-fake-0001");
  // 2 GPUs x 100 W for about 0.1 s.
  CHECK(j["gpu_kwh"].get<double>() * 3.6e6 > 10);
  CHECK(contains(r.err, "nvmlDeviceGetTotalEnergyConsumption: Not Supported (NVML error 3)"));
}

TEST_CASE("run: --gpus used|all is --gpu-scope now, with a warning", "[cli]") {
  // --gpus is a count in estimate, batch and slurm; run's old spelling still works, and says so.
  TempDir d;
  const std::string out = d.path() + "/run.json";
  const Run r = t::co2e(args({"--gpus", "all", "--format", "json", "-o", out, "--", "true"}), {},
                        {"CO2E_POWERCAP_ROOT=" + d.path(), std::string("CO2E_NVML_LIBRARY=") + CO2E_FAKE_NVML,
                         "FAKE_NVML_GPUS=2", "FAKE_NVML_COUNTER=0"});
  REQUIRE(r.exit_code == 0);
  CHECK(contains(r.err, "co2e: warning: --gpus \"all\": the choice of GPUs is now --gpu-scope used|all"));
  CHECK(nlohmann::json::parse(read_file(out))["gpus"] == 2);  // all: both GPUs counted
  const Run bad = t::co2e(args({"--gpu-scope", "some", "--", "true"}), {}, no_hardware(d));
  CHECK(bad.exit_code == 125);
  CHECK(contains(bad.err, "--gpu-scope \"some\": accepted: used, all"));
}

TEST_CASE("run: --log from 8 concurrent runs", "[cli]") {
  TempDir d;
  const std::string log = d.path() + "/runs.csv";
  std::vector<std::thread> threads;
  threads.reserve(8);
  std::vector<int> codes(8, -1);
  for (int i = 0; i < 8; ++i)
    threads.emplace_back([&, i] {
      codes[i] = t::co2e(args({"-q", "--log", log, "--", "sh", "-c", "exit " + std::to_string(i)}), {}, no_hardware(d))
                     .exit_code;
    });
  for (auto& t : threads) t.join();
  for (int i = 0; i < 8; ++i) CHECK(codes[i] == i);
  std::istringstream in(read_file(log));
  std::string line;
  std::vector<std::string> lines;
  while (std::getline(in, line)) lines.push_back(line);
  REQUIRE(lines.size() == 9);
  CHECK(lines[0].starts_with("start_utc,end_utc,host,command,exit_status,stopped_by_budget,runtime_s,"));
  std::set<std::string> statuses;
  for (std::size_t i = 1; i < lines.size(); ++i) {
    // 33 columns, none holding a comma here: a torn or interleaved row would have more or fewer.
    std::vector<std::string> fields;
    std::istringstream row(lines[i]);
    for (std::string f; std::getline(row, f, ',');) fields.push_back(f);
    REQUIRE(fields.size() == 33);  // the last column, total_co2e_kg, is never empty
    CHECK(fields[3].starts_with("sh -c 'exit "));
    statuses.insert(fields[4]);
  }
  CHECK(statuses.size() == 8);
}
