// Unit tests of the parts table and the chart renderers (co2e/chart.hpp).
#include <catch2/catch.hpp>
#include <string>

#include "co2e/chart.hpp"

using namespace co2e;

namespace {

std::size_t count_of(const std::string& text, const std::string& what) {
  std::size_t n = 0;
  for (auto at = text.find(what); at != std::string::npos; at = text.find(what, at + 1)) ++n;
  return n;
}

double part(const PartValues& v, Part p) { return v[static_cast<std::size_t>(p)]; }

/// The four parts of the Green Algorithms model, all runs, before PUE.
PartEnergies it(double cpu, double gpu, double memory, double known) {
  return {.cpu_kwh = cpu, .gpu_kwh = gpu, .memory_kwh = memory, .known_kwh = known};
}

}  // namespace

TEST_CASE("split_co2e", "[unit]") {
  SECTION("IT parts at the footprint's own factor, the PUE overhead as the rest") {
    // 1 + 2 + 1 kWh before PUE, PUE 1.5: 6 kWh; 3 kg CO2e is 0.5 kg/kWh.
    const PartValues v = split_co2e(it(1, 2, 1, 0), 6, 3);
    CHECK(part(v, Part::cpu) == Approx(0.5));
    CHECK(part(v, Part::gpu) == Approx(1.0));
    CHECK(part(v, Part::memory) == Approx(0.5));
    CHECK(part(v, Part::known) == 0);
    CHECK(part(v, Part::pue_overhead) == Approx(1.0));  // (6 − 4) kWh × 0.5
  }
  SECTION("a known energy that already holds the facility: no overhead") {
    const PartValues v = split_co2e(it(0, 0, 0, 10), 10, 2);
    CHECK(part(v, Part::known) == Approx(2.0));
    CHECK(part(v, Part::pue_overhead) == 0);
  }
  SECTION("the whole footprint: server, storage, network (no PUE) and embodied (no energy)") {
    // By hand: 1 + 2 + 1 kWh of chips, 0.5 kWh server overhead and 0.5 kWh storage before PUE,
    // PUE 1.5, 1 kWh of network transfers without PUE: 1.5 × 5 + 1 = 8.5 kWh; at 0.4 kg/kWh,
    // 3.4 kg CO2e operational; 2 kg embodied.
    const PartEnergies e{
        .cpu_kwh = 1, .gpu_kwh = 2, .memory_kwh = 1, .server_kwh = 0.5, .storage_kwh = 0.5, .network_kwh = 1};
    const PartValues v = split_co2e(e, 8.5, 3.4, 2);
    CHECK(part(v, Part::cpu) == Approx(0.4));
    CHECK(part(v, Part::gpu) == Approx(0.8));
    CHECK(part(v, Part::server) == Approx(0.2));
    CHECK(part(v, Part::storage) == Approx(0.2));
    CHECK(part(v, Part::pue_overhead) == Approx(1.0));  // 0.5 × 5 kWh × 0.4: network has no PUE share
    CHECK(part(v, Part::network) == Approx(0.4));
    CHECK(part(v, Part::embodied) == Approx(2.0));
    double sum = 0;
    for (double x : v) sum += x;
    CHECK(sum == Approx(5.4));  // total_co2e_kg: 3.4 + 2
    const PartValues kwh = split_energy(e, 8.5);
    CHECK(part(kwh, Part::pue_overhead) == Approx(2.5));
    CHECK(part(kwh, Part::embodied) == 0);
  }
  SECTION("embodied only (no energy): the embodied part alone") {
    const PartValues v = split_co2e(it(0, 0, 0, 0), 0, 0, 1.5);
    CHECK(part(v, Part::embodied) == 1.5);
    CHECK(part(v, Part::pue_overhead) == 0);
  }
  SECTION("no energy: nothing") { CHECK(split_co2e(it(0, 0, 0, 0), 0, 0) == PartValues{}); }
}

TEST_CASE("parts", "[unit]") {
  REQUIRE(parts().size() == kPartCount);
  for (std::size_t i = 0; i < kPartCount; ++i) CHECK(static_cast<std::size_t>(parts()[i].part) == i);
  CHECK(part_info(Part::cpu).basis == "before PUE");
  CHECK(part_info(Part::pue_overhead).basis == "from PUE");
  // Component columns say whether they are before or after PUE (issue 20), the whole footprint's too.
  CHECK(part_info(Part::server).kind == PartBasis::before_pue);
  CHECK(part_info(Part::storage).kind == PartBasis::before_pue);
  CHECK(part_info(Part::network).basis == "no PUE");
  CHECK(part_info(Part::embodied).kind == PartBasis::not_energy);
}

TEST_CASE("render_chart_svg", "[unit]") {
  StackedBars c;
  c.title = "CO2e per model (kg), by component";
  c.axis = "kg CO2e";
  c.categories = {"bert & <gpt>", "vit"};
  c.values = {split_co2e(it(1, 2, 1, 0), 6, 3), PartValues{}};
  c.no_estimate = {false, true};
  c.notes = {"1 row not estimated"};
  const std::string svg = render_chart_svg(std::span(&c, 1), "co2e batch: chart");
  CHECK(svg.starts_with("<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n<svg xmlns=\"http://www.w3.org/2000/svg\""));
  CHECK(svg.ends_with("</svg>\n"));
  CHECK(svg.find("<title>co2e batch: chart</title>") != std::string::npos);
  CHECK(svg.find(">bert &amp; &lt;gpt&gt;</text>") != std::string::npos);  // escaped
  // One bar segment per non-zero part (CPU, GPU, memory, overhead), each with its tooltip.
  CHECK(count_of(svg, "<title>") == 1 + 4);
  CHECK(svg.find("<title>GPU: 1 kg CO2e</title>") != std::string::npos);
  CHECK(svg.find(">3</text>") != std::string::npos);  // the bar's total
  CHECK(svg.find(">no estimate</text>") != std::string::npos);
  CHECK(svg.find(">1 row not estimated</text>") != std::string::npos);
  // The legend: the four used parts, with their basis; not the unused one.
  CHECK(svg.find(">CPU (before PUE)</text>") != std::string::npos);
  CHECK(svg.find(">data-centre overhead (from PUE)</text>") != std::string::npos);
  CHECK(svg.find("measured or given energy") == std::string::npos);
}

TEST_CASE("render_chart_pgfplots", "[unit]") {
  StackedBars c;
  c.axis = "kg CO2e";
  c.categories = {"NVIDIA_A100", "b"};
  c.values = {split_co2e(it(1, 2, 1, 0), 6, 3), split_co2e(it(0, 1, 0, 0), 1, 0.25)};
  const std::string tex = render_chart_pgfplots(c);
  CHECK(tex.starts_with("\\begin{tikzpicture}\n"));
  CHECK(tex.find("xbar stacked, scale only axis") != std::string::npos);
  CHECK(tex.find("yticklabels={{NVIDIA\\_\\allowbreak{}A100},{b}},") != std::string::npos);
  CHECK(tex.find("\\addplot[fill=co2e1, draw=none] coordinates { (1,0) (0.25,1)};") != std::string::npos);  // GPU
  CHECK(tex.find("\\addlegendentry{data-centre overhead (from PUE)}") != std::string::npos);
  CHECK(count_of(tex, "\\addplot") == 4);
}

TEST_CASE("tex_breakable", "[unit]") {
  CHECK(tex_escape("a_b & 50%") == "a\\_b \\& 50\\%");
  CHECK(tex_breakable("a-b c") == "a-\\allowbreak{}b c");
  CHECK(tex_breakable("abcdefghijklmnop") == "abcdefghijkl\\allowbreak{}mnop");
}
