// co2e run and batch say where each input came from (issue 12): a CO2E_ variable is named as such,
// never passed off as a typed flag, in run's text report, in JSON `inputs.origins` (run, and each
// batch JSON Lines row) and in messages; and run's --log file carries co2e_kg, with a way to
// upgrade an older log. Black-box, no hardware.
#include <catch2/catch.hpp>
#include <filesystem>
#include <nlohmann/json.hpp>

#include "support.hpp"

namespace t = co2e::test;
using co2e::test::contains;
using co2e::test::no_hardware;
using co2e::test::read_file;
using co2e::test::Run;
using co2e::test::TempDir;

namespace {

std::vector<std::string> split_csv_line(const std::string& line) {
  std::vector<std::string> out(1);
  for (char c : line) {
    if (c == ',')
      out.emplace_back();
    else if (c != '\n')
      out.back() += c;
  }
  return out;
}

}  // namespace

TEST_CASE("run: CO2E_ variables are named as such, not as flags", "[cli]") {
  TempDir d;
  const std::string json = d.path() + "/run.json";
  SECTION("PUE, core power and budget from the environment") {
    const Run r =
        t::co2e({"run", "--interval", "0.05s", "--intensity", "100", "--format", "json", "-o", json, "--", "true"}, {},
                no_hardware(d, {"CO2E_PUE=2", "CO2E_CORE_POWER=10", "CO2E_BUDGET=1kg"}));
    REQUIRE(r.exit_code == 0);
    CHECK(contains(r.err, "  PUE        2 (from CO2E_PUE)\n"));  // was "2 (--pue)"
    CHECK(contains(r.err, "10 W per core (CO2E_CORE_POWER) x CPU time"));
    CHECK(contains(r.err, "  budget     1 kg (from CO2E_BUDGET)"));
    CHECK(contains(r.err, "100 gCO2e/kWh (--intensity)"));  // typed: the flag
    const auto j = nlohmann::json::parse(read_file(json));
    CHECK(j["pue"] == 2);
    CHECK(j["inputs"]["origins"]["pue"] == nlohmann::json{{"origin", "env"}, {"name", "CO2E_PUE"}});
    CHECK(j["inputs"]["origins"]["core_power"] == nlohmann::json{{"origin", "env"}, {"name", "CO2E_CORE_POWER"}});
    CHECK(j["inputs"]["origins"]["intensity"] == nlohmann::json{{"origin", "flag"}, {"name", "--intensity"}});
    CHECK(j["inputs"]["origins"]["budget"] == nlohmann::json{{"origin", "env"}, {"name", "CO2E_BUDGET"}});
    CHECK_FALSE(j["inputs"]["origins"].contains("region"));  // not given: absent
  }
  SECTION("a typed flag wins over its variable, and is named as the flag") {
    const Run r = t::co2e({"run", "--interval", "0.05s", "--core-power", "10", "--intensity", "100", "--pue", "1.5",
                           "--format", "json", "-o", json, "--", "true"},
                          {}, no_hardware(d, {"CO2E_PUE=2"}));
    REQUIRE(r.exit_code == 0);
    CHECK(contains(r.err, "  PUE        1.5 (--pue)\n"));
    const auto j = nlohmann::json::parse(read_file(json));
    CHECK(j["pue"] == 1.5);
    CHECK(j["inputs"]["origins"]["pue"] == nlohmann::json{{"origin", "flag"}, {"name", "--pue"}});
  }
  SECTION("CO2E_REGION: the grid line says where the region came from") {
    const Run r = t::co2e({"run", "--interval", "0.05s", "--core-power", "10", "--pue", "1", "--", "true"}, {},
                          no_hardware(d, {"CO2E_REGION=FR"}));
    REQUIRE(r.exit_code == 0);
    CHECK(contains(r.err, "44.18 gCO2e/kWh: France (from CO2E_REGION), lifecycle basis"));
  }
  SECTION("a bad value from a variable: the message names the variable, exit 125") {
    const Run r = t::co2e({"run", "--core-power", "10", "--", "true"}, {}, no_hardware(d, {"CO2E_PUE=abc"}));
    CHECK(r.exit_code == 125);
    CHECK(r.err.starts_with("co2e: error: CO2E_PUE \"abc\""));
    const Run cpu = t::co2e({"run", "--", "true"}, {}, no_hardware(d, {"CO2E_CPU=Zilog Z80"}));
    CHECK(cpu.exit_code == 125);
    CHECK(cpu.err.starts_with("co2e: error: CO2E_CPU: "));
    const Run budget = t::co2e({"run", "--core-power", "10", "--", "true"}, {}, no_hardware(d, {"CO2E_BUDGET=lots"}));
    CHECK(budget.exit_code == 125);
    CHECK(budget.err.starts_with("co2e: error: CO2E_BUDGET: "));
  }
  SECTION("non-figure options from variables are named by their variable too") {
    const Run s = t::co2e({"run", "--core-power", "10", "--", "true"}, {},
                          no_hardware(d, {"CO2E_SUMMARY_FILE=" + d.path() + "/no/such/dir/summary.md"}));
    CHECK(s.exit_code == 125);
    CHECK(s.err.starts_with("co2e: error: CO2E_SUMMARY_FILE \"" + d.path() + "/no/such/dir/summary.md\": "));
    const Run series = t::co2e({"run", "--core-power", "10", "--", "true"}, {},
                               no_hardware(d, {"CO2E_INTENSITY_SERIES=" + d.path() + "/none.csv"}));
    CHECK(series.exit_code == 125);
    CHECK(series.err.starts_with("co2e: error: CO2E_INTENSITY_SERIES"));
  }
}

TEST_CASE("run --log: co2e_kg in every row; an older log is refused with the way to upgrade it", "[cli]") {
  TempDir d;
  const std::string log = d.path() + "/runs.csv";
  const std::vector<std::string> base{"run", "--interval",  "0.05s", "--core-power", "10", "--pue",
                                      "1",   "--intensity", "100",   "--log",        log};
  auto with = [&](std::vector<std::string> more) {
    std::vector<std::string> a = base;
    a.insert(a.end(), more.begin(), more.end());
    return a;
  };
  SECTION("a new log: co2e_kg is co2e_g / 1000, then the whole footprint's columns") {
    REQUIRE(t::co2e(with({"--", "sh", "-c", "i=0; while [ $i -lt 20000 ]; do i=$((i+1)); done"}), {}, no_hardware(d))
                .exit_code == 0);
    const std::string text = read_file(log);
    const auto nl = text.find('\n');
    const auto header = split_csv_line(text.substr(0, nl));
    const auto row = split_csv_line(text.substr(nl + 1));
    REQUIRE(header.size() == row.size());
    const auto col = [&](const char* name) {
      return static_cast<std::size_t>(std::find(header.begin(), header.end(), name) - header.begin());
    };
    REQUIRE(col("co2e_kg") < header.size());
    CHECK(std::stod(row[col("co2e_kg")]) == Approx(std::stod(row[col("co2e_g")]) / 1000).epsilon(1e-9));
    // Then the whole footprint (issue 15): none here, so the total is the operational figure.
    CHECK(header.back() == "total_co2e_kg");
    CHECK(row[col("server_kwh")] == "0");
    CHECK(row[col("embodied_kg")] == "0");
    CHECK(row.back() == row[col("co2e_kg")]);
  }
  // The first release's 21 columns, one row worked by hand: energy = 1.5 x (2 + 0.5) = 3.75 kWh;
  // 3.75 kWh x 329.12 g/kWh = 1234.2 g, so co2e_kg = 1.2342.
  const std::string old_header =
      "start_utc,end_utc,host,command,exit_status,stopped_by_budget,runtime_s,cpu_time_s,peak_rss_mb,scope,cpu_kwh,"
      "cpu_method,memory_kwh,memory_method,gpu_kwh,gpu_method,pue,intensity_g_per_kwh,region,energy_kwh,co2e_g\n";
  const std::string old_row =
      "2024-01-01T00:00:00Z,2024-01-01T01:00:00Z,node1,\"make -j8, all\",0,0,3600,7200,100,process,2,rapl,0.5,"
      "rapl_dram,0,none,1.5,329.12,FR,3.75,1234.2\n";
  SECTION("an older log: refused before the command runs, with the way out") {
    d.write("runs.csv", old_header + old_row);
    const std::string marker = d.path() + "/ran";
    const Run r = t::co2e(with({"--", "touch", marker}), {}, no_hardware(d));
    CHECK(r.exit_code == 125);
    CHECK_FALSE(std::filesystem::exists(marker));
    CHECK(contains(r.err,
                   "written by an older co2e run (21 columns, up to co2e_g; this version writes 33, adding "
                   "baseline_s, dynamic_before_pue_kwh, static_before_pue_kwh, total_uses, slurm_job_id, "
                   "slurm_step_id, slurm_nodeid, slurm_procid, co2e_kg, server_kwh, embodied_kg, total_co2e_kg)"));
    CHECK(contains(r.err, "co2e run --upgrade-log " + log));
    CHECK(read_file(log) == old_header + old_row);  // untouched
  }
  SECTION("--upgrade-log of a log with co2e_kg (30 columns): the whole footprint's three columns added, empty") {
    std::string header30 = old_header.substr(0, old_header.size() - 1) +
                           ",baseline_s,dynamic_before_pue_kwh,static_before_pue_kwh,total_uses,slurm_job_id,"
                           "slurm_step_id,slurm_nodeid,slurm_procid,co2e_kg\n";
    const std::string row30 = old_row.substr(0, old_row.size() - 1) + ",0,,,dynamic+static,42,0,0,0,1.2342\n";
    d.write("runs.csv", header30 + row30);
    const Run r = t::co2e({"run", "--upgrade-log", log});
    CHECK(r.exit_code == 0);
    const std::string text = read_file(log);
    CHECK(text == header30.substr(0, header30.size() - 1) + ",server_kwh,embodied_kg,total_co2e_kg\n" +
                      row30.substr(0, row30.size() - 1) + ",,,\n");
  }
  SECTION("--upgrade-log: today's header, old rows keep their values and gain co2e_kg") {
    d.write("runs.csv", old_header + old_row);
    const Run r = t::co2e({"run", "--upgrade-log", log});
    CHECK(r.exit_code == 0);
    CHECK(r.err == "co2e: " + log + ": 1 row upgraded to this version's 33 columns\n");
    const std::string text = read_file(log);
    CHECK(text.substr(0, text.find('\n') + 1) == old_header.substr(0, old_header.size() - 1) +
                                                     ",baseline_s,dynamic_before_pue_kwh,static_before_pue_kwh,"
                                                     "total_uses,slurm_job_id,slurm_step_id,slurm_nodeid,slurm_procid,"
                                                     "co2e_kg,server_kwh,embodied_kg,total_co2e_kg\n");
    // co2e_kg from co2e_g; the whole footprint was not recorded then: empty, not 0.
    CHECK(text.substr(text.find('\n') + 1) == old_row.substr(0, old_row.size() - 1) + ",,,,,,,,,1.2342,,,\n");
    // Now a run appends to it.
    CHECK(t::co2e(with({"--", "true"}), {}, no_hardware(d)).exit_code == 0);
    const std::string after = read_file(log);
    CHECK(std::count(after.begin(), after.end(), '\n') == 3);
    // Upgrading again is refused (nothing to do), as is a file that is no co2e log.
    CHECK(t::co2e({"run", "--upgrade-log", log}).exit_code == 2);
    d.write("other.csv", "a,b\n1,2\n");
    const Run other = t::co2e({"run", "--upgrade-log", d.path() + "/other.csv"});
    CHECK(other.exit_code == 3);
    CHECK(contains(other.err, "not the header of a co2e run --log file"));
  }
}

TEST_CASE("batch --format jsonl: each row says where its inputs came from", "[cli]") {
  TempDir d;
  const std::string csv = d.write("runs.csv", "name,cores,runtime,pue\na,2,1h,1.2\nb,1,2h,\nc,x,1h,\n");
  const Run r =
      t::co2e({"batch", csv, "--format", "jsonl", "--pue", "1.5", "--intensity", "100"}, {}, {"CO2E_CORE_POWER=10"});
  CHECK(r.exit_code == 2);  // row c is bad
  std::vector<nlohmann::json> rows;
  std::size_t pos = 0;
  while (pos < r.out.size()) {
    const auto nl = r.out.find('\n', pos);
    rows.push_back(nlohmann::json::parse(r.out.substr(pos, nl - pos)));
    pos = nl + 1;
  }
  REQUIRE(rows.size() == 3);
  using J = nlohmann::json;
  // Row 1: its own cells; core power from the environment; 1.2 x 2 cores x 10 W x 1 h = 24 Wh.
  const J& o1 = rows[0]["inputs"]["origins"];
  CHECK(o1["cores"] == J{{"origin", "column"}, {"name", "cores"}, {"row", 1}});
  CHECK(o1["runtime"] == J{{"origin", "column"}, {"name", "runtime"}, {"row", 1}});
  CHECK(o1["pue"] == J{{"origin", "column"}, {"name", "pue"}, {"row", 1}});
  CHECK(o1["core_power"] == J{{"origin", "env"}, {"name", "CO2E_CORE_POWER"}});
  CHECK(o1["intensity"] == J{{"origin", "flag"}, {"name", "--intensity"}});
  CHECK(rows[0]["energy_kwh"].get<double>() == Approx(0.024));
  // Row 2: an empty pue cell takes the command line's --pue; 1.5 x 1 x 10 W x 2 h = 30 Wh.
  const J& o2 = rows[1]["inputs"]["origins"];
  CHECK(o2["pue"] == J{{"origin", "flag"}, {"name", "--pue"}});
  CHECK(o2["cores"]["row"] == 2);
  CHECK(rows[1]["energy_kwh"].get<double>() == Approx(0.03));
  CHECK_FALSE(o2.contains("region"));  // not given by anyone: absent
  // A bad row: no inputs to trace.
  CHECK(rows[2]["status"] == "error");
  CHECK(rows[2]["inputs"].is_null());
}
