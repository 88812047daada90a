// Unit tests of the table views (include/co2e/table_view.hpp): complete_names.
#include <catch2/catch.hpp>

#include "co2e/data.hpp"
#include "co2e/table_view.hpp"

TEST_CASE("complete_names", "[unit]") {
  co2e::Dataset d;
  // A user row with a vendor word and aliases, to check every form offered, independently of the
  // built-in tables.
  REQUIRE_FALSE(d.add_json(R"({"gpus": [{"name": "Acme Q7 Turbo", "vendor": "Acme", "tdp_w": 300,
                                         "aliases": ["Q7", "Q7-T"]}]})",
                           "test.json"));
  using V = std::vector<std::string>;
  SECTION("a model: its name, its name without the vendor word, its aliases; case ignored; sorted") {
    CHECK(co2e::complete_names(d, "gpu", "q7") == V{"Q7", "Q7 Turbo", "Q7-T"});
    CHECK(co2e::complete_names(d, "gpu", "acme") == V{"Acme Q7 Turbo"});
    CHECK(co2e::complete_names(d, "gpu", "Acme Q7 T") == V{"Acme Q7 Turbo"});
  }
  SECTION("regions: grid codes and cloud codes") {
    const auto fr = co2e::complete_names(d, "region", "FR");
    CHECK(std::find(fr.begin(), fr.end(), "FR") != fr.end());
    for (const auto& n : co2e::complete_names(d, "region", "gcp:europe-west"))
      CHECK(n.rfind("gcp:europe-west", 0) == 0);
    CHECK_FALSE(co2e::complete_names(d, "region", "gcp:europe-west").empty());
  }
  SECTION("providers: ids and aliases") {
    const auto g = co2e::complete_names(d, "provider", "g");
    CHECK(std::find(g.begin(), g.end(), "gcp") != g.end());
    CHECK(std::find(g.begin(), g.end(), "google") != g.end());
  }
  SECTION("no match, or an unknown kind: nothing") {
    CHECK(co2e::complete_names(d, "gpu", "zzz").empty());
    CHECK(co2e::complete_names(d, "weather", "").empty());
  }
}
