// Unit tests of the data audit (src/core/model/data_audit.hpp) and of the provenance that the
// parser requires of grid rows in data/ (issue 14).
#include <catch2/catch.hpp>

#include <algorithm>
#include <map>
#include <set>
#include <string>

#include "co2e/data.hpp"
#include "model/data_audit.hpp"
#include "model/data_json.hpp"

using Catch::Matchers::Contains;

namespace {

// A grid row with full provenance, as data/regions.json rows have it.
std::string region(const std::string& code, double g, const std::string& release = "R1", int year = 2024) {
  return R"({"code": ")" + code + R"(", "name": ")" + code + R"(", "kind": "country", "iso3": "XXX", )" +
         R"("intensity_g_per_kwh": )" + std::to_string(g) + R"(, "basis": "lifecycle", "source": "s", "year": )" +
         std::to_string(year) + R"(, "licence": "CC-BY-4.0", "release": ")" + release +
         R"(", "url": "https://example.org", "retrieved": "2026-11-29"})";
}

std::vector<co2e::detail::AuditFinding> audit(const std::string& regions_json) {
  co2e::detail::TableSet set;
  const std::string doc = R"({"regions": [)" + regions_json + "]}";
  REQUIRE_FALSE(co2e::detail::parse_tables_json(doc, "t.json", true, set));
  return co2e::detail::audit_tables(set.rows);
}

bool has(const std::vector<co2e::detail::AuditFinding>& f, bool error, const std::string& check,
         const std::string& text) {
  return std::any_of(f.begin(), f.end(), [&](const auto& x) {
    return x.error == error && x.check == check && x.message.find(text) != std::string::npos;
  });
}

}  // namespace

TEST_CASE("audit_tables", "[unit]") {
  SECTION("one value on three places of one release is a placeholder") {
    // The Nordic zones of the old tables: nine places at 18 g/kWh.
    const auto f = audit(region("AA", 18) + "," + region("BB", 18) + "," + region("CC", 18));
    CHECK(has(f, true, "placeholder", "3 places of release \"R1\" share 18 gCO2e/kWh: AA, BB, CC"));
  }
  SECTION("two places, or three in different releases, are not") {
    CHECK_FALSE(has(audit(region("AA", 18) + "," + region("BB", 18)), true, "placeholder", ""));
    CHECK_FALSE(has(audit(region("AA", 18, "R1") + "," + region("BB", 18, "R2") + "," + region("CC", 18, "R3")), true,
                    "placeholder", ""));
  }
  SECTION("implausible figures fail") {
    CHECK(has(audit(region("AA", 4000)), true, "range", "regions AA: 4000 gCO2e/kWh > 1500"));
  }
  SECTION("rows older than the newest year of their release are listed") {
    const auto f = audit(region("AA", 100, "R1", 2024) + "," + region("BB", 200, "R1", 2022));
    CHECK(has(f, false, "stale", "release \"R1\" (newest 2024): 1 rows of 2022: BB"));
  }
  SECTION("rows of an older edition of a release's series are listed") {
    // The NWIS grid keeps the NGA Factors 2024 while the other grids carry the 2025 edition.
    const auto f = audit(region("AA", 100, "Factors 2025", 2025) + "," + region("BB", 200, "Factors 2024", 2024));
    CHECK(
        has(f, false, "stale", "release \"Factors 2024\" is older than the tables' newest edition (2025): 1 rows: BB"));
    CHECK_FALSE(has(audit(region("AA", 100, "Factors 2025", 2025)), false, "stale", ""));
  }
  SECTION("the built-in tables pass") {
    co2e::detail::Rows rows;
    const co2e::Dataset d;
    rows.regions.assign(d.regions().begin(), d.regions().end());
    rows.cloud_regions.assign(d.cloud_regions().begin(), d.cloud_regions().end());
    rows.cpus.assign(d.cpus().begin(), d.cpus().end());
    rows.gpus.assign(d.gpus().begin(), d.gpus().end());
    rows.embodied.assign(d.embodied().begin(), d.embodied().end());
    for (const auto& x : co2e::detail::audit_tables(rows)) CHECK_FALSE(x.error);
  }
  SECTION("a board figure shared by GPUs must name them") {
    co2e::detail::TableSet set;
    REQUIRE_FALSE(co2e::detail::parse_tables_json(
        R"({"embodied": [{"id": "b", "name": "Board", "kind": "gpu", "kg": 100, "gpus": 8, "scope": "s",
            "source": "s", "year": 2025, "licence": "fact"}]})",
        "data/embodied.json", true, set));
    CHECK(has(co2e::detail::audit_tables(set.rows), true, "range",
              "embodied b: a figure shared by 8 GPUs of a board names none in applies_to"));
  }
}

TEST_CASE("parse_tables_json: provenance of embodied rows in data/", "[unit]") {
  // data/ rules: a manufacturing figure without its source, year, licence or scope fails the
  // build; so does a range that does not hold the figure.
  const std::string good = R"("id": "x", "name": "X", "kind": "server", "kg": 1000, )";
  co2e::detail::TableSet set;
  auto err = co2e::detail::parse_tables_json(R"({"embodied": [{)" + good + R"("year": 2025, "licence": "fact",
      "scope": "s"}]})",
                                             "data/embodied.json", true, set);
  REQUIRE(err);
  CHECK_THAT(err->message, Contains("embodied row 1: \"source\" is missing"));
  err = co2e::detail::parse_tables_json(R"({"embodied": [{)" + good + R"("source": "s", "year": 2025,
      "licence": "fact"}]})",
                                        "data/embodied.json", true, set);
  REQUIRE(err);
  CHECK_THAT(err->message, Contains("\"scope\" is missing"));
  err = co2e::detail::parse_tables_json(R"({"embodied": [{)" + good + R"("high_kg": 900, "source": "s",
      "year": 2025, "licence": "fact", "scope": "s"}]})",
                                        "data/embodied.json", true, set);
  REQUIRE(err);
  CHECK_THAT(err->message, Contains("\"high_kg\""));
  CHECK_THAT(err->message, Contains("must not be below kg"));
  // Every built-in row carries all of it.
  const co2e::Dataset d;
  for (const auto& e : d.embodied()) {
    INFO(e.id);
    CHECK_FALSE(e.prov.source.empty());
    CHECK(e.prov.year > 0);
    CHECK_FALSE(e.prov.licence.empty());
    CHECK_FALSE(e.scope.empty());
    if (e.low_kg >= 0) CHECK(e.low_kg <= e.kg);
    if (e.high_kg >= 0) CHECK(e.high_kg >= e.kg);
  }
}

TEST_CASE("parse_tables_json: provenance of grid rows in data/", "[unit]") {
  co2e::detail::TableSet set;
  // data/ rules (require_provenance): a grid row without release, url, retrieved or basis fails.
  auto err = co2e::detail::parse_tables_json(
      R"({"regions": [{"code": "AA", "name": "A", "intensity_g_per_kwh": 10, "basis": "lifecycle", "source": "s",
          "year": 2024, "licence": "CC-BY-4.0"}]})",
      "data/regions.json", true, set);
  REQUIRE(err);
  CHECK(err->message == "data/regions.json: regions row 1: \"release\" is missing (a string is required)");
  err = co2e::detail::parse_tables_json(
      R"({"regions": [{"code": "AA", "name": "A", "intensity_g_per_kwh": 10, "basis": "scope2", "source": "s",
          "year": 2024, "licence": "x", "release": "r", "url": "u", "retrieved": "2026-11-29"}]})",
      "data/regions.json", true, set);
  REQUIRE(err);
  CHECK(err->message == "data/regions.json: regions row 1: \"basis\" \"scope2\" is not one of lifecycle, direct");
  err = co2e::detail::parse_tables_json(
      R"({"regions": [{"code": "AA", "name": "A", "intensity_g_per_kwh": 10, "basis": "direct", "source": "s",
          "year": 2024, "licence": "x", "release": "r", "url": "u", "retrieved": "29/11/2026"}]})",
      "data/regions.json", true, set);
  REQUIRE(err);
  CHECK_THAT(err->message, Contains("\"retrieved\" \"29/11/2026\" is not a date YYYY-MM-DD"));
  // A user file may leave all of it out; the basis is then "not stated".
  co2e::detail::TableSet user;
  REQUIRE_FALSE(co2e::detail::parse_tables_json(
      R"({"regions": [{"code": "ZZ", "name": "Z", "intensity_g_per_kwh": 7}]})", "mine.json", false, user));
  CHECK(user.rows.regions.at(0).basis.empty());
  CHECK(user.rows.regions.at(0).on_basis(co2e::Basis::direct) == 7);
  // and cannot claim to be a data release
  CHECK(co2e::detail::parse_tables_json(R"({"data_release": "x"})", "mine.json", false, user));
}

TEST_CASE("built-in grid rows: no two places share a figure unexplained", "[unit]") {
  // Issue 14, "Done when": no two grid rows of different places share a placeholder value. Rows
  // that share one are small grids of low precision (they say so), or named here with the reason.
  const std::set<std::string> one_grid{"AU-ACT", "AU-NSW",          // one NGA grid, NSW & ACT
                                       "EMBER-MIDDLE-EAST", "KW"};  // data/SOURCES.md, "The data audit"
  const co2e::Dataset d;
  std::map<std::pair<std::string, double>, std::vector<const co2e::Region*>> by_value;
  for (const auto& r : d.regions()) by_value[{std::string(r.prov.release), r.intensity_g_per_kwh}].push_back(&r);
  for (const auto& [key, rows] : by_value) {
    if (rows.size() < 2) continue;
    for (const auto* r : rows) {
      INFO(r->code << " shares " << key.second << " g/kWh in release " << key.first);
      CHECK((r->prov.note.starts_with("low precision") || one_grid.count(std::string(r->code)) == 1));
    }
  }
}

TEST_CASE("data_release", "[unit]") { CHECK(co2e::data_release() == "2026-11"); }
