// Unit tests of co2e compare's library (include/co2e/compare.hpp): region patterns and groups,
// paired options, the combinations, the ranking and the savings, against figures computed by hand.
#include <catch2/catch.hpp>
#include <nlohmann/json.hpp>

#include <algorithm>

#include "co2e/compare.hpp"
#include "estimate_support.hpp"

using Catch::Matchers::Contains;
using co2e::Field;

using co2e::test::data;

namespace {

bool has(const std::vector<std::string>& v, std::string_view s) { return std::find(v.begin(), v.end(), s) != v.end(); }

std::size_t count_provider(std::string_view p) {
  return static_cast<std::size_t>(std::count_if(data().cloud_regions().begin(), data().cloud_regions().end(),
                                                [&](const co2e::CloudRegion& c) { return c.provider == p; }));
}

}  // namespace

TEST_CASE("expand_region", "[unit]") {
  SECTION("a plain name is itself") {
    auto r = co2e::expand_region("FR", data());
    REQUIRE(r.ok());
    CHECK(*r == std::vector<std::string>{"FR"});
  }
  SECTION("aws:* is every AWS region of the table") {
    auto r = co2e::expand_region("aws:*", data());
    REQUIRE(r.ok());
    CHECK(r->size() == count_provider("aws"));
    CHECK(r->size() >= 30);
    CHECK(has(*r, "aws:eu-west-3"));
  }
  SECTION("a provider name is the same group") {
    auto a = co2e::expand_region("gcp", data());
    auto b = co2e::expand_region("gcp:*", data());
    REQUIRE(a.ok());
    REQUIRE(b.ok());
    CHECK(*a == *b);
    CHECK(a->size() == count_provider("gcp"));
  }
  SECTION("cloud is every cloud region") {
    auto r = co2e::expand_region("cloud", data());
    REQUIRE(r.ok());
    CHECK(r->size() == data().cloud_regions().size());
    CHECK(r->size() >= 145);
  }
  SECTION("aws:eu-* matches by code") {
    auto r = co2e::expand_region("aws:eu-*", data());
    REQUIRE(r.ok());
    CHECK(has(*r, "aws:eu-west-1"));
    CHECK(has(*r, "aws:eu-central-1"));
    CHECK_FALSE(has(*r, "aws:us-east-1"));
    for (const auto& c : *r) CHECK(c.rfind("aws:eu-", 0) == 0);
  }
  SECTION("US-* is the US subdivisions: states and eGRID subregions") {
    auto r = co2e::expand_region("us-*", data());
    REQUIRE(r.ok());
    CHECK(has(*r, "US-CA"));
    CHECK(has(*r, "US-VA"));
    CHECK(has(*r, "US-SRVC"));  // eGRID subregions are US-<acronym>
    CHECK_FALSE(has(*r, "US"));
    CHECK_FALSE(has(*r, "CA-QC"));
  }
  SECTION("EU is the member states known to the table, countries only") {
    auto r = co2e::expand_region("EU", data());
    REQUIRE(r.ok());
    CHECK(r->size() <= 27);
    CHECK(r->size() >= 25);
    CHECK(has(*r, "FR"));
    CHECK(has(*r, "PL"));
    CHECK(has(*r, "SE"));
    CHECK_FALSE(has(*r, "SE-SE1"));  // a subdivision would count Sweden's grid twice
    CHECK_FALSE(has(*r, "GB"));
    CHECK_FALSE(has(*r, "NO"));
  }
  SECTION("Ember's groups are rows with their own codes, apart from the groups of countries") {
    // EU and europe are lists of countries; EMBER-EU27 is one average. Neither reaches the other.
    auto eu = co2e::expand_region("EU", data());
    REQUIRE(eu.ok());
    CHECK_FALSE(has(*eu, "EMBER-EU27"));
    auto europe = co2e::expand_region("europe", data());
    REQUIRE(europe.ok());
    CHECK_FALSE(has(*europe, "EMBER-EUROPE"));
    auto one = co2e::expand_region("EMBER-EU27", data());
    REQUIRE(one.ok());
    CHECK(*one == std::vector<std::string>{"EMBER-EU27"});
    auto all = co2e::expand_region("EMBER-*", data());
    REQUIRE(all.ok());
    CHECK(all->size() == 8);
    CHECK_FALSE(has(*all, "WORLD"));
  }
  SECTION("europe holds GB, NO and CH too") {
    auto r = co2e::expand_region("europe", data());
    REQUIRE(r.ok());
    CHECK(has(*r, "GB"));
    CHECK(has(*r, "NO"));
    CHECK(has(*r, "CH"));
    CHECK_FALSE(has(*r, "US"));
  }
  SECTION("north-america") {
    auto r = co2e::expand_region("north-america", data());
    REQUIRE(r.ok());
    CHECK(has(*r, "US"));
    CHECK(has(*r, "CA"));
    CHECK(has(*r, "MX"));
    CHECK_FALSE(has(*r, "BR"));
  }
  SECTION("aws:europe: AWS regions whose grid is in Europe") {
    auto r = co2e::expand_region("aws:europe", data());
    REQUIRE(r.ok());
    CHECK(has(*r, "aws:eu-west-3"));  // Paris
    CHECK(has(*r, "aws:eu-west-2"));  // London
    CHECK_FALSE(has(*r, "aws:us-east-1"));
    CHECK_FALSE(has(*r, "aws:me-south-1"));
  }
  SECTION("a glob over every provider") {
    auto r = co2e::expand_region("*:europe-west1", data());
    REQUIRE(r.ok());
    CHECK(*r == std::vector<std::string>{"gcp:europe-west1"});
  }
}

TEST_CASE("expand_region: bad patterns and names", "[unit]") {
  SECTION("a pattern that matches nothing suggests") {
    auto r = co2e::expand_region("aws:xx-*", data());
    REQUIRE_FALSE(r.ok());
    CHECK(r.error().kind == co2e::ErrorKind::usage);
    CHECK_THAT(r.error().message, Contains("\"aws:xx-*\" matches no region"));
    CHECK_THAT(r.error().message, Contains("groups: EU, europe, north-america"));
  }
  SECTION("an unknown provider") {
    auto r = co2e::expand_region("amz:eu-*", data());
    REQUIRE_FALSE(r.ok());
    CHECK_THAT(r.error().message, Contains("unknown cloud provider \"amz\""));
  }
  SECTION("an unknown region name keeps find_region's suggestions") {
    auto r = co2e::expand_region("Frnace", data());
    REQUIRE_FALSE(r.ok());
    CHECK_THAT(r.error().message, Contains("unknown region \"Frnace\""));
    CHECK(has(r.error().suggestions, "France"));
  }
  SECTION("brackets are not pattern characters") {
    auto r = co2e::expand_region("aws:eu-[a-z]*", data());
    REQUIRE_FALSE(r.ok());
    CHECK_THAT(r.error().message, Contains("only * and ? are pattern characters"));
  }
  SECTION("empty") { CHECK_FALSE(co2e::expand_region(" ", data()).ok()); }
}

TEST_CASE("parse_paired_option", "[unit]") {
  auto r = co2e::parse_paired_option("runtime=45h, gpu=H100 SXM,gpus=8");
  REQUIRE(r.ok());
  REQUIRE(r->size() == 3);
  CHECK((*r)[0] == co2e::FieldValue{Field::runtime, "45h"});  // in Field order
  CHECK((*r)[1] == co2e::FieldValue{Field::gpus, "8"});
  CHECK((*r)[2] == co2e::FieldValue{Field::gpu, "H100 SXM"});
  auto bad = co2e::parse_paired_option("gpu=A100,gpuz=8");
  REQUIRE_FALSE(bad.ok());
  CHECK_THAT(bad.error().message, Contains("unknown key \"gpuz\""));
  CHECK(has(bad.error().suggestions, "gpus"));
  CHECK_FALSE(co2e::parse_paired_option("gpu").ok());
  CHECK_FALSE(co2e::parse_paired_option("gpu=A100,gpu=H100").ok());
}

TEST_CASE("compare: FR, DE, PL ranked, figures by hand", "[unit]") {
  co2e::CompareSpec spec;
  spec.axes = {
      {Field::runtime, {"100h"}}, {Field::gpus, {"8"}}, {Field::gpu, {"A100"}}, {Field::region, {"PL", "FR", "DE"}}};
  auto r = co2e::compare(spec, data());
  REQUIRE(r.ok());
  REQUIRE(r->options.size() == 3);
  // A100 = A100 SXM4 40GB, 400 W (data/gpus.json); 8 × 100 h × 400 W = 320 kWh; default PUE 1.56
  // (local data centre) → 499.2 kWh. FR 44.18, DE 342.06, PL 614.98 gCO2e/kWh (data/regions.json:
  // Ember 2025 release, 2024; DE was 344.14 in OWID's release).
  const auto& o = r->options;
  CHECK(o[0].inputs.back().second == "FR");
  CHECK(o[1].inputs.back().second == "DE");
  CHECK(o[2].inputs.back().second == "PL");
  for (const auto& x : o) CHECK(x.result.energy_kwh == Approx(499.2));
  CHECK(o[0].result.co2e_kg == Approx(22.054656));
  CHECK(o[1].result.co2e_kg == Approx(170.756352));  // 499.2 × 342.06 g
  CHECK(o[2].result.co2e_kg == Approx(306.998016));
  CHECK(o[0].rank == 1);
  CHECK(o[2].rank == 3);
  // The baseline is the first given: PL.
  CHECK(o[2].index == 1);
  CHECK(o[2].saving_kg == 0);
  CHECK(o[0].saving_kg == Approx(306.998016 - 22.054656));
  CHECK(*o[0].saving_pct == Approx(100 * (614.98 - 44.18) / 614.98));
  CHECK(o[0].varying.size() == 1);
  CHECK(o[0].varying[0].first == Field::region);
}

TEST_CASE("compare: paired options and combinations", "[unit]") {
  SECTION("paired: H100 for 45 h against A100 for 100 h") {
    co2e::CompareSpec spec;
    spec.axes = {{Field::region, {"FR"}}};
    spec.paired = {*co2e::parse_paired_option("gpu=A100,gpus=8,runtime=100h"),
                   *co2e::parse_paired_option("gpu=H100 SXM,gpus=8,runtime=45h")};
    auto r = co2e::compare(spec, data());
    REQUIRE(r.ok());
    REQUIRE(r->options.size() == 2);
    // H100 SXM 700 W: 8 × 45 h × 700 W = 252 kWh < 320 kWh, so the H100 ranks first.
    CHECK(r->options[0].index == 2);
    CHECK(r->options[0].result.energy_kwh == Approx(252 * 1.56));
    CHECK(r->options[1].result.energy_kwh == Approx(320 * 1.56));
    CHECK(r->options[0].saving_kg == Approx((320 - 252) * 1.56 * 44.18 / 1000));
  }
  SECTION("two axes: the first varies slowest; ties keep the given order") {
    co2e::CompareSpec spec;
    spec.axes = {
        {Field::runtime, {"1h"}}, {Field::gpus, {"1", "2"}}, {Field::gpu, {"A100"}}, {Field::intensity, {"100", "50"}}};
    auto r = co2e::compare(spec, data());
    REQUIRE(r.ok());
    REQUIRE(r->options.size() == 4);
    // Given order: 1 (gpus=1, 100 g), 2 (1, 50 g), 3 (2, 100 g), 4 (2, 50 g). CO2e ∝ gpus × g:
    // 50, 100, 200, 100. Options 1 and 4 tie at 100 and keep the given order: 2, 1, 4, 3.
    CHECK(r->options[0].index == 2);  // 1 GPU, 50 g
    CHECK(r->options[1].index == 1);
    CHECK(r->options[2].index == 4);
    CHECK(r->options[3].index == 3);
  }
  SECTION("a field both varied and paired is refused") {
    co2e::CompareSpec spec;
    spec.axes = {{Field::gpu, {"A100", "V100"}}};
    spec.paired = {*co2e::parse_paired_option("gpu=A100,runtime=1h")};
    auto r = co2e::compare(spec, data());
    REQUIRE_FALSE(r.ok());
    CHECK_THAT(r.error().message, Contains("--gpu has several values and --option 1 sets gpu too"));
  }
  SECTION("a bad baseline") {
    co2e::CompareSpec spec;
    spec.axes = {{Field::runtime, {"1h"}}, {Field::cores, {"1"}}, {Field::region, {"FR", "DE"}}};
    spec.baseline = 3;
    auto r = co2e::compare(spec, data());
    REQUIRE_FALSE(r.ok());
    CHECK_THAT(r.error().message, Contains("--baseline 3: there are 2 options"));
  }
  SECTION("an option that cannot be estimated names itself") {
    co2e::CompareSpec spec;
    spec.axes = {{Field::gpus, {"1"}}, {Field::region, {"FR", "DE"}}};
    auto r = co2e::compare(spec, data());
    REQUIRE_FALSE(r.ok());
    CHECK_THAT(r.error().message, Contains("option 1 (region=FR): "));
  }
}

TEST_CASE("render_compare_json", "[unit]") {
  co2e::CompareSpec spec;
  spec.axes = {{Field::runtime, {"10h"}},
               {Field::cores, {"4"}},
               {Field::core_power, {"10"}},
               {Field::intensity, {"100", "200"}},
               {Field::pue, {"1"}}};
  spec.baseline = 2;
  spec.per = co2e::FunctionalUnit{1000, "requests"};
  auto r = co2e::compare(spec, data());
  REQUIRE(r.ok());
  const auto j = nlohmann::json::parse(co2e::render_compare_json(*r, data()));
  CHECK(j["schema_version"] == 1);
  CHECK(j["baseline"] == 2);
  REQUIRE(j["options"].size() == 2);
  const auto& best = j["options"][0];
  // 4 cores × 10 W × 10 h = 0.4 kWh; × 100 g/kWh = 40 g; the baseline (200 g/kWh) is 80 g.
  CHECK(best["rank"] == 1);
  CHECK(best["inputs"]["intensity"] == "100");
  CHECK(best["energy_kwh"].get<double>() == Approx(0.4));
  CHECK(best["co2e_kg"].get<double>() == Approx(0.04));
  CHECK(best["saving_kg"].get<double>() == Approx(0.04));
  CHECK(best["saving_pct"].get<double>() == Approx(50));
  CHECK(best["co2e_g_per_unit"].get<double>() == Approx(0.04));    // 40 g / 1000
  CHECK(best["energy_wh_per_unit"].get<double>() == Approx(0.4));  // 400 Wh / 1000
  CHECK(j["options"][1]["baseline"] == true);
  CHECK(co2e::render_compare_json(*r, data(), 1).find("\"rank\": 2") == std::string::npos);
}

TEST_CASE("compare: the current option of the plain flags", "[unit]") {
  // The plain flags: 4 cores × 10 W × 10 h, PUE 1, 100 g/kWh = 0.4 kWh, 40 g.
  co2e::CompareSpec spec;
  spec.axes = {{Field::runtime, {"10h"}},
               {Field::cores, {"4"}},
               {Field::core_power, {"10"}},
               {Field::pue, {"1"}},
               {Field::intensity, {"100"}}};
  SECTION("with --option, the flags alone are the current option and the default baseline") {
    spec.paired = {*co2e::parse_paired_option("core_power=5"), *co2e::parse_paired_option("core_power=20")};
    auto r = co2e::compare(spec, data());
    REQUIRE(r.ok());
    REQUIRE(r->options.size() == 3);
    REQUIRE(r->current == co2e::kCurrentOption);
    CHECK(r->baseline == co2e::kCurrentOption);
    // Ranked: 5 W (0.2 kWh, 20 g), current (40 g), 20 W (80 g).
    CHECK(r->options[0].index == 1);
    CHECK(r->options[0].result.co2e_kg == Approx(0.02));
    CHECK(r->options[0].saving_kg == Approx(0.02));
    CHECK(*r->options[0].saving_pct == Approx(50));
    CHECK(r->options[1].index == co2e::kCurrentOption);
    CHECK(r->options[1].result.co2e_kg == Approx(0.04));
    CHECK(r->options[2].saving_kg == Approx(-0.04));
    // The label is what differs: core_power only.
    REQUIRE(r->options[1].varying.size() == 1);
    CHECK(r->options[1].varying[0] == co2e::FieldValue{Field::core_power, "10"});
    const auto j = nlohmann::json::parse(co2e::render_compare_json(*r, data()));
    CHECK(j["baseline"] == 0);
    CHECK(j["current"] == 0);
    CHECK(j["options"][1]["current"] == true);
    CHECK(j["options"][1]["label"] == "current: core_power=10");
    CHECK_THAT(co2e::render_compare_text(*r, data()),
               Contains("baseline: the current option (current: core_power=10)"));
  }
  SECTION("--baseline N still picks a given option") {
    spec.paired = {*co2e::parse_paired_option("core_power=5")};
    spec.baseline = 1;
    auto r = co2e::compare(spec, data());
    REQUIRE(r.ok());
    CHECK(r->baseline == 1);
    CHECK(r->options[1].saving_kg == Approx(-0.02));  // current: 40 g against 20 g
  }
  SECTION("an option equal to the flags is the current one, not listed twice") {
    spec.paired = {*co2e::parse_paired_option("core_power=5"), *co2e::parse_paired_option("core_power=10")};
    auto r = co2e::compare(spec, data());
    REQUIRE(r.ok());
    CHECK(r->options.size() == 2);
    CHECK(r->current == 2);
    CHECK(r->baseline == 2);
  }
  SECTION("flags that are not a whole job: no current option; asking for it says why") {
    co2e::CompareSpec partial;
    partial.axes = {{Field::region, {"FR"}}};
    partial.paired = {*co2e::parse_paired_option("gpu=A100,gpus=8,runtime=100h")};
    auto r = co2e::compare(partial, data());
    REQUIRE(r.ok());
    CHECK_FALSE(r->current.has_value());
    CHECK(r->baseline == 1);
    partial.baseline = co2e::kCurrentOption;
    auto asked = co2e::compare(partial, data());
    REQUIRE_FALSE(asked.ok());
    CHECK_THAT(asked.error().message, Contains("--baseline current: the plain flags alone are not a whole job"));
  }
  SECTION("several values name no single current option") {
    spec.axes.push_back({Field::region, {"FR", "DE"}});
    spec.baseline = co2e::kCurrentOption;
    auto r = co2e::compare(spec, data());
    REQUIRE_FALSE(r.ok());
    CHECK_THAT(r.error().message, Contains("--baseline current: --region has several values (FR, DE)"));
  }
  SECTION("without --option the one option is the current one") {
    spec.baseline = co2e::kCurrentOption;
    auto r = co2e::compare(spec, data());
    REQUIRE(r.ok());
    CHECK(r->options.size() == 1);
    CHECK(r->baseline == 1);
  }
}

TEST_CASE("options_from_table", "[unit]") {
  co2e::InputTable t;
  t.header = {"name", "gpu", "gpus", "runtime"};
  t.rows = {{"a100", "A100", "8", "100h"}, {"", "H100 SXM", "", " 45h "}};
  std::vector<std::string> names;
  auto opts = co2e::options_from_table(t, "hw.csv", names);
  REQUIRE(opts.ok());
  REQUIRE(opts->size() == 2);
  CHECK((*opts)[0] ==
        std::vector<co2e::FieldValue>{{Field::runtime, "100h"}, {Field::gpus, "8"}, {Field::gpu, "A100"}});
  // Empty cells are not set (the flags' value applies); cells are trimmed.
  CHECK((*opts)[1] == std::vector<co2e::FieldValue>{{Field::runtime, "45h"}, {Field::gpu, "H100 SXM"}});
  CHECK(names == std::vector<std::string>{"a100", ""});
  SECTION("an unknown column is refused with suggestions") {
    co2e::InputTable bad;
    bad.header = {"gpu", "runtme"};
    bad.rows = {{"A100", "1h"}};
    auto r = co2e::options_from_table(bad, "hw.csv", names);
    REQUIRE_FALSE(r.ok());
    CHECK_THAT(r.error().message, Contains("hw.csv: unknown column \"runtme\""));
    CHECK(has(r.error().suggestions, "runtime"));
  }
  SECTION("a row without values and a file without rows are refused") {
    co2e::InputTable empty_row;
    empty_row.header = {"name", "gpu"};
    empty_row.rows = {{"x", ""}};
    CHECK_THAT(co2e::options_from_table(empty_row, "hw.csv", names).error().message,
               Contains("hw.csv: row 1: no value in any estimate column"));
    empty_row.rows.clear();
    CHECK_THAT(co2e::options_from_table(empty_row, "hw.csv", names).error().message, Contains("no rows"));
  }
}

TEST_CASE("compare: --start weighs each region by its own series", "[unit]") {
  using namespace std::chrono;
  // A flat 100 g/kWh for FR over a day; DE has no series and keeps its annual factor.
  const co2e::TimePoint t0 = sys_days{year{2024} / 3 / 1};
  auto fr = co2e::IntensitySeries::from_intervals({{t0, t0 + hours(24), 100, 1}});
  REQUIRE(fr.ok());
  co2e::CompareSpec spec;
  spec.axes = {{Field::runtime, {"2h"}},
               {Field::cores, {"4"}},
               {Field::core_power, {"10"}},
               {Field::pue, {"1"}},
               {Field::region, {"FR", "DE", "aws:eu-west-3"}}};
  spec.start = t0 + hours(6);
  spec.series = {{"FR", "fr.csv", &*fr}};
  auto r = co2e::compare(spec, data());
  REQUIRE(r.ok());
  REQUIRE(r->options.size() == 3);
  const double de = data().find_region("DE")->intensity_g_per_kwh();
  const double fr_annual = data().find_region("FR")->intensity_g_per_kwh();
  for (const auto& o : r->options) {
    // 4 × 10 W × 2 h = 0.08 kWh.
    CHECK(o.result.energy_kwh == Approx(0.08));
    if (o.index == 2) {  // DE: annual factor
      CHECK(o.series.empty());
      CHECK(o.result.co2e_kg == Approx(0.08 * de / 1000));
    } else {  // FR and aws:eu-west-3 (Paris, on the FR grid): the series
      CHECK(o.series == "fr.csv");
      CHECK(o.result.co2e_kg == Approx(0.08 * 100 / 1000));
      REQUIRE(o.result.window);
      CHECK(o.result.window->annual_g_per_kwh == Approx(fr_annual));
    }
  }
  const auto j = nlohmann::json::parse(co2e::render_compare_json(*r, data()));
  CHECK(j["start"] == "2024-03-01T06:00Z");
  SECTION("a series without REGION= is refused when the options span grids") {
    spec.series = {{"", "fr.csv", &*fr}};
    auto bad = co2e::compare(spec, data());
    REQUIRE_FALSE(bad.ok());
    CHECK_THAT(bad.error().message, Contains("a series without REGION= weighs every option"));
  }
  SECTION("a window the series does not cover names the option") {
    spec.start = t0 + hours(23);
    auto bad = co2e::compare(spec, data());
    REQUIRE_FALSE(bad.ok());
    CHECK_THAT(bad.error().message, Contains("option 1 (region=FR) with --start and --intensity-series fr.csv: "));
  }
  SECTION("an unused series is a warning") {
    spec.series.push_back({"PL", "pl.csv", &*fr});
    auto w = co2e::compare(spec, data());
    REQUIRE(w.ok());
    REQUIRE(w->warnings.size() == 1);
    CHECK_THAT(w->warnings[0], Contains("--intensity-series PL=pl.csv: no option is in that region"));
  }
}
