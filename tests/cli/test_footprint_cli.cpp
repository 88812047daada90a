// Black-box tests of the whole footprint (issue 15): the flags, their variables, the JSON keys,
// `show gpu` with its embodied figure, `list embodied` and batch columns.
#include <catch2/catch.hpp>
#include <nlohmann/json.hpp>
#include <string>
#include <string_view>
#include <vector>

#include "support.hpp"

using Catch::Matchers::Contains;
using co2e::test::run_co2e;

namespace {
// BLOOM (Luccioni et al. 2023): 1,082,990 GPU-hours, 400 W, 57 g/kWh, servers of 8 GPUs.
const std::vector<std::string> kBloom{
    "estimate", "--gpu-hours", "1082990",    "--gpu-power", "400", "--pue",         "1",   "--intensity", "57",
    "--server", "Apollo 6500", "--embodied", "--lifetime",  "6",   "--utilisation", "0.85"};
}  // namespace

TEST_CASE("cli estimate: embodied emissions in JSON apart from co2e_kg", "[cli]") {
  auto args = kBloom;
  args.insert(args.end(), {"--format", "json"});
  const auto r = run_co2e(args);
  REQUIRE(r.exit_code == 0);
  const auto j = nlohmann::json::parse(r.out);
  // Operational: 433,196 kWh x 57 g = 24,692.172 kg. Embodied: (150 x 1,082,990 + 2,500 x
  // 1,082,990 / 8) / (6 x 8760 x 0.85) = 11,211.3 kg.
  CHECK(j["co2e_kg"].get<double>() == Approx(24692.172));
  CHECK(j["embodied_kg"].get<double>() == Approx(462.5 * 1082990 / 44676.0));
  CHECK(j["total_co2e_kg"].get<double>() == Approx(24692.172 + 462.5 * 1082990 / 44676.0));
  CHECK(j["inputs"]["footprint"]["embodied"]["server"]["row"]["id"] == "hpe_apollo_6500");
  CHECK(j["inputs"]["origins"]["embodied"]["origin"] == "flag");
  CHECK(j["inputs"]["origins"]["server"]["name"] == "--server");
}

TEST_CASE("cli estimate: text shows operational, embodied and total", "[cli]") {
  const auto r = run_co2e(kBloom);
  REQUIRE(r.exit_code == 0);
  CHECK_THAT(r.out, Contains("Carbon footprint  24.69 t CO2e operational"));
  CHECK_THAT(r.out, Contains("Embodied          11.21 t CO2e"));
  CHECK_THAT(r.out, Contains("Total             35.9 t CO2e"));
  CHECK_THAT(r.out, Contains("HPE Apollo 6500 Gen10 Plus"));
  CHECK_THAT(r.out, Contains("Luccioni"));
}

TEST_CASE("cli estimate: whole-footprint inputs from environment variables, named in errors", "[cli]") {
  const auto ok = run_co2e(
      {"estimate", "--runtime", "10h", "--gpus", "1", "--gpu-power", "300", "--intensity", "100", "--format", "json"},
      {}, {"CO2E_EMBODIED=1", "CO2E_EMBODIED_GPU=100"});
  REQUIRE(ok.exit_code == 0);
  const auto j = nlohmann::json::parse(ok.out);
  CHECK(j["embodied_kg"].get<double>() == Approx(100 * 10 / (6 * 8760 * 0.85)));
  CHECK(j["inputs"]["origins"]["embodied_gpu"]["origin"] == "env");
  const auto bad =
      run_co2e({"estimate", "--runtime", "1h", "--cores", "1", "--core-power", "10"}, {}, {"CO2E_STORAGE_TYPE=tape"});
  CHECK(bad.exit_code == 2);
  CHECK_THAT(bad.err, Contains("CO2E_STORAGE_TYPE"));
  CHECK_THAT(bad.err, Contains("\"tape\" is not a storage type (accepted: ssd, hdd)"));
}

TEST_CASE("cli show gpu: its embodied figure and source", "[cli]") {
  // NVIDIA's HGX H100 PCF summary: 1,312 kg per 8-GPU baseboard, 164 kg per GPU.
  const auto r = run_co2e({"show", "gpu", "H100 SXM"});
  REQUIRE(r.exit_code == 0);
  CHECK_THAT(r.out, Contains("embodied_kg      164\n"));
  CHECK_THAT(r.out, Contains("NVIDIA HGX H100 baseboard (per GPU) (hgx_h100): 1/8 of the 1312 kg of one 8-GPU board"));
  CHECK_THAT(r.out, Contains("HGX-H100-PCF-Summary.pdf"));
  const auto b200 = run_co2e({"show", "gpu", "B200", "--format", "json"});
  REQUIRE(b200.exit_code == 0);
  CHECK(nlohmann::json::parse(b200.out)["embodied_kg"].get<double>() == 284.25);  // 2,274 kg / 8
  // A GPU without a figure of its own says so and names the default's source.
  const auto pcie = run_co2e({"show", "gpu", "H100 PCIe"});
  REQUIRE(pcie.exit_code == 0);
  CHECK_THAT(pcie.out, Contains("no figure for this model: the default GPU figure"));
  CHECK_THAT(pcie.out, Contains("Luccioni"));
  const auto a100 = run_co2e({"show", "gpu", "A100 SXM4 80GB", "--format", "json"});
  REQUIRE(a100.exit_code == 0);
  const auto j = nlohmann::json::parse(a100.out);
  CHECK(j["embodied_kg"].get<double>() == 150);
}

TEST_CASE("cli list embodied", "[cli]") {
  const auto r = run_co2e({"list", "embodied", "--format", "csv"});
  REQUIRE(r.exit_code == 0);
  CHECK_THAT(r.out, Contains("hpe_apollo_6500,HPE Apollo 6500 Gen10 Plus,server,2500,unit"));
  // HPE's DL380 Gen10 sheet: mainstream 5,657 - 3,932 kg of use = 1,725 kg (30.5 %); base 43.3 % of 2,410; performance
  // 15.4 % of 13,402 kg.
  CHECK_THAT(r.out, Contains("hpe_dl380_gen10_pcf,HPE ProLiant DL380 Gen10,server,1725,unit,1044,2064,"));
}

TEST_CASE("cli estimate: --server resolves the makers' sheets by name and alias", "[cli]") {
  // Dell's R740 sheet: 15.2 % of 8,640 kg = 1,313 kg; one node for 6 years at full use is the
  // whole figure over 52,560 h: 1 h carries 1,313 / 52,560 kg.
  for (const std::string name : {"R740", "PowerEdge R740", "dell r740", "dell_r740_pcf"}) {
    const auto r = run_co2e({"estimate", "--runtime", "1h", "--cores", "1", "--core-power", "10", "--intensity", "100",
                             "--server", name, "--lifetime", "6", "--utilisation", "1", "--format", "json"});
    INFO(name);
    REQUIRE(r.exit_code == 0);
    const auto j = nlohmann::json::parse(r.out);
    CHECK(j["inputs"]["footprint"]["embodied"]["server"]["row"]["id"] == "dell_r740_pcf");
    CHECK(j["embodied_kg"].get<double>() == Approx(1313.0 / 52560));
  }
  const auto xd = run_co2e({"estimate", "--runtime", "1h", "--cores", "1", "--core-power", "10", "--intensity", "100",
                            "--server", "R740xd", "--format", "json"});
  REQUIRE(xd.exit_code == 0);
  CHECK(nlohmann::json::parse(xd.out)["inputs"]["footprint"]["embodied"]["server"]["row"]["id"] == "dell_r740xd_pcf");
  // A laptop row, with its range: Dell's 301 kg mean x 80.6 % manufacturing, +-19.6 %.
  const auto lat = run_co2e({"estimate", "--runtime", "1h", "--cores", "1", "--core-power", "10", "--intensity", "100",
                             "--server", "Latitude 5430", "--format", "json"});
  REQUIRE(lat.exit_code == 0);
  const auto row = nlohmann::json::parse(lat.out)["inputs"]["footprint"]["embodied"]["server"]["row"];
  CHECK(row["id"] == "dell_latitude_5430_pcf");
  CHECK(row["low_kg"].get<double>() == 195);
  CHECK(row["high_kg"].get<double>() == 290);
  const auto many = run_co2e({"estimate", "--runtime", "1h", "--cores", "1", "--core-power", "10", "--intensity", "100",
                              "--server", "Dell PowerEdge"});
  CHECK(many.exit_code == 2);
  CHECK_THAT(many.err, Contains("is ambiguous"));
}

TEST_CASE("cli batch: whole-footprint columns in and out", "[cli]") {
  const std::string csv =
      "name,runtime,gpus,gpu_power,intensity,embodied_gpu,node_power,nodes\n"
      "a,10h,2,300,100,150,200,1\n";
  const auto r = run_co2e({"batch", "-", "--format", "csv"}, csv);
  REQUIRE(r.exit_code == 0);
  CHECK_THAT(r.out, Contains("server_kwh,storage_kwh,network_kwh,embodied_kg,total_co2e_kg"));
  // GPU 2 x 300 W x 10 h = 6 kWh; server 1 x 200 W x 10 h = 2 kWh; PUE default 1.56 (local).
  // Embodied 150 kg x 20 GPU-hours / 44,676 h.
  const auto j = run_co2e({"batch", "-", "--format", "jsonl"}, csv);
  REQUIRE(j.exit_code == 0);
  const auto row = nlohmann::json::parse(j.out.substr(0, j.out.find('\n')));
  CHECK(row["server_kwh"].get<double>() == Approx(2.0));
  CHECK(row["embodied_kg"].get<double>() == Approx(150.0 * 20 / 44676));
}

TEST_CASE("cli slurm: node overhead and embodied share from the cluster file", "[cli]") {
  const std::string sacct = co2e::test::fixture("slurm/good_basic.txt");
  const auto base = run_co2e({"slurm", "--cluster", co2e::test::fixture("slurm/good_cluster.json"), "--sacct-file",
                              sacct, "--format", "jsonl"});
  const auto r = run_co2e({"slurm", "--cluster", co2e::test::fixture("slurm/good_cluster_footprint.json"),
                           "--sacct-file", sacct, "--format", "jsonl"});
  REQUIRE(base.exit_code == 0);
  REQUIRE(r.exit_code == 0);
  auto job = [](const std::string& out, const std::string& id) {
    std::size_t pos = 0;
    while (pos < out.size()) {
      const auto end = out.find('\n', pos);
      auto j = nlohmann::json::parse(out.substr(pos, end - pos));
      if (j["job_id"] == id) return j;
      pos = end + 1;
    }
    FAIL("no job " + id);
    return nlohmann::json();
  };
  // Job 1002: partition gpu, 1 node, 1 h, 2 GPUs. Node overhead 500 W x 1 node-hour = 0.5 kWh,
  // x PUE 1.5 = 0.75 kWh more. Embodied (2,000 kg x 1 node-hour + 150 kg x 2 GPU-hours) /
  // (5 y x 8760 h x 0.5) = 2,300 / 21,900 kg.
  const auto b = job(base.out, "1002");
  const auto f = job(r.out, "1002");
  CHECK(f["server_kwh"].get<double>() == Approx(0.5));
  CHECK(f["energy_kwh"].get<double>() == Approx(b["energy_kwh"].get<double>() + 0.75));
  CHECK(f["embodied_kg"].get<double>() == Approx(2300.0 / 21900));
  CHECK(f["total_co2e_kg"].get<double>() == Approx(f["co2e_kg"].get<double>() + 2300.0 / 21900));
  // Job 1001 (partition cpu, no keys): unchanged.
  CHECK(job(r.out, "1001")["energy_kwh"] == job(base.out, "1001")["energy_kwh"]);
  CHECK(job(r.out, "1001")["embodied_kg"].get<double>() == 0);
  const auto summary = run_co2e({"slurm", "--cluster", co2e::test::fixture("slurm/good_cluster_footprint.json"),
                                 "--sacct-file", sacct, "--format", "json"});
  REQUIRE(summary.exit_code == 0);
  const auto s = nlohmann::json::parse(summary.out);
  CHECK(s["embodied_kg"].get<double>() == Approx(2300.0 / 21900));
  CHECK(s["cluster"]["embodied"]["lifetime_years"] == 5);
}

TEST_CASE("cli run: node overhead with --scope machine, embodied by wall time", "[cli]") {
  co2e::test::TempDir d;
  const std::string out = d.path() + "/run.json";
  const std::string log = d.path() + "/runs.csv";
  // 3,600 W for t seconds is t / 1000 kWh; 8,760 kg over 1 year at full use is 1 kg per hour.
  const auto r = run_co2e({"run",     "--scope",
                           "machine", "--node-power",
                           "3600",    "--server-embodied",
                           "8760",    "--lifetime",
                           "1",       "--utilisation",
                           "1",       "--pue",
                           "1",       "--intensity",
                           "100",     "--format",
                           "json",    "-o",
                           out,       "--log",
                           log,       "--",
                           "sleep",   "0.2"},
                          {}, {"CO2E_POWERCAP_ROOT=" + d.path(), "CO2E_NVML_LIBRARY="});
  REQUIRE(r.exit_code == 0);
  const auto j = nlohmann::json::parse(co2e::test::read_file(out));
  const double s = j["runtime_s"].get<double>();
  CHECK(s >= 0.2);
  CHECK(j["server_kwh"].get<double>() == Approx(s / 1000));
  CHECK(j["embodied_kg"].get<double>() == Approx(s / 3600));
  CHECK(j["total_co2e_kg"].get<double>() == Approx(j["co2e_kg"].get<double>() + s / 3600));
  CHECK(j["energy_kwh"].get<double>() >= j["server_kwh"].get<double>());
  // The --log row has the same three figures, under the same names as batch's and slurm's columns.
  const std::string text = co2e::test::read_file(log);
  const auto nl = text.find('\n');
  auto fields = [](std::string_view line) {
    std::vector<std::string> f;
    for (std::size_t at = 0;;) {
      const auto comma = line.find(',', at);
      f.emplace_back(line.substr(at, comma - at));
      if (comma == std::string_view::npos) break;
      at = comma + 1;
    }
    return f;
  };
  const auto header = fields(std::string_view(text).substr(0, nl));
  const auto row = fields(std::string_view(text).substr(nl + 1, text.find('\n', nl + 1) - nl - 1));
  REQUIRE(header.size() >= 3);
  CHECK(std::vector<std::string>(header.end() - 3, header.end()) ==
        std::vector<std::string>{"server_kwh", "embodied_kg", "total_co2e_kg"});
  REQUIRE(row.size() == header.size());
  CHECK(std::stod(row[row.size() - 3]) == Approx(s / 1000).epsilon(1e-6));
  CHECK(std::stod(row[row.size() - 2]) == Approx(s / 3600).epsilon(1e-6));
  CHECK(std::stod(row.back()) == Approx(j["total_co2e_kg"].get<double>()).epsilon(1e-6));
  const auto process = run_co2e({"run", "--node-power", "100", "--", "true"}, {},
                                {"CO2E_POWERCAP_ROOT=" + d.path(), "CO2E_NVML_LIBRARY="});
  CHECK(process.exit_code == 125);
  CHECK_THAT(process.err, Contains("--node-power is the whole node's overhead: add --scope machine"));
}
