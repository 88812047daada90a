// Issue 12 through the real binary: units mean what they say on every flag, counts take 1e6 and
// 0, plausibility warnings go to stderr only, and garbage input is never echoed raw.
#include <catch2/catch.hpp>
#include <nlohmann/json.hpp>
#include <string>

#include "support.hpp"

using Catch::Matchers::Contains;
using co2e::test::fixture;
using co2e::test::Run;
using co2e::test::run_co2e;
using co2e::test::TempDir;

namespace {

nlohmann::json json_of(const Run& r) {
  INFO(r.err);
  REQUIRE(r.exit_code == 0);
  return nlohmann::json::parse(r.out);
}

/// What a terminal must never receive from co2e's messages: ESC, the C1 CSI, raw invalid UTF-8,
/// and the JSON library's internals.
void check_clean(const std::string& text) {
  INFO(text);
  CHECK(text.find('\x1b') == std::string::npos);
  CHECK(text.find("\xc2\x9b") == std::string::npos);
  CHECK(text.find('\xff') == std::string::npos);
  CHECK(text.find('\x07') == std::string::npos);
  CHECK(text.find("json.exception") == std::string::npos);
}

const std::vector<std::string> kBase = {"estimate", "--runtime", "10h", "--pue", "1", "--format", "json"};

std::vector<std::string> with(std::vector<std::string> more) {
  std::vector<std::string> a = kBase;
  a.insert(a.end(), more.begin(), more.end());
  return a;
}

}  // namespace

TEST_CASE("units: run --max-energy 5mWh is 5 mWh, not 5 MWh", "[cli]") {
  TempDir d;
  const std::string report = d.path() + "/report.json";
  const Run r =
      run_co2e({"run", "--format", "json", "-o", report, "--core-power", "10", "--max-energy", "5mWh", "--", "true"},
               {}, {"CO2E_POWERCAP_ROOT=" + d.path() + "/none", "CO2E_NVML_LIBRARY="});
  REQUIRE(r.exit_code == 0);
  // 5 mWh = 5e-3 Wh = 5e-6 kWh (it was recorded as 5,000 kWh).
  const auto j = nlohmann::json::parse(co2e::test::read_file(report));
  CHECK(j["max_energy_kwh"].get<double>() == Approx(5e-6));
  const Run bad = run_co2e({"run", "--max-energy", "5mwh", "--", "true"});
  CHECK(bad.exit_code == 125);  // co2e's own failure in run (docs/cli.md)
  CHECK_THAT(bad.err, Contains("--max-energy: \"5mwh\": unknown energy unit \"mwh\": did you mean mWh or MWh?"));
}

TEST_CASE("units: power and intensity flags take their units", "[cli]") {
  // 1 GPU x 300 W x 10 h = 3 kWh; at 200 g/kWh, 0.6 kg.
  for (const char* power : {"300", "300W", "0.3kW", "300000mW", "300 W"}) {
    const auto j = json_of(run_co2e(with({"--gpus", "1", "--gpu-power", power, "--intensity", "0.2kg/kWh"})));
    INFO(power);
    CHECK(j["energy_kwh"].get<double>() == Approx(3));
    CHECK(j["co2e_kg"].get<double>() == Approx(0.6));
  }
  for (const char* intensity : {"200", "200g/kWh", "200gCO2e/kWh", "0.2t/MWh", "0.2 kgCO2e/kWh"}) {
    const auto j = json_of(run_co2e(with({"--gpus", "1", "--gpu-power", "300W", "--intensity", intensity})));
    INFO(intensity);
    CHECK(j["co2e_kg"].get<double>() == Approx(0.6));
  }
  // 4 cores x 7.5 W x 10 h = 0.3 kWh; 64 GB x 0.3725 W/GB x 10 h = 0.2384 kWh.
  const auto j = json_of(
      run_co2e(with({"--cores", "4", "--core-power", "7.5W", "--memory", "64G", "--memory-power", "0.3725W/GB"})));
  CHECK(j["cpu_kwh"].get<double>() == Approx(0.3));  // before PUE (output contract, schema 2)
  CHECK(j["memory_kwh"].get<double>() == Approx(0.2384));
  const Run wrong = run_co2e(with({"--gpus", "1", "--gpu-power", "300Wh"}));
  CHECK(wrong.exit_code == 2);
  CHECK_THAT(wrong.err, Contains("--gpu-power \"300Wh\": unknown power unit \"Wh\"") &&
                            Contains("or drop the unit: a bare number is watts"));
  const Run per = run_co2e(with({"--cores", "1", "--core-power", "1", "--intensity", "200g"}));
  CHECK(per.exit_code == 2);
  CHECK_THAT(per.err, Contains("an emission factor is a mass per energy"));
}

TEST_CASE("units: slurm --intensity takes its unit too", "[cli]") {
  const auto base =
      std::vector<std::string>{"slurm", "--sacct-file", fixture("slurm/good_basic.txt"), "--format", "json"};
  auto with_intensity = [&](const char* i) {
    auto a = base;
    a.insert(a.end(), {"--intensity", i});
    return run_co2e(a);
  };
  const Run bare = with_intensity("200");
  const Run kg = with_intensity("0.2kg/kWh");
  REQUIRE(bare.exit_code == 0);
  REQUIRE(kg.exit_code == 0);
  CHECK(kg.out == bare.out);
  CHECK_THAT(with_intensity("200 kWh").err, Contains("an emission factor is a mass per energy"));
}

TEST_CASE("units: counts take exponent forms", "[cli]") {
  // --psf 1e6: 10^6 runs of 1 core x 1 W x 10 h = 10^6 x 0.01 kWh = 10^4 kWh.
  const auto j = json_of(run_co2e(with({"--cores", "1e0", "--core-power", "1", "--psf", "1e6"})));
  CHECK(j["psf"] == 1000000);
  CHECK(j["energy_kwh"].get<double>() == Approx(1e4));
  const Run frac = run_co2e(with({"--cores", "1.5", "--core-power", "1"}));
  CHECK(frac.exit_code == 2);
  CHECK_THAT(frac.err, Contains("--cores \"1.5\" is not a whole number"));
  const Run zero = run_co2e(with({"--cores", "1", "--core-power", "1", "--psf", "0"}));
  CHECK(zero.exit_code == 2);
  CHECK_THAT(zero.err, Contains("--psf \"0\" must be at least 1"));
  const Run negative = run_co2e(with({"--gpus", "-1", "--gpu-power", "1"}));
  CHECK(negative.exit_code == 2);
  CHECK_THAT(negative.err, Contains("--gpus \"-1\" must be at least 0"));
}

TEST_CASE("plausibility: warnings on stderr, stdout unchanged", "[cli]") {
  const auto args = with({"--cores", "8", "--core-power", "10", "--memory", "64000"});
  const Run r = run_co2e(args);
  REQUIRE(r.exit_code == 0);
  CHECK_THAT(r.err, Contains("co2e: warning: --memory 64000 is taken as 64 TB (a bare number is GB); if you meant "
                             "64000 MB (SLURM's --mem unit), write 64000M"));
  // The same figures as with 64T written out (no warning): the warning changes nothing on stdout.
  const Run explicit_tb = run_co2e(with({"--cores", "8", "--core-power", "10", "--memory", "64T"}));
  CHECK(explicit_tb.err.empty());
  CHECK(r.out == explicit_tb.out);
  // 500 W per core: the highest in the CPU table is 75 W (Intel Itanium 9110N, 75 W, 1 core).
  const Run core = run_co2e(with({"--cores", "8", "--core-power", "500"}));
  CHECK(core.exit_code == 0);
  CHECK_THAT(core.err, Contains("500 W per core is more than 2 times the highest in the CPU table (75 W per core"));
  // 5000 W per GPU: the highest GPU in the table is 1200 W (NVIDIA GB200, per Blackwell GPU).
  const Run gpu = run_co2e(with({"--gpus", "1", "--gpu-power", "5kW"}));
  CHECK(gpu.exit_code == 0);
  CHECK_THAT(gpu.err, Contains("5000 W per GPU is more than 2 times the highest in the GPU table (1200 W"));
  CHECK(run_co2e(with({"--gpus", "1", "--gpu-power", "700W"})).err.empty());
  CHECK(run_co2e(with({"--cores", "1", "--core-power", "1", "--memory", "512"})).err.empty());
}

TEST_CASE("plausibility: batch warns once per kind with the first row", "[cli]") {
  std::string csv = "runtime,cores,core_power,memory\n1h,1,10,4\n";
  for (int i = 0; i < 50; ++i) csv += "1h,1,10,64000\n";
  const Run r = run_co2e({"batch"}, csv);
  REQUIRE(r.exit_code == 0);
  CHECK_THAT(r.err,
             Contains("co2e: warning: row 2: memory 64000 is taken as 64 TB") && Contains("(50 rows like this)"));
  CHECK(r.err.find("row 3:") == std::string::npos);
  CHECK(r.out.find("warning") == std::string::npos);
}

TEST_CASE("hostile: garbage files are quoted escaped, JSON errors without library internals", "[cli]") {
  const std::string garbage = fixture("hostile/bad_garbage.bin");
  SECTION("--data") {
    const Run r = run_co2e({"--data", garbage, "list", "cpus"});
    CHECK(r.exit_code == 3);
    CHECK_THAT(r.err, Contains(garbage + ": not valid JSON at line 1, column 1: syntax error while parsing value"));
    CHECK_THAT(r.err, Contains("(binary data, not JSON text?)"));
    check_clean(r.err);
  }
  SECTION("slurm --cluster") {
    const Run r =
        run_co2e({"slurm", "--sacct-file", fixture("slurm/good_basic.txt"), "--cluster", garbage, "--format", "json"});
    CHECK(r.exit_code == 3);
    CHECK_THAT(r.err, Contains("not valid JSON at line 1, column 1"));
    check_clean(r.err);
  }
  SECTION("slurm --sacct-file: the binary first line is escaped") {
    const Run r = run_co2e({"slurm", "--sacct-file", garbage});
    CHECK(r.exit_code == 3);
    CHECK_THAT(r.err, Contains("the first line is not a sacct -P header") &&
                          Contains("\"\\x7fELF\\x02\\x01\\xff\\xfe\\x1b[2J\\x1b]0;owned\\x07\\xc2\\x9b31m garbage\"") &&
                          Contains("(binary data?)"));
    check_clean(r.err);
  }
  SECTION("--intensity-series, UK grid JSON") {
    TempDir d;
    const std::string series = d.write("series.json", co2e::test::read_file(garbage));
    const Run r = run_co2e({"estimate", "--runtime", "1h", "--cores", "1", "--core-power", "1", "--start",
                            "2024-01-01T00:00Z", "--intensity-series", series});
    CHECK(r.exit_code == 3);
    check_clean(r.err);
  }
  SECTION("batch, JSON Lines") {
    const Run r = run_co2e({"batch", fixture("hostile/bad_garbage.jsonl")});
    CHECK(r.exit_code == 2);
    CHECK_THAT(r.out, Contains("row 2 (line 2): not valid JSON at column 12"));
    check_clean(r.out);
    check_clean(r.err);
  }
  SECTION("run: the command line in the summary") {
    TempDir d;
    const Run r = run_co2e({"run", "--core-power", "10", "--", "true", "\x1b]0;owned\x07\xff"}, {},
                           {"CO2E_POWERCAP_ROOT=" + d.path() + "/none", "CO2E_NVML_LIBRARY="});
    CHECK(r.exit_code == 0);
    CHECK_THAT(r.err, Contains("co2e: `true '\\x1b]0;owned\\x07\\xff'` exited with status 0"));
    check_clean(r.err);
  }
  SECTION("a name typed on the command line") {
    const Run r = run_co2e(with({"--cores", "1", "--cpu", "Xeon\x1b[31m\xff"}));
    CHECK(r.exit_code == 2);
    CHECK_THAT(r.err, Contains("unknown CPU model \"Xeon\\x1b[31m\\xff\""));
    check_clean(r.err);
  }
}
