// Black-box tests of the Markdown summaries for CI: `estimate --format markdown`,
// `run --format markdown` and `run --summary-file FILE` (appended, as $GITHUB_STEP_SUMMARY wants).
#include <catch2/catch.hpp>
#include <fstream>

#include "support.hpp"

namespace t = co2e::test;
using Catch::Matchers::Contains;
using Catch::Matchers::StartsWith;

namespace {

/// No RAPL, no NVML: the run is measured from CPU time and a stated power.
std::vector<std::string> run_env(const t::TempDir& d) {
  return {"CO2E_POWERCAP_ROOT=" + d.path() + "/no-powercap", "CO2E_NVML_LIBRARY="};
}

}  // namespace

TEST_CASE("estimate --format markdown: the Green Algorithms worked example as a summary table", "[cli]") {
  // 12 cores x 7.5 W x 12 h = 1.08 kWh; 64 GB x 0.3725 W/GB x 12 h = 0.28608 kWh; sum 1.36608 kWh;
  // x PUE 1.56 = 2.1311 kWh; x 231.12 g/kWh = 492.54 g (Lannelongue et al. 2021, the calculator's example).
  const auto r = t::run_co2e({"estimate", "--runtime", "12h", "--cores", "12", "--core-power", "7.5", "--memory", "64G",
                              "--pue", "1.56", "--intensity", "231.12", "--format", "markdown"});
  REQUIRE(r.exit_code == 0);
  CHECK_THAT(r.out, StartsWith("| co2e estimate | |\n|---|---|\n"));
  CHECK_THAT(r.out, Contains("| **Carbon footprint** | **492.5 g CO2e**, range 411.5 g to 555.5 g |\n"));
  // memory at 0.08 to 0.6 W/GB (the default's range): 1.56 × (1.08 + 64 × 12 × 0.08 / 1000) = 1.781 kWh to
  // 1.56 × (1.08 + 0.4608) = 2.404 kWh.
  CHECK_THAT(r.out, Contains("| Energy | 2.131 kWh, range 1.781 kWh to 2.404 kWh |\n"));
  CHECK_THAT(r.out,
             Contains("| CPU | 1.08 kWh per run before PUE (79.1%): 144 core-hours x 7.5 W |\n"));  // 1.08 / 1.36608
  CHECK_THAT(r.out, Contains("| Memory | 286.1 Wh per run before PUE (20.9%): 64 GB x 0.3725 W/GB |\n"));
  CHECK_THAT(r.out, Contains("| PUE | 1.56 |\n"));
  CHECK_THAT(r.out, Contains("| Grid | 231.12 gCO2e/kWh (--intensity) |\n"));
  // Nothing silent: the assumptions follow, folded.
  CHECK_THAT(r.out, Contains("<details><summary>Assumptions and sources</summary>"));
  // md is accepted as a short name; an unknown format lists markdown.
  CHECK(t::run_co2e({"estimate", "--runtime", "1h", "--cores", "1", "--format", "md"}).exit_code == 0);
  const auto bad = t::run_co2e({"estimate", "--runtime", "1h", "--cores", "1", "--format", "html"});
  CHECK(bad.exit_code == 2);
  CHECK_THAT(bad.err, Contains("--format: \"html\" is not a format (accepted: text, json, csv, markdown, latex)"));
}

TEST_CASE("run --format markdown and --summary-file: a table on stderr, and one appended to the file", "[cli]") {
  t::TempDir d;
  const std::string summary = d.write("summary.md", "# Earlier step\n\n");
  auto args = std::vector<std::string>{"run", "--core-power",   "10",    "--pue",    "1.5",      "--intensity",
                                       "200", "--summary-file", summary, "--format", "markdown", "--",
                                       "true"};
  auto r = t::run_co2e(args, "", run_env(d));
  REQUIRE(r.exit_code == 0);
  CHECK_THAT(r.err, StartsWith("| co2e run | `true` |\n|---|---|\n"));
  CHECK_THAT(r.err, Contains("| Ended | exited with status 0 after"));
  CHECK_THAT(r.err, Contains("| PUE | 1.5"));
  CHECK_THAT(r.err, Contains("| Grid | 200 gCO2e/kWh"));
  // Appended after what was there, once per run: two runs, two tables.
  r = t::run_co2e(args, "", run_env(d));
  REQUIRE(r.exit_code == 0);
  const std::string text = t::read_file(summary);
  CHECK_THAT(text, StartsWith("# Earlier step\n\n| co2e run | `true` |\n"));
  std::size_t tables = 0;
  for (auto at = text.find("| co2e run |"); at != std::string::npos; at = text.find("| co2e run |", at + 1)) ++tables;
  CHECK(tables == 2);
  // The file is checked before the command starts: a bad path is exit 125 and the command never runs.
  const std::string marker = d.path() + "/ran";
  r = t::run_co2e({"run", "--summary-file", d.path() + "/no/such/dir/s.md", "--", "touch", marker}, "", run_env(d));
  CHECK(r.exit_code == 125);
  CHECK_THAT(r.err, Contains("--summary-file \"" + d.path() + "/no/such/dir/s.md\": No such file or directory"));
  CHECK(t::read_file(marker).empty());
  CHECK_FALSE(std::ifstream(marker).good());
}
