// The one table of result columns (render.hpp): what every estimate renderer writes.
#include <fmt/format.h>
#include <algorithm>
#include <catch2/catch.hpp>
#include <fstream>
#include <set>
#include <sstream>

#include "co2e/batch.hpp"
#include "co2e/render.hpp"

using namespace co2e;

TEST_CASE("result_columns", "[unit]") {
  SECTION("names are unique and distinct from batch's status columns") {
    std::set<std::string_view> names;
    for (const auto& c : result_columns()) CHECK(names.insert(c.name).second);
    for (const auto s : kBatchStatusColumns) CHECK(names.insert(s).second);
  }
  SECTION("energies are named _kwh and carry kWh; the CSV header is the table") {
    for (const auto& c : result_columns())
      if (c.name.ends_with("_kwh") && !c.name.ends_with("_per_kwh")) CHECK(c.unit == "kWh");
    EstimateResult r;
    const std::string csv = render_csv(r);
    std::string header;
    for (const auto& c : result_columns()) header += (header.empty() ? "" : ",") + std::string(c.name);
    CHECK(csv.starts_with(header + "\n"));
  }
  SECTION("docs/cli.md's Output contract lists every column with its unit and meaning") {
    std::ifstream f(std::string(CO2E_SOURCE_DIR) + "/docs/cli.md");
    std::stringstream doc;
    doc << f.rdbuf();
    for (const auto& c : result_columns()) {
      INFO(c.name);
      CHECK(doc.str().find(fmt::format("| `{}` | {} | {} |", c.name, c.unit, c.meaning)) != std::string::npos);
    }
  }
}

TEST_CASE("append_csv_result_values", "[unit]") {
  // By hand: 2 h x 4 cores x 10 W = 80 Wh a run; 3 runs = 0.24 kWh before PUE; x PUE 1.5 =
  // 0.36 kWh; x 100 g/kWh = 0.036 kg. Components are before PUE and for all runs.
  EstimateResult r;
  r.runtime_h = 2;
  r.cores = 4;
  r.core_hours = 8;
  r.core_power_w = 10;
  r.components.cpu_kwh = 0.08;
  r.psf = 3;
  r.pue = 1.5;
  r.intensity_g_per_kwh = 100;
  r.energy_kwh = 0.36;
  r.co2e_kg = 0.036;
  std::string out;
  append_csv_result_values(out, &r);
  // known_kwh 0 after memory_kwh; the whole footprint's five at 0; no range: four empty cells
  CHECK(out == "0.36,0.036,0.24,0,0,0,1.5,3,100,2,8,10,0,0,0,,,,0,0,0,0,0.036,,,,");
  r.range = co2e::EstimateRange{};
  r.range->co2e_kg = {0.03, 0.05};
  r.range->total_co2e_kg = {0.031, 0.052};
  std::string ranged;
  append_csv_result_values(ranged, &r);
  // co2e_kg_low, co2e_kg_high, total_co2e_kg_low, total_co2e_kg_high last
  CHECK(ranged.ends_with(",0.036,0.03,0.05,0.031,0.052"));
  // Exact inputs: the bounds are the figure itself, written four more times from the text the
  // row already holds (render.cpp's WrittenNumbers), byte for byte what write_number gives.
  r.range->co2e_kg = {0.036, 0.036};
  r.range->total_co2e_kg = {0.036, 0.036};
  r.components.gpu_kwh = 0.08;  // as cpu_kwh: one more repeat, not adjacent
  std::string exact;
  append_csv_result_values(exact, &r);
  CHECK(exact == "0.36,0.036,0.24,0.24,0,0,1.5,3,100,2,8,10,0,0,0,,,,0,0,0,0,0.036,0.036,0.036,0.036,0.036");
  std::string bad;
  append_csv_result_values(bad, nullptr);
  CHECK(bad == std::string(kResultColumnCount - 1, ','));  // a bad row: as many empty cells
  std::string json;
  append_json_result_members(json, nullptr);
  CHECK(json.starts_with("\"energy_kwh\":null,\"co2e_kg\":null,"));
  CHECK(std::count(json.begin(), json.end(), ':') == static_cast<long>(kResultColumnCount));
}

TEST_CASE("batch_output_names", "[unit]") {
  using V = std::vector<std::string>;
  SECTION("other names are kept") {
    CHECK(batch_output_names(V{"name", "runtime", "cores"}) == V{"name", "runtime", "cores"});
  }
  SECTION("a result column's name gets input_") {
    CHECK(batch_output_names(V{"name", "pue", "psf", "energy_kwh"}) ==
          V{"name", "input_pue", "input_psf", "input_energy_kwh"});
  }
  SECTION("status and error too") {
    CHECK(batch_output_names(V{"status", "error"}) == V{"input_status", "input_error"});
  }
  SECTION("input_ again while the name is taken") {
    CHECK(batch_output_names(V{"pue", "input_pue"}) == V{"input_input_pue", "input_pue"});
  }
  SECTION("a column without a name is column_N") {
    CHECK(batch_output_names(V{"a", "", "b"}) == V{"a", "column_2", "b"});
  }
}
