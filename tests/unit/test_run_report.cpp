// The run report's renderers and the locked log append.
#include <catch2/catch.hpp>
#include <nlohmann/json.hpp>
#include <string>

#include "co2e/run_report.hpp"
#include "support.hpp"

using namespace co2e;
using co2e::test::read_file;
using co2e::test::TempDir;

namespace {

ComponentReport component(double kwh, std::string method, std::string detail, std::vector<std::string> unavailable) {
  ComponentReport c;
  c.kwh = kwh;
  c.method = std::move(method);
  c.detail = std::move(detail);
  c.unavailable = std::move(unavailable);
  return c;
}

RunReport sample_report() {
  RunReport r;
  r.command = {"sh", "-c", "echo a,b\nexit 1"};
  r.host = "node1";
  r.start = std::chrono::system_clock::from_time_t(1'800'000'000);
  r.end = r.start + std::chrono::seconds(90);
  r.outcome.how = ChildOutcome::How::exited;
  r.outcome.code = 1;
  r.exit_status = 1;
  r.totals.elapsed = Seconds(90);
  r.totals.cpu_kwh = 0.002;
  r.totals.memory_kwh = 0.0005;
  r.totals.tree_cpu_s = 80;
  r.cpu = component(0.002, "rapl", "RAPL package-0", {});
  r.memory = component(0.0005, "rss", "0.3725 W/GB x ...", {"RAPL has no dram domain"});
  r.gpu = component(0, "none", "", {"NVML disabled"});
  r.pue.pue = 1.5;
  r.pue.source = PueSource::flag;
  r.intensity.g_per_kwh = 100;
  r.intensity.source = IntensitySource::flag;
  compute_footprint(r);
  return r;
}

}  // namespace

TEST_CASE("compute_footprint", "[unit]") {
  const RunReport r = sample_report();
  CHECK(r.energy_kwh == Approx(0.00375));
  CHECK(r.co2e_g == Approx(0.375));
}

TEST_CASE("run_log_row", "[unit]") {
  const RunReport r = sample_report();
  CHECK(run_log_header().starts_with("start_utc,end_utc,host,command,exit_status,"));
  const std::string row = run_log_row(r);
  // The command is quoted for the shell, its line break flattened, and CSV-quoted for its comma.
  CHECK(row.starts_with("2027-01-15T08:00:00Z,2027-01-15T08:01:30Z,node1,\"sh -c 'echo a,b exit 1'\",1,0,90,80,"));
  // RAPL read without a baseline: no dynamic/static split, the total counts the whole reading.
  // co2e_kg: 0.375 g = 0.000375 kg; then no node overhead, nothing embodied, the total = co2e_kg.
  CHECK(row.ends_with(",1.5,100,,0.00375,0.375,0,,,dynamic+static,,,,,0.000375,0,0,0.000375\n"));
  CHECK(std::count(row.begin(), row.end(), '\n') == 1);
}

TEST_CASE("append_log", "[unit]") {
  TempDir d;
  const std::string path = d.path() + "/runs.csv";
  SECTION("the header once, then rows") {
    REQUIRE_FALSE(append_log(path, "h\n", "r1\n"));
    REQUIRE_FALSE(append_log(path, "h\n", "r2\n"));
    CHECK(read_file(path) == "h\nr1\nr2\n");
  }
  SECTION("an empty existing file gets the header") {
    d.write("runs.csv", "");
    REQUIRE_FALSE(append_log(path, "h\n", "r1\n"));
    CHECK(read_file(path) == "h\nr1\n");
  }
  SECTION("a folder that does not exist") {
    const Status s = append_log(d.path() + "/no/runs.csv", "h\n", "r\n");
    REQUIRE(s);
    CHECK(s->message == "--log \"" + d.path() + "/no/runs.csv\": No such file or directory");
  }
}

TEST_CASE("render_run_text and render_run_json", "[unit]") {
  const Dataset data;
  const RunReport r = sample_report();
  const std::string text = render_run_text(r, data);
  // Control bytes in the command line are escaped for the terminal (issue 12): the newline too.
  CHECK(text.starts_with("co2e: `sh -c 'echo a,b\\x0aexit 1'` exited with status 1 after"));
  CHECK(text.find("[rapl] RAPL package-0") != std::string::npos);
  CHECK(text.find("(RAPL has no dram domain)") != std::string::npos);
  CHECK(text.find("PUE        1.5 (--pue)") != std::string::npos);
  const auto j = nlohmann::json::parse(render_run_json(r, data));
  CHECK(j["outcome"]["how"] == "exited");
  CHECK(j["components"]["memory"]["unavailable"][0] == "RAPL has no dram domain");
  CHECK(j["energy_kwh"].get<double>() == Approx(0.00375));
  CHECK(j["start"] == "2027-01-15T08:00:00Z");
}

TEST_CASE("render_run_text: small figures in small units", "[unit]") {
  const Dataset data;
  RunReport r = sample_report();
  SECTION("mWh and mg; equivalents under 0.001 left out") {
    // 3.75 Wh, 375 mg: 0.375/175 = 0.00214 km; 0.375/917 tree-months and the flight are too small.
    const std::string text = render_run_text(r, data);
    CHECK(text.find("  CPU              2 Wh  [rapl]") != std::string::npos);
    CHECK(text.find("  memory        500 mWh  [rss]") != std::string::npos);
    CHECK(text.find("  energy     3.75 Wh (PUE included)\n") != std::string::npos);
    CHECK(text.find("  CO2e       375 mg  (about 0.00214 km in an EU passenger car)\n") != std::string::npos);
    // JSON keeps every equivalent at full precision.
    const auto j = nlohmann::json::parse(render_run_json(r, data));
    REQUIRE(j["equivalents"].size() == 3);
    CHECK(j["equivalents"][0]["amount"].get<double>() == Approx(0.375 / 917));
  }
  SECTION("µWh and µg; no equivalents") {
    // `co2e run --region FR -- true`: 1.937 µWh of CPU, x PUE 1.56 = 3.022 µWh, x 44.18 g/kWh = 0.1335 µg.
    r.totals.cpu_kwh = 1.937e-9;
    r.totals.memory_kwh = 0;
    r.cpu.kwh = 1.937e-9;
    r.memory.kwh = 0;
    r.pue.pue = 1.56;
    r.intensity.g_per_kwh = 44.18;
    compute_footprint(r);
    const std::string text = render_run_text(r, data);
    CHECK(text.find("  CPU         1.937 µWh  [rapl]") != std::string::npos);
    CHECK(text.find("  memory           0 Wh  [rss]") != std::string::npos);
    CHECK(text.find("  energy     3.022 µWh (PUE included)\n") != std::string::npos);
    CHECK(text.find("  CO2e       0.1335 µg\n") != std::string::npos);
  }
}

TEST_CASE("render_run_text: the limit that stopped the command", "[unit]") {
  const Dataset data;
  RunReport r = sample_report();
  r.limits.budget_g = 10;
  r.limits.max_energy_kwh = 0.003;
  SECTION("not stopped") {
    const std::string text = render_run_text(r, data);
    CHECK(text.find("  budget     10 g\n") != std::string::npos);
    CHECK(text.find("  max energy 3 Wh\n") != std::string::npos);
  }
  SECTION("stopped by --max-energy: the budget line says nothing") {
    r.outcome.stopped = true;
    r.stopped_by = RunLimit::max_energy;
    const std::string text = render_run_text(r, data);
    CHECK(text.find("  budget     10 g\n") != std::string::npos);
    CHECK(text.find("  max energy 3 Wh: exceeded, command stopped\n") != std::string::npos);
  }
  SECTION("stopped by --budget") {
    r.outcome.stopped = true;
    r.stopped_by = RunLimit::budget;
    const std::string text = render_run_text(r, data);
    CHECK(text.find("  budget     10 g: exceeded, command stopped\n") != std::string::npos);
    CHECK(text.find("  max energy 3 Wh\n") != std::string::npos);
  }
}
