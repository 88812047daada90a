// Black-box tests of `co2e compare`: the real binary, its stdout, stderr and exit code.
#include <catch2/catch.hpp>
#include <nlohmann/json.hpp>

#include "support.hpp"

using Catch::Matchers::Contains;
using co2e::test::run_co2e;

namespace {

const std::vector<std::string> kJob{"compare", "--runtime", "100h", "--gpus", "8", "--gpu", "A100"};

std::vector<std::string> with(std::vector<std::string> base, std::initializer_list<std::string> more) {
  base.insert(base.end(), more);
  return base;
}

nlohmann::json json_of(const co2e::test::Run& r) {
  INFO(r.err);
  REQUIRE(r.exit_code == 0);
  return nlohmann::json::parse(r.out);
}

/// The number of cloud regions of `provider` in data/cloud_regions.json, counted from the file.
std::size_t regions_in_data(const std::string& provider) {
  const auto j =
      nlohmann::json::parse(co2e::test::read_file(std::string(CO2E_SOURCE_DIR) + "/data/cloud_regions.json"));
  std::size_t n = 0;
  for (const auto& c : j["cloud_regions"]) n += c["provider"] == provider ? 1 : 0;
  return n;
}

}  // namespace

TEST_CASE("cli compare: FR, DE, PL ranked, each equals co2e estimate", "[cli]") {
  const auto r = run_co2e(with(kJob, {"--region", "FR,DE,PL"}));
  CHECK(r.exit_code == 0);
  CHECK(r.err.empty());
  // Ranked FR, DE, PL in the table; the bars grow.
  const auto fr = r.out.find("region=FR"), de = r.out.find("region=DE"), pl = r.out.find("region=PL");
  REQUIRE(fr != std::string::npos);
  CHECK(fr < de);
  CHECK(de < pl);
  CHECK_THAT(r.out, Contains("baseline: option 1 (region=FR)"));
  CHECK_THAT(r.out, Contains("22.05 kg"));  // 499.2 kWh × 44.18 g/kWh
  // Nothing silent: the defaults every option shares are stated.
  CHECK_THAT(r.out, Contains("Assumptions of every option\n"));
  CHECK_THAT(r.out, Contains("no --memory given: memory power is not counted"));
  CHECK_THAT(r.out, Contains("PUE 1.56 of an average data centre assumed"));

  const auto j = json_of(run_co2e(with(kJob, {"--region", "FR,DE,PL", "--format", "json"})));
  REQUIRE(j["options"].size() == 3);
  // By hand: A100 (SXM4 40GB, 400 W) × 8 × 100 h = 320 kWh; × PUE 1.56 = 499.2 kWh;
  // FR 44.18, DE 342.06, PL 614.98 gCO2e/kWh (data/regions.json: Ember 2025 release, 2024).
  const double by_hand[] = {499.2 * 44.18 / 1000, 499.2 * 342.06 / 1000, 499.2 * 614.98 / 1000};
  const char* regions[] = {"FR", "DE", "PL"};
  for (int i = 0; i < 3; ++i) {
    const auto& o = j["options"][i];
    CHECK(o["rank"] == i + 1);
    CHECK(o["inputs"]["region"] == regions[i]);
    CHECK(o["energy_kwh"].get<double>() == Approx(499.2));
    CHECK(o["co2e_kg"].get<double>() == Approx(by_hand[i]));
    // The same figures, to the last bit, as a separate `co2e estimate`.
    const auto e = json_of(run_co2e(
        {"estimate", "--runtime", "100h", "--gpus", "8", "--gpu", "A100", "--region", regions[i], "--format", "json"}));
    CHECK(o["energy_kwh"] == e["energy_kwh"]);
    CHECK(o["co2e_kg"] == e["co2e_kg"]);
    CHECK(o["pue"] == e["pue"]);
    CHECK(o["intensity_g_per_kwh"] == e["intensity_g_per_kwh"]);
  }
  CHECK(j["options"][0]["saving_kg"] == 0);
  CHECK(j["co2e_kg"] == j["options"][0]["co2e_kg"]);  // the output contract: the best option's figures on top
  CHECK(j["energy_kwh"] == j["options"][0]["energy_kwh"]);
  CHECK(j["options"][2]["saving_kg"].get<double>() == Approx(by_hand[0] - by_hand[2]));
  CHECK(j["options"][2]["saving_pct"].get<double>() == Approx(100 * (44.18 - 614.98) / 44.18));
}

TEST_CASE("cli compare: repeated flags and --baseline", "[cli]") {
  const auto j =
      json_of(run_co2e(with(kJob, {"--region", "PL", "--region", "FR", "--baseline", "2", "--format", "json"})));
  REQUIRE(j["options"].size() == 2);
  CHECK(j["baseline"] == 2);
  CHECK(j["options"][0]["inputs"]["region"] == "FR");
  CHECK(j["options"][0]["baseline"] == true);
  CHECK(j["options"][1]["saving_pct"].get<double>() == Approx(100 * (44.18 - 614.98) / 44.18));
}

TEST_CASE("cli compare: aws:* lists every AWS region", "[cli]") {
  const auto j = json_of(run_co2e(with(kJob, {"--region", "aws:*", "--format", "json"})));
  const std::size_t n = regions_in_data("aws");
  CHECK(n >= 30);
  CHECK(j["count"] == n);
  CHECK(j["options"].size() == n);
  double last = 0;
  for (const auto& o : j["options"]) {
    CHECK(o["inputs"]["region"].get<std::string>().rfind("aws:", 0) == 0);
    CHECK(o["co2e_kg"].get<double>() >= last);  // ranked
    last = o["co2e_kg"].get<double>();
  }
  const auto top = json_of(run_co2e(with(kJob, {"--region", "aws:*", "--top", "3", "--format", "json"})));
  CHECK(top["options"].size() == 3);
  CHECK(top["count"] == n);
}

TEST_CASE("cli compare: paired --option", "[cli]") {
  const auto j = json_of(run_co2e({"compare", "--region", "FR", "--option", "gpu=A100,gpus=8,runtime=100h", "--option",
                                   "gpu=H100 SXM,gpus=8,runtime=45h", "--format", "json"}));
  REQUIRE(j["options"].size() == 2);
  // H100 SXM 700 W × 8 × 45 h = 252 kWh, A100 400 W × 8 × 100 h = 320 kWh; PUE 1.56.
  CHECK(j["options"][0]["inputs"]["gpu"] == "H100 SXM");
  CHECK(j["options"][0]["energy_kwh"].get<double>() == Approx(252 * 1.56));
  CHECK(j["options"][1]["energy_kwh"].get<double>() == Approx(320 * 1.56));
}

TEST_CASE("cli compare: csv, markdown, --per and --plot", "[cli]") {
  const auto csv = run_co2e(with(kJob, {"--region", "FR,DE", "--format", "csv", "--per", "1e6", "requests"}));
  CHECK(csv.exit_code == 0);
  CHECK_THAT(csv.out,
             Contains("rank,option,runtime,gpus,gpu,region,energy_kwh,co2e_kg,intensity_g_per_kwh,pue,"
                      "saving_kg,saving_pct,co2e_kg_low,co2e_kg_high,overlaps_best,per_count,per_unit,per_scale,"
                      "co2e_g_per_unit,energy_wh_per_unit\n"));
  CHECK_THAT(csv.out, Contains("1,1,100h,8,A100,FR,"));
  // The range (issue 17): 8 × 100 h × 400 W (A100 SXM4 40GB) × 0.75 draw × 0.5 usage = 120 kWh ×
  // PUE 1.28 × 44.18 × 0.85 g/kWh = 5.7681408 kg; 8 × 100 h × 440 W = 352 kWh × 2.12 × 44.18 ×
  // 1.15 = 37.91421568 kg. DE's low bound, 44.66 kg, lies above FR's high one: no overlap.
  CHECK_THAT(csv.out, Contains(",5.7681408,37.91421568,true,"));
  CHECK_THAT(csv.out, Contains(",false,1000000,"));
  const auto md = run_co2e(with(kJob, {"--region", "FR,DE", "--format", "markdown"}));
  CHECK_THAT(md.out, Contains("| 1 | region=FR | 499.2 kWh | 22.05 kg | 5.768 kg to 37.91 kg |"));
  co2e::test::TempDir dir;
  const std::string svg = dir.path() + "/rank.svg";
  const auto p = run_co2e(with(kJob, {"--region", "FR,DE", "--plot", svg}));
  CHECK(p.exit_code == 0);
  const std::string plot = co2e::test::read_file(svg);
  CHECK_THAT(plot, Contains("<svg"));
  CHECK_THAT(plot, Contains("region=DE"));
  CHECK_THAT(plot, Contains("</svg>\n"));
  // --per 1e6 requests: 22.054656 kg / 1e6 = 0.022054656 g per request.
  const auto j = json_of(run_co2e(with(kJob, {"--region", "FR", "--per", "1e6 requests", "--format", "json"})));
  CHECK(j["per_unit"] == "requests");
  CHECK(j["per_count"] == 1e6);
  CHECK(j["per_scale"] == 1);
  CHECK(j["options"][0]["co2e_g_per_unit"].get<double>() == Approx(0.022054656));
  CHECK(j["options"][0]["energy_wh_per_unit"].get<double>() == Approx(0.4992));
}

TEST_CASE("cli compare: bad input is exit 2 with suggestions", "[cli]") {
  SECTION("a pattern that matches nothing") {
    const auto r = run_co2e(with(kJob, {"--region", "aws:eu-wst-*"}));
    CHECK(r.exit_code == 2);
    CHECK(r.out.empty());
    CHECK_THAT(r.err, Contains("co2e: error: --region \"aws:eu-wst-*\" matches no region"));
    CHECK_THAT(r.err, Contains("did you mean \"aws:eu-west-1\""));
  }
  SECTION("an unknown region") {
    const auto r = run_co2e(with(kJob, {"--region", "FR,Germny"}));
    CHECK(r.exit_code == 2);
    CHECK_THAT(r.err, Contains("unknown region \"Germny\"; did you mean \"Germany\""));
  }
  SECTION("an unknown provider") {
    const auto r = run_co2e(with(kJob, {"--region", "asw:eu-*"}));
    CHECK(r.exit_code == 2);
    CHECK_THAT(r.err, Contains("unknown cloud provider \"asw\""));
    CHECK_THAT(r.err, Contains("did you mean \"aws\"?"));
  }
  SECTION("an empty value in a list") {
    const auto r = run_co2e(with(kJob, {"--region", "FR,,DE"}));
    CHECK(r.exit_code == 2);
    CHECK_THAT(r.err, Contains("--region: \"FR,,DE\": empty value"));
  }
  SECTION("a bad --option key") {
    const auto r = run_co2e({"compare", "--option", "gpu=A100,hours=3"});
    CHECK(r.exit_code == 2);
    CHECK_THAT(r.err, Contains("unknown key \"hours\""));
    const auto typo = run_co2e({"compare", "--option", "gpu=A100,runtme=3h"});
    CHECK(typo.exit_code == 2);
    CHECK_THAT(typo.err, Contains("unknown key \"runtme\"; did you mean \"runtime\"?"));
  }
  SECTION("a bad --format and --plot -") {
    CHECK(run_co2e(with(kJob, {"--region", "FR", "--format", "xml"})).exit_code == 2);
    CHECK(run_co2e(with(kJob, {"--region", "FR", "--plot", "-"})).exit_code == 2);
  }
  SECTION("outside text in a message is escaped") {
    const auto r =
        run_co2e({"compare", "--runtime", "1h", "--gpus", "1", "--gpu", "A100\x1b[31m,V100", "--region", "FR"});
    CHECK(r.exit_code == 2);
    CHECK_THAT(r.err, Contains("option 1 (gpu=A100\\x1b[31m): "));
    CHECK(r.err.find('\x1b') == std::string::npos);
  }
  SECTION("a bad --gpus value names the flag") {
    const auto r = run_co2e({"compare", "--runtime", "1h", "--gpu", "A100", "--gpus", "8,x", "--region", "FR"});
    CHECK(r.exit_code == 2);
    CHECK_THAT(r.err, Contains("--gpus"));
  }
}

TEST_CASE("cli compare: the current option of the plain flags is the default baseline", "[cli]") {
  // The plain flags: A100 × 8 for 100 h in FR; --option: H100 SXM for 45 h.
  const auto j =
      json_of(run_co2e(with(kJob, {"--region", "FR", "--option", "gpu=H100 SXM,runtime=45h", "--format", "json"})));
  REQUIRE(j["options"].size() == 2);
  CHECK(j["baseline"] == 0);
  CHECK(j["current"] == 0);
  // H100 SXM 700 W × 8 × 45 h = 252 kWh; A100 400 W × 8 × 100 h = 320 kWh; × PUE 1.56; FR 44.18 g/kWh.
  CHECK(j["options"][0]["option"] == 1);
  CHECK(j["options"][0]["energy_kwh"].get<double>() == Approx(252 * 1.56));
  CHECK(j["options"][0]["saving_kg"].get<double>() == Approx((320 - 252) * 1.56 * 44.18 / 1000));
  CHECK(j["options"][1]["option"] == 0);
  CHECK(j["options"][1]["current"] == true);
  CHECK(j["options"][1]["label"] == "current: runtime=100h, gpu=A100");
  const auto text = run_co2e(with(kJob, {"--region", "FR", "--option", "gpu=H100 SXM,runtime=45h"}));
  CHECK_THAT(text.out, Contains("baseline: the current option (current: runtime=100h, gpu=A100)"));
  SECTION("--baseline current with several values is exit 2") {
    const auto r = run_co2e(with(kJob, {"--region", "FR,DE", "--baseline", "current"}));
    CHECK(r.exit_code == 2);
    CHECK_THAT(r.err, Contains("--baseline current: --region has several values (FR, DE)"));
  }
  SECTION("a bad --baseline says what is accepted") {
    const auto r = run_co2e(with(kJob, {"--region", "FR,DE", "--baseline", "best"}));
    CHECK(r.exit_code == 2);
    CHECK_THAT(r.err, Contains("--baseline (an option's number from 1, or current)"));
  }
}

TEST_CASE("cli compare --options FILE: paired options from CSV or JSON Lines", "[cli]") {
  co2e::test::TempDir dir;
  const std::string csv = dir.write("hw.csv", "name,gpu,gpus,runtime\na100,A100,8,100h\nh100,\"H100 SXM\",8,45h\n");
  const std::string jsonl =
      dir.write("hw.jsonl",
                "{\"name\": \"a100\", \"gpu\": \"A100\", \"gpus\": 8, \"runtime\": \"100h\"}\n"
                "{\"name\": \"h100\", \"gpu\": \"H100 SXM\", \"gpus\": 8, \"runtime\": \"45h\"}\n");
  for (const auto& file : {csv, jsonl}) {
    const auto j = json_of(run_co2e({"compare", "--region", "FR", "--options", file, "--format", "json"}));
    REQUIRE(j["options"].size() == 2);
    CHECK(j["current"].is_null());  // --region FR alone is no job
    CHECK(j["options"][0]["name"] == "h100");
    CHECK(j["options"][0]["option"] == 2);
    CHECK(j["options"][0]["energy_kwh"].get<double>() == Approx(252 * 1.56));
    CHECK(j["options"][1]["name"] == "a100");
    CHECK(j["options"][1]["energy_kwh"].get<double>() == Approx(320 * 1.56));
    CHECK(j["options"][1]["baseline"] == true);
  }
  SECTION("--option values come first, then the file's rows") {
    const auto j = json_of(run_co2e({"compare", "--region", "FR", "--option", "gpu=V100,gpus=8,runtime=100h",
                                     "--options", csv, "--format", "json"}));
    REQUIRE(j["options"].size() == 3);
    CHECK(j["baseline"] == 1);
    // V100 (SXM2, 300 W) × 8 × 100 h = 240 kWh: the lowest; it is option 1, the file's rows 2 and 3.
    CHECK(j["options"][0]["inputs"]["gpu"] == "V100");
    CHECK(j["options"][0]["option"] == 1);
    CHECK(j["options"][0]["energy_kwh"].get<double>() == Approx(240 * 1.56));
    CHECK(j["options"][1]["option"] == 3);
  }
  SECTION("an unknown column is exit 2 with a suggestion") {
    const std::string bad = dir.write("bad.csv", "gpu,runtme\nA100,1h\n");
    const auto r = run_co2e({"compare", "--region", "FR", "--options", bad});
    CHECK(r.exit_code == 2);
    CHECK_THAT(r.err, Contains("unknown column \"runtme\""));
    CHECK_THAT(r.err, Contains("did you mean \"runtime\""));
  }
  SECTION("a missing file is exit 3") {
    const auto r = run_co2e({"compare", "--region", "FR", "--options", dir.path() + "/none.csv"});
    CHECK(r.exit_code == 3);
    CHECK_THAT(r.err, Contains("--options"));
  }
}

TEST_CASE("cli compare --start: a series per region, the annual factor elsewhere", "[cli]") {
  // good_step.csv: 100 g/kWh 10:00-11:00, 300 g/kWh 11:00-12:00 (UTC, 2024-01-01). A 2 h job from
  // 10:00 averages 200 g/kWh; 4 cores × 10 W × 2 h, PUE 1 = 0.08 kWh: 16 g in FR.
  const std::string series = co2e::test::fixture("series/good_step.csv");
  const auto j = json_of(
      run_co2e({"compare", "--runtime", "2h", "--cores", "4", "--core-power", "10", "--pue", "1", "--region", "FR,DE",
                "--start", "2024-01-01T10:00Z", "--intensity-series", "FR=" + series, "--format", "json"}));
  REQUIRE(j["options"].size() == 2);
  CHECK(j["start"] == "2024-01-01T10:00Z");
  const auto& fr = j["options"][0];
  CHECK(fr["inputs"]["region"] == "FR");
  CHECK(fr["co2e_kg"].get<double>() == Approx(0.016));
  CHECK(fr["intensity_g_per_kwh"].get<double>() == Approx(200));
  CHECK(fr["intensity_source"] == "series");
  CHECK(fr["intensity_series"] == series);
  CHECK(fr["annual_g_per_kwh"].get<double>() == Approx(44.18));
  const auto& de = j["options"][1];
  CHECK(de["intensity_series"].is_null());
  CHECK(de["annual_g_per_kwh"].is_null());
  CHECK(de["intensity_source"] == "region");
  const auto text = run_co2e({"compare", "--runtime", "2h", "--cores", "4", "--core-power", "10", "--region", "FR,DE",
                              "--start", "2024-01-01T10:00Z", "--intensity-series", "FR=" + series});
  CHECK_THAT(text.out, Contains("1 option weighed by an intensity series"));
  CHECK_THAT(text.out, Contains("1 option with no series for its region keeps the annual factor"));
  SECTION("--start without a series, and the reverse, are exit 2") {
    CHECK(run_co2e(with(kJob, {"--region", "FR", "--start", "2024-01-01T10:00Z"})).exit_code == 2);
    CHECK(run_co2e(with(kJob, {"--region", "FR", "--intensity-series", series})).exit_code == 2);
  }
  SECTION("an unknown region in REGION=FILE is exit 2 with suggestions") {
    const auto r = run_co2e(
        with(kJob, {"--region", "FR", "--start", "2024-01-01T10:00Z", "--intensity-series", "Frnace=" + series}));
    CHECK(r.exit_code == 2);
    CHECK_THAT(r.err, Contains("--intensity-series Frnace="));
    CHECK_THAT(r.err, Contains("did you mean \"France\""));
  }
}
