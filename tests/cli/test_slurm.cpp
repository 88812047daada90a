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
  // 1002: 2 GPU-h, 0.6 kWh of GPU, 0.91644 kWh in all, 0.183288 kg = 183.288 g; modelled (0.61096 before PUE).
  // No whole-footprint keys in the cluster file: server_kwh 0, embodied_kg 0, total_co2e_kg = co2e_kg.
  CHECK(csv.out.starts_with(
      "job_id,job_name,user,account,partition,state,success,day,elapsed_h,ncpus,nnodes,gpus,core_hours,gpu_hours,"
      "memory_requested_gb,memory_used_gb,cpu_kwh,gpu_kwh,memory_kwh,energy_kwh,co2e_kg,co2e_g,"));
  CHECK(
      contains(csv.out,
               "\n1002,train,bob,bio,gpu,FAILED,false,2024-03-02,1,8,1,2,0.5,2,16,,0.005,0.6,0.00596,0.91644,0.183288,"
               "183.288,,0,model,,0.61096,,0,0,0.183288,0.181884,0.18438,0.181884,0.18438\n"));
  // Its range (issue 17): only memory's W/GB is a default, 0.08 to 0.6: 16 GB x 1 h = 1.28 to 9.6 Wh;
  // 1.5 x (0.605 + 0.00128) x 200 = 181.884 g, 1.5 x (0.605 + 0.0096) x 200 = 184.38 g.
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
          "co2e: error: --group-by: \"team\" is not a grouping: use user, account, partition, day or user+partition, "
          "or a "
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
        "TotalCPU,CPUTime,ReqMem,MaxRSS,State,AllocTRES,ConsumedEnergyRaw --starttime 2024-03-01 --allusers\n");

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

TEST_CASE("co2e slurm --sacct-file: -u, -A, -r, -S, -E select jobs as sacct does", "[cli]") {
  // good_basic.txt: 1001 alice/physics/cpu ran 2024-03-01 10:00-11:00; 1002 bob/bio/gpu
  // 2024-03-01 10:00 to 2024-03-02 11:00 (0.91644 kWh); 1003 alice/physics/cpu 2024-03-02 10:00-12:00.
  auto jobs = [&](std::vector<std::string> extra) {
    std::vector<std::string> args{"slurm", "--sacct-file", kBasic, "--cluster", kCluster, "--format", "json"};
    args.insert(args.end(), extra.begin(), extra.end());
    const auto r = t::co2e(args);
    INFO(r.err);
    REQUIRE(r.exit_code == 0);
    return nlohmann::json::parse(r.out);
  };
  const auto alice = jobs({"-u", "alice"});
  CHECK(alice["total"]["jobs"] == 2);
  CHECK(alice["input"]["filtered_out"] == 1);
  CHECK(alice["input"]["filters"] == "-u alice");
  const auto bio = jobs({"-A", "bio"});
  CHECK(bio["total"]["jobs"] == 1);
  CHECK(bio["total"]["energy_kwh"].get<double>() == Approx(0.91644));
  CHECK(jobs({"-r", "gpu,other"})["total"]["jobs"] == 1);
  CHECK(jobs({"-u", "alice,bob"})["total"]["jobs"] == 3);
  // Jobs that ran at any moment in the window: ended after -S, started before -E.
  CHECK(jobs({"-S", "2024-03-02"})["total"]["jobs"] == 2);        // 1002, 1003
  CHECK(jobs({"-E", "2024-03-01T10:30"})["total"]["jobs"] == 2);  // 1001, 1002
  const auto window = jobs({"-S", "2024-03-01T11:30", "-E", "2024-03-02T09:00:00"});
  CHECK(window["total"]["jobs"] == 1);  // only 1002 spans it
  CHECK(window["input"]["filters"] == "-S 2024-03-01T11:30 -E 2024-03-02T09:00:00");
  CHECK(jobs({"--allusers"})["total"]["jobs"] == 3);  // a dump holds whom it holds
  SECTION("the text says how many the filters left out") {
    const auto r = t::co2e({"slurm", "--sacct-file", kBasic, "--cluster", kCluster, "-u", "alice"});
    CHECK(contains(r.out, "       1  jobs left out by the filters (-u alice)\n"));
  }
  SECTION("relative times need sacct") {
    const auto r = t::co2e({"slurm", "--sacct-file", kBasic, "-S", "now-7days"});
    CHECK(r.exit_code == 2);
    CHECK(contains(r.err,
                   "-S/--start: \"now-7days\": with --sacct-file give YYYY-MM-DD, YYYY-MM-DDTHH:MM or "
                   "YYYY-MM-DDTHH:MM:SS (relative times such as now-7days need sacct itself)"));
  }
}

// SLURM's own energy (issue 13). good_energy.txt, on the cpu partition (10 W/core, 0.3725 W/GB,
// PUE 1.5, 200 g/kWh), with ConsumedEnergyRaw as sacct prints it:
//   2001  job 360000 J (steps 350000, 360000)  measured 0.1 kWh      model 2 core-h 0.02 + 8 GB x 1 h 0.00298 = 0.02298
//   2002  0 (plugin recorded nothing)          model 0.01 + 2 GB x 1 h 0.000745 = 0.010745
//   2003  empty                                model 0.005 + 0.0003725 = 0.0053725
//   2004  18446744073709551614 (NO_VAL64)      model 0.010745
//   2005  empty, AllocTRES energy=72000        measured 0.02 kWh     model 0.01 + 0.0003725 = 0.0103725
//   2006  9e12 J in 1 h on 1 node (2.5 GW)     model 0.010745
//   2007  job empty, steps 36000 and 54000     measured 0.015 kWh    model 0.005 + 0.000745 = 0.005745
// auto: measured 0.135 + model 0.0376075 = 0.1726075 kWh before PUE; x 1.5 = 0.25891125 kWh; x 200 = 51.78225 g.
// Jobs with both: measured 0.135, model 0.0390975, ratio 3.4529.
TEST_CASE("co2e slurm: SLURM's measured energy (ConsumedEnergyRaw) and --energy-source", "[cli]") {
  const std::string energy = fixture("slurm/good_energy.txt");
  SECTION("auto: measured where recorded, the model otherwise; the comparison") {
    const auto r = t::co2e({"slurm", "--cluster", kCluster, "--sacct-file", energy, "--format", "json"});
    REQUIRE(r.exit_code == 0);
    const auto j = nlohmann::json::parse(r.out);
    CHECK(j["energy_source"] == "auto");
    const auto& tot = j["total"];
    CHECK(tot["jobs"] == 7);
    CHECK(tot["measured_jobs"] == 3);
    CHECK(tot["measured_kwh"].get<double>() == Approx(0.135));
    CHECK(tot["energy_kwh"].get<double>() == Approx(0.25891125));
    CHECK(tot["co2e_kg"].get<double>() == Approx(0.05178225));
    CHECK(tot["measured_vs_model"]["jobs"] == 3);
    CHECK(tot["measured_vs_model"]["measured_kwh"].get<double>() == Approx(0.135));
    CHECK(tot["measured_vs_model"]["model_kwh"].get<double>() == Approx(0.0390975));
    CHECK(tot["measured_vs_model"]["ratio"].get<double>() == Approx(0.135 / 0.0390975));
    CHECK(j["issues"]["energy_zero"]["count"] == 1);
    CHECK(j["issues"]["energy_broken"]["count"] == 2);
  }
  SECTION("per job: the method column") {
    const auto r = t::co2e({"slurm", "--cluster", kCluster, "--sacct-file", energy, "--format", "csv"});
    REQUIRE(r.exit_code == 0);
    CHECK(r.out.starts_with("job_id,"));
    CHECK(contains(r.out,
                   ",memory_savings_kwh,method,measured_kwh,model_kwh,run_log_kwh,server_kwh,embodied_kg,"
                   "total_co2e_kg,co2e_kg_low,co2e_kg_high,total_co2e_kg_low,total_co2e_kg_high\n"));
    // 2001: energy 1.5 x 0.1 = 0.15 kWh, 30 g; model 0.02298. A measured energy is exact, and so
    // are this file's PUE and intensity: the range is the figure (issue 17).
    CHECK(contains(r.out, ",0.15,0.03,30,"));
    CHECK(contains(r.out, ",measured,0.1,0.02298,,0,0,0.03,0.03,0.03,0.03,0.03\n"));
    // 2002, 2004, 2006: 10 Wh of CPU and 2 GB x 1 h of memory at 0.08 to 0.6 W/GB (the default's
    // range): 1.5 x 10.16 Wh x 200 g/kWh = 3.048 g to 1.5 x 11.2 Wh x 200 = 3.36 g.
    CHECK(contains(r.out, ",model,,0.010745,,0,0,0.0032235,0.003048,0.00336,0.003048,0.00336\n"));
    CHECK(contains(r.out, ",measured,0.02,0.0103725,,0,0,0.006,0.006,0.006,0.006,0.006\n"));
    CHECK(contains(r.out, ",measured,0.015,0.005745,,0,0,0.0045,0.0045,0.0045,0.0045,0.0045\n"));
  }
  SECTION("text: the energy source and the comparison side by side") {
    const auto r = t::co2e({"slurm", "--cluster", kCluster, "--sacct-file", energy});
    REQUIRE(r.exit_code == 0);
    CHECK(contains(r.out,
                   "Energy source (auto): 3 of 7 jobs measured by SLURM (ConsumedEnergyRaw), the model for "
                   "the rest\n  measured vs model, the 3 jobs with both (before PUE): measured 135 Wh, model "
                   "39.1 Wh, ratio 3.45\n"));
    CHECK(contains(r.out, "jobs with ConsumedEnergyRaw 0: no energy recorded, the model used"));
  }
  SECTION("model: every job modelled, the comparison still shown") {
    const auto r = t::co2e(
        {"slurm", "--cluster", kCluster, "--sacct-file", energy, "--energy-source", "model", "--format", "json"});
    REQUIRE(r.exit_code == 0);
    const auto j = nlohmann::json::parse(r.out);
    CHECK(j["total"]["energy_kwh"].get<double>() == Approx((0.0390975 + 0.0376075) * 1.5));
    CHECK(j["total"]["measured_jobs"] == 0);
    CHECK(j["total"]["measured_vs_model"]["jobs"] == 3);
  }
  SECTION("measured: only the measured jobs; the rest left out and counted") {
    const auto r = t::co2e(
        {"slurm", "--cluster", kCluster, "--sacct-file", energy, "--energy-source", "measured", "--format", "json"});
    REQUIRE(r.exit_code == 0);
    const auto j = nlohmann::json::parse(r.out);
    CHECK(j["total"]["jobs"] == 3);
    CHECK(j["total"]["energy_kwh"].get<double>() == Approx(0.2025));
    CHECK(j["unmeasured_left_out"] == 4);
    const auto csv = t::co2e(
        {"slurm", "--cluster", kCluster, "--sacct-file", energy, "--energy-source", "measured", "--format", "csv"});
    CHECK(count_lines(csv.out) == 4);
  }
  SECTION("a file without the column: the model, and the text says nothing was measured") {
    const auto r = t::co2e({"slurm", "--cluster", kCluster, "--sacct-file", kBasic});
    REQUIRE(r.exit_code == 0);
    CHECK(contains(r.out,
                   "Energy source (auto): 0 of 3 jobs measured by SLURM (ConsumedEnergyRaw), the model for the "
                   "rest; no job has a measured energy to compare with the model\n"));
  }
  SECTION("a bad --energy-source") {
    const auto r = t::co2e({"slurm", "--sacct-file", energy, "--energy-source", "ipmi"});
    CHECK(r.exit_code == 2);
    CHECK(contains(r.err, "--energy-source: \"ipmi\": accepted: auto, measured, model"));
  }
}

TEST_CASE("co2e slurm: a user x partition table and --top N", "[cli]") {
  // good_basic.txt: alice ran 1001 and 1003 on cpu, bob 1002 on gpu (0.91644 kWh, the biggest).
  SECTION("--group-by user+partition") {
    const auto r = t::co2e(
        {"slurm", "--sacct-file", kBasic, "--cluster", kCluster, "--group-by", "user+partition", "--format", "json"});
    REQUIRE(r.exit_code == 0);
    const auto rows = nlohmann::json::parse(r.out)["groups"]["user+partition"];
    REQUIRE(rows.size() == 2);
    CHECK(rows[0]["user"] == "alice");
    CHECK(rows[0]["partition"] == "cpu");
    CHECK(rows[0]["jobs"] == 2);
    CHECK(rows[1]["user"] == "bob");
    CHECK(rows[1]["partition"] == "gpu");
    CHECK(rows[1]["energy_kwh"].get<double>() == Approx(0.91644));
    const auto text = t::co2e({"slurm", "--sacct-file", kBasic, "--cluster", kCluster, "--group-by", "user+partition"});
    CHECK(contains(text.out, "By user+partition\n  user   partition  jobs"));
    CHECK(
        contains(text.out, "\n  bob          gpu     1     0.5      2                 0.9164   0.1833  90.3%    100%"));
    CHECK(
        contains(text.out, "\n  alice        cpu     2       6      0                0.09894  0.01979  9.74%      0%"));
  }
  SECTION("--top 1: the biggest, then the others in one row") {
    const auto r =
        t::co2e({"slurm", "--sacct-file", kBasic, "--cluster", kCluster, "--group-by", "user", "--top", "1"});
    REQUIRE(r.exit_code == 0);
    // bob 0.91644 kWh, 90.3% of 1.0154; alice's two jobs 0.09894 kWh (computed in the basic test above).
    CHECK(contains(r.out, "\n  bob            1     0.5      2                 0.9164   0.1833  90.3%"));
    CHECK(contains(r.out, "\n  (1 others)     2       6      0                0.09894  0.01979  9.74%"));
    CHECK_FALSE(contains(r.out, "\n  alice "));
  }
  SECTION("--top must be a whole number of at least 1") {
    const auto r = t::co2e({"slurm", "--sacct-file", kBasic, "--top", "0"});
    CHECK(r.exit_code == 2);
    CHECK(contains(r.err, "--top"));
  }
}

// co2e run logs merged into the jobs (issue 13, multi-node). good_run_logs.csv holds job 1002's
// 4 tasks on 2 nodes (0.31 + 0.31 + 0.055 + 0.055 = 0.73 kWh before PUE: cpu + memory + gpu of each
// row) and one run outside SLURM. 1002 counts 1.5 x 0.73 = 1.095 kWh; 1001 and 1003 stay
// modelled (34.47 + 64.47 Wh, PUE included): 1.19394 kWh, x 200 g/kWh = 238.788 g.
TEST_CASE("co2e slurm --measured: co2e run rows summed over nodes and tasks", "[cli]") {
  const std::string logs = fixture("slurm/good_run_logs.csv");
  SECTION("the totals and the method per job") {
    const auto r =
        t::co2e({"slurm", "--cluster", kCluster, "--sacct-file", kBasic, "--measured", logs, "--format", "json"});
    REQUIRE(r.exit_code == 0);
    const auto j = nlohmann::json::parse(r.out);
    CHECK(j["total"]["run_log_jobs"] == 1);
    CHECK(j["total"]["run_log_kwh"].get<double>() == Approx(0.73));
    CHECK(j["total"]["energy_kwh"].get<double>() == Approx(1.19394));
    CHECK(j["total"]["co2e_kg"].get<double>() == Approx(0.238788));
    const auto csv =
        t::co2e({"slurm", "--cluster", kCluster, "--sacct-file", kBasic, "--measured", logs, "--format", "csv"});
    CHECK(contains(csv.out,
                   "\n1002,train,bob,bio,gpu,FAILED,false,2024-03-02,1,8,1,2,0.5,2,16,,0.005,0.6,0.00596,1.095,0.219,"
                   "219,,0,co2e_run,,0.61096,0.73,0,0,0.219,0.219,0.219,0.219,0.219\n"));
    CHECK(contains(csv.out, ",model,,"));  // 1001, 1003
  }
  SECTION("the text names the source") {
    const auto r = t::co2e({"slurm", "--cluster", kCluster, "--sacct-file", kBasic, "--measured", logs});
    CHECK(contains(r.out, "1 jobs counted from co2e run logs (--measured: 5 rows, 1 of them outside SLURM)"));
    CHECK(contains(r.out, "  co2e run"));
  }
  SECTION("--energy-source model ignores them") {
    const auto r = t::co2e({"slurm", "--cluster", kCluster, "--sacct-file", kBasic, "--measured", logs,
                            "--energy-source", "model", "--format", "json"});
    CHECK(nlohmann::json::parse(r.out)["total"]["energy_kwh"].get<double>() == Approx(1.01538));
  }
  SECTION("a run's node overhead (server_kwh, before PUE) is part of what it counted; empty adds nothing") {
    t::TempDir d;
    const std::string log = d.write("runs.csv",
                                    "slurm_job_id,cpu_kwh,memory_kwh,gpu_kwh,server_kwh\n"
                                    "1002,0.3,0.01,0,0.05\n1002,0.3,0.01,0,\n");
    const auto r =
        t::co2e({"slurm", "--cluster", kCluster, "--sacct-file", kBasic, "--measured", log, "--format", "json"});
    REQUIRE(r.exit_code == 0);
    // 0.31 + 0.05 + 0.31 = 0.67 kWh before PUE.
    CHECK(nlohmann::json::parse(r.out)["total"]["run_log_kwh"].get<double>() == Approx(0.67));
    d.write("runs.csv", "slurm_job_id,cpu_kwh,memory_kwh,gpu_kwh,server_kwh\n1002,0.3,0.01,0,-1\n");
    const auto bad = t::co2e({"slurm", "--cluster", kCluster, "--sacct-file", kBasic, "--measured", log});
    CHECK(bad.exit_code == 3);
    CHECK(contains(bad.err, "line 2: column server_kwh: "));
  }
  SECTION("not a co2e run log") {
    const auto r = t::co2e({"slurm", "--sacct-file", kBasic, "--measured", kBasic});
    CHECK(r.exit_code == 3);
    CHECK(contains(r.err, "no column slurm_job_id: not a co2e run --log file"));
  }
}
