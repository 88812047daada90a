// Black-box tests of `co2e estimate`, `list`, `show` and global options: the real binary, its
// stdout, stderr and exit code.
#include <catch2/catch.hpp>
#include <nlohmann/json.hpp>

#include "support.hpp"

using Catch::Matchers::Contains;
using Catch::Matchers::StartsWith;
using co2e::test::run_co2e;

namespace {
const std::vector<std::string> kWorked{"estimate",     "--runtime",   "12h",      "--cores", "12",
                                       "--core-power", "7.5",         "--memory", "64G",     "--pue",
                                       "1.56",         "--intensity", "231.12"};
std::string fmt_args(const std::vector<std::string>& args) {
  std::string s;
  for (const auto& a : args) s += a + " ";
  return s;
}
std::vector<std::string> with(std::vector<std::string> base, std::initializer_list<std::string> more) {
  base.insert(base.end(), more);
  return base;
}
}  // namespace

TEST_CASE("cli estimate: text report", "[cli]") {
  const auto r = run_co2e(kWorked);
  CHECK(r.exit_code == 0);
  CHECK(r.err.empty());
  CHECK_THAT(r.out, StartsWith("Carbon footprint  492.5 g CO2e, range 411.5 g to 555.5 g\n"
                               "Energy            2.131 kWh, range 1.781 kWh to 2.404 kWh\n"));
  CHECK_THAT(r.out, Contains("CPU         1.08 kWh   79.1%  12 cores x 7.5 W x 12 h"));
  CHECK_THAT(r.out, Contains("Memory      286.1 Wh   20.9%  64 GB x 0.3725 W/GB x 12 h"));
  CHECK_THAT(r.out, Contains("PUE 1.56 adds 765 Wh per run"));
  CHECK_THAT(r.out, Contains("0.537  tree-months"));               // 492.54 / 917
  CHECK_THAT(r.out, Contains("2.81  km in an EU passenger car"));  // 492.54 / 175
  CHECK_THAT(r.out, Contains("PUE 1.56 given with --pue"));
}

TEST_CASE("cli estimate: text report of a tiny estimate", "[cli]") {
  // 1 core x 10 W x 1 s = 2.778 mWh; x 100 g/kWh = 277.8 µg: every equivalent is under 0.001.
  const std::vector<std::string> tiny{"estimate", "--runtime", "1s", "--cores",     "1",  "--core-power",
                                      "10",       "--pue",     "1",  "--intensity", "100"};
  const auto r = run_co2e(tiny);
  CHECK(r.exit_code == 0);
  CHECK_THAT(r.out, StartsWith("Carbon footprint  277.8 µg CO2e\nEnergy            2.778 mWh\n"));
  CHECK_THAT(r.out, Contains("  CPU        2.778 mWh  100.0%  1 cores x 10 W x 0.0002778 h\n"));
  CHECK_THAT(r.out, Contains("PUE 1 adds 0 Wh per run"));
  CHECK_FALSE(r.out.find("That is about") != std::string::npos);
  const auto j = nlohmann::json::parse(run_co2e(with(tiny, {"--format", "json"})).out);
  CHECK(j["equivalents"].size() == 3);
}

TEST_CASE("cli estimate: notes what is missing", "[cli]") {
  const auto r = run_co2e({"estimate", "--runtime", "1h", "--gpus", "2", "--gpu", "A100"});
  CHECK(r.exit_code == 0);
  CHECK_THAT(r.out, Contains("no --memory given: memory power is not counted"));
  CHECK_THAT(r.out, Contains("no CPU given: the CPU's power is not counted"));
  CHECK_THAT(r.out, Contains("no --region or --intensity given: world average 472.94 gCO2e/kWh"));
  CHECK_THAT(r.out, Contains("PUE 1.56 of an average data centre assumed"));
  CHECK_THAT(r.out, Contains("GPU NVIDIA A100 SXM4 40GB: 400 W per device"));
}

TEST_CASE("cli estimate: JSON document", "[cli]") {
  const auto r = run_co2e(with(kWorked, {"--format", "json"}));
  REQUIRE(r.exit_code == 0);
  const auto j = nlohmann::json::parse(r.out);
  CHECK(j["schema_version"] == 2);
  // The Green Algorithms worked example by hand: 12 h x 12 cores x 7.5 W = 1.08 kWh; 64 GB x
  // 0.3725 W x 12 h = 0.28608 kWh; x PUE 1.56 = 2.1310848 kWh; x 231.12 g = 0.492536318976 kg,
  // written with 10 significant digits.
  CHECK(j["energy_kwh"].get<double>() == 2.1310848);
  CHECK(j["co2e_kg"].get<double>() == 0.492536319);
  CHECK(j["cpu_kwh"].get<double>() == Approx(1.08));
  CHECK(j["gpu_kwh"].get<double>() == 0);
  CHECK(j["memory_kwh"].get<double>() == Approx(0.28608));
  CHECK_FALSE(j.contains("components_kwh"));  // schema_version 1's name: one name per quantity
  // The contract: components before PUE, all runs; energy_kwh = pue x their sum.
  const double sum = j["cpu_kwh"].get<double>() + j["gpu_kwh"].get<double>() + j["memory_kwh"].get<double>();
  CHECK(j["energy_kwh"].get<double>() == Approx(j["pue"].get<double>() * sum));
  CHECK(j["pue"] == 1.56);
  CHECK(j["psf"] == 1);
  CHECK(j["intensity_g_per_kwh"] == 231.12);
  CHECK(j["runtime_h"] == 12.0);
  CHECK(j["inputs"]["cpu"]["power_source"] == "flag");
  CHECK(j["inputs"]["grid"]["source"] == "flag");
  CHECK(j["equivalents"].size() == 3);
  CHECK(j["assumptions"].size() >= 4);
}

TEST_CASE("cli estimate: JSON carries the data rows used and their sources", "[cli]") {
  const auto r = run_co2e({"estimate", "--runtime", "2h", "--cpu", "Xeon Gold 6248", "--cores", "4", "--region",
                           "aws:eu-west-3", "--format", "json"});
  REQUIRE(r.exit_code == 0);
  const auto j = nlohmann::json::parse(r.out);
  CHECK(j["inputs"]["cpu"]["model"]["name"] == "Intel Xeon Gold 6248");
  CHECK(j["inputs"]["cpu"]["model"]["provenance"]["origin"] == "data/cpus.json");
  CHECK(j["inputs"]["cpu"]["model"]["provenance"]["year"] == 2019);
  CHECK(j["inputs"]["grid"]["region"]["code"] == "FR");
  CHECK(j["inputs"]["grid"]["cloud_region"]["code"] == "aws:eu-west-3");
  CHECK(j["inputs"]["pue"]["provider"]["id"] == "aws");
  CHECK(j["pue"] == 1.2);
  // 4 cores x 7.5 W x 2 h = 60 Wh; x 1.2 = 72 Wh
  CHECK(j["energy_kwh"].get<double>() == Approx(0.072));
}

TEST_CASE("cli estimate: CSV", "[cli]") {
  const auto r = run_co2e(with(kWorked, {"--format", "csv"}));
  REQUIRE(r.exit_code == 0);
  CHECK_THAT(
      r.out,
      StartsWith("energy_kwh,co2e_kg,cpu_kwh,gpu_kwh,memory_kwh,known_kwh,pue,psf,intensity_g_per_kwh,runtime_h,"));
  const auto second = r.out.substr(r.out.find('\n') + 1);
  CHECK_THAT(second, StartsWith("2.131084"));
  CHECK(std::count(r.out.begin(), r.out.end(), '\n') == 2);
}

TEST_CASE("cli estimate: environment variables, flags win", "[cli]") {
  auto r = run_co2e({"estimate", "--format", "json"}, "",
                    {"CO2E_RUNTIME=1h", "CO2E_CORES=10", "CO2E_CORE_POWER=10", "CO2E_PUE=1", "CO2E_REGION=FR"});
  REQUIRE(r.exit_code == 0);
  auto j = nlohmann::json::parse(r.out);
  CHECK(j["energy_kwh"].get<double>() == Approx(0.1));
  CHECK(j["inputs"]["grid"]["region"]["code"] == "FR");
  r = run_co2e({"estimate", "--format", "json", "--region", "DE"}, "",
               {"CO2E_RUNTIME=1h", "CO2E_CORES=10", "CO2E_CORE_POWER=10", "CO2E_REGION=FR"});
  REQUIRE(r.exit_code == 0);
  j = nlohmann::json::parse(r.out);
  CHECK(j["inputs"]["grid"]["region"]["code"] == "DE");
  // A bad value from the environment is named by its variable, not by a flag never typed.
  r = run_co2e({"estimate"}, "", {"CO2E_RUNTIME=12", "CO2E_CORES=1"});
  CHECK(r.exit_code == 2);
  CHECK_THAT(r.err, StartsWith("co2e: error: CO2E_RUNTIME \"12\": add a unit"));
}

TEST_CASE("cli estimate: --budget", "[cli]") {
  // 492.54 g against 300 g: exit 1, report still printed.
  auto r = run_co2e(with(kWorked, {"--budget", "300g"}));
  CHECK(r.exit_code == 1);
  CHECK_THAT(r.out, Contains("492.5 g CO2e"));
  CHECK_THAT(r.err, Contains("budget exceeded: 492.5 g CO2e is over the budget of 300 g"));
  r = run_co2e(with(kWorked, {"--budget", "0.5kg"}));
  CHECK(r.exit_code == 0);
  CHECK(r.err.empty());
}

TEST_CASE("cli estimate: psf and repeated runs", "[cli]") {
  const auto r = run_co2e({"estimate", "--runtime", "1h", "--cores", "10", "--core-power", "10", "--pue", "1.5",
                           "--psf", "3", "--intensity", "100", "--format", "json"});
  REQUIRE(r.exit_code == 0);
  const auto j = nlohmann::json::parse(r.out);
  CHECK(j["energy_kwh"].get<double>() == Approx(0.45));  // 0.1 kWh x 1.5 x 3
  CHECK(j["co2e_kg"].get<double>() == Approx(0.045));
}

TEST_CASE("cli estimate: bad invocations exit 2 and name the flag", "[cli]") {
  struct Bad {
    std::vector<std::string> args;
    std::string message;
  };
  const std::vector<std::string> base{"estimate", "--cores", "4", "--core-power", "5"};
  const std::vector<Bad> cases{
      {{"estimate", "--runtime", "12", "--cores", "1"}, "--runtime \"12\": add a unit"},
      {{"estimate", "--runtime", "-3h", "--cores", "1"}, "--runtime \"-3h\": a duration cannot be negative"},
      {{"estimate", "--runtime", "", "--cores", "1"}, "--runtime: empty duration"},
      {{"estimate", "--runtime", "12 parsecs", "--cores", "1"}, "--runtime \"12 parsecs\": unknown time unit"},
      {{"estimate", "--runtime", "1e400h", "--cores", "1"}, "--runtime \"1e400h\""},
      {{"estimate", "--runtime", "nan", "--cores", "1"}, "--runtime \"nan\" is not a duration"},
      {with(base, {"--runtime", "1h", "--cores", "8"}), "--cores: At Most 1 required but received 2"},
      {{"estimate", "--runtime", "1h", "--cores", "-2"}, "--cores \"-2\" must be at least 0"},
      {{"estimate", "--runtime", "1h", "--cores", "2.5"}, "--cores \"2.5\" is not a whole number"},
      {{"estimate", "--runtime", "1h", "--cores", "99999999999"}, "--cores \"99999999999\" is too large"},
      {{"estimate", "--runtime", "1h", "--cores", "2", "--core-power", "-5"},
       "--core-power \"-5\": a power cannot be negative"},
      {{"estimate", "--runtime", "1h", "--cores", "2", "--core-power", "inf"}, "--core-power \"inf\" is not a power"},
      {{"estimate", "--runtime", "1h", "--cores", "2", "--core-power", "5Wh"},
       "--core-power \"5Wh\": unknown power unit"},
      {{"estimate", "--runtime", "1h", "--cores", "2", "--cpu-usage", "1.5"}, "--cpu-usage \"1.5\" is out of range"},
      {{"estimate", "--runtime", "1h", "--gpus", "1", "--gpu-usage", "-0.1"}, "--gpu-usage \"-0.1\" is out of range"},
      {{"estimate", "--runtime", "1h", "--gpus", "1", "--gpu-power", "0"}, "--gpu-power \"0\" must be more than 0"},
      {{"estimate", "--energy", "5kWh", "--gpus", "2"},
       "--gpus and --energy conflict: --energy is the whole energy of a run, which replaces the sum of CPU, GPU and "
       "memory; give one or the other"},
      {{"estimate", "--runtime", "1h", "--gpus", "-1"}, "--gpus \"-1\" must be at least 0"},
      {{"estimate", "--gpu-hours", "-1", "--gpu-power", "300"}, "--gpu-hours \"-1\": must be zero or more"},
      {{"estimate", "--core-hours", "abc"}, "--core-hours \"abc\" is not a number"},
      {{"estimate", "--runtime", "1h", "--cores", "1", "--memory", "-4G"},
       "--memory \"-4G\": a memory size cannot be negative"},
      {{"estimate", "--runtime", "1h", "--cores", "1", "--memory", "4Q"}, "--memory \"4Q\": unknown size unit"},
      {{"estimate", "--runtime", "1h", "--cores", "1", "--memory", "8G", "--memory-power", "-1"},
       "--memory-power \"-1\": a power cannot be negative"},
      {{"estimate", "--runtime", "1h", "--cores", "1", "--pue", "0.9"}, "--pue \"0.9\" is below 1"},
      {{"estimate", "--runtime", "1h", "--cores", "1", "--pue", "NaN"}, "--pue \"NaN\" is not a number"},
      {{"estimate", "--runtime", "1h", "--cores", "1", "--pue", "50"}, "--pue \"50\" is implausibly high"},
      {{"estimate", "--runtime", "1h", "--cores", "1", "--psf", "0"}, "--psf \"0\" must be at least 1"},
      {{"estimate", "--runtime", "1h", "--cores", "1", "--psf", "1.5"}, "--psf \"1.5\" is not a whole number"},
      {{"estimate", "--runtime", "1h", "--cores", "1", "--intensity", "-20"},
       "--intensity \"-20\": an emission factor cannot be negative"},
      {{"estimate", "--runtime", "1h", "--cores", "1", "--region", "Atlantis"},
       "--region: unknown region \"Atlantis\""},
      {{"estimate", "--runtime", "1h", "--cores", "1", "--region", "aws:mars-north-1"},
       "--region: unknown region \"aws:mars-north-1\""},
      {{"estimate", "--runtime", "1h", "--cores", "1", "--provider", "acme"}, "--provider: unknown provider \"acme\""},
      {{"estimate", "--runtime", "1h", "--cores", "1", "--platform", "mainframe"},
       "--platform \"mainframe\" is not a platform"},
      {{"estimate", "--runtime", "1h", "--cpu", "Pentium 9000"}, "--cpu: unknown CPU model \"Pentium 9000\""},
      {{"estimate", "--runtime", "1h", "--gpu", "Voodoo 5"}, "--gpu: unknown GPU model \"Voodoo 5\""},
      {{"estimate", "--runtime", "1h", "--cores", "2", "--core-hours", "2"}, "--cores and --core-hours conflict"},
      {{"estimate", "--runtime", "1h", "--gpus", "2", "--gpu-hours", "2"}, "--gpus and --gpu-hours conflict"},
      {{"estimate", "--runtime", "1h"}, "nothing to estimate"},
      {{"estimate", "--cores", "4"}, "--runtime is required"},
      {{"estimate", "--gpu-hours", "10", "--memory", "8G"}, "--memory needs --runtime"},
      {{"estimate", "--runtime", "1h", "--cores", "1", "--budget", "300"}, "--budget: \"300\": add a unit"},
      {{"estimate", "--runtime", "1h", "--cores", "1", "--format", "xml"}, "--format: \"xml\" is not a format"},
      {{"estimate", "--gpus", "1000000000", "--runtime", "1000000h", "--gpu-power", "1000000000"}, "too large"},
      {{"estimate", "--runtime", "1h", "--cores", "1", "--frobnicate"},
       "estimate: unknown option --frobnicate; see 'co2e estimate --help'"},
      // An option that extends a real one, and a typing slip, get a suggestion.
      {{"estimate", "--runtime", "1h", "--gpu-model", "A100"},
       "estimate: unknown option --gpu-model (did you mean --gpu?); see 'co2e estimate --help'"},
      {{"estimate", "--runtmie=1h", "--cores", "1"}, "unknown option --runtmie (did you mean --runtime?)"},
      {{"estimat", "--runtime", "1h"},
       "unknown command \"estimat\" (did you mean estimate?); the commands are estimate,"},
      {{"--frobnicate"}, "unknown option --frobnicate; see 'co2e --help'"},
  };
  for (const auto& c : cases) {
    const auto r = run_co2e(c.args);
    INFO("args: " << fmt_args(c.args));
    CHECK(r.exit_code == 2);
    CHECK(r.out.empty());
    CHECK_THAT(r.err, StartsWith("co2e: error: "));
    CHECK_THAT(r.err, Contains(c.message));
  }
  CHECK(cases.size() >= 30);
}

TEST_CASE("cli list and show", "[cli]") {
  auto r = run_co2e({"list", "gpus", "--match", "h100", "--format", "csv"});
  REQUIRE(r.exit_code == 0);
  CHECK_THAT(
      r.out,
      StartsWith("name,vendor,kind,tdp_w,memory_gb,aliases,source,year,licence,release,url,retrieved,note,file\n"));
  CHECK_THAT(r.out, Contains("NVIDIA H100 SXM5 80GB,NVIDIA,gpu,700,"));
  for (const auto& line : {std::string("H100 PCIe"), std::string("H100 NVL")}) CHECK_THAT(r.out, Contains(line));
  r = run_co2e({"list", "regions", "--format", "json"});
  REQUIRE(r.exit_code == 0);
  const auto regions = nlohmann::json::parse(r.out);
  CHECK(regions.size() >= 300);
  r = run_co2e({"show", "cpu", "Intel(R) Xeon(R) Gold 6248 CPU @ 2.50GHz", "--format", "json"});
  REQUIRE(r.exit_code == 0);
  const auto cpu = nlohmann::json::parse(r.out);
  CHECK(cpu["name"] == "Intel Xeon Gold 6248");
  CHECK(cpu["w_per_core"] == 7.5);
  CHECK(cpu["file"] == "data/cpus.json");
  r = run_co2e({"show", "region", "aws:eu-west-3"});
  REQUIRE(r.exit_code == 0);
  CHECK_THAT(r.out, Contains("draws from the grid of:\ncode                 FR"));
  r = run_co2e({"show", "gpu", "Voodoo 5"});
  CHECK(r.exit_code == 2);
  CHECK_THAT(r.err, Contains("co2e: error: show gpu: unknown GPU model \"Voodoo 5\""));
  r = run_co2e({"list", "planets"});
  CHECK(r.exit_code == 2);
  CHECK_THAT(r.err, Contains("planets"));
}

TEST_CASE("cli show region: a cloud region and its location give one default factor", "[cli]") {
  // Issue 14, "Done when": gcp:us-east1 and US-SC give the same default factor, with Google's own
  // figure beside the first; likewise an AWS and an Azure region in one grid (Virginia). eGRID2023
  // South Carolina: 557.173 lb/MWh x 0.45359237 = 252.73 g/kWh; Google's 2024 file: 575.77.
  auto show = [](const std::string& code) {
    const auto r = run_co2e({"show", "region", code, "--format", "json"});
    REQUIRE(r.exit_code == 0);
    // One row is an object; a cloud region is an array: itself, then the grid it draws from.
    const auto j = nlohmann::json::parse(r.out);
    return j.is_array() ? j : nlohmann::json::array({j});
  };
  const auto gcp = show("gcp:us-east1");
  const auto sc = show("US-SC");
  CHECK(gcp[0]["intensity_g_per_kwh"].get<double>() == Approx(252.73));
  CHECK(gcp[0]["intensity_g_per_kwh"] == sc[0]["intensity_g_per_kwh"]);
  CHECK(gcp[0]["basis"] == sc[0]["basis"]);
  CHECK(gcp[0]["provider_g_per_kwh"].get<double>() == Approx(575.77));
  CHECK(gcp[1]["code"] == "US-SC");
  const auto aws = show("aws:us-east-1");
  const auto azure = show("azure:eastus");
  CHECK(aws[0]["iso3_or_location"] == "US-VA");
  CHECK(azure[0]["iso3_or_location"] == "US-VA");
  CHECK(aws[0]["intensity_g_per_kwh"] == azure[0]["intensity_g_per_kwh"]);
  CHECK(aws[0]["intensity_g_per_kwh"] == show("US-VA")[0]["intensity_g_per_kwh"]);
  // A mapping that is an assumption says so.
  CHECK_THAT(show("aws:us-gov-west-1")[0]["location_note"].get<std::string>(), Contains("assumption"));
}

TEST_CASE("cli --data: user rows, their file in show, and bad files", "[cli]") {
  const std::string site = co2e::test::fixture("data/good_site.json");
  auto r = run_co2e({"--data", site, "show", "cpu", "Acme Hyper 9000"});
  REQUIRE(r.exit_code == 0);
  CHECK_THAT(r.out, Contains("w_per_core  2\n"));
  CHECK_THAT(r.out, Contains("file        " + site));
  r = run_co2e({"--data", site, "estimate", "--runtime", "10h", "--cpu", "Acme Hyper 9000", "--provider", "ourdc",
                "--intensity", "100", "--format", "json"});
  REQUIRE(r.exit_code == 0);
  auto j = nlohmann::json::parse(r.out);
  CHECK(j["energy_kwh"].get<double>() == Approx(0.96 * 1.25));  // 48 cores x 2 W x 10 h x PUE 1.25
  CHECK(j["inputs"]["cpu"]["model"]["provenance"]["origin"] == site);
  r = run_co2e({"show", "provider", "ourdc"}, "", {"CO2E_DATA=" + site});
  CHECK(r.exit_code == 0);
  r = run_co2e({"--data", co2e::test::fixture("data/bad_row.json"), "list", "cpus"});
  CHECK(r.exit_code == 3);
  CHECK_THAT(r.err, Contains("bad_row.json: cpus row 1: \"tdp_w\" must be a number, not \"lots\""));
  r = run_co2e({"--data", "/nonexistent/x.json", "list", "cpus"});
  CHECK(r.exit_code == 3);  // an unreadable file, like every other file argument
  CHECK_THAT(r.err, Contains("/nonexistent/x.json: cannot open: No such file or directory"));
}

TEST_CASE("cli --version and --help", "[cli]") {
  auto r = run_co2e({"--version"});
  CHECK(r.exit_code == 0);
  CHECK_THAT(r.out, StartsWith("co2e 0."));
  CHECK_THAT(r.out, Contains("data: release 2026-11: cpus "));
  r = run_co2e({"--help"});
  CHECK(r.exit_code == 0);
  CHECK_THAT(r.out, Contains("estimate"));
  r = run_co2e({"estimate", "--help"});
  CHECK(r.exit_code == 0);
  CHECK_THAT(r.out, Contains("--gpu-hours"));
  CHECK_THAT(r.out, Contains("CO2E_"));
  r = run_co2e({});
  CHECK(r.exit_code == 2);
}

TEST_CASE("cli: a full stdout is an I/O error, exit 3", "[cli]") {
  const auto r =
      co2e::test::run_program("/bin/sh", {"-c", std::string(co2e::test::co2e_binary()) + " --version > /dev/full"});
  CHECK(r.exit_code == 3);
  CHECK_THAT(r.err, Contains("standard output: cannot write: No space left on device"));
}

TEST_CASE("cli estimate: --intensity-basis and --intensity-source", "[cli]") {
  // Victoria on the NGA Factors 2025: 0.78 kg/kWh direct; 1 h x 4 cores x 10 W x PUE 1 = 0.04 kWh
  // -> 0.04 x 780 = 31.2 g.
  auto r = run_co2e({"estimate", "--runtime", "1h", "--cores", "4", "--core-power", "10", "--pue", "1", "--region",
                     "AU-VIC", "--intensity-basis", "direct", "--format", "json"});
  REQUIRE(r.exit_code == 0);
  auto j = nlohmann::json::parse(r.out);
  CHECK(j["co2e_kg"].get<double>() == Approx(0.0312));
  CHECK(j["inputs"]["grid"]["basis"] == "direct");
  CHECK(j["inputs"]["grid"]["basis_fallback"] == false);
  CHECK(j["data_release"] == "2026-11");
  // The same through the environment, and for a cloud region in Melbourne.
  r = run_co2e({"estimate", "--runtime", "1h", "--cores", "4", "--core-power", "10", "--pue", "1", "--region",
                "aws:ap-southeast-4", "--format", "json"},
               "", {"CO2E_INTENSITY_BASIS=direct"});
  REQUIRE(r.exit_code == 0);
  CHECK(nlohmann::json::parse(r.out)["co2e_kg"].get<double>() == Approx(0.0312));
  r = run_co2e({"estimate", "--runtime", "1h", "--cores", "4", "--region", "FR", "--intensity-basis", "scope2"});
  CHECK(r.exit_code == 2);
  CHECK_THAT(r.err, Contains("--intensity-basis \"scope2\" is not a basis (accepted: lifecycle"));
  r = run_co2e({"estimate", "--runtime", "1h", "--cores", "4", "--region", "FR", "--intensity-source", "google"});
  CHECK(r.exit_code == 2);
  CHECK_THAT(r.err, Contains("--intensity-source \"google\" is not an intensity source"));
}
