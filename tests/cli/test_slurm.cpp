// co2e slurm, black box: the real binary on saved sacct outputs, a fake sacct and sinfo on PATH,
// and the error paths with their exit codes and messages.
#include <sys/stat.h>
#include <catch2/catch.hpp>
#include <nlohmann/json.hpp>

#include "support.hpp"

namespace t = co2e::test;
using co2e::test::fixture;

namespace {

const std::string kCluster = fixture("slurm/good_cluster.json");
const std::string kBasic = fixture("slurm/good_basic.txt");
const std::string kQuirks = fixture("slurm/good_quirks.txt");

bool contains(const std::string& s, const std::string& part) { return s.find(part) != std::string::npos; }

std::size_t count_lines(const std::string& s) { return static_cast<std::size_t>(std::count(s.begin(), s.end(), '\n')); }

/// Writes an executable script `name` into `dir`.
void script(const co2e::test::TempDir& dir, const std::string& name, const std::string& body) {
  const auto path = dir.write(name, "#!/bin/sh\n" + body);
  ::chmod(path.c_str(), 0755);
}

}  // namespace

TEST_CASE("co2e slurm --sacct-file: text report", "[cli]") {
  const auto r = t::co2e({"slurm", "--cluster", kCluster, "--sacct-file", kBasic});
  INFO(r.err);
  REQUIRE(r.exit_code == 0);
  CHECK(r.err.empty());
  // 3 jobs: 34.47 + 916.44 + 64.47 Wh = 1.01538 kWh; × 200 g/kWh = 203.076 g.
  CHECK(contains(r.out, "co2e slurm: 3 jobs from 2024-03-01 to 2024-03-02, cluster testhpc"));
  CHECK(contains(r.out, "203.1 g CO2e"));
  CHECK(contains(r.out, "1.015 kWh"));
  CHECK(contains(r.out, "Failed jobs (state not COMPLETED): 1 of 3 jobs, 916.4 Wh (90.3% of the energy)"));
  CHECK(contains(r.out, "right-sized requests would have saved 2.794 Wh"));
  CHECK(contains(r.out, "By user"));
  CHECK(contains(r.out, "By partition"));
  CHECK(contains(r.out, "jobs with TotalCPU 0: CPUTime (Elapsed x NCPUS) used instead"));
}

TEST_CASE("co2e slurm --format json", "[cli]") {
  const auto r =
      t::co2e({"slurm", "--cluster", kCluster, "--sacct-file", kQuirks, "--format", "json", "--group-by", "day"});
  REQUIRE(r.exit_code == 0);
  const auto j = nlohmann::json::parse(r.out);
  CHECK(j["schema_version"] == 2);
  // 1004: 3.75 Wh, 1009: 15 Wh, 1010: 62.9352 Wh, 1011: 42.525 Wh.
  CHECK(j["total"]["jobs"] == 4);
  CHECK(j["total"]["energy_kwh"].get<double>() == Approx(0.00375 + 0.015 + 0.0629352122 + 0.042525));
  // The output contract: energy_kwh and co2e_kg at the top level, as in every command.
  CHECK(j["energy_kwh"] == j["total"]["energy_kwh"]);
  CHECK(j["co2e_kg"] == j["total"]["co2e_kg"]);
  CHECK(j["total"]["energy_kwh"].get<double>() ==
        Approx(1.5 * (j["total"]["cpu_kwh"].get<double>() + j["total"]["gpu_kwh"].get<double>() +
                      j["total"]["memory_kwh"].get<double>())));  // components before PUE 1.5
  CHECK(j["total"]["failed_jobs"] == 2);                          // CANCELLED and OUT_OF_MEMORY
  CHECK(j["issues"]["orphan_step"]["count"] == 1);
  CHECK(j["issues"]["orphan_step"]["skipped"] == true);
  CHECK(j["issues"]["pending"]["count"] == 1);
  CHECK(j["issues"]["running"]["count"] == 1);
  CHECK(j["issues"]["never_started"]["count"] == 1);
  CHECK(j["issues"]["bad_elapsed"]["count"] == 1);
  CHECK(j["issues"]["malformed_line"]["count"] == 1);
  CHECK(j["issues"]["bad_job_id"]["count"] == 1);
  CHECK(j["issues"]["job_name_pipe"]["count"] == 1);
  CHECK(j["issues"]["req_mem_zero"]["count"] == 2);
  CHECK(j["issues"]["partition_unknown"]["count"] == 1);
  CHECK(j["issues"]["partition_list"]["count"] == 1);
  CHECK(j["issues"]["step_failed"]["count"] == 1);
  CHECK(j["unknown_partitions"]["unknownpart"] == 1);
  REQUIRE(j["groups"]["day"].size() == 2);
  CHECK(j["groups"]["day"][0]["key"] == "2024-03-01");
  CHECK(j["cluster"]["pue"] == 1.5);
  CHECK(j["by_state"]["OUT_OF_MEMORY"]["jobs"] == 1);
}

TEST_CASE("co2e slurm --format csv and jsonl: one row per job", "[cli]") {
  const auto csv = t::co2e({"slurm", "--cluster", kCluster, "--sacct-file", kBasic, "--format", "csv"});
  REQUIRE(csv.exit_code == 0);
  CHECK(count_lines(csv.out) == 4);
  CHECK(csv.out.starts_with("job_id,job_name,user,account,partition,state,success,day,elapsed_h,"));
  // 1002: 2 GPU-h, 0.6 kWh of GPU, 0.91644 kWh in all, 0.183288 kg = 183.288 g.
  CHECK(csv.out.starts_with(
      "job_id,job_name,user,account,partition,state,success,day,elapsed_h,ncpus,nnodes,gpus,core_hours,gpu_hours,"
      "memory_requested_gb,memory_used_gb,cpu_kwh,gpu_kwh,memory_kwh,energy_kwh,co2e_kg,co2e_g,"));
  CHECK(
      contains(csv.out,
               "\n1002,train,bob,bio,gpu,FAILED,false,2024-03-02,1,8,1,2,0.5,2,16,,0.005,0.6,0.00596,0.91644,0.183288,"
               "183.288,,0\n"));
  CHECK(contains(csv.err, "co2e slurm: 3 jobs, 1.015 kWh, 203.1 g CO2e"));

  const auto jl = t::co2e({"slurm", "--cluster", kCluster, "--sacct-file", kQuirks, "--format", "jsonl"});
  REQUIRE(jl.exit_code == 0);
  REQUIRE(count_lines(jl.out) == 4);
  const auto last = nlohmann::json::parse(jl.out.substr(jl.out.rfind('\n', jl.out.size() - 2) + 1));
  CHECK(last["job_id"] == "1011");
  CHECK(last["job_name"] == "a|b");
  CHECK(last["memory_requested_gb"] == 100);
  CHECK(last["memory_used_gb"].is_null());
  CHECK(last["energy_kwh"].get<double>() == Approx(0.042525));
  CHECK(last["co2e_kg"].get<double>() == Approx(last["co2e_g"].get<double>() / 1000));
}

TEST_CASE("co2e slurm --format markdown, --success-states, stdin", "[cli]") {
  const auto r = t::co2e({"slurm", "--cluster", kCluster, "--sacct-file", "-", "--format", "markdown",
                          "--success-states", "completed,failed", "--group-by", "account"},
                         co2e::test::read_file(kBasic));
  REQUIRE(r.exit_code == 0);
  CHECK(r.out.starts_with("# SLURM carbon footprint, cluster testhpc\n"));
  CHECK(contains(r.out, "## Failed jobs (state not COMPLETED, FAILED): 0 of 3 jobs"));
  CHECK(contains(r.out, "| account | jobs |"));
  CHECK(contains(r.out, "| bio | 1 |"));
}

TEST_CASE("co2e slurm: overrides and defaults", "[cli]") {
  // --intensity wins over the file's 200 g/kWh: 1.01538 kWh × 100 = 101.538 g.
  const auto r =
      t::co2e({"slurm", "--cluster", kCluster, "--sacct-file", kBasic, "--intensity", "100", "--format", "json"});
  REQUIRE(r.exit_code == 0);
  CHECK(nlohmann::json::parse(r.out)["total"]["co2e_kg"].get<double>() == Approx(0.101538));
  // No cluster file: 12 W/core, 200 W/GPU, PUE 1.56. CPU 6.5 core-h × 12 = 78 Wh, GPU 2 × 200 = 400 Wh,
  // memory 11.92 Wh: (78 + 400 + 11.92) × 1.56 = 764.2752 Wh.
  const auto d = t::co2e({"slurm", "--sacct-file", kBasic, "--format", "json"});
  REQUIRE(d.exit_code == 0);
  CHECK(nlohmann::json::parse(d.out)["total"]["energy_kwh"].get<double>() == Approx(0.7642752));
  CHECK(nlohmann::json::parse(d.out)["issues"]["partition_unknown"]["count"] == 3);
}

TEST_CASE("co2e slurm: errors and exit codes", "[cli]") {
  SECTION("input without a header") {
    const auto r = t::co2e({"slurm", "--sacct-file", fixture("slurm/bad_no_header.txt")});
    CHECK(r.exit_code == 3);
    CHECK(contains(r.err,
                   "co2e: error: " + fixture("slurm/bad_no_header.txt") + ": the first line is not a sacct -P header"));
  }
  SECTION("empty input") {
    const auto r = t::co2e({"slurm", "--sacct-file", fixture("slurm/bad_empty.txt")});
    CHECK(r.exit_code == 3);
    CHECK(contains(r.err, "no sacct output"));
  }
  SECTION("missing file") {
    const auto r = t::co2e({"slurm", "--sacct-file", "/nonexistent/jobs.txt"});
    CHECK(r.exit_code == 3);
    CHECK(r.err == "co2e: error: --sacct-file \"/nonexistent/jobs.txt\": cannot open: No such file or directory\n");
  }
  SECTION("bad cluster files") {
    const auto r = t::co2e({"slurm", "--cluster", fixture("slurm/bad_cluster_key.json"), "--sacct-file", kBasic});
    CHECK(r.exit_code == 3);
    CHECK(contains(r.err, "unknown key \"partitons\""));
    const auto r2 = t::co2e({"slurm", "--cluster", fixture("slurm/bad_cluster_cpu.json"), "--sacct-file", kBasic});
    CHECK(r2.exit_code == 3);
    CHECK(contains(r2.err, "partitions.cpu.cpu: "));
  }
  SECTION("bad flags") {
    CHECK(t::co2e({"slurm", "--sacct-file", kBasic, "--format", "yaml"}).exit_code == 2);
    const auto g = t::co2e({"slurm", "--sacct-file", kBasic, "--group-by", "team"});
    CHECK(g.exit_code == 2);
    CHECK(g.err ==
          "co2e: error: --group-by: \"team\" is not a grouping: use user, account, partition or day, or a "
          "comma-separated list of them\n");
    CHECK(t::co2e({"slurm", "--sacct-file", kBasic, "--pue", "0.5"}).exit_code == 2);
  }
  SECTION("sacct not installed") {
    co2e::test::TempDir empty;
    const auto r =
        co2e::test::run_program("/usr/bin/env", {"-i", "PATH=" + empty.path(), co2e::test::co2e_binary(), "slurm"});
    CHECK(r.exit_code == 3);
    CHECK(
        contains(r.err, "co2e: error: sacct: command not found on PATH; co2e slurm runs sacct on a SLURM login node"));
    CHECK(contains(r.err, "--sacct-file FILE"));
  }
}

TEST_CASE("co2e slurm runs sacct with the fields it needs", "[cli]") {
  co2e::test::TempDir dir;
  script(dir, "sacct", "echo \"$@\" > \"$(dirname \"$0\")/args\"\ncat " + kBasic + "\n");
  const auto r = co2e::test::run_program(
      "/usr/bin/env", {"-i", "PATH=" + dir.path() + ":/usr/bin:/bin", co2e::test::co2e_binary(), "slurm", "--cluster",
                       kCluster, "-S", "2024-03-01", "-a", "--format", "json"});
  INFO(r.err);
  REQUIRE(r.exit_code == 0);
  CHECK(nlohmann::json::parse(r.out)["total"]["jobs"] == 3);
  CHECK(co2e::test::read_file(dir.path() + "/args") ==
        "--parsable2 --noconvert --format=JobID,JobName,User,Account,Partition,Submit,Start,End,Elapsed,NNodes,NCPUS,"
        "TotalCPU,CPUTime,ReqMem,MaxRSS,State,AllocTRES --starttime 2024-03-01 --allusers\n");

  script(dir, "sacct", "echo 'sacct: error: Problem talking to the database' >&2\nexit 1\n");
  const auto f = co2e::test::run_program(
      "/usr/bin/env", {"-i", "PATH=" + dir.path() + ":/usr/bin:/bin", co2e::test::co2e_binary(), "slurm"});
  CHECK(f.exit_code == 3);
  CHECK(contains(f.err, "sacct: error: Problem talking to the database\n"));
  CHECK(contains(f.err, "co2e: error: sacct exited with status 1"));
}

TEST_CASE("co2e slurm init", "[cli]") {
  co2e::test::TempDir dir;
  SECTION("without sinfo: example partitions, and the template loads") {
    const auto path = dir.path() + "/cluster.json";
    const auto r = t::co2e({"slurm", "init", "--no-sinfo", "-o", path});
    REQUIRE(r.exit_code == 0);
    CHECK(contains(co2e::test::read_file(path), "\"_comment\""));
    CHECK(t::co2e({"slurm", "--cluster", path, "--sacct-file", kBasic}).exit_code == 0);
    const auto again = t::co2e({"slurm", "init", "--no-sinfo", "-o", path});
    CHECK(again.exit_code == 2);
    CHECK(contains(again.err, "the file exists; add --force to replace it"));
    const auto slip = t::co2e({"slurm", "init", "--forse", "-o", path});
    CHECK(slip.exit_code == 2);
    CHECK(slip.err ==
          "co2e: error: slurm init: unknown option --forse (did you mean --force?); see 'co2e slurm init --help'\n");
  }
  SECTION("partitions from sinfo") {
    script(dir, "sinfo", "echo 'short|16|64000|(null)'\necho 'a100|64|512000|gpu:a100:4(S:0-1)'\n");
    const auto r = co2e::test::run_program(
        "/usr/bin/env", {"-i", "PATH=" + dir.path() + ":/usr/bin:/bin", co2e::test::co2e_binary(), "slurm", "init"});
    REQUIRE(r.exit_code == 0);
    const auto j = nlohmann::json::parse(r.out);
    CHECK(j["partitions"]["short"]["node_memory_gb"].get<double>() == Approx(67.11));  // 64000 MiB
    CHECK(j["partitions"]["a100"]["gpu_power_w"] == 300);
  }
}

TEST_CASE("co2e slurm --sacct-file refuses sacct's job selection flags instead of ignoring them", "[cli]") {
  // A saved file is read whole: `-u alice` would otherwise report every user's jobs.
  for (const std::vector<std::string>& extra : {std::vector<std::string>{"-u", "alice"},
                                                {"-S", "2024-01-01"},
                                                {"-E", "2024-02-01"},
                                                {"-A", "physics"},
                                                {"-r", "gpu"},
                                                {"--allusers"}}) {
    std::vector<std::string> args{"slurm", "--sacct-file", kBasic, "--cluster", kCluster};
    args.insert(args.end(), extra.begin(), extra.end());
    const auto r = t::co2e(args);
    INFO(extra[0]);
    CHECK(r.exit_code == 2);
    CHECK(contains(r.err, "selects jobs in sacct and does not apply to --sacct-file"));
    CHECK(r.out.empty());
  }
}
