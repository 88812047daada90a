// co2e run --baseline, end to end: a fake /proc (CO2E_PROC_ROOT) and a fake powercap tree
// (CO2E_POWERCAP_ROOT) on a machine that the command shares with another job (--scope process).
// The test moves the counters during the baseline; the command moves them while it runs.
#include <fcntl.h>
#include <fmt/format.h>
#include <spawn.h>
#include <sys/wait.h>
#include <unistd.h>
#include <catch2/catch.hpp>
#include <chrono>
#include <filesystem>
#include <fstream>
#include <nlohmann/json.hpp>
#include <sstream>
#include <string>
#include <thread>
#include <vector>

#include "support.hpp"

using co2e::test::read_file;
using co2e::test::TempDir;

namespace {

bool contains(const std::string& haystack, const std::string& needle) {
  return haystack.find(needle) != std::string::npos;
}

/// The text's 4 significant digits (co2e's format_sig; the CLI tests do not link the library):
/// for the watts here, between 1 and 1000, printf's %.4g writes the same digits.
std::string sig4(double watts) { return fmt::format("{:.4g}", watts); }

/// co2e started in the background with its own environment; stderr in a file.
struct Background {
  pid_t pid = 0;
  std::string err_path;
  Background(const TempDir& d, const std::vector<std::string>& args, std::vector<std::string> env) {
    err_path = d.path() + "/bg.err";
    std::vector<std::string> argv_s{co2e::test::co2e_binary()};
    argv_s.insert(argv_s.end(), args.begin(), args.end());
    std::vector<char*> argv;
    argv.reserve(argv_s.size() + 1);
    for (auto& a : argv_s) argv.push_back(a.data());
    argv.push_back(nullptr);
    env.emplace_back("PATH=/usr/bin:/bin");
    if (const char* a = std::getenv("ASAN_OPTIONS")) env.push_back(std::string("ASAN_OPTIONS=") + a);
    std::vector<char*> envp;
    envp.reserve(env.size() + 1);
    for (auto& e : env) envp.push_back(e.data());
    envp.push_back(nullptr);
    posix_spawn_file_actions_t fa;
    posix_spawn_file_actions_init(&fa);
    posix_spawn_file_actions_addopen(&fa, 0, "/dev/null", O_RDONLY, 0);
    posix_spawn_file_actions_addopen(&fa, 1, "/dev/null", O_WRONLY, 0);
    posix_spawn_file_actions_addopen(&fa, 2, err_path.c_str(), O_WRONLY | O_CREAT | O_TRUNC, 0644);
    REQUIRE(posix_spawn(&pid, co2e::test::co2e_binary(), &fa, nullptr, argv.data(), envp.data()) == 0);
    posix_spawn_file_actions_destroy(&fa);
  }
  int wait() const {
    int status = 0;
    while (waitpid(pid, &status, 0) < 0 && errno == EINTR) {
    }
    return WIFEXITED(status) ? WEXITSTATUS(status) : 128 + WTERMSIG(status);
  }
};

}  // namespace

TEST_CASE("run --baseline: dynamic and static energy, process scope on a shared machine, end to end", "[cli]") {
  TempDir d;
  const double hz = static_cast<double>(::sysconf(_SC_CLK_TCK));
  const std::string pc = d.path() + "/powercap", proc = d.path() + "/proc";
  std::filesystem::create_directories(pc + "/intel-rapl:0");
  std::filesystem::create_directories(pc + "/intel-rapl:0:0");
  std::filesystem::create_directories(proc + "/200");
  d.write("powercap/intel-rapl:0/name", "package-0\n");
  d.write("powercap/intel-rapl:0/energy_uj", "0\n");
  d.write("powercap/intel-rapl:0:0/name", "dram\n");
  d.write("powercap/intel-rapl:0:0/energy_uj", "0\n");
  d.write("proc/stat", "cpu  0 0 0 0 0 0 0 0 0 0\n");
  auto stat = [&](const std::string& pid, int ppid, double cpu_s) {
    return fmt::format("{} (p) S {} 1 1 0 -1 0 0 0 0 0 {:.0f} 0 0 0 20 0 1 0 100 1000 100 0 0", pid, ppid, cpu_s * hz);
  };
  d.write("proc/200/stat", stat("200", 1, 0) + "\n");  // another user's job
  // The command, on 4 CPUs over its first second: itself 10 CPU-s (this fake /proc's clock), the
  // other job 10 CPU-s, idle 20 CPU-s; the package uses 1500 J, dram 200 J. Then it waits for
  // co2e's sample at 1 s and exits.
  const std::string script = fmt::format(
      "mkdir -p {proc}/$$ && echo \"{me}\" > {proc}/$$/stat && echo \"{other}\" > {proc}/200/stat && "
      "echo 'cpu  {busy:.0f} 0 0 {idle:.0f} 0 0 0 0 0 0' > {proc}/stat && "
      "echo 1550000000 > {pc}/intel-rapl:0/energy_uj && echo 210000000 > {pc}/intel-rapl:0:0/energy_uj && sleep 1.6",
      fmt::arg("proc", proc), fmt::arg("pc", pc), fmt::arg("me", stat("$$", 1, 10)),
      fmt::arg("other", stat("200", 1, 10)), fmt::arg("busy", 20 * hz), fmt::arg("idle", 20 * hz));
  const std::string out = d.path() + "/run.json", log = d.path() + "/runs.csv";
  Background bg(d,
                {"run", "--baseline", "2s", "--interval", "1s", "--pue", "1", "--intensity", "100", "--format", "json",
                 "-o", out, "--log", log, "--", "sh", "-c", script},
                {"CO2E_POWERCAP_ROOT=" + pc, "CO2E_PROC_ROOT=" + proc, "CO2E_NVML_LIBRARY="});
  // During the baseline the machine draws 25 W on the package and 5 W on dram: 50 J and 10 J in 2 s.
  for (int i = 0; i < 500 && !contains(read_file(bg.err_path), "co2e: measuring the machine's baseline power"); ++i)
    std::this_thread::sleep_for(std::chrono::milliseconds(10));
  d.write("powercap/intel-rapl:0/energy_uj", "50000000\n");
  d.write("powercap/intel-rapl:0:0/energy_uj", "10000000\n");
  REQUIRE(bg.wait() == 0);
  const std::string err = read_file(bg.err_path);
  INFO(err);
  CHECK(contains(err, "co2e: measuring the machine's baseline power for 2 s before the command starts\n"));
  const auto j = nlohmann::json::parse(read_file(out));
  const double base_cpu_w = j["baseline"]["cpu_w"].get<double>();
  const double base_dram_w = j["baseline"]["dram_w"].get<double>();
  // The baseline's 2 s are measured around a sleep: a few ms more at most.
  CHECK(base_cpu_w == Approx(25).epsilon(0.02));
  CHECK(base_dram_w == Approx(5).epsilon(0.02));
  // First interval (about 1 s): share of busy time 10/20, share of all CPU time 10/40.
  //   CPU    dynamic = 0.5 x (1500 J - 25 W x 1 s) = 737.5 J   static = 0.25 x 25 J = 6.25 J
  //   memory dynamic = 0.5 x (200 J - 5 W x 1 s)   = 97.5 J    static = 0.25 x 5 J  = 1.25 J
  // Without the split (the old figure) the CPU would be 0.5 x 1500 J = 750 J, all static included.
  constexpr double kJ = 1 / 3.6e6;
  const auto& cpu = j["components"]["cpu"];
  CHECK(cpu["method"] == "rapl");
  CHECK(cpu["dynamic_kwh"].get<double>() == Approx(737.5 * kJ).epsilon(0.005));
  CHECK(cpu["static_kwh"].get<double>() == Approx(6.25 * kJ).epsilon(0.1));
  CHECK(cpu["baseline_w"].get<double>() == Approx(base_cpu_w));
  const auto& mem = j["components"]["memory"];
  CHECK(mem["dynamic_kwh"].get<double>() == Approx(97.5 * kJ).epsilon(0.005));
  CHECK(mem["static_kwh"].get<double>() == Approx(1.25 * kJ).epsilon(0.1));
  CHECK(j["total_uses"] == "dynamic+static");
  const double dyn = j["dynamic_before_pue_kwh"].get<double>(), sta = j["static_before_pue_kwh"].get<double>();
  CHECK(dyn == Approx(835 * kJ).epsilon(0.005));
  CHECK(j["energy_before_pue_kwh"].get<double>() == Approx(dyn + sta));
  CHECK(j["co2e_g"].get<double>() == Approx((dyn + sta) * 100));
  // The text summary says the same, and which the total counts.
  CHECK(contains(err, fmt::format("  baseline   {} W CPU, {} W DRAM: the machine's power over", sig4(base_cpu_w),
                                  sig4(base_dram_w))));
  CHECK(contains(err, "the total counts both (default; --static exclude counts dynamic energy only)"));
  // The log row carries the split and the baseline's duration.
  std::istringstream rows(read_file(log));
  std::string header, row;
  std::getline(rows, header);
  std::getline(rows, row);
  CHECK(
      header.ends_with(",baseline_s,dynamic_before_pue_kwh,static_before_pue_kwh,total_uses,slurm_job_id,"
                       "slurm_step_id,slurm_nodeid,slurm_procid,co2e_kg,server_kwh,embodied_kg,total_co2e_kg"));
  CHECK(row.find(",dynamic+static,,,,,") != std::string::npos);  // outside SLURM: its four ids empty
  std::vector<std::string> cells;
  for (std::istringstream cs(row); std::getline(cs, header, ',');) cells.push_back(header);
  REQUIRE(cells.size() >= 25);
  CHECK(std::stod(cells[22]) == Approx(dyn));  // dynamic_before_pue_kwh
  CHECK(std::stod(cells[23]) == Approx(sta));  // static_before_pue_kwh
}

TEST_CASE("run --baseline: refused values and nothing to measure", "[cli]") {
  TempDir d;
  const std::vector<std::string> env{"CO2E_POWERCAP_ROOT=" + d.path() + "/none", "CO2E_NVML_LIBRARY="};
  SECTION("a bare number other than 0 asks for a unit") {
    const auto r = co2e::test::co2e({"run", "--baseline", "5", "--", "true"}, {}, env);
    CHECK(r.exit_code == 125);
    CHECK(contains(r.err, "co2e: error: --baseline"));
  }
  SECTION("no RAPL and no GPU: a warning, the models count the command's own use") {
    const auto r = co2e::test::co2e({"run", "--baseline", "1s", "--core-power", "10", "--", "true"}, {}, env);
    CHECK(r.exit_code == 0);
    CHECK(contains(r.err, "co2e: warning: --baseline 1s: nothing to measure (no RAPL counter, no NVML GPU)"));
    CHECK(contains(r.err, "dynamic "));
  }
  SECTION("--static accepts include or exclude") {
    const auto r = co2e::test::co2e({"run", "--static", "maybe", "--", "true"}, {}, env);
    CHECK(r.exit_code == 125);
    CHECK(r.err == "co2e: error: --static \"maybe\": accepted: include, exclude\n");
  }
}
