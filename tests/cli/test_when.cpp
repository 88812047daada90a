// Black-box tests of `co2e when` and of `co2e estimate --start --intensity-series`: the real binary
// on hand-computable series (tests/fixtures/series), its stdout, stderr and exit code.
#include <catch2/catch.hpp>
#include <nlohmann/json.hpp>

#include "support.hpp"

using Catch::Matchers::Contains;
using Catch::Matchers::StartsWith;
using co2e::test::fixture;
using co2e::test::run_co2e;

namespace {
/// A 1 kW job: 1 core × 1000 W, PUE 1, so grams = g/kWh × hours.
std::vector<std::string> when_args(std::initializer_list<std::string> more,
                                   const std::string& series = "good_when.csv") {
  std::vector<std::string> a{"when",
                             "--runtime",
                             "1h",
                             "--cores",
                             "1",
                             "--core-power",
                             "1000",
                             "--pue",
                             "1",
                             "--intensity-series",
                             fixture("series/" + series),
                             "--now",
                             "2024-01-01T00:00Z"};
  a.insert(a.end(), more);
  return a;
}
std::string repeat(const std::string& s, int n) {
  std::string out;
  for (int i = 0; i < n; ++i) out += s;
  return out;
}
std::vector<std::string> estimate_args(std::initializer_list<std::string> more) {
  std::vector<std::string> a{"estimate", "--runtime", "1h", "--cores", "1", "--core-power", "1000", "--pue", "1"};
  a.insert(a.end(), more);
  return a;
}
}  // namespace

TEST_CASE("cli when: text report with a terminal plot", "[cli]") {
  // good_when.csv: 00:00 300, 01:00 100, 02:00 200, 03:00 400 (to 04:00).
  const auto r = run_co2e(when_args({}));
  CHECK(r.exit_code == 0);
  CHECK(r.err.empty());
  CHECK_THAT(r.out, StartsWith("Best start times for a 1 h job (1 kWh, 1000 W on average)\n"));
  CHECK_THAT(r.out, Contains("  1  2024-01-01T01:00Z  2024-01-01T02:00Z        100       100 g  200 g (66.7%)"));
  CHECK_THAT(r.out, Contains("  2  2024-01-01T02:00Z  2024-01-01T03:00Z        200       200 g  100 g (33.3%)"));
  CHECK_THAT(r.out, Contains("Starting now (2024-01-01T00:00Z): 300 g CO2e, 300 gCO2e/kWh on average"));
  // 72 columns, 18 per hour: 300 → ▆, 100 → ▁, 200 → ▃, 400 → █; the best hour marked below.
  CHECK_THAT(r.out, Contains("\n" + repeat("▆", 18) + repeat("▁", 18) + repeat("▃", 18) + repeat("█", 18) + "\n"));
  CHECK_THAT(r.out, Contains("\n" + std::string(18, ' ') + std::string(18, '^') + "\n"));
}

TEST_CASE("cli when: embodied emissions shown beside the ranking, not in it (issue 15)", "[cli]") {
  // A 1-hour job; a server of 8,760 kg amortised over 1 year at full use: 1 kg per hour, at any start.
  const auto r = run_co2e(when_args(
      {"--format", "json", "--server-embodied", "8760", "--lifetime", "1", "--utilisation", "1", "--top", "2"}));
  REQUIRE(r.exit_code == 0);
  const auto j = nlohmann::json::parse(r.out);
  CHECK(j["co2e_kg"] == 0.1);  // the ranking's figure is unchanged: 1 kWh at 100 g/kWh
  CHECK(j["embodied_kg"].get<double>() == Approx(1.0));
  CHECK(j["total_co2e_kg"].get<double>() == Approx(1.1));
  CHECK(j["best"][1]["total_co2e_kg"].get<double>() == Approx(j["best"][1]["co2e_kg"].get<double>() + 1.0));
  const auto text = run_co2e(when_args({"--server-embodied", "8760", "--lifetime", "1", "--utilisation", "1"}));
  CHECK_THAT(text.out,
             Contains("\nEmbodied (manufacturing) emissions: 1 kg CO2e at any start, not in the ranking; add them "
                      "for the total\n"));
}

TEST_CASE("cli when: JSON", "[cli]") {
  const auto r = run_co2e(when_args({"--format", "json", "--top", "2"}));
  REQUIRE(r.exit_code == 0);
  const auto j = nlohmann::json::parse(r.out);
  CHECK(j["schema_version"] == 2);
  CHECK(j["job"]["energy_kwh"] == 1.0);
  // The output contract: 1 kWh at the best start's 100 g/kWh = 0.1 kg, at the top and per window.
  CHECK(j["energy_kwh"] == 1.0);
  CHECK(j["co2e_kg"] == 0.1);
  CHECK(j["best"][0]["energy_kwh"] == 1.0);
  CHECK(j["best"][0]["co2e_kg"] == 0.1);
  CHECK(j["reference"]["co2e_kg"] == 0.3);
  CHECK(j["reference"]["kind"] == "now");
  CHECK(j["reference"]["co2e_g"] == 300.0);
  REQUIRE(j["best"].size() == 2);
  CHECK(j["best"][0]["start"] == "2024-01-01T01:00Z");
  CHECK(j["best"][0]["co2e_g"] == 100.0);
  CHECK(j["best"][0]["saving_g"] == 200.0);
  CHECK(j["best"][0]["saving_pct"].get<double>() == Approx(200.0 / 3));
  CHECK(j["best"][1]["start"] == "2024-01-01T02:00Z");
  CHECK(j["series"]["format"] == "csv");
}

TEST_CASE("cli when: CSV, --after, --before", "[cli]") {
  SECTION("csv") {
    const auto r = run_co2e(when_args({"--format", "csv", "--top", "1"}));
    REQUIRE(r.exit_code == 0);
    CHECK(r.out ==
          "rank,start,end,average_g_per_kwh,co2e_kg,co2e_g,saving_g,saving_pct\n1,2024-01-01T01:00Z,2024-01-01T02:00Z,"
          "100,"
          "0.1,100,200,66.66666667\n");  // 200 / 300 at 10 significant digits
  }
  SECTION("deadline: finish by 01:30, so the best start is 00:30 (0.5×300 + 0.5×100)") {
    const auto r = run_co2e(when_args({"--format", "csv", "--top", "1", "--before", "2024-01-01T02:30+01:00"}));
    REQUIRE(r.exit_code == 0);
    CHECK_THAT(r.out, Contains("\n1,2024-01-01T00:30Z,2024-01-01T01:30Z,200,0.2,200,100,"));
  }
  SECTION("--after is the reference") {
    const auto r = run_co2e(when_args({"--format", "json", "--after", "2024-01-01T02:00Z"}));
    REQUIRE(r.exit_code == 0);
    const auto j = nlohmann::json::parse(r.out);
    CHECK(j["reference"]["kind"] == "after");
    CHECK(j["best"][0]["start"] == "2024-01-01T02:00Z");
    CHECK(j["best"][0]["saving_g"] == 0.0);
  }
}

TEST_CASE("cli when: --plot writes an SVG", "[cli]") {
  co2e::test::TempDir dir;
  const std::string svg = dir.path() + "/best.svg";
  const auto r = run_co2e(when_args({"--plot", svg, "--format", "csv"}));
  REQUIRE(r.exit_code == 0);
  const std::string s = co2e::test::read_file(svg);
  CHECK_THAT(s, StartsWith("<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n<svg xmlns=\"http://www.w3.org/2000/svg\""));
  CHECK_THAT(s, Contains("#1 2024-01-01T01:00Z to 2024-01-01T02:00Z: 100 gCO2e/kWh, 100 g"));
  CHECK_THAT(s, Contains("</svg>\n"));
}

TEST_CASE("cli when: errors and warnings", "[cli]") {
  SECTION("no series") {
    const auto r = run_co2e({"when", "--runtime", "1h"});
    CHECK(r.exit_code == 2);
    CHECK_THAT(r.err, Contains("--intensity-series is required"));
  }
  SECTION("no runtime") {
    const auto r = run_co2e({"when", "--gpu-hours", "1", "--intensity-series", fixture("series/good_when.csv")});
    CHECK(r.exit_code == 2);
    CHECK_THAT(r.err, Contains("--runtime D is required"));
  }
  SECTION("a bad file: exit 3 with file and line") {
    const auto r = run_co2e(when_args({}, "bad_no_zone.csv"));
    CHECK(r.exit_code == 3);
    CHECK_THAT(r.err, Contains("bad_no_zone.csv:2: \"2024-01-01T00:00:00\": no time zone"));
  }
  SECTION("a job that cannot fit") {
    const auto r = run_co2e(when_args({"--before", "2024-01-01T00:30Z"}));
    CHECK(r.exit_code == 2);
    CHECK_THAT(r.err, Contains("cannot finish by 2024-01-01T00:30Z (--before)"));
  }
  SECTION("a gap is a warning with its line") {
    const auto r = run_co2e(when_args({"--format", "csv"}, "good_gap.csv"));
    CHECK(r.exit_code == 0);
    CHECK_THAT(r.err, Contains("good_gap.csv:5: gap: no data from 2024-01-01T03:00Z to 2024-01-01T05:00Z"));
  }
}

TEST_CASE("cli estimate --start --intensity-series", "[cli]") {
  SECTION("across a boundary: 1 kWh over 10:30-11:30 with 100 then 300 g/kWh is 200 g") {
    const auto r = run_co2e(estimate_args(
        {"--intensity", "250", "--start", "2024-01-01T10:30Z", "--intensity-series", fixture("series/good_step.csv")}));
    REQUIRE(r.exit_code == 0);
    CHECK_THAT(r.out, StartsWith("Carbon footprint  200 g CO2e\n"));
    CHECK_THAT(
        r.out,
        Contains("Grid 200 gCO2e/kWh: average of the intensity series over 2024-01-01T10:30Z to 2024-01-01T11:30Z\n"
                 "     annual 250 gCO2e/kWh (given with --intensity): the window is -50 gCO2e/kWh (-20%)\n"));
  }
  SECTION("JSON shows the window beside the annual figure") {
    const auto r = run_co2e(estimate_args({"--region", "FR", "--start", "2024-01-01T10:15+00:00", "--intensity-series",
                                           fixture("series/good_step.csv"), "--format", "json"}));
    REQUIRE(r.exit_code == 0);
    const auto j = nlohmann::json::parse(r.out);
    CHECK(j["co2e_kg"].get<double>() == Approx(0.75 * 0.1 + 0.25 * 0.3));  // 45 min at 100, 15 min at 300
    CHECK(j["intensity_g_per_kwh"].get<double>() == Approx(150));
    CHECK(j["inputs"]["grid"]["source"] == "series");
    const auto& w = j["inputs"]["grid"]["window"];
    CHECK(w["start"] == "2024-01-01T10:15Z");
    CHECK(w["end"] == "2024-01-01T11:15Z");
    CHECK(w["annual_source"] == "region");
    CHECK(w["difference_g_per_kwh"].get<double>() == Approx(150 - w["annual_g_per_kwh"].get<double>()));
  }
  SECTION("Electricity Maps, direct on request; UK JSON") {
    auto r = run_co2e(
        estimate_args({"--start", "2023-01-01T00:30Z", "--intensity-series", fixture("series/good_electricitymaps.csv"),
                       "--intensity-kind", "direct", "--format", "csv"}));
    REQUIRE(r.exit_code == 0);
    CHECK_THAT(r.out, Contains("\n1,0.2,"));  // 0.5×100 + 0.5×300 = 200 g
    r = run_co2e(estimate_args(
        {"--start", "2024-01-01T10:15Z", "--intensity-series", fixture("series/good_ukgrid.json"), "--format", "csv"}));
    REQUIRE(r.exit_code == 0);
    CHECK_THAT(r.out, Contains("\n1,0.225,"));  // 10:15-11:15: 0.25×100 + 0.5×300 (forecast) + 0.25×200 = 225 g
  }
  SECTION("the window must be covered") {
    const auto r = run_co2e(
        estimate_args({"--start", "2024-01-01T12:30Z", "--intensity-series", fixture("series/good_step.csv")}));
    CHECK(r.exit_code == 2);
    CHECK_THAT(r.err, Contains("2024-01-01T13:00Z to 2024-01-01T13:30Z is missing (the series covers 2024-01-01T10:00Z "
                               "to 2024-01-01T13:00Z)"));
  }
  SECTION("a window across a gap is refused, one beside it is fine") {
    auto r =
        run_co2e(estimate_args({"--start", "2024-01-01T02:30Z", "--intensity-series", fixture("series/good_gap.csv")}));
    CHECK(r.exit_code == 2);
    CHECK_THAT(r.err,
               Contains("2024-01-01T03:00Z to 2024-01-01T03:30Z is missing (the series covers 2024-01-01T00:00Z to "
                        "2024-01-01T07:00Z with a gap there)"));
    r = run_co2e(estimate_args(
        {"--start", "2024-01-01T05:30Z", "--intensity-series", fixture("series/good_gap.csv"), "--format", "csv"}));
    CHECK(r.exit_code == 0);
    CHECK_THAT(r.out, Contains("\n1,0.45,"));  // 0.5×400 + 0.5×500
    CHECK_THAT(r.err, Contains("good_gap.csv:5: gap"));
  }
  SECTION("DST: local times with offsets, compared in UTC") {
    // good_dst_spring.csv: 00:00+00:00 100, 02:00+01:00 200, 03:00+01:00 300 → 00Z, 01Z, 02Z.
    const auto r = run_co2e(estimate_args({"--start", "2024-03-31T01:30+01:00", "--intensity-series",
                                           fixture("series/good_dst_spring.csv"), "--format", "csv"}));
    CHECK(r.exit_code == 0);
    CHECK_THAT(r.out, Contains("\n1,0.15,"));  // 00:30Z-01:30Z: 0.5×100 + 0.5×200
    CHECK_THAT(r.err, Contains("good_dst_spring.csv:4: the UTC offset changes from +00:00 (line 3) to +01:00"));
  }
  SECTION("both flags or neither") {
    auto r = run_co2e(estimate_args({"--start", "2024-01-01T10:30Z"}));
    CHECK(r.exit_code == 2);
    CHECK_THAT(r.err, Contains("--start needs --intensity-series FILE"));
    r = run_co2e(estimate_args({"--start", "2024-01-01T10:30", "--intensity-series", fixture("series/good_step.csv")}));
    CHECK(r.exit_code == 2);
    CHECK_THAT(r.err, Contains("--start: \"2024-01-01T10:30\": no time zone"));
  }
}
