// Black-box tests of issue 12's "every input says where it came from" and "nothing silent":
// origins (flag, environment variable, batch column, cluster file) in text and JSON, errors named
// by origin, empty configuration files, overrides said, zero counts, known energy and --budget.
#include <catch2/catch.hpp>
#include <nlohmann/json.hpp>

#include "support.hpp"

using Catch::Matchers::Contains;
using Catch::Matchers::StartsWith;
using co2e::test::run_co2e;
using co2e::test::TempDir;

namespace {
// 1 core x 10 W x 1 h = 10 Wh before PUE.
const std::vector<std::string> kSmall{"estimate", "--runtime", "1h", "--cores", "1", "--core-power", "10"};
std::vector<std::string> with(std::vector<std::string> base, std::initializer_list<std::string> more) {
  base.insert(base.end(), more);
  return base;
}
bool has(const std::string& text, const std::string& part) { return text.find(part) != std::string::npos; }
}  // namespace

TEST_CASE("cli origins: an environment variable is reported as such, in text and JSON", "[cli]") {
  // Before: "PUE 2 given with --pue" although --pue was never typed (CLI11 reads CO2E_PUE into it).
  auto r = run_co2e(kSmall, "", {"CO2E_PUE=2", "CO2E_INTENSITY=100"});
  REQUIRE(r.exit_code == 0);
  CHECK_THAT(r.out, Contains("  - PUE 2 from CO2E_PUE\n"));
  CHECK_THAT(r.out, Contains("Grid 100 gCO2e/kWh: from CO2E_INTENSITY\n"));
  CHECK_THAT(r.out, Contains("  - emission factor 100 gCO2e/kWh from CO2E_INTENSITY: its basis"));
  CHECK_FALSE(has(r.out, "given with --pue"));

  r = run_co2e(with(kSmall, {"--format", "json"}), "", {"CO2E_PUE=2"});
  REQUIRE(r.exit_code == 0);
  auto j = nlohmann::json::parse(r.out);
  CHECK(j["schema_version"] == 2);
  CHECK(j["inputs"]["origins"]["pue"] == nlohmann::json({{"origin", "env"}, {"name", "CO2E_PUE"}}));
  CHECK(j["inputs"]["origins"]["runtime"] == nlohmann::json({{"origin", "flag"}, {"name", "--runtime"}}));
  CHECK(j["inputs"]["origins"]["core_power"]["name"] == "--core-power");
  CHECK_FALSE(j["inputs"]["origins"].contains("intensity"));  // not given: from the tables (inputs.grid.source)
  CHECK(j["energy_kwh"].get<double>() == Approx(0.02));       // 10 Wh x PUE 2

  // A typed flag wins over the variable and is reported as the flag, in both spellings.
  for (const auto& pue : {std::vector<std::string>{"--pue", "1.5"}, std::vector<std::string>{"--pue=1.5"}}) {
    auto args = with(kSmall, {"--format", "json"});
    args.insert(args.end(), pue.begin(), pue.end());
    r = run_co2e(args, "", {"CO2E_PUE=2"});
    REQUIRE(r.exit_code == 0);
    j = nlohmann::json::parse(r.out);
    CHECK(j["pue"] == 1.5);
    CHECK(j["inputs"]["origins"]["pue"]["origin"] == "flag");
  }
}

TEST_CASE("cli origins: errors name the input as it was given", "[cli]") {
  auto r = run_co2e({"estimate", "--runtime", "1h"}, "", {"CO2E_CORE_POWER=5"});
  CHECK(r.exit_code == 2);
  CHECK(r.err == "co2e: error: CO2E_CORE_POWER needs --cores (or --core-hours): how many cores ran?\n");
  r = run_co2e({"estimate", "--runtime", "1h", "--cores", "1"}, "", {"CO2E_PUE=0.5"});
  CHECK(r.exit_code == 2);
  CHECK_THAT(r.err, StartsWith("co2e: error: CO2E_PUE \"0.5\" is below 1"));
  r = run_co2e({"estimate", "--runtime", "1h", "--cores", "1"}, "", {"CO2E_REGION=Atlantis"});
  CHECK(r.exit_code == 2);
  CHECK_THAT(r.err, StartsWith("co2e: error: CO2E_REGION: unknown region \"Atlantis\""));
  r = run_co2e({"estimate", "--runtime", "1h", "--cores", "1"}, "", {"CO2E_BUDGET=12"});
  CHECK(r.exit_code == 2);
  CHECK_THAT(r.err, StartsWith("co2e: error: CO2E_BUDGET: \"12\": add a unit"));
}

TEST_CASE("cli origins: batch rows name columns, and defaults by their flag or variable", "[cli]") {
  TempDir dir;
  const auto csv = dir.write("runs.csv", "name,cores,core_power\na,2,\nb,,5\n");
  // Row 1 has no runtime column and no default: named as a column. Row 2's core power needs cores.
  auto r = run_co2e({"batch", csv});
  CHECK(r.exit_code == 2);
  CHECK_THAT(r.err, Contains("no column gives the time of each run"));
  r = run_co2e({"batch", csv, "--runtime", "1h"});
  CHECK(r.exit_code == 2);
  // Never a flag that was not typed: the columns' names.
  CHECK_THAT(r.out, Contains(",error,row 2: core_power needs cores (or core_hours): how many cores ran?\n"));
  // A default from the environment that breaks a row is named by its variable (main said "cpu",
  // a column the file does not have).
  const auto csv2 = dir.write("runs2.csv", "name,cores,runtime\na,2,1h\n");
  r = run_co2e({"batch", csv2}, "", {"CO2E_CPU=Xeon Nonexistent 9999"});
  CHECK(r.exit_code == 2);
  CHECK_THAT(r.out, Contains("\"row 1: CO2E_CPU: unknown CPU model \"\"Xeon Nonexistent 9999\"\""));
  const auto csv3 = dir.write("runs3.csv", "name,memory_gb\na,8\n");
  r = run_co2e({"batch", csv3, "--gpu-hours", "10"});
  // The header's own name (memory_gb), and runtime named as the column it would be.
  CHECK_THAT(r.out, Contains(",error,row 1: memory_gb needs runtime: memory energy is memory x power per GB x wall "
                             "time\n"));
}

TEST_CASE("cli origins: slurm says where the cluster's PUE and intensity came from", "[cli]") {
  const std::string cluster = co2e::test::fixture("slurm/good_cluster.json");
  const std::string sacct = co2e::test::fixture("slurm/good_basic.txt");
  auto r = run_co2e({"slurm", "--cluster", cluster, "--sacct-file", sacct});
  REQUIRE(r.exit_code == 0);
  CHECK_THAT(r.out, Contains("PUE 1.5 (from " + cluster + " (pue))"));
  CHECK_THAT(r.out, Contains("200 gCO2e/kWh (from " + cluster + " (intensity_g_per_kwh))"));
  r = run_co2e({"slurm", "--cluster", cluster, "--sacct-file", sacct}, "", {"CO2E_PUE=1.3"});
  REQUIRE(r.exit_code == 0);
  CHECK_THAT(r.out, Contains("PUE 1.3 (from CO2E_PUE)"));
  CHECK_THAT(r.out, Contains("CO2E_PUE replaces the cluster file's pue 1.5"));
  r = run_co2e({"slurm", "--cluster", cluster, "--sacct-file", sacct, "--intensity", "100", "--format", "json"}, "",
               {"CO2E_PUE=1.3"});
  REQUIRE(r.exit_code == 0);
  const auto c = nlohmann::json::parse(r.out)["cluster"];
  CHECK(c["pue_origin"] == nlohmann::json({{"origin", "env"}, {"name", "CO2E_PUE"}}));
  CHECK(c["intensity_origin"] == nlohmann::json({{"origin", "flag"}, {"name", "--intensity"}}));
  REQUIRE(c["overrides"].size() == 2);
  CHECK(c["overrides"][1] == nlohmann::json({{"key", "intensity_g_per_kwh"},
                                             {"file_value", "200"},
                                             {"by", {{"origin", "flag"}, {"name", "--intensity"}}}}));
}

TEST_CASE("cli origins: an empty configuration or data file is an error, exit 3, never defaults", "[cli]") {
  TempDir dir;
  const auto empty = dir.write("empty.json", "");
  const auto blank = dir.write("blank.json", " \n\t\n");
  const std::string sacct = co2e::test::fixture("slurm/good_basic.txt");
  for (const auto& f : {empty, blank}) {
    INFO(f);
    // Before: an empty --cluster gave PUE 1.56, the world's grid and 12 W per core, silently.
    auto r = run_co2e({"slurm", "--cluster", f, "--sacct-file", sacct});
    CHECK(r.exit_code == 3);
    CHECK(r.out.empty());
    CHECK(r.err == "co2e: error: " + f +
                       ": the file is empty: a cluster description is a JSON object (co2e slurm init writes a "
                       "template); without --cluster, co2e's defaults are used\n");
    r = run_co2e({"--data", f, "estimate", "--runtime", "1h", "--cores", "1"});
    CHECK(r.exit_code == 3);
    CHECK(r.err == "co2e: error: --data: " + f +
                       ": the file is empty: a data file is a JSON object of tables (see docs/data-schema.md)\n");
    r = run_co2e({"estimate", "--runtime", "1h", "--cores", "1"}, "", {"CO2E_DATA=" + f});
    CHECK(r.exit_code == 3);
    CHECK_THAT(r.err, StartsWith("co2e: error: CO2E_DATA: " + f + ": the file is empty"));
    r = run_co2e(
        {"estimate", "--runtime", "1h", "--cores", "1", "--start", "2024-01-01T00:00Z", "--intensity-series", f});
    CHECK(r.exit_code == 3);
    CHECK(r.err == "co2e: error: --intensity-series: " + f + ": the file is empty\n");
  }
}

TEST_CASE("cli origins: overrides are said", "[cli]") {
  auto r = run_co2e(with(kSmall, {"--intensity", "100", "--region", "FR", "--format", "json"}));
  REQUIRE(r.exit_code == 0);
  auto j = nlohmann::json::parse(r.out);
  CHECK(j["intensity_g_per_kwh"] == 100);
  const auto notes = j["assumptions"].dump();
  CHECK(has(notes, "--intensity overrides the 44.18 gCO2e/kWh of France (FR)"));  // data/regions: FR 44.18
  // PUE defaults (data/providers.json): cloud 1.2, aws 1.2 (Green Algorithms defaults_PUE.csv).
  r = run_co2e(with(kSmall, {"--pue", "1.1", "--platform", "cloud"}));
  CHECK_THAT(r.out, Contains("  - --pue overrides the default PUE 1.2 of platform \"cloud\"\n"));
  r = run_co2e(with(kSmall, {"--provider", "gcp", "--platform", "cloud"}));
  CHECK_THAT(r.out, Contains("  - --provider overrides the default PUE 1.2 of platform \"cloud\"\n"));
  r = run_co2e(with(kSmall, {"--platform", "cloud"}), "", {"CO2E_PUE=1.1"});
  CHECK_THAT(r.out, Contains("  - CO2E_PUE overrides the default PUE 1.2 of platform \"cloud\"\n"));
  r = run_co2e(with(kSmall, {"--pue", "1.1", "--provider", "aws"}));
  CHECK_THAT(r.out, Contains("  - --pue overrides the default PUE 1.2 of Amazon Web Services\n"));
  r = run_co2e(with(kSmall, {"--pue", "1.1", "--region", "aws:eu-west-3"}));
  CHECK_THAT(r.out, Contains("  - --pue overrides the PUE of cloud region aws:eu-west-3"));
}

TEST_CASE("cli zero counts: --gpus 0 and --cores 0 mean none of these", "[cli]") {
  // 2 cores x 10 W x 1 h = 20 Wh; PUE 1; 100 g/kWh = 2 g. The A100 contributes nothing.
  const std::vector<std::string> base{"estimate",     "--runtime",   "1h",    "--cores",  "2",
                                      "--core-power", "10",          "--pue", "1",        "--gpu",
                                      "A100",         "--intensity", "100",   "--format", "json"};
  auto r = run_co2e(with(base, {"--gpus", "0"}));
  REQUIRE(r.exit_code == 0);
  auto j = nlohmann::json::parse(r.out);
  CHECK(j["energy_kwh"].get<double>() == Approx(0.02));
  CHECK(j["gpu_kwh"] == 0);
  CHECK(
      has(j["assumptions"].dump(), "--gpus 0: no GPU counted, its part is 0 (the NVIDIA A100 SXM4 40GB is not used)"));
  r = run_co2e(with(base, {}), "", {"CO2E_GPUS=0"});
  REQUIRE(r.exit_code == 0);
  j = nlohmann::json::parse(r.out);
  CHECK(j["energy_kwh"].get<double>() == Approx(0.02));
  CHECK(has(j["assumptions"].dump(), "CO2E_GPUS 0: no GPU counted"));
  // --cores 0 with GPUs: 1 GPU x 300 W x 1 h = 0.3 kWh, no CPU.
  r = run_co2e({"estimate", "--runtime", "1h", "--cores", "0", "--gpus", "1", "--gpu-power", "300", "--pue", "1",
                "--intensity", "100", "--format", "json"});
  REQUIRE(r.exit_code == 0);
  j = nlohmann::json::parse(r.out);
  CHECK(j["energy_kwh"].get<double>() == Approx(0.3));
  CHECK(j["cpu_kwh"] == 0);
  CHECK_FALSE(has(j["assumptions"].dump(), "no CPU given"));  // the user said: no CPU
  r = run_co2e({"estimate", "--runtime", "1h", "--gpus", "-1"});
  CHECK(r.exit_code == 2);
  CHECK_THAT(r.err, StartsWith("co2e: error: --gpus \"-1\" must be at least 0"));
}

TEST_CASE("cli zero counts: batch rows with 0 in gpus or cores are valid", "[cli]") {
  TempDir dir;
  // CPU-only and GPU-only rows in the same columns. Row 1: 4 x 10 W x 2 h = 80 Wh; row 2: 1 x 300 W
  // x 1 h = 300 Wh; PUE 1, 100 g/kWh.
  const auto csv =
      dir.write("mixed.csv", "name,runtime,cores,core_power,gpus,gpu_power\ncpu,2h,4,10,0,300\ngpu,1h,0,10,1,300\n");
  auto r = run_co2e({"batch", csv, "--pue", "1", "--intensity", "100", "--format", "jsonl"});
  REQUIRE(r.exit_code == 0);
  const auto nl = r.out.find('\n');
  const auto a = nlohmann::json::parse(r.out.substr(0, nl));
  const auto b = nlohmann::json::parse(r.out.substr(nl + 1));
  CHECK(a["status"] == "ok");
  CHECK(a["energy_kwh"].get<double>() == Approx(0.08));
  CHECK(b["status"] == "ok");
  CHECK(b["energy_kwh"].get<double>() == Approx(0.3));
}

TEST_CASE("cli zero counts: when accepts --gpus 0", "[cli]") {
  TempDir dir;
  const auto series = dir.write("s.csv",
                                "timestamp,intensity_g_per_kwh\n2024-01-01T00:00Z,100\n2024-01-01T01:00Z,50\n"
                                "2024-01-01T02:00Z,80\n2024-01-01T03:00Z,80\n");
  const auto r = run_co2e({"when", "--runtime", "1h", "--cores", "1", "--core-power", "10", "--gpus", "0",
                           "--intensity-series", series, "--now", "2024-01-01T00:00Z", "--format", "json"});
  CHECK(r.exit_code == 0);
  CHECK(r.err.empty());
}

TEST_CASE("cli known energy: --energy, --power and --energy-scope", "[cli]") {
  // GPT-3 (Patterson et al. 2021): 1,287 MWh at 429 gCO2e/kWh = 1,287,000 x 429 g = 552,123 kg.
  auto r = run_co2e({"estimate", "--energy", "1287MWh", "--intensity", "429", "--pue", "1", "--format", "json"});
  REQUIRE(r.exit_code == 0);
  auto j = nlohmann::json::parse(r.out);
  CHECK(j["co2e_kg"].get<double>() == Approx(552123));
  CHECK(j["energy_kwh"].get<double>() == Approx(1287000));
  CHECK(j["known_kwh"].get<double>() == Approx(1287000));
  CHECK(j["inputs"]["energy"]["source"] == "energy");
  CHECK(j["inputs"]["energy"]["scope"] == "it");
  // Facility scope: the PUE is in the figure already and is not applied again.
  r = run_co2e({"estimate", "--energy", "1287MWh", "--intensity", "429", "--energy-scope", "facility"});
  REQUIRE(r.exit_code == 0);
  CHECK_THAT(r.out, StartsWith("Carbon footprint  552.1 t CO2e\nEnergy            1.287 GWh\n"));
  CHECK_THAT(r.out, Contains("PUE not applied: the energy given includes it (--energy-scope facility)"));
  // --power 300 W x 2 h = 0.6 kWh at the plug; x PUE 1.5 = 0.9 kWh; x 100 g/kWh = 90 g.
  r = run_co2e({"estimate", "--power", "300", "--runtime", "2h", "--pue", "1.5", "--intensity", "100", "--budget",
                "1kg", "--format", "json"});
  REQUIRE(r.exit_code == 0);
  j = nlohmann::json::parse(r.out);
  CHECK(j["energy_kwh"].get<double>() == Approx(0.9));
  CHECK(j["co2e_kg"].get<double>() == Approx(0.09));
  CHECK(j["inputs"]["energy"]["power_w"] == 300);
  // Batch columns energy, power and energy_scope, with PSF.
  TempDir dir;
  const auto csv =
      dir.write("known.csv", "name,energy,power,runtime,energy_scope,psf\na,3.2kWh,,,,2\nb,,100,1h,facility,\n");
  r = run_co2e({"batch", csv, "--pue", "1.5", "--intensity", "100", "--format", "jsonl"});
  CHECK(r.exit_code == 2);  // row b fails, below
  const auto nl = r.out.find('\n');
  CHECK(nlohmann::json::parse(r.out.substr(0, nl))["energy_kwh"].get<double>() == Approx(9.6));  // 3.2 x 1.5 x 2
  // Row b: facility scope with a --pue default: an error that says why.
  CHECK_THAT(r.out.substr(nl + 1),
             Contains("row 2: --pue does not apply with energy_scope facility: a facility's energy already includes "
                      "its PUE; drop one"));
  r = run_co2e({"batch", csv, "--intensity", "100", "--format", "jsonl"});
  REQUIRE(r.exit_code == 0);
  // Row b: 100 W x 1 h = 0.1 kWh, facility: no PUE; row a: 3.2 kWh x PUE 1.56 (default) x 2.
  CHECK(nlohmann::json::parse(r.out.substr(0, r.out.find('\n')))["energy_kwh"].get<double>() == Approx(9.984));
  CHECK(nlohmann::json::parse(r.out.substr(r.out.find('\n') + 1))["energy_kwh"].get<double>() == Approx(0.1));
}

TEST_CASE("cli known energy: conflicts are errors that say why", "[cli]") {
  struct Bad {
    std::vector<std::string> args;
    std::string message;
  };
  const std::vector<Bad> cases{
      {{"estimate", "--energy", "5kWh", "--cores", "4"},
       "--cores and --energy conflict: --energy is the whole energy of a run, which replaces the sum of CPU, GPU and "
       "memory; give one or the other"},
      {{"estimate", "--power", "300", "--runtime", "1h", "--memory", "8G"},
       "--memory and --power conflict: --power is the whole energy of a run, which replaces the sum of CPU, GPU and "
       "memory; give one or the other"},
      {{"estimate", "--energy", "5kWh", "--power", "300"},
       "--energy and --power conflict: give the energy of a run, or its average power"},
      {{"estimate", "--power", "300"}, "--power needs --runtime: the energy is average power x wall time"},
      {{"estimate", "--runtime", "1h", "--cores", "1", "--energy-scope", "facility"},
       "--energy-scope needs --energy E or --power W: it says what a known energy covers"},
      {{"estimate", "--energy", "5kWh", "--energy-scope", "facility", "--pue", "1.2"},
       "--pue does not apply with --energy-scope facility: a facility's energy already includes its PUE; drop one"},
      {{"estimate", "--energy", "5kWh", "--energy-scope", "site"},
       "--energy-scope \"site\" is not an energy scope (accepted: it, the IT equipment's energy, PUE applied; "
       "facility, PUE included)"},
  };
  for (const auto& c : cases) {
    const auto r = run_co2e(c.args);
    INFO(c.message);
    CHECK(r.exit_code == 2);
    CHECK(r.out.empty());
    CHECK(r.err == "co2e: error: " + c.message + "\n");
  }
}

TEST_CASE("cli --budget: the margin under budget as well as over, in text and JSON", "[cli]") {
  // 2 cores x 10 W x 1 h x PUE 1 x 100 g/kWh = 2 g.
  const std::vector<std::string> base{"estimate", "--runtime", "1h", "--cores",     "2",  "--core-power",
                                      "10",       "--pue",     "1",  "--intensity", "100"};
  auto r = run_co2e(with(base, {"--budget", "5g"}));
  CHECK(r.exit_code == 0);
  CHECK_THAT(r.out, Contains("Budget 5 g CO2e (given with --budget): 2 g used, 3 g left\n"));
  r = run_co2e(with(base, {"--format", "json"}), "", {"CO2E_BUDGET=1.5g"});
  CHECK(r.exit_code == 1);
  auto b = nlohmann::json::parse(r.out)["budget"];
  CHECK(b["budget_kg"].get<double>() == Approx(0.0015));
  CHECK(b["co2e_kg"].get<double>() == Approx(0.002));
  CHECK(b["margin_kg"].get<double>() == Approx(-0.0005));
  CHECK(b["exceeded"] == true);
  CHECK(b["origin"] == nlohmann::json({{"origin", "env"}, {"name", "CO2E_BUDGET"}}));
  r = run_co2e(with(base, {"--format", "json", "--budget", "5g"}));
  CHECK(r.exit_code == 0);
  b = nlohmann::json::parse(r.out)["budget"];
  CHECK(b["margin_kg"].get<double>() == Approx(0.003));
  CHECK(b["exceeded"] == false);
  CHECK(nlohmann::json::parse(run_co2e(with(base, {"--format", "json"})).out)["budget"].is_null());
}
