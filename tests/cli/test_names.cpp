// Black-box tests of names people type: --instance, ambiguous names (exit 2 or a stated default),
// and suggestions for list-valued arguments (issue 21).
#include <catch2/catch.hpp>
#include <nlohmann/json.hpp>

#include "support.hpp"

using Catch::Matchers::Contains;
using co2e::test::run_co2e;

TEST_CASE("cli estimate --instance: the same figure as the explicit flags", "[cli]") {
  // aws:p4d.24xlarge (AWS EC2 docs): 8 x A100 SXM4 40GB, 96 vCPUs of a Xeon Platinum 8275CL, 1152 GiB.
  // By hand, 10 h: GPUs 8 x 400 W x 10 h = 32 kWh; CPU 96 x (240 W / 24 cores) x 10 h = 9.6 kWh;
  // memory 1152 GB x 0.3725 W/GB x 10 h = 4.2912 kWh; total 45.8912 kWh; x PUE 1.2 (AWS default,
  // aws:us-east-1 publishes none) = 55.06944 kWh; x 243.51 g/kWh (US-VA, eGRID2023 rev. 2) = 13.4099593344 kg.
  const auto inst = run_co2e({"estimate", "--runtime", "10h", "--instance", "aws:p4d.24xlarge", "--region",
                              "aws:us-east-1", "--format", "json"});
  REQUIRE(inst.exit_code == 0);
  const auto ji = nlohmann::json::parse(inst.out);
  CHECK(ji["energy_kwh"].get<double>() == Approx(55.06944));
  CHECK(ji["co2e_kg"].get<double>() == Approx(13.4099593344));
  CHECK(ji["inputs"]["instance"]["code"] == "aws:p4d.24xlarge");
  CHECK(ji["inputs"]["instance"]["replaced_by_user"].empty());

  const auto flags =
      run_co2e({"estimate", "--runtime", "10h", "--gpus", "8", "--gpu", "A100 SXM4 40GB", "--cores", "96", "--cpu",
                "Xeon Platinum 8275CL", "--memory", "1152", "--region", "aws:us-east-1", "--format", "json"});
  REQUIRE(flags.exit_code == 0);
  const auto jf = nlohmann::json::parse(flags.out);
  CHECK(jf["energy_kwh"].get<double>() == ji["energy_kwh"].get<double>());
  CHECK(jf["co2e_kg"].get<double>() == ji["co2e_kg"].get<double>());
  for (const char* k : {"cpu_kwh", "gpu_kwh", "memory_kwh"}) CHECK(jf[k].get<double>() == ji[k].get<double>());
}

TEST_CASE("cli estimate --instance: the report says what it filled and what the flags replaced", "[cli]") {
  const auto r = run_co2e({"estimate", "--runtime", "1h", "--instance", "gcp:a2-highgpu-8g", "--gpus", "4"});
  REQUIRE(r.exit_code == 0);
  CHECK_THAT(r.out, Contains("instance gcp:a2-highgpu-8g: 96 vCPUs counted as cores, 8 x NVIDIA A100 SXM4 40GB, "
                             "680 GB of memory"));
  CHECK_THAT(r.out, Contains("--gpus given: used instead of the instance's 8 GPUs (4 used)"));
  CHECK_THAT(r.out, Contains("the provider does not name its CPU model"));
  // 4 GPUs x 400 W x 1 h = 1.6 kWh of GPU energy, not 8 x.
  CHECK_THAT(r.out, Contains("GPU          1.6 kWh"));
  // No region: the instance's provider gives the PUE (Google Cloud's 1.12), not the local 1.56.
  CHECK_THAT(r.out, Contains("PUE 1.12: default of Google Cloud"));
}

TEST_CASE("cli estimate --instance: errors", "[cli]") {
  const auto typo = run_co2e({"estimate", "--runtime", "1h", "--instance", "aws:p4d.24xlarg"});
  CHECK(typo.exit_code == 2);
  CHECK_THAT(typo.err, Contains("did you mean \"aws:p4d.24xlarge\""));
  const auto other =
      run_co2e({"estimate", "--runtime", "1h", "--instance", "azure:Standard_ND96asr_v4", "--region", "aws:us-east-1"});
  CHECK(other.exit_code == 2);
  CHECK_THAT(other.err, Contains("runs on azure, but --region \"aws:us-east-1\" is a region of aws"));
  const auto cpu = run_co2e({"estimate", "--runtime", "1h", "--cpu", "c7g.16xlarge"});
  CHECK(cpu.exit_code == 2);
  CHECK_THAT(cpu.err, Contains("\"c7g.16xlarge\" is a cloud instance type: give --instance aws:c7g.16xlarge"));
}

TEST_CASE("cli estimate --instance: origins and a known energy", "[cli]") {
  // A value from an environment variable is named as such when it replaces the instance's.
  const auto env = run_co2e({"estimate", "--runtime", "1h", "--instance", "gcp:a2-highgpu-8g"}, {}, {"CO2E_GPUS=4"});
  REQUIRE(env.exit_code == 0);
  CHECK_THAT(env.out, Contains("CO2E_GPUS given: used instead of the instance's 8 GPUs (4 used)"));
  // What the instance filled is not in inputs.origins (only what the user gave): gpus came from
  // CO2E_GPUS, cores from the instance's row.
  const auto j = run_co2e({"estimate", "--runtime", "1h", "--instance", "gcp:a2-highgpu-8g", "--format", "json"}, {},
                          {"CO2E_GPUS=4"});
  REQUIRE(j.exit_code == 0);
  const auto o = nlohmann::json::parse(j.out)["inputs"]["origins"];
  CHECK(o["gpus"]["origin"] == "env");
  CHECK(o["instance"]["origin"] == "flag");
  CHECK_FALSE(o.contains("cores"));
  // A known energy replaces the CPU, GPUs and memory the instance describes: one or the other.
  const auto e = run_co2e({"estimate", "--instance", "aws:p4d.24xlarge", "--energy", "5kWh"});
  CHECK(e.exit_code == 2);
  CHECK_THAT(e.err, Contains("--instance and --energy conflict"));
}

TEST_CASE("cli list and show instances", "[cli]") {
  const auto l = run_co2e({"list", "instances", "--match", "p4d", "--format", "csv"});
  REQUIRE(l.exit_code == 0);
  CHECK_THAT(l.out, Contains("aws:p4d.24xlarge,aws,96,Intel Xeon Platinum 8275CL,1152,8,NVIDIA A100 SXM4 40GB,"));
  const auto s = run_co2e({"show", "instance", "ND96asr_v4"});
  REQUIRE(s.exit_code == 0);
  CHECK_THAT(s.out, Contains("azure:Standard_ND96asr_v4"));
  CHECK_THAT(s.out, Contains("AMD EPYC 7V12"));
}

TEST_CASE("cli ambiguous names: Georgia errors with both, V100 says its default", "[cli]") {
  const auto g = run_co2e({"estimate", "--runtime", "1h", "--cores", "1", "--region", "Georgia"});
  CHECK(g.exit_code == 2);
  CHECK_THAT(g.err, Contains("region \"Georgia\" is ambiguous: it names GE (Georgia, country"));
  CHECK_THAT(g.err, Contains("US-GA (Georgia, a subdivision of US"));
  const auto v = run_co2e({"estimate", "--runtime", "1h", "--gpu", "V100"});
  CHECK(v.exit_code == 0);
  CHECK_THAT(v.out, Contains("the GPU name given also fits NVIDIA Tesla V100 PCIe 16GB (250 W)"));
  CHECK_THAT(v.out, Contains("NVIDIA Tesla V100 SXM2 16GB (300 W) used, the table's default"));
}

TEST_CASE("cli names from the issue: RTX4090, Ryzen 7950X, rtx 4090 24gb, H1OO", "[cli]") {
  CHECK_THAT(run_co2e({"show", "gpu", "RTX4090"}).out, Contains("NVIDIA GeForce RTX 4090"));
  CHECK_THAT(run_co2e({"show", "gpu", "rtx 4090 24gb"}).out, Contains("NVIDIA GeForce RTX 4090"));
  CHECK_THAT(run_co2e({"show", "cpu", "Ryzen 7950X"}).out, Contains("AMD Ryzen 9 7950X"));
  const auto h = run_co2e({"show", "gpu", "H1OO"});
  CHECK(h.exit_code == 2);
  CHECK_THAT(h.err, Contains("did you mean \"NVIDIA H100"));
}

TEST_CASE("cli list-valued arguments suggest the nearest value", "[cli]") {
  const auto l = run_co2e({"list", "gpu"});
  CHECK(l.exit_code == 2);
  CHECK_THAT(l.err, Contains("did you mean \"gpus\"?"));
  const auto s = run_co2e({"show", "gpus", "A100"});
  CHECK(s.exit_code == 2);
  CHECK_THAT(s.err, Contains("did you mean \"gpu\"?"));
  const auto f = run_co2e({"estimate", "--runtime", "1h", "--cores", "1", "--format", "jsn"});
  CHECK(f.exit_code == 2);
  CHECK_THAT(f.err, Contains("did you mean \"json\"?"));
  const auto p = run_co2e({"estimate", "--runtime", "1h", "--cores", "1", "--platform", "clod"});
  CHECK(p.exit_code == 2);
  CHECK_THAT(p.err, Contains("did you mean \"cloud\"?"));
}

TEST_CASE("cli batch: an instance column fills each row as --instance does", "[cli]") {
  // Row 1: the p4d.24xlarge of the estimate test above, 10 h in aws:us-east-1: 13.4099593344 kg.
  // Row 2: the same with 4 GPUs given: GPU energy 4 x 400 W x 10 h = 16 kWh instead of 32, so
  // (9.6 + 16 + 4.2912) x 1.2 = 35.86944 kWh, x 243.51 / 1000 = 8.7345673344 kg.
  const std::string csv =
      "name,instance,runtime,region,gpus\n"
      "full,aws:p4d.24xlarge,10h,aws:us-east-1,\n"
      "half,p4d.24xlarge,10h,aws:us-east-1,4\n";
  const auto r = run_co2e({"batch", "-", "--format", "jsonl"}, csv);
  REQUIRE(r.exit_code == 0);
  const auto nl = r.out.find('\n');
  const auto a = nlohmann::json::parse(r.out.substr(0, nl));
  const auto b = nlohmann::json::parse(r.out.substr(nl + 1));
  CHECK(a["co2e_kg"].get<double>() == Approx(13.4099593344));
  CHECK(b["co2e_kg"].get<double>() == Approx(8.7345673344));
}
