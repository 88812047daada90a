// Black-box tests of the ranges (issue 17): estimate's text and JSON, --no-range and its
// variable, batch's columns, cells and report totals, slurm's totals, and the messages of bad ranges.
#include <catch2/catch.hpp>
#include <nlohmann/json.hpp>

#include "support.hpp"

namespace t = co2e::test;
using Catch::Matchers::Contains;

namespace {

nlohmann::json json_of(const t::Run& r) {
  INFO(r.err);
  REQUIRE(r.exit_code == 0);
  return nlohmann::json::parse(r.out);
}

}  // namespace

TEST_CASE("estimate: the range in text and JSON", "[cli][range]") {
  // By hand: 4 GPUs × 10 h × 300 W = 12 kWh; PUE 1.2 to 1.4 (1.3 used); 40 to 60 g (50 used).
  const std::vector<std::string> args{"estimate", "--runtime", "10h",     "--gpus",      "4",    "--gpu-power",
                                      "300",      "--pue",     "1.2:1.4", "--intensity", "40:60"};
  SECTION("text: the figure, its range, and each input with a range") {
    auto r = t::co2e(args);
    REQUIRE(r.exit_code == 0);
    CHECK_THAT(r.out, Contains("Carbon footprint  780 g CO2e, range 576 g to 1.008 kg"));
    CHECK_THAT(r.out, Contains("Energy            15.6 kWh, range 14.4 kWh to 16.8 kWh"));
    CHECK_THAT(r.out, Contains("the footprint if every input lies within its range (bounds, not a probability"));
    CHECK_THAT(r.out, Contains("  PUE              1.2 to 1.4"));
  }
  SECTION("JSON: range, co2e_kg_low and co2e_kg_high") {
    auto args_json = args;
    args_json.insert(args_json.end(), {"--format", "json"});
    const auto j = json_of(t::co2e(args_json));
    CHECK(j["co2e_kg"].get<double>() == Approx(0.78));
    CHECK(j["co2e_kg_low"].get<double>() == Approx(0.576));
    CHECK(j["co2e_kg_high"].get<double>() == Approx(1.008));
    CHECK(j["range"]["energy_kwh"]["low"].get<double>() == Approx(14.4));
    CHECK(j["range"]["energy_kwh"]["high"].get<double>() == Approx(16.8));
    CHECK(j["range"]["method"] == "interval");
    CHECK(j["range"]["coverage"] == "bounds");
    CHECK(j["range"]["inputs"]["pue"]["reason"] == "given");
    CHECK(j["range"]["inputs"]["gpu_power_w"]["reason"] == "exact");  // a measured power: exact
  }
  SECTION("--no-range and CO2E_NO_RANGE drop it") {
    auto no = args;
    no.insert(no.end(), {"--no-range", "--format", "json"});
    const auto j = json_of(t::co2e(no));
    CHECK(j["range"].is_null());
    CHECK(j["co2e_kg_low"].is_null());
    auto text = t::co2e(args, {}, {"CO2E_NO_RANGE=1"});
    REQUIRE(text.exit_code == 0);
    CHECK_THAT(text.out, Contains("Carbon footprint  780 g CO2e\n"));
    CHECK_FALSE(text.out.find("range") != std::string::npos);
  }
}

TEST_CASE("estimate: all inputs exact, the range is the figure", "[cli][range]") {
  auto r = t::co2e({"estimate", "--runtime", "10h", "--gpus", "1", "--gpu-power", "300", "--pue", "1.1", "--intensity",
                    "57", "--format", "json"});
  const auto j = json_of(r);
  CHECK(j["co2e_kg_low"] == j["co2e_kg"]);
  CHECK(j["co2e_kg_high"] == j["co2e_kg"]);
  auto text = t::co2e(
      {"estimate", "--runtime", "10h", "--gpus", "1", "--gpu-power", "300", "--pue", "1.1", "--intensity", "57"});
  CHECK_THAT(text.out, Contains("Carbon footprint  188.1 g CO2e\n"));  // no range beside an exact figure
  CHECK_THAT(text.out, Contains("Range: none; every input was given exactly, so the figure is exact"));
}

TEST_CASE("estimate: bad ranges name the input and say what is accepted", "[cli][range]") {
  auto r = t::co2e({"estimate", "--runtime", "1h", "--gpus", "1", "--pue", "1.5:1.2"});
  CHECK(r.exit_code == 2);
  CHECK_THAT(r.err, Contains("--pue \"1.5:1.2\": the low end is above the high end"));
  auto env = t::co2e({"estimate", "--runtime", "1h", "--gpus", "1"}, {}, {"CO2E_CORES=4:8"});
  CHECK(env.exit_code == 2);
  CHECK_THAT(env.err, Contains("CO2E_CORES"));
  CHECK_THAT(env.err, Contains("a range LOW:HIGH is accepted only by"));
}

TEST_CASE("batch: co2e_kg_low and co2e_kg_high per row, ranges in cells, totals in the report", "[cli][range]") {
  const std::string csv =
      "name,runtime,gpus,gpu_power,pue,intensity\n"
      "a,10h,4,300,1.2:1.4,40:60\n"  // 12 kWh: 0.576 to 1.008 kg (as estimate above)
      "b,10h,1,100,1.5,100\n";       // exact: 1 kWh × 1.5 × 100 g = 0.15 kg
  auto r = t::co2e({"batch", "-", "--format", "jsonl"}, csv);
  REQUIRE(r.exit_code == 0);
  const auto nl = r.out.find('\n');
  const auto a = nlohmann::json::parse(r.out.substr(0, nl));
  const auto b = nlohmann::json::parse(r.out.substr(nl + 1));
  CHECK(a["co2e_kg_low"].get<double>() == Approx(0.576));
  CHECK(a["co2e_kg_high"].get<double>() == Approx(1.008));
  CHECK(b["co2e_kg_low"].get<double>() == Approx(0.15));
  CHECK(b["co2e_kg_high"].get<double>() == Approx(0.15));
  SECTION("a single value in a cell is exact, whatever range the flag gave") {
    auto c = t::co2e({"batch", "-", "--format", "jsonl", "--pue", "1.1:2"},
                     "runtime,gpus,gpu_power,pue,intensity\n"
                     "10h,1,100,1.5,100\n");
    REQUIRE(c.exit_code == 0);
    const auto row = nlohmann::json::parse(c.out);
    CHECK(row["co2e_kg_low"] == row["co2e_kg_high"]);
  }
  SECTION("the Markdown report adds the rows' bounds") {
    auto md = t::co2e({"batch", "-", "--format", "markdown"}, csv);
    REQUIRE(md.exit_code == 0);
    // 0.576 + 0.15 = 0.726; 1.008 + 0.15 = 1.158.
    CHECK_THAT(md.out, Contains("range 0.726 to 1.158 kg CO2e"));
    CHECK_THAT(md.out, Contains("| 0.726–1.158 |"));
    CHECK_THAT(md.out, Contains("(exact interval propagation)"));
    CHECK_THAT(md.out, Contains("It is a bound, not a probability interval"));
  }
  SECTION("--no-range: empty cells") {
    auto no = t::co2e({"batch", "-", "--no-range"}, csv);
    REQUIRE(no.exit_code == 0);
    CHECK_THAT(no.out, Contains(",,,,ok,"));  // co2e_kg_low/high, total_co2e_kg_low/high empty before status
  }
}

TEST_CASE("slurm: --pue LOW:HIGH, the totals' range, and --no-range", "[cli][range]") {
  const std::string cluster = co2e::test::fixture("slurm/good_cluster.json");
  const std::string sacct = co2e::test::fixture("slurm/good_basic.txt");
  SECTION("a flag's range replaces the file's figure, the middle is used") {
    const auto j = json_of(
        t::co2e({"slurm", "--cluster", cluster, "--sacct-file", sacct, "--pue", "1.2:1.8", "--format", "json"}));
    CHECK(j["cluster"]["pue"].get<double>() == Approx(1.5));
    // Before PUE, memory at 0.08 (0.6) W/GB (the default's range), the rest exact: 1001 20 Wh + 8 GB
    // × 1 h; 1002 605 Wh + 16 GB × 1 h; 1003 (TotalCPU 0: CPUTime, 4 core-h × 10 W) 40 Wh + 4 GB ×
    // 2 h. Low (20.64 + 606.28 + 40.64) Wh × 1.2 × 200 g/kWh = 160.2144 g; high (24.8 + 614.6 +
    // 44.8) Wh × 1.8 × 200 = 246.312 g.
    CHECK(j["range"]["co2e_kg"]["low"].get<double>() == Approx(0.1602144));
    CHECK(j["range"]["co2e_kg"]["high"].get<double>() == Approx(0.246312));
    CHECK(j["range"]["total_co2e_kg"]["low"].get<double>() == Approx(0.1602144));  // no embodied
    CHECK(j["total"]["total_co2e_kg_high"].get<double>() == Approx(0.246312));
    CHECK(j["range"]["embodied_kg"]["high"].get<double>() == 0);
  }
  SECTION("text: a range row after the footprint and after the total") {
    auto r = t::co2e(
        {"slurm", "--cluster", co2e::test::fixture("slurm/good_cluster_footprint.json"), "--sacct-file", sacct});
    REQUIRE(r.exit_code == 0);
    const auto total = r.out.find("  Total ");
    REQUIRE(total != std::string::npos);
    CHECK(r.out.find("    range", total) != std::string::npos);
  }
  SECTION("--no-range and CO2E_NO_RANGE: null in JSON, empty cells, no range row") {
    const auto j =
        json_of(t::co2e({"slurm", "--cluster", cluster, "--sacct-file", sacct, "--no-range", "--format", "json"}));
    CHECK(j["range"].is_null());
    CHECK(j["total"]["co2e_kg_low"].is_null());
    auto csv =
        t::co2e({"slurm", "--cluster", cluster, "--sacct-file", sacct, "--format", "csv"}, {}, {"CO2E_NO_RANGE=1"});
    REQUIRE(csv.exit_code == 0);
    CHECK_THAT(csv.out, Contains(",0.183288,,,,\n"));  // 1002: total_co2e_kg, then four empty bounds
    auto text = t::co2e({"slurm", "--cluster", cluster, "--sacct-file", sacct, "--no-range"});
    REQUIRE(text.exit_code == 0);
    CHECK(text.out.find("    range") == std::string::npos);
  }
}

TEST_CASE("compare: each option's range, and the options whose range overlaps the best's", "[cli][range]") {
  // 10 h × 100 W × PUE 1 = 1 kWh each: 40 to 60 g (50 used), 55 to 70 g (62.5), 80 to 100 g (90).
  // The second's 55 g lies below the best's 60 g: overlap; the third's 80 g lies above it: none.
  const std::vector<std::string> args{"compare",
                                      "--runtime",
                                      "10h",
                                      "--gpus",
                                      "1",
                                      "--gpu-power",
                                      "100",
                                      "--pue",
                                      "1",
                                      "--intensity",
                                      "40:60",
                                      "--option",
                                      "intensity=40:60",
                                      "--option",
                                      "intensity=55:70",
                                      "--option",
                                      "intensity=80:100"};
  SECTION("JSON: co2e_kg_low, co2e_kg_high, overlaps_best") {
    auto a = args;
    a.insert(a.end(), {"--format", "json"});
    const auto j = json_of(t::co2e(a));
    const auto& o = j["options"];
    REQUIRE(o.size() == 3);
    CHECK(o[0]["co2e_kg_low"].get<double>() == Approx(0.04));
    CHECK(o[0]["overlaps_best"] == true);  // the best itself
    CHECK(o[1]["co2e_kg_low"].get<double>() == Approx(0.055));
    CHECK(o[1]["co2e_kg_high"].get<double>() == Approx(0.07));
    CHECK(o[1]["overlaps_best"] == true);
    CHECK(o[2]["overlaps_best"] == false);
  }
  SECTION("text, CSV and Markdown mark the overlap") {
    auto text = t::co2e(args);
    REQUIRE(text.exit_code == 0);
    CHECK_THAT(text.out, Contains("55 g to 70 g ≈best"));
    CHECK_THAT(text.out, Contains("80 g to 100 g "));
    CHECK(text.out.find("100 g ≈best") == std::string::npos);
    CHECK_THAT(text.out, Contains("≈best: the range overlaps the best option's"));
    auto csv_args = args;
    csv_args.insert(csv_args.end(), {"--format", "csv"});
    auto csv = t::co2e(csv_args);
    REQUIRE(csv.exit_code == 0);
    CHECK_THAT(csv.out, Contains(",co2e_kg_low,co2e_kg_high,overlaps_best\n"));
    CHECK_THAT(csv.out, Contains(",0.055,0.07,true\n"));
    CHECK_THAT(csv.out, Contains(",0.08,0.1,false\n"));
    auto md_args = args;
    md_args.insert(md_args.end(), {"--format", "markdown"});
    auto md = t::co2e(md_args);
    CHECK_THAT(md.out, Contains("| 55 g to 70 g ≈best |"));
  }
  SECTION("--no-range: no bounds, no marks") {
    auto a = args;
    a.insert(a.end(), {"--no-range", "--format", "json"});
    const auto j = json_of(t::co2e(a));
    CHECK(j["options"][1]["overlaps_best"].is_null());
    CHECK(j["options"][1]["co2e_kg_low"].is_null());
  }
}

TEST_CASE("estimate --format markdown and latex: each figure with its range, the methodology says what it means",
          "[cli][range]") {
  SECTION("LaTeX: the Green Algorithms example, memory's W/GB the only default") {
    // 1.56 × (1.08 + 64 × 12 × 0.08 / 1000) kWh × 231.12 g = 0.4115 kg; with 0.6 W/GB: 0.5555 kg.
    auto r = t::co2e({"estimate", "--runtime", "12h", "--cores", "12", "--core-power", "7.5", "--memory", "64G",
                      "--pue", "1.56", "--intensity", "231.12", "--format", "latex"});
    REQUIRE(r.exit_code == 0);
    CHECK_THAT(r.out, Contains("emitted 0.4925~kg CO$_2$e, range 0.4115--0.5555~kg"));
    CHECK_THAT(r.out, Contains("(exact interval propagation)"));
  }
  SECTION("Markdown: embodied and total with theirs") {
    // 10 h × 300 W × PUE 1.5 × 100 g = 450 g, exact; GPU 100 to 200 kg × 10 GPU-h / (5 × 8760 ×
    // 0.5 = 21,900 h) = 45.66 to 91.32 g (150 kg: 68.49 g); total 495.7 g to 541.3 g.
    auto r = t::co2e({"estimate", "--runtime", "10h", "--gpus", "1", "--gpu-power", "300", "--pue", "1.5",
                      "--intensity", "100", "--embodied-gpu", "100:200", "--lifetime", "5", "--utilisation", "0.5",
                      "--format", "markdown"});
    REQUIRE(r.exit_code == 0);
    CHECK_THAT(r.out, Contains("| **Carbon footprint** | **450 g CO2e** operational |"));
    CHECK_THAT(r.out, Contains("68.49 g CO2e (manufacturing, amortised), range 45.66 g to 91.32 g |"));
    CHECK_THAT(r.out, Contains("| **Total** | **518.5 g CO2e**, range 495.7 g to 541.3 g |"));
    CHECK_THAT(r.out, Contains("| Range | 495.7 g to 541.3 g CO2e in total:"));
    CHECK_THAT(r.out, Contains("|   GPU embodied | 100 to 200 kg per GPU (given as a range; 150 used (the middle)) |"));
  }
}
