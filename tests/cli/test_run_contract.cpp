// co2e run keeps its own contract (issue 12): any failure of co2e itself exits 125, a flag that a
// measurement makes useless is reported as unused, and --interval is bounded by the RAPL
// counters' range. Black-box, with a fake powercap tree and no NVML.
#include <catch2/catch.hpp>
#include <filesystem>
#include <nlohmann/json.hpp>

#include "support.hpp"

namespace t = co2e::test;
using co2e::test::contains;
using co2e::test::no_hardware;
using co2e::test::read_file;
using co2e::test::Run;
using co2e::test::run_args;
using co2e::test::TempDir;

namespace {

/// A fake powercap tree: package-0 (and its dram sub-zone when `dram`), counters at 0.
std::string fake_rapl(const TempDir& d, const std::string& range_uj, bool dram) {
  std::filesystem::create_directories(d.path() + "/powercap/intel-rapl:0");
  d.write("powercap/intel-rapl:0/name", "package-0\n");
  d.write("powercap/intel-rapl:0/energy_uj", "0\n");
  d.write("powercap/intel-rapl:0/max_energy_range_uj", range_uj + "\n");
  if (dram) {
    std::filesystem::create_directories(d.path() + "/powercap/intel-rapl:0:0");
    d.write("powercap/intel-rapl:0:0/name", "dram\n");
    d.write("powercap/intel-rapl:0:0/energy_uj", "0\n");
  }
  return d.path() + "/powercap";
}

/// `co2e run` over `sh -c SCRIPT` with a CPU-only model at `core_power` W a core, PUE 1,
/// 100 g/kWh, a budget of 1 g with `action`, sampled every `interval`, its JSON report in `json`.
std::vector<std::string> budget_run(const std::string& interval, const std::string& core_power,
                                    const std::string& action, const std::string& json, const std::string& script) {
  return {"run",  "--interval",  interval, "--core-power", core_power, "--pue",
          "1",    "--intensity", "100",    "--budget",     "1g",       "--budget-action",
          action, "--format",    "json",   "-o",           json,       "--",
          "sh",   "-c",          script};
}

/// A shell loop that keeps a core busy for `ns` nanoseconds, then goes on with what follows.
std::string busy_for(long long ns) {
  return "end=$(($(date +%s%N) + " + std::to_string(ns) + ")); while [ $(date +%s%N) -lt $end ]; do :; done; ";
}

}  // namespace

TEST_CASE("run: any failure of co2e itself exits 125, never 3 or 4", "[cli]") {
  TempDir d;
  const std::string marker = d.path() + "/ran";
  auto env = [&](const std::string& fault) { return no_hardware(d.path(), {"CO2E_TEST_FAULT=" + fault}); };
  auto with = [](const std::vector<std::string>& more) { return run_args(more); };
  SECTION("std::bad_alloc before the command starts: 125 (was 3), the command never runs") {
    const Run r = t::co2e(with({"--", "touch", marker}), {}, env("bad_alloc@setup"));
    CHECK(r.exit_code == 125);
    CHECK(r.err == "co2e: error: out of memory\n");
    CHECK_FALSE(std::filesystem::exists(marker));
  }
  SECTION("any other exception before the command starts: 125 (was 4)") {
    const Run r = t::co2e(with({"--", "touch", marker}), {}, env("exception@setup"));
    CHECK(r.exit_code == 125);
    CHECK(r.err == "co2e: error: internal error: CO2E_TEST_FAULT at setup\n");
  }
  SECTION("a failure while sampling: the command runs to its end, co2e exits 125 and says how it ended") {
    const Run r =
        t::co2e(with({"--", "sh", "-c", "sleep 0.2; touch " + marker + "; exit 3"}), {}, env("bad_alloc@tick"));
    CHECK(r.exit_code == 125);
    CHECK(std::filesystem::exists(marker));
    CHECK(r.err ==
          "co2e: error: out of memory while measuring; the command exited with status 3 (no report written)\n");
  }
  SECTION("a failure while reporting: 125, not the command's status") {
    const Run r = t::co2e(with({"--", "sh", "-c", "exit 4"}), {}, env("exception@report"));
    CHECK(r.exit_code == 125);
    CHECK(r.err == "co2e: error: internal error: CO2E_TEST_FAULT at report\n");
  }
}

TEST_CASE("run: flags that RAPL makes unused are reported", "[cli]") {
  TempDir d;
  const std::string root = fake_rapl(d, "262143328850", true);
  const std::string out = d.path() + "/run.json";
  const Run r = t::co2e({"run",
                         "--baseline",
                         "0",
                         "--core-power",
                         "10",
                         "--cpu",
                         "Xeon Gold 6248",
                         "--memory",
                         "64G",
                         "--memory-power",
                         "0.5",
                         "--pue",
                         "1",
                         "--intensity",
                         "100",
                         "--format",
                         "json",
                         "-o",
                         out,
                         "--",
                         "true"},
                        {}, {"CO2E_POWERCAP_ROOT=" + root, "CO2E_NVML_LIBRARY="});
  REQUIRE(r.exit_code == 0);
  const std::string core =
      "--core-power 10 W not used: RAPL measures the CPU packages, and a measurement wins over a model";
  const std::string cpu =
      "--cpu \"Intel Xeon Gold 6248\" not used: RAPL measures the CPU packages, and a measurement wins over a model";
  const std::string mem = "--memory 64 GB not used: RAPL dram measures the memory, and a measurement wins over a model";
  const std::string mem_power = "--memory-power 0.5 W/GB not used: RAPL dram measures the memory";
  CHECK(contains(r.err, "(" + core + ")\n"));
  CHECK(contains(r.err, "(" + mem + ")\n"));
  const auto j = nlohmann::json::parse(read_file(out));
  CHECK(j["components"]["cpu"]["method"] == "rapl");
  CHECK(j["components"]["cpu"]["notes"] == nlohmann::json::array({core, cpu}));
  CHECK(j["components"]["memory"]["method"] == "rapl_dram");
  CHECK(j["components"]["memory"]["notes"] == nlohmann::json::array({mem, mem_power}));
  SECTION("without RAPL, --core-power wins over --cpu, and the report says so") {
    const Run m = t::co2e({"run", "--core-power", "10", "--cpu", "Xeon Gold 6248", "--", "true"}, {},
                          {"CO2E_POWERCAP_ROOT=" + d.path() + "/none", "CO2E_NVML_LIBRARY="});
    CHECK(m.exit_code == 0);
    CHECK(contains(m.err, "(--cpu \"Intel Xeon Gold 6248\" not used: --core-power 10 W wins over it)\n"));
  }
}

TEST_CASE("run: --interval is bounded so that a RAPL counter cannot wrap twice between samples", "[cli]") {
  TempDir d;
  // A counter that wraps after 2 J, on a package allowed 10 W (TDP) and 20 W (PL2): at 20 W it
  // wraps every 2 / 20 = 0.1 s, so a longer interval could hide a whole wrap.
  const std::string root = fake_rapl(d, "2000000", false);
  d.write("powercap/intel-rapl:0/constraint_0_max_power_uw", "10000000\n");
  d.write("powercap/intel-rapl:0/constraint_1_power_limit_uw", "20000000\n");
  const std::vector<std::string> env{"CO2E_POWERCAP_ROOT=" + root, "CO2E_NVML_LIBRARY="};
  SECTION("an explicit --interval above the bound: 125, with the arithmetic") {
    const Run r = t::co2e({"run", "--interval", "0.5s", "--", "true"}, {}, env);
    CHECK(r.exit_code == 125);
    CHECK(r.err ==
          "co2e: error: --interval \"0.5s\": at most 0.1 s here, or a RAPL counter could wrap twice between two "
          "samples and lose a whole range: intel-rapl:0 (package-0) wraps after 2 J (max_energy_range_uj), 0.1 s at "
          "20 W (constraint_1_power_limit_uw)\n");
  }
  SECTION("the default 1 s above the bound: the bound, with a warning") {
    const std::string out = d.path() + "/run.json";
    const Run r = t::co2e({"run", "--baseline", "0", "--format", "json", "-o", out, "--", "true"}, {}, env);
    CHECK(r.exit_code == 0);
    CHECK(contains(r.err,
                   "co2e: warning: sampling every 0.1 s instead of the default 1 s: intel-rapl:0 (package-0) "
                   "wraps after 2 J"));
    CHECK(nlohmann::json::parse(read_file(out))["interval_s"].get<double>() == Approx(0.1));
  }
  SECTION("within the bound: accepted") {
    CHECK(t::co2e({"run", "--baseline", "0", "--interval", "0.05s", "--", "true"}, {}, env).exit_code == 0);
  }
  SECTION("no power limit readable: 1000 W assumed") {
    std::filesystem::remove(d.path() + "/powercap/intel-rapl:0/constraint_0_max_power_uw");
    std::filesystem::remove(d.path() + "/powercap/intel-rapl:0/constraint_1_power_limit_uw");
    d.write("powercap/intel-rapl:0/max_energy_range_uj", "262143328850\n");
    // 262143.32885 J / 1000 W = 262.1 s.
    const Run r = t::co2e({"run", "--interval", "5min", "--", "true"}, {}, env);
    CHECK(r.exit_code == 125);
    CHECK(contains(r.err, "at most 262 s here"));
    CHECK(contains(r.err, "262.1 s at 1000 W (no power limit readable: assumed)"));
  }
}

TEST_CASE("run --budget-action report: the command finishes, co2e exits 124 afterwards", "[cli]") {
  TempDir d;
  const std::string marker = d.path() + "/finished";
  const std::vector<std::string> env{"CO2E_POWERCAP_ROOT=" + d.path() + "/none", "CO2E_NVML_LIBRARY="};
  // 1 MW per core crosses 1 g (at 100 g/kWh) within the first samples of a busy loop of 0.3 s.
  auto with = [&](const std::string& action, const std::string& script) {
    return budget_run("0.05s", "1000000", action, d.path() + "/run.json", script);
  };
  const std::string busy = busy_for(300'000'000);
  SECTION("report: runs to its end, warns when crossed, 124") {
    const Run r = t::co2e(with("report", busy + "touch " + marker), {}, env);
    CHECK(r.exit_code == 124);
    CHECK(std::filesystem::exists(marker));
    CHECK(contains(r.err, "co2e: budget exceeded: "));
    CHECK(contains(r.err, "; the command runs on (--budget-action report)\n"));
    CHECK(contains(r.err, "exited with status 0 after"));
    CHECK(contains(r.err, "  budget     1 g: exceeded, the command ran to its end (--budget-action report)\n"));
    const auto j = nlohmann::json::parse(read_file(d.path() + "/run.json"));
    CHECK(j["outcome"]["stopped_by_budget"] == false);
    CHECK(j["outcome"]["limit_exceeded"] == true);
    CHECK(j["outcome"]["exit_status"] == 124);
  }
  SECTION("report: a command that failed keeps its own status") {
    const Run r = t::co2e(with("report", busy + "exit 5"), {}, env);
    CHECK(r.exit_code == 5);
  }
  SECTION("stop (the default) still stops") {
    const Run r = t::co2e(with("stop", busy + "touch " + marker), {}, env);
    CHECK(r.exit_code == 124);
    CHECK_FALSE(std::filesystem::exists(marker));
  }
  SECTION("anything else: 125") {
    const Run r = t::co2e({"run", "--budget-action", "pause", "--", "true"}, {}, env);
    CHECK(r.exit_code == 125);
    CHECK(r.err == "co2e: error: --budget-action \"pause\": accepted: stop, report\n");
  }
}

// A command that ends before the first sample can still be over the budget once its CPU time is
// counted: 1 GW per core x ~0.1 s of CPU is ~28 Wh, 2.8 g at 100 g/kWh, over 1 g, and no tick
// (every 60 s) saw it. Exit 124, said on stderr and in the JSON; a failed command keeps its status.
TEST_CASE("run --budget: a command over the budget that ended between samples exits 124", "[cli]") {
  TempDir d;
  const std::vector<std::string> env{"CO2E_POWERCAP_ROOT=" + d.path() + "/none", "CO2E_NVML_LIBRARY="};
  const std::string busy = busy_for(150'000'000);
  auto with = [&](const std::string& action, const std::string& tail) {
    return budget_run("60s", "1000000000", action, d.path() + "/run.json", busy + tail);
  };
  for (const std::string action : {"stop", "report"}) {
    INFO(action);
    const Run r = t::co2e(with(action, "true"), {}, env);
    CHECK(r.exit_code == 124);
    CHECK(contains(r.err, "co2e: budget exceeded: "));
    CHECK(contains(r.err, "the command had ended before a sample saw it"));
    const auto j = nlohmann::json::parse(read_file(d.path() + "/run.json"));
    CHECK(j["outcome"]["limit_exceeded"] == true);
    CHECK(j["outcome"]["stopped_by_budget"] == false);
    CHECK(j["outcome"]["exit_status"] == 124);
    CHECK(j["co2e_kg"].get<double>() > 0.001);
  }
  const Run failed = t::co2e(with("report", "exit 5"), {}, env);
  CHECK(failed.exit_code == 5);
}

TEST_CASE("run under SLURM: the log row and the JSON record the job, step, node and task, --log patterns", "[cli]") {
  TempDir d;
  const std::vector<std::string> env{"CO2E_POWERCAP_ROOT=" + d.path() + "/none",
                                     "CO2E_NVML_LIBRARY=",
                                     "SLURM_JOB_ID=4242",
                                     "SLURM_STEP_ID=0",
                                     "SLURM_NODEID=1",
                                     "SLURM_PROCID=3"};
  const std::string out = d.path() + "/run.json";
  const Run r = t::co2e({"run", "-q", "--core-power", "10", "--format", "json", "-o", out, "--log",
                         d.path() + "/runs-%j-%n-%t-%%.csv", "--", "true"},
                        {}, env);
  REQUIRE(r.exit_code == 0);
  // One file per node and task: appends never meet on a shared filesystem.
  const std::string log = read_file(d.path() + "/runs-4242-1-3-%.csv");
  CHECK(log.starts_with("start_utc,"));
  CHECK(contains(log,
                 ",total_uses,slurm_job_id,slurm_step_id,slurm_nodeid,slurm_procid,co2e_kg,server_kwh,embodied_kg,"
                 "total_co2e_kg\n"));
  CHECK(contains(log, ",4242,0,1,3,"));  // then co2e_kg
  const auto j = nlohmann::json::parse(read_file(out));
  CHECK(j["slurm"]["SLURM_JOB_ID"] == "4242");
  CHECK(j["slurm"]["SLURM_PROCID"] == "3");
  SECTION("a pattern whose variable is not set, and an unknown pattern: 125") {
    const Run no_job = t::co2e({"run", "--log", d.path() + "/runs-%j.csv", "--", "true"}, {},
                               {"CO2E_POWERCAP_ROOT=" + d.path() + "/none", "CO2E_NVML_LIBRARY="});
    CHECK(no_job.exit_code == 125);
    CHECK(contains(no_job.err, "%j needs SLURM_JOB_ID, which is not set (not under srun or sbatch?)"));
    const Run bad = t::co2e({"run", "--log", d.path() + "/runs-%x.csv", "--", "true"}, {}, env);
    CHECK(bad.exit_code == 125);
    CHECK(contains(bad.err, "%x is not a pattern; accepted: %h (host), %j (SLURM_JOB_ID)"));
  }
}
