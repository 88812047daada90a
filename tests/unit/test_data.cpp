// Unit tests of the data tables and name matching (include/co2e/data.hpp).
#include <catch2/catch.hpp>

#include <set>

#include "co2e/data.hpp"

using Catch::Matchers::Contains;

TEST_CASE("built-in tables: sizes and provenance", "[unit]") {
  const co2e::Dataset d;
  CHECK(d.cpus().size() >= 1500);
  CHECK(d.gpus().size() >= 60);
  std::size_t countries = 0, subdivisions = 0;
  std::set<std::string_view> subdivision_countries;
  for (const auto& r : d.regions()) {
    countries += r.kind == "country";
    if (r.kind == "subdivision") {
      ++subdivisions;
      subdivision_countries.insert(r.country);
    }
    CHECK_FALSE(r.prov.source.empty());
    CHECK(r.prov.year >= 2000);
    CHECK_FALSE(r.prov.licence.empty());
  }
  CHECK(countries >= 200);
  CHECK(subdivision_countries.count("US") == 1);
  CHECK(subdivision_countries.count("CA") == 1);
  CHECK(subdivision_countries.count("AU") == 1);
  CHECK(d.cloud_regions().size() >= 100);
  for (const auto& c : d.cpus()) {
    CHECK(c.tdp_w > 0);
    CHECK(c.cores > 0);
    CHECK_FALSE(c.prov.source.empty());
  }
  // No non-commercial or share-alike data may be bundled.
  for (const auto& c : d.cpus()) CHECK_FALSE(std::string(c.prov.licence).find("NC") != std::string::npos);
  for (const auto& r : d.regions()) CHECK_FALSE(std::string(r.prov.licence).find("SA") != std::string::npos);
}

TEST_CASE("built-in tables: required hardware", "[unit]") {
  const co2e::Dataset d;
  for (const char* gpu :
       {"V100",  "A100 PCIe", "A100-PCIE-80GB", "A100",   "A100-80GB", "H100 PCIe", "H100",     "H200",
        "B200",  "L4",        "L40S",           "T4",     "A10",       "A10G",      "RTX 3090", "RTX 4090",
        "MI250", "MI300X",    "TPU v2",         "TPU v3", "TPU v4",    "TPU v5e",   "TPU v5p"}) {
    INFO(gpu);
    CHECK(d.find_gpu(gpu).ok());
  }
  for (const char* cpu : {"Ampere Altra Q80-30", "AWS Graviton3", "NVIDIA Grace", "Apple M2", "AMD EPYC 9654",
                          "AMD Ryzen 9 7950X", "Intel Core i7-1360P", "Xeon Platinum 8380"}) {
    INFO(cpu);
    CHECK(d.find_cpu(cpu).ok());
  }
  // Datasheet figures: A100 SXM 400 W, A100 PCIe 80GB 300 W, H100 SXM 700 W, T4 70 W, L4 72 W.
  CHECK((*d.find_gpu("A100"))->tdp_w == 400);
  CHECK((*d.find_gpu("A100-PCIE-80GB"))->tdp_w == 300);
  CHECK((*d.find_gpu("H100"))->tdp_w == 700);
  CHECK((*d.find_gpu("T4"))->tdp_w == 70);
  CHECK((*d.find_gpu("L4"))->tdp_w == 72);
  // Xeon Gold 6248: 150 W, 20 cores (Intel ARK).
  const auto* xeon = *d.find_cpu("Xeon Gold 6248");
  CHECK(xeon->tdp_w == 150);
  CHECK(xeon->cores == 20);
  CHECK(xeon->watts_per_core() == 7.5);
}

TEST_CASE("normalize_name", "[unit]") {
  CHECK(co2e::normalize_name("Intel(R) Xeon(R) Gold 6248 CPU @ 2.50GHz") == "intel xeon gold 6248");
  CHECK(co2e::normalize_name("AMD EPYC 7763 64-Core Processor") == "amd epyc 7763");
  CHECK(co2e::normalize_name("Intel® Xeon® 6732P Processor") == "intel xeon 6732p");
  CHECK(co2e::normalize_name("  A100-SXM4-80GB ") == "a100 sxm4 80gb");
}

TEST_CASE("edit_distance", "[unit]") {
  // kitten -> sitting: k/s, e/i, + g (the textbook example).
  CHECK(co2e::edit_distance("kitten", "sitting", 10) == 3);
  CHECK(co2e::edit_distance("--runtmie", "--runtime", 10) == 2);  // a transposition is two edits
  CHECK(co2e::edit_distance("", "abc", 10) == 3);
  CHECK(co2e::edit_distance("same", "same", 0) == 0);
  // Past the bound the answer is bound + 1, however far apart the words are.
  CHECK(co2e::edit_distance("kitten", "sitting", 2) == 3);
  CHECK(co2e::edit_distance("a", std::string(1000, 'b'), 5) == 6);
}

TEST_CASE("Dataset::find_cpu", "[unit]") {
  const co2e::Dataset d;
  CHECK((*d.find_cpu("Intel Xeon Gold 6248"))->name == "Intel Xeon Gold 6248");
  CHECK((*d.find_cpu("intel xeon gold 6248"))->name == "Intel Xeon Gold 6248");
  CHECK((*d.find_cpu("Intel(R) Xeon(R) Gold 6248 CPU @ 2.50GHz"))->name == "Intel Xeon Gold 6248");
  CHECK((*d.find_cpu("Xeon Gold 6248"))->name == "Intel Xeon Gold 6248");
  CHECK((*d.find_cpu("AMD EPYC 7763 64-Core Processor"))->name == "AMD EPYC 7763");
  CHECK((*d.find_cpu("EPYC 7763"))->name == "AMD EPYC 7763");
  const auto unknown = d.find_cpu("Xeon Gold 6249X");
  REQUIRE_FALSE(unknown.ok());
  CHECK_THAT(unknown.error().message, Contains("unknown CPU model \"Xeon Gold 6249X\""));
  CHECK_THAT(unknown.error().message, Contains("did you mean"));
  CHECK_FALSE(unknown.error().suggestions.empty());
  // A typo beside a model number: the suggestions are the rows with that number.
  const auto typo = d.find_gpu("Tesal V100");
  REQUIRE_FALSE(typo.ok());
  REQUIRE_FALSE(typo.error().suggestions.empty());
  for (const auto& s : typo.error().suggestions) CHECK_THAT(s, Contains("V100"));
  const auto typo_cpu = d.find_cpu("Inetl Xeon Gold 6248");
  REQUIRE_FALSE(typo_cpu.ok());
  REQUIRE_FALSE(typo_cpu.error().suggestions.empty());
  CHECK(typo_cpu.error().suggestions.front() == "Intel Xeon Gold 6248");
  const auto ambiguous = d.find_cpu("Xeon Gold");
  REQUIRE_FALSE(ambiguous.ok());
  CHECK_THAT(ambiguous.error().message, Contains("is ambiguous"));
  CHECK_THAT(d.find_cpu("").error().message, Contains("empty CPU model"));
}

TEST_CASE("Dataset: after 1000 unknown names, errors come without suggestions (bounded cost)", "[unit]") {
  const co2e::Dataset d;
  auto first = d.find_cpu("Xeon Gold 6249X");
  REQUIRE_FALSE(first.ok());
  CHECK_FALSE(first.error().suggestions.empty());
  for (int i = 0; i < 1000; ++i) REQUIRE_FALSE(d.find_gpu("zz" + std::to_string(i)).ok());  // the budget is shared
  auto later = d.find_cpu("Xeon Gold 6249X");
  REQUIRE_FALSE(later.ok());
  CHECK(later.error().suggestions.empty());
  CHECK(later.error().message ==
        "unknown CPU model \"Xeon Gold 6249X\" (see `co2e list cpus --match TEXT`; or give watts per core with "
        "--core-power, or add the model with --data FILE)");
  auto region = d.find_region("Narnia");
  REQUIRE_FALSE(region.ok());
  CHECK(region.error().suggestions.empty());
  CHECK_THAT(region.error().message, Catch::StartsWith("unknown region \"Narnia\" (accepted: ISO country code"));
  // Known names are unaffected.
  CHECK((*d.find_cpu("Xeon Gold 6248"))->name == "Intel Xeon Gold 6248");
}

TEST_CASE("Dataset::find_region", "[unit]") {
  const co2e::Dataset d;
  CHECK(d.find_region("FR")->grid->code == "FR");
  CHECK(d.find_region("FRA")->grid->code == "FR");
  CHECK(d.find_region("France")->grid->code == "FR");
  CHECK(d.find_region("us-ca")->grid->code == "US-CA");
  CHECK(d.find_region("UK")->grid->code == "GB");
  CHECK(d.find_region("United Kingdom")->grid->code == "GB");
  CHECK(d.find_region("CA-QC")->grid->country == "CA");
  CHECK(d.find_region("AU-NSW")->grid->country == "AU");
  // Ember, Yearly Electricity Data 2025 release, "World" 2024: 472.94 gCO2e/kWh (lifecycle).
  CHECK(d.find_region("WORLD")->grid->intensity_g_per_kwh == 472.94);
  const auto aws = d.find_region("aws:eu-west-3");
  REQUIRE(aws.ok());
  CHECK(aws->cloud->provider == "aws");
  CHECK(aws->grid->code == "FR");
  CHECK(d.find_region("AWS/eu-west-3")->cloud->code == "aws:eu-west-3");
  CHECK(d.find_region("eu-west-3")->cloud->code == "aws:eu-west-3");  // only AWS has that name
  CHECK(d.find_region("aws:us-east-1")->grid->code == "US-VA");
  const auto bad = d.find_region("Frnace");
  REQUIRE_FALSE(bad.ok());
  CHECK_THAT(bad.error().message, Contains("unknown region \"Frnace\"; did you mean"));
  CHECK_THAT(bad.error().message, Contains("France"));
  // EU is compare's group of countries, not a region: the message names Ember's EU average.
  const auto eu = d.find_region("EU");
  REQUIRE_FALSE(eu.ok());
  CHECK_THAT(eu.error().message, Contains("group of countries EMBER-EU27 or WORLD"));
  CHECK(d.find_region("ember-eu27")->grid->kind == "aggregate");
}

// Figures checked by hand against the upstream publications (data/SOURCES.md), so that a wrong
// transcription or unit conversion in scripts/build_data.py fails here.
TEST_CASE("built-in tables: grid figures against their publications", "[unit]") {
  const co2e::Dataset d;
  auto grid = [&](const char* code) -> const co2e::Region& {
    auto m = d.find_region(code);
    REQUIRE(m.ok());
    return *m->grid;
  };
  SECTION("Ember 2025 release: countries, the world, groups of countries (lifecycle)") {
    CHECK(grid("GB").intensity_g_per_kwh == 215.79);  // United Kingdom 2024
    CHECK(grid("GB").prov.year == 2024);
    CHECK(grid("GB").basis == "lifecycle");
    CHECK(grid("XK").name == "Kosovo");  // new in this release: 958.72 (2024)
    CHECK(grid("XK").intensity_g_per_kwh == 958.72);
    const auto& eu = grid("EMBER-EU27");  // Ember's "EU", 2024
    CHECK(eu.kind == "aggregate");
    CHECK(eu.intensity_g_per_kwh == 213.02);
    CHECK(eu.basis == "lifecycle");
    CHECK(grid("EMBER-ASIA").intensity_g_per_kwh == 572.12);
    CHECK(grid("EMBER-EUROPE").intensity_g_per_kwh == 285);
    // The same release for the world, its groups and its countries.
    CHECK(grid("WORLD").prov.release == eu.prov.release);
    CHECK(grid("FR").prov.release == eu.prov.release);
    // Places Ember lacks keep their older OWID figure and say so.
    CHECK_THAT(std::string(grid("GI").prov.note), Contains("old figure kept"));
  }
  SECTION("EPA eGRID2023 rev. 2: CO2 output rate, lb/MWh x 0.45359237 (direct)") {
    // Virginia, ST23 STCO2RTA 536.851 lb/MWh: 536.851 x 0.45359237 = 243.512 g/kWh.
    CHECK(grid("US-VA").intensity_g_per_kwh == Approx(243.51).margin(0.005));
    CHECK(grid("US-VA").basis == "direct");
    CHECK(grid("US-VA").prov.year == 2023);
    // Subregion SRVC, SRL23 SRCO2RTA 593.419 lb/MWh = 269.170 g/kWh; Vermont 42.981 lb/MWh = 19.496.
    CHECK(grid("US-SRVC").intensity_g_per_kwh == Approx(269.17).margin(0.005));
    CHECK(grid("US-VT").intensity_g_per_kwh == Approx(19.50).margin(0.005));
    CHECK(grid("US-SRVC").country == "US");
  }
  SECTION("ECCC 2026, Table 5.4: consumption intensity, data year 2024 (direct)") {
    CHECK(grid("CA-QC").intensity_g_per_kwh == 2.6);
    CHECK(grid("CA-AB").intensity_g_per_kwh == 346);
    CHECK(grid("CA-ON").intensity_g_per_kwh == 73);
    CHECK(grid("CA-ON").prov.year == 2024);
    CHECK(grid("CA-ON").basis == "direct");
    CHECK(grid("CA-ON").prov.licence == "OGL-Canada-2.0");
  }
}

TEST_CASE("Dataset::add_json: user rows add and override, with provenance", "[unit]") {
  co2e::Dataset d;
  const auto err = d.add_json(R"({"cpus": [{"name": "Acme Hyper 9000", "tdp_w": 96, "cores": 48}],
                                  "gpus": [{"name": "NVIDIA A100 SXM4 40GB", "tdp_w": 350, "source": "our measurement", "year": 2024}],
                                  "providers": [{"id": "mydc", "pue": 1.3}],
                                  "cloud_regions": [{"code": "aws:xx-test-1", "provider": "aws", "location": "FR"}]})",
                              "site.json");
  REQUIRE_FALSE(err.has_value());
  const auto* acme = *d.find_cpu("Acme Hyper 9000");
  CHECK(acme->watts_per_core() == 2);
  CHECK(acme->prov.origin == "site.json");
  CHECK(acme->prov.source == "site.json");
  const auto* replaced = *d.find_gpu("A100");  // the replaced row's aliases still lead to it
  CHECK(replaced->tdp_w == 350);
  CHECK(replaced->prov.source == "our measurement");
  CHECK((*d.find_provider("mydc"))->pue == 1.3);
  CHECK(d.find_region("aws:xx-test-1")->grid->code == "FR");
}

TEST_CASE("Dataset::add_json: errors name the file, table, row and field", "[unit]") {
  co2e::Dataset d;
  auto msg = [&](const char* json) {
    auto e = d.add_json(json, "user.json");
    REQUIRE(e.has_value());
    CHECK(e->kind == co2e::ErrorKind::data);
    return e->message;
  };
  CHECK_THAT(msg("{"), Contains("user.json: not valid JSON"));
  CHECK_THAT(msg("[]"), Contains("must be a JSON object"));
  CHECK_THAT(msg(R"({"cpu": []})"), Contains("unknown table \"cpu\""));
  CHECK_THAT(msg(R"({"cpus": [{"name": "X", "tdp_w": -1, "cores": 4}]})"),
             Contains("user.json: cpus row 1: \"tdp_w\" -1 is out of range"));
  CHECK_THAT(msg(R"({"cpus": [{"name": "X", "tdp_w": 10}]})"), Contains("cpus row 1: \"cores\" is missing"));
  CHECK_THAT(msg(R"({"cpus": [{"name": "X", "tdp_w": 10, "cores": 2, "tpd": 3}]})"),
             Contains("\"tpd\" is not a field of this table"));
  CHECK_THAT(msg(R"({"gpus": [{"name": "X", "tdp_w": "300"}]})"), Contains("\"tdp_w\" must be a number"));
  CHECK_THAT(msg(R"({"providers": [{"id": "x", "pue": 0.5}]})"), Contains("\"pue\" 0.5 is out of range"));
  CHECK_THAT(msg(R"({"cloud_regions": [{"code": "aws:zz", "provider": "aws", "location": "XX"}]})"),
             Contains("location \"XX\" is not a region code"));
  CHECK_THAT(msg(R"({"schema_version": 2})"), Contains("schema_version 2 is not supported"));
  CHECK_THAT(msg(R"({"regions": [{"code": "NORDIC", "name": "Nordic", "kind": "group", "intensity_g_per_kwh": 30}]})"),
             Contains("regions row 1: \"kind\" \"group\" is not one of world, aggregate, country, subdivision"));
}

TEST_CASE("Dataset::add_json: a user's group of countries is an aggregate row", "[unit]") {
  co2e::Dataset d;
  const auto err = d.add_json(
      R"({"regions": [{"code": "NORDIC", "name": "Nordic countries", "kind": "aggregate", "intensity_g_per_kwh": 30}]})",
      "site.json");
  REQUIRE_FALSE(err.has_value());
  const auto m = d.find_region("nordic");
  REQUIRE(m.ok());
  CHECK(m->grid->kind == "aggregate");
  CHECK(m->grid->intensity_g_per_kwh == 30);
}

TEST_CASE("Dataset::find_cpu and find_gpu: the scan and the index agree", "[unit]") {
  // The first lookups of a Dataset scan the rows; later ones use an index. Both must answer alike.
  const co2e::Dataset warm;
  for (int i = 0; i < 8; ++i) (void)warm.find_cpu("warm-up"), (void)warm.find_gpu("warm-up");
  for (const char* q : {"Intel Xeon Gold 6248", "Xeon Gold 6248", "EPYC 7763", "Graviton3", "Xeon Gold", "i7-1360P"}) {
    const co2e::Dataset cold;
    const auto a = cold.find_cpu(q);
    const auto b = warm.find_cpu(q);
    INFO(q);
    REQUIRE(a.ok() == b.ok());
    if (a.ok())
      CHECK((*a)->name == (*b)->name);
    else
      CHECK(a.error().message == b.error().message);
  }
  for (const char* q : {"A100", "a100-80gb", "H100 PCIe", "NVIDIA H100 SXM5 80GB", "TPU v4", "RTX 4090", "A1000"}) {
    const co2e::Dataset cold;
    const auto a = cold.find_gpu(q);
    const auto b = warm.find_gpu(q);
    INFO(q);
    REQUIRE(a.ok() == b.ok());
    if (a.ok())
      CHECK((*a)->name == (*b)->name);
    else
      CHECK(a.error().message == b.error().message);
  }
}
