// Black-box tests of --per N UNIT (issue 16's functional units) in estimate, batch and compare:
// the same columns, the same figures (the estimate's figure / N, by hand), bad values exit 2.
#include <catch2/catch.hpp>
#include <nlohmann/json.hpp>

#include "support.hpp"

using Catch::Matchers::Contains;
using co2e::test::run_co2e;

namespace {

// 4 cores × 10 W × 10 h = 0.4 kWh; PUE 1; × 100 g/kWh = 40 g.
const std::vector<std::string> kJob{"--runtime", "10h",   "--cores", "4",           "--core-power",
                                    "10",        "--pue", "1",       "--intensity", "100"};

std::vector<std::string> cmd(std::string command, std::initializer_list<std::string> more) {
  std::vector<std::string> out{std::move(command)};
  out.insert(out.end(), kJob.begin(), kJob.end());
  out.insert(out.end(), more);
  return out;
}

nlohmann::json json_of(const co2e::test::Run& r) {
  INFO(r.err);
  REQUIRE(r.exit_code == 0);
  return nlohmann::json::parse(r.out);
}

}  // namespace

TEST_CASE("cli estimate --per: figures per unit", "[cli]") {
  SECTION("json: per request") {
    const auto j = json_of(run_co2e(cmd("estimate", {"--per", "1000", "requests", "--format", "json"})));
    CHECK(j["co2e_kg"].get<double>() == Approx(0.04));
    CHECK(j["per_count"] == 1000);
    CHECK(j["per_unit"] == "requests");
    CHECK(j["per_scale"] == 1);
    CHECK(j["co2e_g_per_unit"].get<double>() == Approx(0.04));    // 40 g / 1000
    CHECK(j["energy_wh_per_unit"].get<double>() == Approx(0.4));  // 400 Wh / 1000
  }
  SECTION("tokens are counted per 1,000") {
    // 40 g × 1000 / 2e9 tokens = 2e-5 g per 1,000 tokens; 400 Wh × 1000 / 2e9 = 2e-4 Wh.
    const auto j = json_of(run_co2e(cmd("estimate", {"--per", "2e9 tokens", "--format", "json"})));
    CHECK(j["per_scale"] == 1000);
    CHECK(j["co2e_g_per_unit"].get<double>() == Approx(2e-5));
    CHECK(j["energy_wh_per_unit"].get<double>() == Approx(2e-4));
  }
  SECTION("csv: the per-unit columns after the result columns") {
    const auto r = run_co2e(cmd("estimate", {"--per", "1000", "requests", "--format", "csv"}));
    REQUIRE(r.exit_code == 0);
    CHECK_THAT(r.out, Contains(",total_co2e_kg,co2e_kg_low,co2e_kg_high,per_count,per_unit,per_scale,co2e_g_per_unit,"
                               "energy_wh_per_unit\n"));
    CHECK_THAT(r.out, Contains(",1000,requests,1,0.04,0.4\n"));
  }
  SECTION("text and markdown say it in words") {
    const auto t = run_co2e(cmd("estimate", {"--per", "1000", "requests"}));
    CHECK_THAT(t.out, Contains("Per request  40 mg CO2e, 400 mWh  (1000 requests in all)"));
    const auto m = run_co2e(cmd("estimate", {"--per", "1 epoch", "--format", "markdown"}));
    CHECK_THAT(m.out, Contains("| Per epoch | 40 g CO2e, 400 Wh (1 epoch in all) |"));
  }
  SECTION("CO2E_PER") {
    const auto j = json_of(run_co2e(cmd("estimate", {"--format", "json"}), "", {"CO2E_PER=500 queries"}));
    CHECK(j["co2e_g_per_unit"].get<double>() == Approx(0.08));
  }
  SECTION("without --per, no per-unit keys") {
    const auto j = json_of(run_co2e(cmd("estimate", {"--format", "json"})));
    CHECK_FALSE(j.contains("per_count"));
  }
  SECTION("bad values are exit 2 naming the flag") {
    const auto zero = run_co2e(cmd("estimate", {"--per", "0", "requests"}));
    CHECK(zero.exit_code == 2);
    CHECK_THAT(zero.err, Contains("--per: \"0\": the count must be a number above 0"));
    const auto no_unit = run_co2e(cmd("estimate", {"--per", "1e6"}));
    CHECK(no_unit.exit_code == 2);
    CHECK_THAT(no_unit.err, Contains("give the unit after the count"));
    const auto env = run_co2e(cmd("estimate", {}), "", {"CO2E_PER=x requests"});
    CHECK(env.exit_code == 2);
    CHECK_THAT(env.err, Contains("CO2E_PER"));
  }
}

TEST_CASE("cli batch --per and per / per_unit columns", "[cli]") {
  co2e::test::TempDir dir;
  const std::string csv = dir.write("runs.csv",
                                    "name,runtime,per,per_unit\n"
                                    "a,10h,1000 requests,\n"
                                    "b,10h,500,epochs\n"
                                    "c,20h,,\n"
                                    "d,10h,2e9,tokens\n");
  std::vector<std::string> args{"batch", csv, "--cores", "4", "--core-power", "10", "--pue", "1", "--intensity", "100"};
  SECTION("rows with and without a unit") {
    const auto r = run_co2e(args);
    INFO(r.err);
    REQUIRE(r.exit_code == 0);
    CHECK_THAT(r.out, Contains("name,runtime,per,input_per_unit,energy_kwh,"));
    CHECK_THAT(r.out, Contains(",total_co2e_kg,co2e_kg_low,co2e_kg_high,per_count,per_unit,per_scale,co2e_g_per_unit,"
                               "energy_wh_per_unit,status,error\n"));
    CHECK_THAT(r.out, Contains(",1000,requests,1,0.04,0.4,ok,\n"));  // 40 g / 1000
    CHECK_THAT(r.out, Contains(",500,epochs,1,0.08,0.8,ok,\n"));     // 40 g / 500
    CHECK_THAT(r.out, Contains(",,,,,,ok,\n"));                      // c: no unit
    CHECK_THAT(r.out, Contains(",2000000000,tokens,1000,2e-05,0.0002,ok,\n"));
  }
  SECTION("--per is the default of rows without one") {
    args.insert(args.end(), {"--per", "100", "requests", "--format", "jsonl"});
    const auto r = run_co2e(args);
    INFO(r.err);
    REQUIRE(r.exit_code == 0);
    std::vector<nlohmann::json> rows;
    std::size_t at = 0;
    while (at < r.out.size()) {
      const auto nl = r.out.find('\n', at);
      rows.push_back(nlohmann::json::parse(r.out.substr(at, nl - at)));
      at = nl + 1;
    }
    REQUIRE(rows.size() == 4);
    CHECK(rows[0]["co2e_g_per_unit"].get<double>() == Approx(0.04));
    CHECK(rows[2]["per_count"] == 100);  // c: 20 h = 80 g / 100 requests
    CHECK(rows[2]["co2e_g_per_unit"].get<double>() == Approx(0.8));
    CHECK(rows[2]["energy_wh_per_unit"].get<double>() == Approx(8));
  }
  SECTION("a bad per cell is a bad row naming the column") {
    const std::string bad = dir.write("bad.csv", "runtime,per\n10h,0 requests\n10h,5\n");
    const auto r = run_co2e({"batch", bad, "--cores", "4", "--core-power", "10"});
    CHECK(r.exit_code == 2);
    CHECK_THAT(r.out, Contains("row 1, column per: \"\"0\"\": the count must be a number above 0") ||
                          Contains("row 1, column per: \"0\": the count must be a number above 0"));
    CHECK_THAT(r.out, Contains("row 2, column per: \"\"5\"\": give the unit after the count") ||
                          Contains("row 2, column per: \"5\": give the unit after the count"));
  }
}

TEST_CASE("cli compare --per: the same columns as estimate", "[cli]") {
  const auto j = json_of(run_co2e(cmd("compare", {"--per", "1000", "requests", "--format", "json"})));
  CHECK(j["per_unit"] == "requests");
  CHECK(j["options"][0]["co2e_g_per_unit"].get<double>() == Approx(0.04));
  const auto csv = run_co2e(cmd("compare", {"--per", "1000", "requests", "--format", "csv"}));
  REQUIRE(csv.exit_code == 0);
  CHECK_THAT(csv.out, Contains(",per_count,per_unit,per_scale,co2e_g_per_unit,energy_wh_per_unit\n"));
  CHECK_THAT(csv.out, Contains(",1000,requests,1,0.04,0.4\n"));
}
