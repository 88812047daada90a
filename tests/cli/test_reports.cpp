// Black-box tests of the paper-ready reports (issue 20): `co2e batch --format latex|markdown
// --plot`, `co2e slurm --format markdown --plot` and `co2e estimate --format latex|markdown`. The
// LaTeX reports are compiled (pdflatex, bibtex) and fail on any overfull box over 1 pt; the SVG
// charts are rendered to PNG (rsvg-convert) and must show the parts' colours.
#include <unistd.h>
#include <catch2/catch.hpp>
#include <cstdlib>
#include <filesystem>
#include <nlohmann/json.hpp>
#include <regex>
#include <string_view>

#include "support.hpp"

namespace t = co2e::test;
using Catch::Matchers::Contains;
using Catch::Matchers::StartsWith;
using co2e::test::fixture;
using co2e::test::read_file;
using co2e::test::TempDir;

namespace {

/// Whether the tool at `path` is installed. In CI (CI=true), which installs every tool the tests
/// use (scripts/install-deps.sh), a missing one fails the test instead of skipping the check.
bool have(const char* path, const char* package) {
  if (access(path, X_OK) == 0) return true;
  const char* ci = std::getenv("CI");
  if (ci != nullptr && std::string_view(ci) == "true")
    FAIL(std::string(path) + " is missing and CI=true: install " + package + " (scripts/install-deps.sh)");
  return false;
}

/// Compiles `dir`/report.tex as a user would (pdflatex, bibtex, pdflatex) and returns the
/// messages of the last run's log that fail the test: errors, and overfull boxes over 1 pt.
/// Empty when pdflatex is not installed (with a warning saying so).
std::vector<std::string> compile_problems(const TempDir& dir) {
  const char* tex_packages = "texlive-latex-base texlive-latex-recommended texlive-pictures";
  if (!have("/usr/bin/pdflatex", tex_packages) || !have("/usr/bin/bibtex", tex_packages)) {
    WARN(
        "pdflatex/bibtex not installed (Debian: texlive-latex-base texlive-latex-recommended texlive-pictures, "
        "scripts/install-deps.sh): the LaTeX report was not compiled");
    return {};
  }
  const auto tex = t::run_program(
      "/bin/sh", {"-c", "cd '" + dir.path() +
                            "' && pdflatex -interaction=nonstopmode -halt-on-error report.tex >/dev/null && bibtex "
                            "report >bibtex.out && pdflatex -interaction=nonstopmode -halt-on-error report.tex"});
  std::vector<std::string> problems;
  if (tex.exit_code != 0)
    problems.push_back(
        "pdflatex or bibtex failed: " + tex.out.substr(tex.out.size() > 3000 ? tex.out.size() - 3000 : 0) +
        read_file(dir.path() + "/bibtex.out"));
  const std::string log = read_file(dir.path() + "/report.log");
  static const std::regex overfull(R"(Overfull \\hbox \(([0-9.]+)pt too wide\)[^\n]*)");
  for (std::sregex_iterator it(log.begin(), log.end(), overfull), end; it != end; ++it)
    if (std::stod((*it)[1]) > 1.0) problems.push_back(it->str());
  return problems;
}

/// `ink=... colours=... #RRGGBB=N ...` of an SVG rendered to PNG, or "" without rsvg-convert.
/// `colours`: the parts' colours to count (CPU, GPU, memory and the PUE overhead unless given).
std::string render_png(const TempDir& dir, const std::string& svg,
                       std::vector<std::string> colours = {"#0072B2", "#E69F00", "#009E73", "#999999"}) {
  if (!have("/usr/bin/rsvg-convert", "librsvg2-bin")) {
    WARN("rsvg-convert not installed (Debian: librsvg2-bin): the SVG chart was not rendered");
    return {};
  }
  const std::string png = dir.path() + "/chart.png";
  const auto conv = t::run_program("/usr/bin/rsvg-convert", {"-o", png, svg});
  INFO(conv.err);
  REQUIRE(conv.exit_code == 0);
  std::vector<std::string> args{std::string(CO2E_SOURCE_DIR) + "/tests/report/png_ink.py", png};
  args.insert(args.end(), colours.begin(), colours.end());
  const auto ink = t::run_program("/usr/bin/python3", args);
  INFO(ink.err);
  REQUIRE(ink.exit_code == 0);
  return ink.out;
}

/// The pixel count of `colour` in render_png()'s answer.
long pixels(const std::string& ink, const std::string& colour) {
  const auto at = ink.find(colour + "=");
  return at == std::string::npos ? -1 : std::stol(ink.substr(at + colour.size() + 1));
}

const std::string kExperiments = "batch/bad_experiments.csv";

}  // namespace

TEST_CASE("batch report: the 20-run experiments fixture as LaTeX compiles, fits the page, cites, explains", "[cli]") {
  TempDir dir;
  const auto r = t::co2e({"batch", fixture(kExperiments), "--group-by", "model", "--format", "latex", "-o",
                          dir.path() + "/report.tex", "--plot", dir.path() + "/report.svg"});
  // Three rows fail (a missing runtime, a typo'd GPU twice): exit 2, and stderr names them.
  CHECK(r.exit_code == 2);
  CHECK_THAT(r.err, Contains("2 rows with every cell empty skipped (a spreadsheet's trailing ,,, lines)"));
  CHECK_THAT(r.err, Contains("co2e batch: 20 rows, 17 ok, 3 failed; "));
  CHECK_THAT(r.err, Contains("\n  row 7: runtime is required with cores or cpu (or give core_hours)\n"));
  CHECK_THAT(r.err, Contains("\n  row 16: gpu: unknown GPU model \"Tesal V100\""));
  const std::string tex = read_file(dir.path() + "/report.tex");
  // Failed rows explained: the group of two typo'd rows is n/a, not 0, and each row has its reason.
  CHECK_THAT(tex, Contains("vit-\\allowbreak{}large & 2 & 2 & n/a$^b$"));
  CHECK_THAT(tex, Contains("\\label{tab:co2e-failed}"));
  CHECK_THAT(tex, Contains("16 & vit-\\allowbreak{}large-\\allowbreak{}s1 (vit-\\allowbreak{}large) & row 16: "));
  // The chart, as pgfplots, with one bar per model.
  CHECK_THAT(tex, Contains("\\begin{tikzpicture}"));
  CHECK_THAT(tex, Contains("yticklabels={{resnet50},{bert-\\allowbreak{}base (1 of 5 failed)},"));
  // Part columns say their basis.
  CHECK_THAT(tex, Contains("\\multicolumn{3}{c}{kWh, before PUE}"));
  const auto problems = compile_problems(dir);
  for (const auto& p : problems) FAIL_CHECK(p);
  if (!std::filesystem::exists(dir.path() + "/report.bbl")) return;  // not compiled (warned)
  CHECK(std::filesystem::exists(dir.path() + "/report.pdf"));
  // The bibliography: every entry has a URL (or is the journal article, with its DOI URL), titles keep
  // their case (plain lowercases what is not braced), and no entry is a bare URL.
  const std::string bbl = read_file(dir.path() + "/report.bbl");
  CHECK_THAT(bbl, Contains("{Specifications of NVIDIA H100 SXM5 80GB}"));
  CHECK_THAT(bbl, Contains("{EPA eGRID2023 rev. 2 (2025-06-12)}"));  // US-CA's figure (release 2026-11)
  std::size_t items = 0;
  for (auto at = bbl.find("\\bibitem"); at != std::string::npos; at = bbl.find("\\bibitem", at + 1)) {
    ++items;
    const auto next = bbl.find("\\bibitem", at + 1);
    const std::string entry = bbl.substr(at, next == std::string::npos ? std::string::npos : next - at);
    INFO(entry);
    CHECK((entry.find("\\url{http") != std::string::npos || entry.find("doi") != std::string::npos));
    CHECK(entry.find("\\newblock {http") == std::string::npos);  // a title that is a URL
  }
  CHECK(items >= 8);
}

TEST_CASE("batch report: long unbroken names, two group columns, every part column: still within the margin", "[cli]") {
  TempDir dir;
  const auto r = t::co2e({"batch", fixture("batch/bad_wide_names.csv"), "--group-by",
                          "experiment_configuration_name_that_is_long,seed", "--format", "latex", "-o",
                          dir.path() + "/report.tex", "-q"});
  CHECK(r.exit_code == 2);  // row 4: a runtime without a unit
  const std::string tex = read_file(dir.path() + "/report.tex");
  CHECK_THAT(tex, Contains("\\multicolumn{4}{c}{kWh, before PUE}"));  // CPU, GPU, memory and the known energy
  CHECK_THAT(tex, Contains(" & known & energy$^a$ & "));
  for (const auto& p : compile_problems(dir)) FAIL_CHECK(p);
}

TEST_CASE("batch report: Markdown links the chart; the chart renders with every part's colour", "[cli]") {
  TempDir dir;
  std::filesystem::create_directory(dir.path() + "/figures");
  const auto r = t::co2e({"batch", fixture(kExperiments), "--group-by", "model", "--format", "markdown", "-o",
                          dir.path() + "/report.md", "--plot", dir.path() + "/figures/co2e.svg", "-q"});
  CHECK(r.exit_code == 2);
  const std::string md = read_file(dir.path() + "/report.md");
  CHECK_THAT(md, StartsWith("# Carbon footprint of 17 computations\n"));
  CHECK_THAT(md, Contains("\n![CO2e by component](figures/co2e.svg)\n"));  // relative to the report
  CHECK_THAT(md, Contains("| model | rows | failed | CPU (kWh, before PUE) |"));
  CHECK_THAT(md, Contains("| vit-large | 2 | 2 | n/a |"));
  CHECK_THAT(md, Contains("| 17 | vit-large-s2 | vit-large | row 17: gpu: unknown GPU model \"Tesal V100\""));
  const std::string svg = read_file(dir.path() + "/figures/co2e.svg");
  CHECK_THAT(svg, Contains(">vit-large (all 2 failed)</text>"));
  CHECK_THAT(svg, Contains(">no estimate</text>"));
  const std::string ink = render_png(dir, dir.path() + "/figures/co2e.svg");
  if (ink.empty()) return;
  INFO(ink);
  // Not blank, and each part drawn: CPU, GPU and memory (the fixture has all three) and the overhead.
  for (const char* colour : {"#0072B2", "#E69F00", "#009E73", "#999999"}) CHECK(pixels(ink, colour) > 20);
}

TEST_CASE("batch report: the whole footprint in the chart, the tables and the LaTeX figure", "[cli]") {
  // good_footprint.csv: model a with server overhead, storage and network; model b with server
  // overhead, network and embodied emissions (tests/unit/test_batch.cpp computes each part by hand).
  TempDir dir;
  const std::string svg = dir.path() + "/chart.svg";
  const auto r = t::co2e({"batch", fixture("batch/good_footprint.csv"), "--group-by", "model", "--format", "latex",
                          "-o", dir.path() + "/report.tex", "--plot", svg});
  REQUIRE(r.exit_code == 0);
  // 11.718 + 3.9 + 1.08 kWh; 2.3436 + 0.39 + 0.108 = 2.8416 kg, + 13250 / 44676 kg embodied = 3.138 kg.
  CHECK(r.err ==
        "co2e batch: 3 rows, 3 ok, 0 failed; 16.7 kWh, 2.842 kg CO2e operational, 3.138 kg CO2e with embodied "
        "emissions\n");
  const std::string chart = read_file(svg);
  // Each part a segment with its value; the bars end at total_co2e_kg: a 2.3436 kg, b 0.39 + 0.108
  // kg operational + 13250 / 44676 kg embodied = 0.79458 kg.
  CHECK_THAT(chart, Contains("<title>server overhead: 0.2 kg CO2e</title>"));
  CHECK_THAT(chart, Contains("<title>storage: 0.0024 kg CO2e</title>"));
  CHECK_THAT(chart, Contains("<title>data-centre overhead: 0.7412 kg CO2e</title>"));  // 0.5 × 7.412 kWh × 0.2
  CHECK_THAT(chart, Contains("<title>network: 0.12 kg CO2e</title>"));
  CHECK_THAT(chart, Contains("<title>embodied: 0.2966 kg CO2e</title>"));
  CHECK_THAT(chart, Contains(">2.344</text>"));
  CHECK_THAT(chart, Contains(">0.7946</text>"));
  CHECK_THAT(chart, Contains(">network (no PUE)</text>"));
  CHECK_THAT(chart, Contains(">embodied (manufacturing, amortised)</text>"));
  CHECK_THAT(chart, !Contains("measured or given energy"));  // no row has one
  const std::string tex = read_file(dir.path() + "/report.tex");
  CHECK_THAT(tex, Contains("\\multicolumn{5}{c}{kWh, before PUE}"));  // CPU, GPU, memory, server, storage
  CHECK_THAT(tex, Contains(" & server & storage & energy$^a$ & "));
  CHECK_THAT(tex, Contains("\\addlegendentry{embodied (manufacturing, amortised)}"));
  CHECK_THAT(tex, Contains("embodied emissions (manufacturing, amortised) & 0.2966 & kg CO2e"));
  // Every entry of the embedded .bib (the whole footprint's sources too: BLOOM, Aslan et al., Cloud
  // Carbon Footprint) has an author, a title, a year and a URL; co2e's own entry its address.
  const auto bib_at = tex.find("{co2e-references.bib}\n");
  REQUIRE(bib_at != std::string::npos);
  const std::string bib = tex.substr(bib_at, tex.find("\\end{filecontents*}") - bib_at);
  std::size_t entries = 0;
  for (auto at = bib.find("\n@"); at != std::string::npos; at = bib.find("\n@", at + 1)) {
    ++entries;
    const auto next = bib.find("\n@", at + 1);
    const std::string entry = bib.substr(at, next == std::string::npos ? std::string::npos : next - at);
    INFO(entry);
    for (const char* field : {"\n  author = {", "\n  title = {", "\n  year = {", "\n  url = {http"})
      CHECK_THAT(entry, Contains(field));
  }
  CHECK(entries >= 7);  // Lannelongue, OWID, co2e, and the sources of network, storage, server overhead, embodied
  CHECK_THAT(bib, Contains("@misc{co2e,\n"));
  CHECK_THAT(bib, Contains("  url = {https://github.com/co2e/co2e},\n"));  // CMakeLists.txt's HOMEPAGE_URL
  CHECK_THAT(bib, Contains("  author = {Aslan and Mayers and Koomey and France},\n"));
  CHECK_THAT(bib, Contains("  url = {https://jmlr.org/papers/v24/23-0069.html},\n"));
  for (const auto& p : compile_problems(dir)) FAIL_CHECK(p);
  const std::string ink = render_png(dir, svg, {"#E69F00", "#56B4E9", "#999999", "#D55E00", "#000000"});
  if (ink.empty()) return;
  INFO(ink);
  // GPU, server overhead, PUE overhead, network and embodied are each drawn (the legend's swatch
  // alone is 144 pixels: more means a bar segment too).
  for (const char* colour : {"#E69F00", "#56B4E9", "#999999", "#D55E00"}) CHECK(pixels(ink, colour) > 200);
  CHECK(pixels(ink, "#000000") > 0);  // black: the text too
}

TEST_CASE("slurm report: --format markdown --plot links the chart: groups and days, rendered", "[cli]") {
  TempDir dir;
  const std::string svg = dir.path() + "/jobs.svg";
  const auto r = t::co2e({"slurm", "--sacct-file", fixture("slurm/good_basic.txt"), "--cluster",
                          fixture("slurm/good_cluster.json"), "--format", "markdown", "--plot", svg});
  REQUIRE(r.exit_code == 0);
  CHECK_THAT(r.out, StartsWith("# SLURM carbon footprint, cluster testhpc\n\n![CO2e by component](" + svg + ")\n"));
  CHECK_THAT(r.out, Contains("|   CPU (before PUE) | 65 Wh |"));
  const std::string chart = read_file(svg);
  CHECK_THAT(chart, Contains(">CO2e per user (kg), by component</text>"));
  CHECK_THAT(chart, Contains(">CO2e per day (kg), by component</text>"));
  CHECK_THAT(chart, Contains(">2024-03-02</text>"));
  const std::string ink = render_png(dir, svg);
  if (ink.empty()) return;
  INFO(ink);
  for (const char* colour : {"#0072B2", "#E69F00", "#999999"}) CHECK(pixels(ink, colour) > 20);
}

TEST_CASE("slurm --plot with a cluster's whole footprint: server and embodied parts, bars at total_co2e_kg", "[cli]") {
  TempDir dir;
  const std::string svg = dir.path() + "/jobs.svg";
  const auto r = t::co2e({"slurm", "--sacct-file", fixture("slurm/good_basic.txt"), "--cluster",
                          fixture("slurm/good_cluster_footprint.json"), "--format", "json", "--plot", svg});
  REQUIRE(r.exit_code == 0);
  const auto j = nlohmann::json::parse(r.out);
  const std::string chart = read_file(svg);
  // bob's GPU job (partition gpu: 500 W per node beyond the chips, 2,000 kg per node and 150 kg per GPU
  // over 5 years at 50 % use = 21,900 h): 1 node-hour × 500 W = 0.5 kWh before PUE, at 200 g/kWh
  // 0.1 kg; embodied (2,000 × 1 + 150 × 2 GPU-hours) / 21,900 = 0.105 kg.
  CHECK_THAT(chart, Contains("<title>server overhead: 0.1 kg CO2e</title>"));
  CHECK_THAT(chart, Contains("<title>embodied: 0.105 kg CO2e</title>"));
  CHECK_THAT(chart, Contains("<title>2024-03-02 embodied: 0.105 kg CO2e</title>"));  // the per-day panel too
  // The user bars (bob, alice) end at their totals; together the jobs' total_co2e_kg.
  static const std::regex bar_end(R"(<text x="[0-9.]+" y="[0-9.]+">([0-9.]+)</text>)");
  double sum = 0;
  const std::string users = chart.substr(0, chart.find("CO2e per day"));
  for (std::sregex_iterator it(users.begin(), users.end(), bar_end), end; it != end; ++it) sum += std::stod((*it)[1]);
  CHECK(sum == Approx(j["total_co2e_kg"].get<double>()).epsilon(1e-3));
  CHECK(j["total_co2e_kg"].get<double>() == Approx(j["co2e_kg"].get<double>() + 2300.0 / 21900));
}

TEST_CASE("batch and slurm --plot: not standard output, and an unwritable chart leaves no report", "[cli]") {
  TempDir dir;
  auto r = t::co2e({"batch", fixture(kExperiments), "--format", "markdown", "--plot", "-"});
  CHECK(r.exit_code == 2);
  CHECK_THAT(r.err, Contains("--plot -: standard output holds the rows or the report; give a file name"));
  r = t::co2e({"batch", fixture("batch/good_basic.csv"), "--format", "markdown", "-o", dir.path() + "/r.md", "--plot",
               dir.path() + "/missing/c.svg"});
  CHECK(r.exit_code == 3);
  CHECK_THAT(r.err, Contains("--plot \"" + dir.path() + "/missing/c.svg\": cannot create"));
  CHECK_FALSE(std::filesystem::exists(dir.path() + "/r.md"));
  r = t::co2e({"slurm", "--sacct-file", fixture("slurm/good_basic.txt"), "--plot", "-"});
  CHECK(r.exit_code == 2);
}

TEST_CASE("estimate --format latex|markdown: a citable single estimate", "[cli]") {
  const std::vector<std::string> args{"estimate",  "--runtime", "12h",     "--gpus",   "4",
                                      "--gpu",     "A100",      "--cores", "16",       "--cpu",
                                      "EPYC 7763", "--memory",  "64G",     "--region", "aws:eu-west-3"};
  SECTION("markdown: the table, then the methodology and the references") {
    auto a = args;
    a.insert(a.end(), {"--format", "markdown"});
    const auto r = t::co2e(a);
    REQUIRE(r.exit_code == 0);
    CHECK_THAT(r.out, StartsWith("| co2e estimate | |\n"));
    CHECK_THAT(r.out, Contains("\n## Methodology\n\nEnergy use and greenhouse-gas emissions were estimated"));
    CHECK_THAT(r.out, Contains("In total, 1 computation used "));
    CHECK_THAT(r.out, Contains("\n## References\n\n- Lannelongue, L."));
    CHECK_THAT(r.out, Contains("\n- AMD (2021). AMD product specifications via CodeCarbon"));
    CHECK_THAT(r.out, Contains("\n- NVIDIA (2020). Specifications of NVIDIA A100 SXM4 40GB. https://www.nvidia.com/"));
  }
  SECTION("latex with the whole footprint: each part with its basis, the embodied emissions after the total") {
    // By hand: GPU 2 × 300 W × 10 h = 6 kWh, server 100 W × 10 h = 1 kWh, before PUE 1.5; network
    // 10 GB × 0.06 = 0.6 kWh without PUE: 1.5 × 7 + 0.6 = 11.1 kWh, 2.22 kg at 200 g/kWh; the PUE
    // overhead 3.5 kWh; embodied (150 kg × 20 GPU-h + 2,500 kg × 10 node-h) / 44,676 h = 0.6267 kg.
    const auto r = t::co2e({"estimate", "--runtime",      "10h",  "--gpus",
                            "2",        "--gpu-power",    "300",  "--pue",
                            "1.5",      "--intensity",    "200",  "--nodes",
                            "1",        "--node-power",   "100",  "--transfer",
                            "10G",      "--embodied-gpu", "150",  "--server-embodied",
                            "2500",     "--format",       "latex"});
    REQUIRE(r.exit_code == 0);
    CHECK_THAT(r.out, Contains("\nserver overhead (before PUE) & 1 & 9.0\\% & 0.2 \\\\\n"));
    CHECK_THAT(r.out, Contains("\ndata-centre overhead (from PUE) & 3.5 & 31.5\\% & 0.7 \\\\\n"));
    CHECK_THAT(r.out, Contains("\nnetwork (no PUE) & 0.6 & 5.4\\% & 0.12 \\\\\n"));
    CHECK_THAT(r.out, Contains("\nOperational total (with PUE 1.5) & 11.1 & 100\\% & 2.22 \\\\\n"));
    CHECK_THAT(r.out, Contains("\nembodied (manufacturing, amortised) & -- & -- & 0.6267 \\\\\n"));
    CHECK_THAT(r.out, Contains("\nTotal with embodied & & & 2.847 \\\\\n"));
    TempDir dir;
    dir.write("report.tex", r.out);
    for (const auto& p : compile_problems(dir)) FAIL_CHECK(p);
  }
  SECTION("latex: compiles without an overfull box, with its bibliography") {
    auto a = args;
    a.insert(a.end(), {"--format", "latex"});
    const auto r = t::co2e(a);
    REQUIRE(r.exit_code == 0);
    CHECK_THAT(r.out, Contains("\\label{tab:co2e-breakdown}"));
    CHECK_THAT(r.out, Contains("GPU (before PUE) & "));
    TempDir dir;
    dir.write("report.tex", r.out);
    for (const auto& p : compile_problems(dir)) FAIL_CHECK(p);
  }
}
