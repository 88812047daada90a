// One output contract across commands (docs/cli.md, "Output contract"): the same names with the
// same meaning in every command's CSV and JSON, no duplicate CSV columns, 10 significant digits.
#include <catch2/catch.hpp>
#include <nlohmann/json.hpp>
#include <set>
#include <sstream>

#include "support.hpp"

namespace t = co2e::test;

namespace {
std::vector<std::string> split(const std::string& line) {
  std::vector<std::string> out;
  std::stringstream s(line);
  std::string f;
  while (std::getline(s, f, ',')) out.push_back(f);
  return out;
}
}  // namespace

TEST_CASE("contract: a batch output never has two columns with the same name", "[cli]") {
  // Every estimate input that is also a result column, plus status and error, as input columns.
  const std::string input =
      "name,runtime_h,cores,core_power_w,memory_gb,pue,psf,intensity_g_per_kwh,status,error\n"
      "a,2,4,10,16,1.5,3,100,x,y\n";
  const auto r = t::co2e({"batch", "-"}, input);
  REQUIRE(r.exit_code == 0);
  const auto header = split(r.out.substr(0, r.out.find('\n')));
  CHECK(std::set<std::string>(header.begin(), header.end()).size() == header.size());
  CHECK(header[1] == "input_runtime_h");
  CHECK(header[5] == "input_pue");
  CHECK(header[8] == "input_status");
  // The inputs still act: 2 h x 4 x 10 W = 80 Wh + 16 GB x 0.3725 W x 2 h = 11.92 Wh a run; x 3
  // runs = 0.27576 kWh before PUE; x 1.5 = 0.41364 kWh; x 100 g = 0.041364 kg.
  const auto row = split(r.out.substr(r.out.find('\n') + 1));
  CHECK(row[10] == "0.41364");  // energy_kwh
  CHECK(row[11] == "0.041364");
  CHECK(row[12] == "0.24");  // cpu_kwh: before PUE, all runs

  const auto jl = t::co2e({"batch", "-", "--format", "jsonl"}, input);
  REQUIRE(jl.exit_code == 0);
  for (const char* key : {"\"pue\":", "\"status\":", "\"runtime_h\":"}) {
    INFO(key);
    std::size_t n = 0;
    for (auto at = jl.out.find(key); at != std::string::npos; at = jl.out.find(key, at + 1)) ++n;
    CHECK(n == 1);  // one key per object: JSON parsers keep the last of duplicates silently
  }
  const auto j = nlohmann::json::parse(jl.out);
  CHECK(j["input_pue"] == "1.5");
  CHECK(j["pue"] == 1.5);
  CHECK(j["energy_kwh"] == 0.41364);
}

TEST_CASE("contract: energy_kwh and co2e_kg in every command's JSON", "[cli]") {
  // estimate: 1 h x 1 core x 100 W x PUE 1 x 200 g/kWh = 0.1 kWh, 0.02 kg.
  const auto e = t::co2e({"estimate", "--runtime", "1h", "--cores", "1", "--core-power", "100", "--pue", "1",
                          "--intensity", "200", "--format", "json"});
  REQUIRE(e.exit_code == 0);
  const auto j = nlohmann::json::parse(e.out);
  CHECK(j["energy_kwh"] == 0.1);
  CHECK(j["co2e_kg"] == 0.02);
  CHECK(j["cpu_kwh"] == 0.1);
  const auto b =
      t::co2e({"batch", "-", "--format", "jsonl"}, "runtime,cores,core_power,pue,intensity\n1h,1,100,1,200\n");
  REQUIRE(b.exit_code == 0);
  const auto row = nlohmann::json::parse(b.out);
  CHECK(row["energy_kwh"] == 0.1);
  CHECK(row["co2e_kg"] == 0.02);
}

TEST_CASE("contract: numbers carry at most 10 significant digits", "[cli]") {
  // 12 h x 12 x 7.5 W + 64 GB x 0.3725 W x 12 h, x 1.56, x 231.12 g: 0.492536318976 kg exactly,
  // 0.49253631897600014 in binary floating point; written 0.492536319.
  const std::vector<std::string> flags{"--runtime", "12h", "--cores", "12",   "--core-power", "7.5",
                                       "--memory",  "64",  "--pue",   "1.56", "--intensity",  "231.12"};
  auto with = [&](std::vector<std::string> a) {
    a.insert(a.end(), flags.begin(), flags.end());
    return t::co2e(a);
  };
  CHECK(with({"estimate", "--format", "csv"}).out.find(",0.492536319,") != std::string::npos);
  CHECK(with({"estimate", "--format", "json"}).out.find("\"co2e_kg\": 0.492536319,") != std::string::npos);
  CHECK(with({"estimate", "--format", "json"}).out.find("0.49253631897600014") == std::string::npos);
}
