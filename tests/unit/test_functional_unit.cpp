// Unit tests of functional units (include/co2e/functional_unit.hpp): the parser, the scale of tiny
// units, the division and the output columns, against figures computed by hand.
#include <catch2/catch.hpp>

#include "co2e/functional_unit.hpp"

using Catch::Matchers::Contains;

TEST_CASE("parse_functional_unit", "[unit]") {
  SECTION("a count and a unit") {
    auto u = co2e::parse_functional_unit("1e6", "requests");
    REQUIRE(u.ok());
    CHECK(u->count == 1e6);
    CHECK(u->unit == "requests");
    CHECK(u->scale == 1);
    CHECK(co2e::per_unit_label(*u) == "request");
  }
  SECTION("one text: count, spaces, unit") {
    auto u = co2e::parse_functional_unit("  1 epoch ");
    REQUIRE(u.ok());
    CHECK(u->count == 1);
    CHECK(u->unit == "epoch");
    CHECK(co2e::per_unit_label(*u) == "epoch");
    auto q = co2e::parse_functional_unit("250 queries");
    REQUIRE(q.ok());
    CHECK(co2e::per_unit_label(*q) == "query");
  }
  SECTION("tiny units are counted per 1,000, in any case and number") {
    for (const char* unit : {"tokens", "token", "Tokens", "characters", "words", "bytes", "pixels"}) {
      auto u = co2e::parse_functional_unit("2e9", unit);
      REQUIRE(u.ok());
      CHECK(u->scale == 1000);
    }
    CHECK(co2e::per_unit_label(*co2e::parse_functional_unit("2e9 tokens")) == "1,000 tokens");
    CHECK(co2e::per_unit_label(*co2e::parse_functional_unit("2e9 token")) == "1,000 tokens");
    CHECK(co2e::parse_functional_unit("10 images")->scale == 1);
  }
  SECTION("bad values say what is accepted") {
    auto zero = co2e::parse_functional_unit("0", "requests");
    REQUIRE_FALSE(zero.ok());
    CHECK_THAT(zero.error().message, Contains("the count must be a number above 0"));
    CHECK_FALSE(co2e::parse_functional_unit("-5", "requests").ok());
    CHECK_FALSE(co2e::parse_functional_unit("inf", "requests").ok());
    CHECK_FALSE(co2e::parse_functional_unit("many", "requests").ok());
    auto no_unit = co2e::parse_functional_unit("1e6");
    REQUIRE_FALSE(no_unit.ok());
    CHECK_THAT(no_unit.error().message, Contains("give the unit after the count"));
    auto bad = co2e::parse_functional_unit("1e6", "req\x1b[31m");
    REQUIRE_FALSE(bad.ok());
    CHECK(bad.error().message.find('\x1b') == std::string::npos);
    CHECK_FALSE(co2e::parse_functional_unit("1", std::string(41, 'a')).ok());
  }
}

TEST_CASE("per_unit_figures", "[unit]") {
  // 0.4 kWh and 0.04 kg over 1000 requests: 400 Wh / 1000 = 0.4 Wh, 40 g / 1000 = 0.04 g.
  const co2e::FunctionalUnit requests{1000, "requests", 1};
  auto f = co2e::per_unit_figures(requests, 0.4, 0.04);
  CHECK(f.energy_wh == Approx(0.4));
  CHECK(f.co2e_g == Approx(0.04));
  // 100 kWh and 5 kg over 2e9 tokens, per 1,000 tokens: 5000 g × 1000 / 2e9 = 0.0025 g;
  // 100,000 Wh × 1000 / 2e9 = 0.05 Wh.
  const co2e::FunctionalUnit tokens{2e9, "tokens", 1000};
  auto t = co2e::per_unit_figures(tokens, 100, 5);
  CHECK(t.co2e_g == Approx(0.0025));
  CHECK(t.energy_wh == Approx(0.05));
}

TEST_CASE("per-unit columns: the same names and values in CSV and JSON", "[unit]") {
  REQUIRE(co2e::per_unit_columns().size() == 5);
  CHECK(co2e::per_unit_columns()[0].name == "per_count");
  CHECK(co2e::per_unit_columns()[1].name == "per_unit");
  CHECK(co2e::per_unit_columns()[2].name == "per_scale");
  CHECK(co2e::per_unit_columns()[3].name == "co2e_g_per_unit");
  CHECK(co2e::per_unit_columns()[4].name == "energy_wh_per_unit");
  const co2e::FunctionalUnit u{1000, "requests", 1};
  std::string csv;
  co2e::append_per_unit_csv(csv, &u, 0.4, 0.04);
  CHECK(csv == ",1000,requests,1,0.04,0.4");
  std::string json;
  co2e::append_per_unit_json(json, &u, 0.4, 0.04);
  CHECK(json ==
        ",\"per_count\":1000,\"per_unit\":\"requests\",\"per_scale\":1,\"co2e_g_per_unit\":0.04,"
        "\"energy_wh_per_unit\":0.4");
  std::string none;
  co2e::append_per_unit_csv(none, nullptr, 0, 0);
  CHECK(none == ",,,,,");
  std::string null_json;
  co2e::append_per_unit_json(null_json, nullptr, 0, 0);
  CHECK(
      null_json ==
      ",\"per_count\":null,\"per_unit\":null,\"per_scale\":null,\"co2e_g_per_unit\":null,\"energy_wh_per_unit\":null");
  const co2e::FunctionalUnit quoted{2, "a,b", 1};
  std::string q;
  co2e::append_per_unit_csv(q, &quoted, 1, 1);
  CHECK(q == ",2,\"a,b\",1,500,500");
}
