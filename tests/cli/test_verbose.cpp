// -v / --verbose and CO2E_LOG, black-box: explanations go to stderr only; stdout does not change by
// one byte, and without them stderr stays as it was.
#include <catch2/catch.hpp>
#include <string>
#include <vector>

#include "support.hpp"

using Catch::Matchers::Contains;
using co2e::test::fixture;
using co2e::test::run_co2e;
using co2e::test::TempDir;

namespace {

const std::vector<std::string> kEstimate{"estimate",       "--runtime", "2h",  "--cores",  "4", "--cpu",
                                         "xeon gold 6248", "--memory",  "16G", "--region", "UK"};

std::vector<std::string> with(std::vector<std::string> args, const std::string& extra) {
  args.push_back(extra);
  return args;
}

}  // namespace

TEST_CASE("verbose (-v): estimate explains its matches on stderr, stdout unchanged", "[cli]") {
  const auto quiet = run_co2e(kEstimate);
  REQUIRE(quiet.exit_code == 0);
  CHECK(quiet.err.empty());
  for (const std::string flag : {"-v", "--verbose"}) {
    const auto loud = run_co2e(with(kEstimate, flag));
    INFO(flag << "\n" << loud.err);
    CHECK(loud.exit_code == 0);
    CHECK(loud.out == quiet.out);
    CHECK_THAT(loud.err, Contains("co2e: debug: CPU model \"xeon gold 6248\" matched the row \"Intel Xeon Gold 6248\" "
                                  "by an alias or the name without vendor"));
    CHECK_THAT(loud.err, Contains("co2e: debug: region \"UK\": ISO 3166 reserves it for GB"));
    CHECK_THAT(loud.err, Contains("co2e: debug: region \"GB\" matched GB (United Kingdom) by code"));
    CHECK_THAT(loud.err, Contains("co2e: info: co2e estimate took "));
  }
  SECTION("before the command too") {
    auto args = kEstimate;
    args.insert(args.begin(), "-v");
    const auto loud = run_co2e(args);
    CHECK(loud.out == quiet.out);
    CHECK_THAT(loud.err, Contains("matched the row \"Intel Xeon Gold 6248\""));
  }
}

TEST_CASE("CO2E_LOG: levels, and a bad level is a usage error", "[cli]") {
  const auto quiet = run_co2e(kEstimate);
  SECTION("info: files and timings, not the decisions") {
    TempDir dir;
    const std::string data = dir.write("site.json", R"({"providers": [{"id": "mydc", "pue": 1.3}]})");
    const auto r = run_co2e(kEstimate, "", {"CO2E_LOG=info", "CO2E_DATA=" + data});
    CHECK(r.exit_code == 0);
    CHECK(r.out == quiet.out);
    CHECK_THAT(r.err, Contains("co2e: info: read " + data + " ("));
    CHECK_THAT(r.err, Contains("co2e: info: loading the data tables (1 user file) took "));
    CHECK_THAT(r.err, !Contains("debug"));
  }
  SECTION("debug is -v") {
    const auto r = run_co2e(kEstimate, "", {"CO2E_LOG=debug"});
    CHECK(r.out == quiet.out);
    CHECK_THAT(r.err, Contains("co2e: debug: CPU model \"xeon gold 6248\""));
  }
  SECTION("off, or empty: nothing") {
    CHECK(run_co2e(kEstimate, "", {"CO2E_LOG=off"}).err.empty());
    CHECK(run_co2e(kEstimate, "", {"CO2E_LOG="}).err.empty());
  }
  SECTION("not a level") {
    const auto r = run_co2e(kEstimate, "", {"CO2E_LOG=loud"});
    CHECK(r.exit_code == 2);
    CHECK(r.out.empty());
    CHECK(r.err == "co2e: error: CO2E_LOG \"loud\": accepted: trace, debug, info, warn, error, critical, off\n");
  }
}

TEST_CASE("verbose (-v): batch names its input, stdout unchanged", "[cli]") {
  const std::string input = fixture("batch/good_basic.csv");
  const auto quiet = run_co2e({"batch", input});
  const auto loud = run_co2e({"batch", input, "-v"});
  REQUIRE(quiet.exit_code == 0);
  CHECK(loud.exit_code == 0);
  CHECK(loud.out == quiet.out);
  CHECK_THAT(loud.err, Contains("co2e: info: reading " + input + " ("));
  CHECK_THAT(loud.err, Contains("co2e: info: co2e batch took "));
}

TEST_CASE("verbose (-v): run says which method each component used and why better ones were unavailable", "[cli]") {
  TempDir dir;
  const std::vector<std::string> env{"CO2E_POWERCAP_ROOT=" + dir.path() + "/no-powercap", "CO2E_NVML_LIBRARY="};
  const auto r = run_co2e({"run", "-v", "--core-power", "10", "-q", "--", "true"}, "", env);
  INFO(r.err);
  CHECK(r.exit_code == 0);
  CHECK(r.out.empty());
  CHECK_THAT(r.err, Contains("co2e: debug: run: CPU method flag: 10 W per core (--core-power) x CPU time; better ones "
                             "unavailable: RAPL unavailable: "));
  CHECK_THAT(r.err, Contains("co2e: debug: run: GPU method none; better ones unavailable: NVML disabled"));
}
