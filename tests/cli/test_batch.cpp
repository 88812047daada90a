// Black-box tests of `co2e batch`: the real binary, its stdout, stderr and exit code.
#include <unistd.h>
#include <catch2/catch.hpp>
#include <cstdlib>
#include <filesystem>
#include <string_view>

#include "support.hpp"

namespace t = co2e::test;
using Catch::Matchers::Contains;
using co2e::test::fixture;
using co2e::test::read_file;
using co2e::test::TempDir;

namespace {

std::vector<std::string> lines(const std::string& text) {
  std::vector<std::string> out;
  std::size_t start = 0;
  while (start < text.size()) {
    const auto nl = text.find('\n', start);
    out.push_back(text.substr(start, nl - start));
    if (nl == std::string::npos) break;
    start = nl + 1;
  }
  return out;
}

std::vector<std::string> split(const std::string& line, char sep = ',') {
  std::vector<std::string> out;
  std::size_t start = 0;
  for (;;) {
    const auto p = line.find(sep, start);
    out.push_back(line.substr(start, p - start));
    if (p == std::string::npos) return out;
    start = p + 1;
  }
}

// The 25 result columns of `co2e estimate --format csv` (docs/cli.md, Output contract; server_kwh
// ... total_co2e_kg are the whole footprint's, then the range's co2e_kg_low, co2e_kg_high).
constexpr std::size_t kResultColumns = 25;

/// The result columns of a batch output row (the last kResultColumns before status and error).
std::vector<std::string> results_of(const std::string& line) {
  auto f = split(line);
  REQUIRE(f.size() >= kResultColumns + 2);
  return {f.end() - static_cast<std::ptrdiff_t>(kResultColumns + 2), f.end() - 2};
}

// The input's pue, gpu_hours and psf columns share a result column's name: they are written
// input_pue, input_gpu_hours, input_psf, so that no two output columns have the same name.
const char* const kBasicHeader =
    "name,model,runtime,cores,core_power,memory,input_pue,intensity,input_gpu_hours,gpu_power,gpus,input_psf,"
    "energy_kwh,co2e_kg,cpu_kwh,gpu_kwh,memory_kwh,known_kwh,pue,psf,intensity_g_per_kwh,runtime_h,core_hours,core_"
    "power_w,"
    "gpu_hours,gpu_power_w,memory_gb,region,cpu_model,gpu_model,server_kwh,storage_kwh,network_kwh,embodied_kg,"
    "total_co2e_kg,co2e_kg_low,co2e_kg_high,status,error";

}  // namespace

TEST_CASE("co2e batch: each row equals co2e estimate for the same inputs", "[cli]") {
  const auto r = t::co2e({"batch", fixture("batch/good_basic.csv")});
  REQUIRE(r.exit_code == 0);
  const auto l = lines(r.out);
  REQUIRE(l.size() == 4);
  CHECK(l[0] == kBasicHeader);
  const std::vector<std::vector<std::string>> flags{
      {"--runtime", "12h", "--cores", "12", "--core-power", "7.5", "--memory", "64", "--pue", "1.56", "--intensity",
       "231.12"},
      {"--pue", "1", "--intensity", "57", "--gpu-hours", "100", "--gpu-power", "400"},
      {"--runtime", "2h", "--pue", "1.2", "--intensity", "100", "--gpu-power", "250", "--gpus", "2", "--psf", "3"},
  };
  for (std::size_t i = 0; i < flags.size(); ++i) {
    std::vector<std::string> args{"estimate", "--format", "csv"};
    args.insert(args.end(), flags[i].begin(), flags[i].end());
    const auto e = t::co2e(args);
    REQUIRE(e.exit_code == 0);
    CHECK(results_of(l[i + 1]) == split(lines(e.out)[1]));
    CHECK(l[i + 1].ends_with(",ok,"));
  }
  // By hand: 2.1310848 kWh / 0.492536318976 kg (the Green Algorithms worked example);
  // 100 GPU-hours x 400 W = 40 kWh, x 57 g = 2.28 kg; 2 h x 2 x 250 W x 1.2 x 3 runs = 3.6 kWh, 0.36 kg.
  CHECK(std::stod(results_of(l[1])[0]) == Approx(2.1310848).epsilon(1e-12));
  CHECK(results_of(l[1])[1] == "0.492536319");  // 0.492536318976 to 10 significant digits
  CHECK(results_of(l[2])[0] == "40");
  CHECK(results_of(l[2])[1] == "2.28");
  CHECK(std::stod(results_of(l[3])[0]) == Approx(3.6));
  CHECK(r.err == "co2e batch: 3 rows, 3 ok, 0 failed; 45.73 kWh, 3.133 kg CO2e\n");
}

TEST_CASE("co2e batch: carried columns keep their text", "[cli]") {
  const auto r = t::co2e({"batch", fixture("batch/good_quoted.csv")});
  REQUIRE(r.exit_code == 0);
  CHECK(r.out.find("\n\"run, with comma\",\"he said \"\"hi\"\"\",1h,1,10,1,100,0.01,0.001,") != std::string::npos);
  CHECK(r.out.find("\n\"multi\nline\",,1h,2,10,1,100,0.02,0.002,") != std::string::npos);
}

TEST_CASE("co2e batch: separators, BOM and CRLF give the same result", "[cli]") {
  const auto base = t::co2e({"batch", fixture("batch/good_basic.csv")});
  REQUIRE(base.exit_code == 0);
  for (const char* f : {"batch/good_semicolon.csv", "batch/good_tab.tsv", "batch/good_bom_crlf.csv"}) {
    INFO(f);
    const auto r = t::co2e({"batch", fixture(f)});
    CHECK(r.exit_code == 0);
    CHECK(r.out == base.out);
  }
  // From standard input too.
  const auto piped = t::co2e({"batch"}, read_file(fixture("batch/good_semicolon.csv")));
  CHECK(piped.out == base.out);
}

TEST_CASE("co2e batch: Green Algorithms export", "[cli]") {
  const auto r = t::co2e({"batch", fixture("batch/good_ga_export.csv")});
  REQUIRE(r.exit_code == 0);
  const auto l = lines(r.out);
  REQUIRE(l.size() == 3);
  // The export's own figures (energy_needed, carbonEmissions in g) are carried; ours follow.
  CHECK(std::stod(results_of(l[1])[0]) == Approx(2.1310848));
  CHECK(std::stod(results_of(l[1])[1]) == Approx(0.49254).epsilon(1e-5));
  CHECK(std::stod(results_of(l[2])[0]) == Approx(2.7280512));
  CHECK(std::stod(results_of(l[2])[1]) == Approx(0.27280512));
}

TEST_CASE("co2e batch: JSON Lines in and out", "[cli]") {
  const auto r = t::co2e({"batch", fixture("batch/good_jsonl.jsonl"), "--format", "jsonl"});
  REQUIRE(r.exit_code == 0);
  const auto l = lines(r.out);
  REQUIRE(l.size() == 3);
  CHECK(l[1].starts_with("{\"name\":\"bloom-part\","));
  CHECK(l[1].find("\"energy_kwh\":40,\"co2e_kg\":2.28,") != std::string::npos);
  CHECK(l[2].find("\"status\":\"ok\"") != std::string::npos);
}

TEST_CASE("co2e batch: flags are defaults for missing cells", "[cli]") {
  const std::string in = "name,runtime,cores,core_power,pue\na,12h,12,7.5,\nb,12h,12,7.5,1\n";
  const auto r = t::co2e({"batch", "--memory", "64", "--pue", "1.56", "--intensity", "231.12"}, in);
  REQUIRE(r.exit_code == 0);
  const auto l = lines(r.out);
  CHECK(std::stod(results_of(l[1])[0]) == Approx(2.1310848));
  CHECK(std::stod(results_of(l[2])[0]) == Approx(1.36608));  // pue 1 from the cell
  // Environment variables too (1 h x 1 core x 10 W x PUE 1 = 0.01 kWh, x 100 g = 0.001 kg);
  // estimate's CO2E_FORMAT does not apply to batch.
  const auto env = t::co2e({"batch"}, "runtime,cores,core_power\n1h,1,10\n",
                           {"CO2E_PUE=1", "CO2E_INTENSITY=100", "CO2E_FORMAT=text"});
  CHECK(env.exit_code == 0);
  CHECK(results_of(lines(env.out)[1])[0] == "0.01");
  CHECK(results_of(lines(env.out)[1])[1] == "0.001");
}

TEST_CASE("co2e batch: --group-by totals in the reports", "[cli]") {
  const auto r = t::co2e({"batch", fixture("batch/good_basic.csv"), "--group-by", "model", "--format", "markdown"});
  REQUIRE(r.exit_code == 0);
  // bert: 2.1310848 + 3.6 kWh; bloom: 40 kWh; total 45.7310848 kWh, 3.132536318976 kg.
  // Components before PUE, all runs: CPU 12 h x 12 x 7.5 W = 1.08 kWh; GPU 2 h x 2 x 250 W x 3 runs
  // = 3 kWh (bert), 100 GPU-h x 400 W = 40 kWh (bloom); memory 64 GB x 0.3725 W x 12 h = 0.28608 kWh.
  // Ranges (issue 17): only uk-run's memory power is a default (0.08 to 0.6 W/GB); the rest is given.
  // uk-run: 1.56 × (1.08 + 64 × 12 × 0.08 / 1000) × 231.12 / 1000 = 0.411543 kg, with 0.6 W/GB
  // 0.555531 kg; gpu-psf 0.36 kg exact: bert 0.7715 to 0.9155; total + 2.28: 3.052 to 3.196.
  CHECK(r.out.find("| bert | 2 | 0 | 1.08 | 3 | 0.2861 | 5.731 | 0.8525 | 0.7715–0.9155 | 27.2% |\n") !=
        std::string::npos);
  CHECK(r.out.find("| bloom | 1 | 0 | 0 | 40 | 0 | 40 | 2.28 | 2.28–2.28 | 72.8% |\n") != std::string::npos);
  CHECK(r.out.find("| **total** | 3 | 0 | 1.08 | 43 | 0.2861 | **45.73** | **3.133** | 3.052–3.196 | 100% |\n") !=
        std::string::npos);
  // Every table row has as many cells as its header.
  std::size_t tables = 0;
  std::size_t columns = 0;
  for (const auto& line : lines(r.out)) {
    if (!line.starts_with("|")) {
      columns = 0;
      continue;
    }
    CHECK(line.ends_with("|"));
    std::size_t pipes = 0;
    for (std::size_t i = 0; i < line.size(); ++i)
      if (line[i] == '|' && (i == 0 || line[i - 1] != '\\')) ++pipes;
    if (columns == 0) {
      columns = pipes;
      ++tables;
    }
    CHECK(pipes == columns);
  }
  CHECK(tables == 3);  // totals, bert's rows, bloom's rows
  CHECK(r.out.find("## Equivalences") != std::string::npos);
  CHECK(r.out.find("## Methodology") != std::string::npos);
  CHECK(r.out.find("co2e 0.1.0") != std::string::npos);
}

TEST_CASE("co2e batch: the LaTeX report embeds its bibliography", "[cli]") {
  const auto r = t::co2e({"batch", fixture("batch/good_basic.csv"), "--group-by", "model", "--format", "latex"});
  REQUIRE(r.exit_code == 0);
  CHECK(r.out.find("\\begin{filecontents*}[overwrite]{co2e-references.bib}") != std::string::npos);
  CHECK(r.out.find("doi = {10.1002/advs.202100707}") != std::string::npos);
  CHECK(r.out.find("% ---- BEGIN APPENDIX ----") != std::string::npos);
  // Compiled, with the bibliography, by tests/cli/test_reports.cpp.
}

TEST_CASE("co2e batch: -o writes atomically", "[cli]") {
  TempDir dir;
  const std::string out = dir.path() + "/out.csv";
  SECTION("success: the file, and no temporary file left") {
    const auto r = t::co2e({"batch", fixture("batch/good_basic.csv"), "-o", out});
    CHECK(r.exit_code == 0);
    CHECK(r.out.empty());
    CHECK(read_file(out).starts_with(kBasicHeader));
    CHECK(std::distance(std::filesystem::directory_iterator(dir.path()), std::filesystem::directory_iterator()) == 1);
  }
  SECTION("--strict failure: the old file is untouched and nothing else is left") {
    dir.write("out.csv", "previous\n");
    const auto r = t::co2e({"batch", fixture("batch/bad_rows.csv"), "--strict", "-o", out});
    CHECK(r.exit_code == 2);
    CHECK(r.err ==
          "co2e: error: row 1, column runtime: \"12\": add a unit, e.g. 12h, 90m, 45s, 2d, 1d2h30m, 01:30:00 or "
          "SLURM's 2-03:00:00\n");
    CHECK(read_file(out) == "previous\n");
    CHECK(std::distance(std::filesystem::directory_iterator(dir.path()), std::filesystem::directory_iterator()) == 1);
  }
  SECTION("unwritable folder: exit 3") {
    const auto r = t::co2e({"batch", fixture("batch/good_basic.csv"), "-o", dir.path() + "/missing/out.csv"});
    CHECK(r.exit_code == 3);
    CHECK(r.err.starts_with("co2e: error: -o \"" + dir.path() + "/missing/out.csv\": cannot create "));
  }
}

TEST_CASE("co2e batch: bad rows are marked, counted, and exit 2", "[cli]") {
  const auto r = t::co2e({"batch", fixture("batch/bad_rows.csv")});
  CHECK(r.exit_code == 2);
  const auto l = lines(r.out);
  REQUIRE(l.size() == 7);
  CHECK(
      l[1].ends_with(",error,\"row 1, column runtime: \"\"12\"\": add a unit, e.g. 12h, 90m, 45s, 2d, 1d2h30m, "
                     "01:30:00 or SLURM's 2-03:00:00\""));
  CHECK(l[2].find(",error,\"row 2: cpu: ") != std::string::npos);
  CHECK(l[2].find("Nonexistium 9000") != std::string::npos);
  CHECK(l[3].find(",error,\"row 3: region: ") != std::string::npos);
  CHECK(l[3].find("Atlantis") != std::string::npos);
  CHECK(l[4].ends_with(
      ",error,\"row 4, column pue: \"\"0.5\"\" is below 1: a PUE is total facility power / IT power, so at least "
      "1 (1.0 for a personal computer)\""));
  CHECK(l[5].ends_with(",error,row 5: runtime is required with gpus or gpu (or give gpu_hours)"));
  CHECK(l[6].ends_with(",ok,"));
  // The summary names the first three failures, then counts the others.
  CHECK(r.err.starts_with("co2e batch: 6 rows, 1 ok, 5 failed; 24 Wh, 1.06 g CO2e\n  row 1, column runtime: \"12\": "));
  CHECK(r.err.find("\n  row 2: cpu: unknown CPU model \"Nonexistium 9000\"") != std::string::npos);
  CHECK(r.err.find("\n  row 3: region: unknown region \"Atlantis\"") != std::string::npos);
  CHECK(r.err.find("row 4, column pue") == std::string::npos);
  CHECK(r.err.ends_with("\n  ... and 2 more failed rows (status=error in the output)\n"));
}

TEST_CASE("co2e batch: bad input gives a clear message", "[cli]") {
  SECTION("empty input") {
    const auto r = t::co2e({"batch", fixture("batch/bad_empty.csv")});
    CHECK(r.exit_code == 2);
    CHECK(r.out.empty());
    CHECK(r.err ==
          "co2e: error: " + fixture("batch/bad_empty.csv") +
              ": empty input: the first line must name the columns (e.g. name,runtime,cores,core_power), or give JSON "
              "Lines (one {...} object per line)\n");
  }
  SECTION("header only: a warning, the header, exit 0") {
    const auto r = t::co2e({"batch", fixture("batch/bad_header_only.csv")});
    CHECK(r.exit_code == 0);
    CHECK(lines(r.out).size() == 1);
    CHECK(r.err == "co2e: warning: " + fixture("batch/bad_header_only.csv") +
                       ": no rows after the header\nco2e batch: 0 rows, 0 ok, 0 failed; 0 Wh, 0 g CO2e\n");
  }
  SECTION("missing required column: the time of each run") {
    const auto r = t::co2e({"batch", fixture("batch/bad_no_time.csv")});
    CHECK(r.exit_code == 2);
    CHECK(r.err ==
          "co2e: error: " + fixture("batch/bad_no_time.csv") +
              ": no column gives the time of each run: add a column runtime (e.g. 12h), core_hours or gpu_hours "
              "(runTime_hour in a Green Algorithms export), or give --runtime, --core-hours or --gpu-hours for every "
              "row (the header has: name, cores, core_power)\n");
    CHECK(t::co2e({"batch", fixture("batch/bad_no_time.csv"), "--runtime", "1h"}).exit_code == 0);
  }
  SECTION("duplicate columns") {
    const auto r = t::co2e({"batch", fixture("batch/bad_duplicate.csv")});
    CHECK(r.exit_code == 2);
    CHECK(r.err == "co2e: error: " + fixture("batch/bad_duplicate.csv") +
                       ": duplicate column \"cores\" (columns 3 and 4): rename one\n");
    const auto a = t::co2e({"batch", fixture("batch/bad_duplicate_alias.csv")});
    CHECK(a.exit_code == 2);
    CHECK(a.err == "co2e: error: " + fixture("batch/bad_duplicate_alias.csv") +
                       ": columns \"memory\" and \"memory_gb\" both give memory: keep one\n");
  }
  SECTION("ragged rows") {
    const auto r = t::co2e({"batch", fixture("batch/bad_ragged.csv")});
    CHECK(r.exit_code == 2);
    const auto l = lines(r.out);
    REQUIRE(l.size() == 5);
    CHECK(l[2].ends_with(",error,row 2 (line 3): 3 fields where the header has 6"));
    CHECK(l[3].ends_with(",error,row 3 (line 4): 7 fields where the header has 6"));
    CHECK(r.err ==
          "co2e batch: 4 rows, 2 ok, 2 failed; 30 Wh, 3 g CO2e\n  row 2 (line 3): 3 fields where the header has 6\n"
          "  row 3 (line 4): 7 fields where the header has 6\n");
  }
  SECTION("embedded NUL bytes") {
    const auto r = t::co2e({"batch", fixture("batch/bad_nul.csv")});
    CHECK(r.exit_code == 2);
    CHECK(lines(r.out)[2] ==
          "binary,1h,1,10,100,1,,,,,,,,,,,,,,,,,,,,,,,,,,error,\"row 2, column name: a NUL byte in the value (binary "
          "data?)\"");
    const auto h = t::co2e({"batch"}, std::string("na\0me,runtime\n", 14));
    CHECK(h.exit_code == 3);
    CHECK(h.err ==
          "co2e: error: standard input: line 1: NUL byte in the header: is this a binary file? batch reads CSV or JSON "
          "Lines text\n");
  }
  SECTION("unterminated quote") {
    const auto r = t::co2e({"batch", fixture("batch/bad_unterminated.csv")});
    CHECK(r.exit_code == 2);
    const auto l = lines(r.out);
    CHECK(l.back().ends_with(",error,row 2 (line 3): a quoted field opened on line 3 is never closed"));
  }
  SECTION("a 1 MB field is carried; a 1 MB number is refused, quoted short") {
    const std::string big(1 << 20, 'x');
    const auto r = t::co2e({"batch"}, "name,runtime,cores,core_power\n" + big + ",1h,1,10\n");
    CHECK(r.exit_code == 0);
    CHECK(r.out.find("\n" + big + ",1h,1,10,0.0156,0.007377864,") !=
          std::string::npos);  // 1 h x 10 W x PUE 1.56 x 472.94 g (defaults; Ember's world 2024)
    const std::string digits(1 << 20, '7');
    const auto d = t::co2e({"batch"}, "name,runtime,cores,core_power\nbig,1h," + digits + ",10\n");
    CHECK(d.exit_code == 2);
    CHECK(d.out.find(",error,\"row 1, column cores: \"\"" + std::string(80, '7') +
                     "...\"\" is too large (at most 1000000000)\"") != std::string::npos);
  }
  SECTION("unknown columns are carried, not errors") {
    const auto r = t::co2e({"batch"}, "colour,runtime,cores,core_power,pue,intensity\nblue,1h,1,10,1,100\n");
    CHECK(r.exit_code == 0);
    CHECK(lines(r.out)[1].starts_with("blue,1h,1,10,1,100,0.01,0.001,"));
  }
  SECTION("a missing input file: exit 3") {
    const auto r = t::co2e({"batch", "/nonexistent/runs.csv"});
    CHECK(r.exit_code == 3);
    CHECK(r.err == "co2e: error: /nonexistent/runs.csv: cannot open: No such file or directory\n");
  }
  SECTION("bad --format and --group-by") {
    const auto f = t::co2e({"batch", fixture("batch/good_basic.csv"), "--format", "xlsx"});
    CHECK(f.exit_code == 2);
    CHECK(f.err == "co2e: error: --format: \"xlsx\" is not a batch format (accepted: csv, jsonl, markdown, latex)\n");
    const auto g = t::co2e({"batch", fixture("batch/good_basic.csv"), "--group-by", "modle"});
    CHECK(g.exit_code == 2);
    CHECK(g.err == "co2e: error: " + fixture("batch/good_basic.csv") +
                       ": --group-by: no column \"modle\" in the header (columns: name, model, runtime, cores, "
                       "core_power, memory, "
                       "pue, intensity, gpu_hours, gpu_power, gpus, psf)\n");
  }
}

TEST_CASE("co2e batch: intensity_basis column and the report's count of bases", "[cli]") {
  // 1 h x 4 cores x 10 W x PUE 1 = 0.04 kWh. Victoria, NGA Factors 2025: direct 780 g/kWh ->
  // 31.2 g; lifecycle 780 + 90 = 870 g/kWh -> 34.8 g. US-SC has only a direct figure (eGRID2023:
  // 557.173 lb/MWh x 0.45359237 = 252.73 g/kWh): the default lifecycle basis falls back to it -> 10.1092 g.
  const std::string input =
      "name,runtime,cores,core_power,pue,region,intensity_basis\n"
      "a,1h,4,10,1,AU-VIC,direct\n"
      "b,1h,4,10,1,AU-VIC,lifecycle\n"
      "c,1h,4,10,1,US-SC,\n";
  auto r = t::co2e({"batch", "-"}, input);
  REQUIRE(r.exit_code == 0);
  CHECK_THAT(r.out, Contains("\na,1h,4,10,1,AU-VIC,direct,0.04,0.0312,"));
  CHECK_THAT(r.out, Contains("\nb,1h,4,10,1,AU-VIC,lifecycle,0.04,0.0348,"));
  CHECK_THAT(r.out, Contains("\nc,1h,4,10,1,US-SC,,0.04,0.0101092,"));
  r = t::co2e({"batch", "-", "--format", "markdown"}, input);
  REQUIRE(r.exit_code == 0);
  CHECK_THAT(r.out, Contains("Of the factors from the tables, 1 were on a lifecycle basis and 2 direct"));
  CHECK_THAT(r.out, Contains("1 used the other basis because their place has no figure on the one requested."));
  r = t::co2e({"batch", "-"}, "runtime,cores,core_power,region,intensity_basis\n1h,1,10,FR,scope2\n");
  CHECK(r.exit_code == 2);
  CHECK_THAT(r.out, Contains("column intensity_basis: \"\"scope2\"\" is not a basis"));
}
