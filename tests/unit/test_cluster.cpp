// The cluster description (load_cluster), sinfo parsing, the init template, and the per-job
// footprint and summaries of SlurmReport, with expected values computed by hand.
#include <catch2/catch.hpp>
#include <string>
#include <vector>

#include "co2e/cluster.hpp"
#include "co2e/sacct.hpp"
#include "co2e/slurm_report.hpp"
#include "support.hpp"

using co2e::Cluster;
using co2e::ClusterOverrides;
using co2e::Dataset;
using co2e::load_cluster;

namespace {

Cluster cluster(const std::string& json, const ClusterOverrides& ov = {}) {
  static const Dataset data;
  auto c = load_cluster(json, "test.json", ov, data);
  INFO((c ? std::string() : c.error().message));
  REQUIRE(c);
  return std::move(c).value();
}

std::string load_error(const std::string& json) {
  static const Dataset data;
  auto c = load_cluster(json, "test.json", {}, data);
  REQUIRE_FALSE(c);
  CHECK(c.error().kind == co2e::ErrorKind::data);
  return c.error().message;
}

}  // namespace

TEST_CASE("load_cluster", "[unit]") {
  SECTION("figures given in watts") {
    const auto c = cluster(co2e::test::read_file(co2e::test::fixture("slurm/good_cluster.json")));
    CHECK(c.name == "testhpc");
    CHECK(c.pue == 1.5);
    CHECK(c.intensity_g_per_kwh == 200);
    CHECK(c.memory_granularity_gb == 1);
    CHECK(c.memory_power_w_per_gb == Approx(0.3725));
    REQUIRE(c.partitions.size() == 2);
    const auto* cpu = c.find("cpu");
    REQUIRE(cpu != nullptr);
    CHECK(cpu->core_power_w == 10);
    CHECK(cpu->node_memory_gb == 100);
    CHECK(c.find("gpu")->gpu_power_w == 300);
    CHECK(c.find("nope") == nullptr);
    CHECK(c.fallback.core_power_w == 5);
    CHECK(c.fallback.gpu_power_w == 100);
  }
  SECTION("models from the data tables") {
    const auto c = cluster(R"({"region": "FR", "partitions": {"p": {"cpu": "Xeon Gold 6248", "gpu": "A100"}}})");
    const auto* p = c.find("p");
    REQUIRE(p != nullptr);
    REQUIRE(p->cpu != nullptr);
    REQUIRE(p->gpu != nullptr);
    CHECK(p->core_power_w == Approx(p->cpu->tdp_w / p->cpu->cores));
    CHECK(p->gpu_power_w == p->gpu->tdp_w);
    CHECK(c.intensity_source == co2e::IntensitySource::region);
    CHECK(c.pue == Approx(1.56));  // no PUE: an average data centre
  }
  SECTION("defaults without a file; overrides win and are recorded") {
    static const Dataset data;
    const auto d = load_cluster("", "", {}, data);  // no file at all
    REQUIRE(d);
    CHECK(d->partitions.empty());
    CHECK(d->fallback.core_power_w == 12);  // Green Algorithms "Any" CPU
    CHECK(d->fallback.gpu_power_w == 200);  // Green Algorithms "Any" GPU
    ClusterOverrides ov;
    ov.pue = 1.1;
    ov.pue_origin = co2e::Origin::env("CO2E_PUE");
    ov.intensity_g_per_kwh = 50;
    const auto c = cluster(R"({"pue": 1.5, "intensity_g_per_kwh": 300})", ov);
    CHECK(c.pue == 1.1);
    CHECK(c.pue_origin.kind == co2e::OriginKind::env);
    CHECK(c.pue_origin.name == "CO2E_PUE");
    CHECK(c.intensity_g_per_kwh == 50);
    CHECK(c.intensity_origin.kind == co2e::OriginKind::flag);
    REQUIRE(c.overrides.size() == 2);
    CHECK(c.overrides[0].key == "pue");
    CHECK(c.overrides[0].file_value == "1.5");
    CHECK(c.overrides[1].key == "intensity_g_per_kwh");
    CHECK(c.overrides[1].file_value == "300");
    const auto f = cluster(R"({"pue": 1.5, "region": "FR"})");
    CHECK(f.pue_origin.kind == co2e::OriginKind::cluster);
    CHECK(f.pue_origin.file == "test.json");
    CHECK(f.pue_origin.name == "pue");
    CHECK(f.intensity_origin.name == "region");
    CHECK(f.overrides.empty());
  }
  SECTION("an empty or whitespace-only file is an error, never the defaults") {
    CHECK(load_error("") ==
          "test.json: the file is empty: a cluster description is a JSON object (co2e slurm init writes a template); "
          "without --cluster, co2e's defaults are used");
    CHECK(load_error(" \n\t\n").starts_with("test.json: the file is empty"));
  }
  SECTION("errors name the file, the key and what is accepted") {
    CHECK(load_error(R"({"name": "x", "partitons": {}})") ==
          "test.json: unknown key \"partitons\" (accepted: name, pue, provider, region, intensity_g_per_kwh, "
          "intensity_basis, intensity_source, "
          "memory_power_w_per_gb, memory_granularity_gb, partitions, default_partition, lifetime_years, utilisation; "
          "keys "
          "starting with _ are "
          "comments)");
    CHECK(load_error(R"({"pue": 0.5})") == "test.json: pue: 0.5 is out of range (1 to 10)");
    CHECK(load_error(R"({"partitions": {"cpu": {"core_power_w": "ten"}}})") ==
          "test.json: partitions.cpu.core_power_w: \"ten\" is not a number (give a number, or a range \"LOW:HIGH\" "
          "such as \"1.2:1.5\")");
    CHECK(load_error(R"({"partitions": {"cpu": {"cpu": "Xeon Nonexistent 9999"}}})")
              .starts_with("test.json: partitions.cpu.cpu: "));
    CHECK(load_error("{not json").starts_with("test.json: not valid JSON"));
    // A region key is named as the file's key, not as a flag (the core knows no flag names).
    CHECK(load_error(R"({"region": "Atlantis"})").starts_with("test.json: region: unknown region \"Atlantis\""));
  }
}

TEST_CASE("parse_sinfo", "[unit]") {
  const auto parts =
      co2e::parse_sinfo("cpu|64|256000|(null)\ncpu|32|128000|(null)\ngpu|32|512000|gpu:a100:4(S:0-1)\n\n");
  REQUIRE(parts.size() == 2);
  CHECK(parts[0].name == "cpu");
  CHECK(parts[0].cpus_per_node == 64);
  CHECK(parts[0].memory_mb == 256000);
  CHECK(parts[1].gpus_per_node == 4);
}

TEST_CASE("cluster_template", "[unit]") {
  // The template loads as a description, from sinfo or with example partitions.
  for (const auto& parts : {std::vector<co2e::SinfoPartition>{}, co2e::parse_sinfo("debug|4|8000|(null)\n")}) {
    const auto c = cluster(co2e::cluster_template(parts));
    CHECK_FALSE(c.partitions.empty());
  }
  const auto c = cluster(co2e::cluster_template(co2e::parse_sinfo("debug|4|8000|(null)\n")));
  REQUIRE(c.find("debug") != nullptr);
  CHECK(c.find("debug")->node_memory_gb == Approx(8.389));  // 8000 MiB = 8.388608 GB, 4 digits
}

TEST_CASE("SlurmReport: per-job footprints and summaries", "[unit]") {
  const auto c = cluster(co2e::test::read_file(co2e::test::fixture("slurm/good_cluster.json")));
  co2e::SlurmReport report(c, {co2e::GroupBy::user, co2e::GroupBy::day}, {"COMPLETED"});
  std::vector<co2e::JobFootprint> fps;
  co2e::SacctReader reader([&](const co2e::SacctJob& j) {
    auto f = report.add(j);
    f.job = nullptr;  // the job is reused by the reader
    fps.push_back(f);
  });
  REQUIRE_FALSE(reader.read_all(co2e::test::read_file(co2e::test::fixture("slurm/good_basic.txt"))));
  report.set_stats(reader.stats());
  REQUIRE(fps.size() == 3);

  // 1001: 2 core-h × 10 W = 20 Wh; 8 GB × 1 h × 0.3725 W/GB = 2.98 Wh; × PUE 1.5 = 34.47 Wh; × 200 g/kWh.
  CHECK(fps[0].cpu_kwh == Approx(0.020));
  CHECK(fps[0].memory_kwh == Approx(0.00298));
  CHECK(fps[0].energy_kwh == Approx(0.03447));
  CHECK(fps[0].co2e_g == Approx(6.894));
  // MaxRSS 2,000,000 KiB = 2.048 GB → 3 GB at 1 GB granularity: (8 − 3) × 1 h × 0.3725 × 1.5 = 2.79375 Wh.
  CHECK(fps[0].used_gb == Approx(2.048));
  CHECK(fps[0].right_sized_gb == 3);
  CHECK(fps[0].savings_kwh == Approx(0.00279375));
  // 1002: 2 GPUs × 1 h × 300 W = 0.6 kWh; 0.5 core-h × 10 W = 5 Wh; 16 GB × 1 h × 0.3725 = 5.96 Wh.
  CHECK(fps[1].gpu_kwh == Approx(0.6));
  CHECK(fps[1].cpu_kwh == Approx(0.005));
  CHECK(fps[1].memory_kwh == Approx(0.00596));
  CHECK(fps[1].energy_kwh == Approx(0.91644));
  CHECK_FALSE(fps[1].success);
  CHECK(fps[1].used_gb < 0);
  // 1003: TotalCPU 0 → CPUTime 4 core-h × 10 W = 40 Wh; 2 GB per CPU × 2 CPUs × 2 h × 0.3725 = 2.98 Wh.
  CHECK(fps[2].cpu_kwh == Approx(0.040));
  CHECK(fps[2].memory_kwh == Approx(0.00298));
  CHECK(fps[2].energy_kwh == Approx(0.06447));
  CHECK(fps[2].savings_kwh == 0);  // used 4 GB of 4 GB

  const auto& t = report.total();
  CHECK(t.jobs == 3);
  CHECK(t.energy_kwh == Approx(1.01538));
  CHECK(t.co2e_g == Approx(203.076));
  CHECK(t.failed_jobs == 1);
  CHECK(t.failed_energy_kwh == Approx(0.91644));
  CHECK(t.rss_jobs == 2);
  CHECK(t.requested_gbh == Approx(8 + 8));  // 8 GB × 1 h + 4 GB × 2 h
  CHECK(t.used_gbh == Approx(2.048 + 8));   // 2.048 GB × 1 h + 4 GB × 2 h
  CHECK(t.savings_kwh == Approx(0.00279375));
  const auto& users = report.groups(co2e::GroupBy::user);
  REQUIRE(users.size() == 2);
  CHECK(users.at("alice").jobs == 2);
  CHECK(users.at("alice").energy_kwh == Approx(0.03447 + 0.06447));
  CHECK(users.at("bob").failed_energy_kwh == Approx(0.91644));
  const auto& days = report.groups(co2e::GroupBy::day);
  REQUIRE(days.size() == 2);
  CHECK(days.at("2024-03-01").jobs == 1);
  CHECK(days.at("2024-03-02").jobs == 2);
  CHECK(report.groups(co2e::GroupBy::account).empty());
  CHECK(report.first_day() == "2024-03-01");
  CHECK(report.last_day() == "2024-03-02");
}

TEST_CASE("SlurmReport: quirks (unknown partitions, lists, whole-node memory)", "[unit]") {
  const auto c = cluster(co2e::test::read_file(co2e::test::fixture("slurm/good_cluster.json")));
  co2e::SlurmReport report(c, {co2e::GroupBy::partition}, {"COMPLETED", "CANCELLED"});
  std::vector<co2e::JobFootprint> fps;
  std::vector<std::string> parts;
  co2e::SacctReader reader([&](const co2e::SacctJob& j) {
    auto f = report.add(j);
    parts.emplace_back(f.partition);
    f.job = nullptr;
    fps.push_back(f);
  });
  REQUIRE_FALSE(reader.read_all(co2e::test::read_file(co2e::test::fixture("slurm/good_quirks.txt"))));
  report.set_stats(reader.stats());
  REQUIRE(fps.size() == 4);
  // 1004 on an unknown partition: default 5 W/core × 0.5 core-h = 2.5 Wh; 0n and no node memory: 0.
  CHECK(parts[0] == "unknownpart");
  CHECK(fps[0].cpu_kwh == Approx(0.0025));
  CHECK(fps[0].memory_kwh == 0);
  CHECK(fps[0].energy_kwh == Approx(0.00375));
  CHECK(fps[0].success);  // CANCELLED counts as success here
  // 1009 on "debug,cpu": cpu is the first described; empty TotalCPU → CPUTime 1 h × 10 W.
  CHECK(parts[1] == "cpu");
  CHECK(fps[1].cpu_kwh == Approx(0.010));
  // 1010: 1 TiB for 0.1 h: 1099.511627776 GB × 0.1 h × 0.3725 W/GB = 40.9568 Wh; a step ran out of memory.
  CHECK(fps[2].memory_kwh == Approx(0.0409568081));
  CHECK(fps[2].energy_kwh == Approx(1.5 * (0.001 + 0.0409568081)));
  CHECK_FALSE(fps[2].success);
  CHECK(fps[2].right_sized_gb == 2);  // 1 GiB = 1.07 GB → 2 GB
  // 1011 (JobName "a|b"): 0n on cpu → 100 GB node × 0.6 h × 0.3725 = 22.35 Wh.
  CHECK(fps[3].memory_kwh == Approx(0.02235));
  CHECK(fps[3].energy_kwh == Approx(0.042525));
  const auto& s = report.stats();
  CHECK(s.count(co2e::SacctIssue::partition_list) == 1);
  CHECK(s.count(co2e::SacctIssue::partition_unknown) == 1);
  CHECK(report.unknown_partitions().at("unknownpart") == 1);
  CHECK(report.groups(co2e::GroupBy::partition).size() == 2);
}

TEST_CASE("parse_group_by and parse_slurm_format", "[unit]") {
  auto g = co2e::parse_group_by("day, user,day");
  REQUIRE(g);
  CHECK(*g == std::vector<co2e::GroupBy>{co2e::GroupBy::day, co2e::GroupBy::user});
  auto bad = co2e::parse_group_by("user,group");
  REQUIRE_FALSE(bad);
  CHECK(bad.error().message ==
        "\"group\" is not a grouping: use user, account, partition, day or user+partition, or a "
        "comma-separated list of them");
  CHECK(*co2e::parse_slurm_format("jsonl") == co2e::SlurmFormat::jsonl);
  CHECK_FALSE(co2e::parse_slurm_format("yaml"));
}

TEST_CASE("docs/cluster.md: the full example loads", "[unit]") {
  const std::string doc = co2e::test::read_file(std::string(CO2E_SOURCE_DIR) + "/docs/cluster.md");
  const auto begin = doc.find("```json\n");
  REQUIRE(begin != std::string::npos);
  const auto end = doc.find("```", begin + 8);
  const auto c = cluster(doc.substr(begin + 8, end - begin - 8));
  CHECK(c.name == "example-hpc");
  CHECK(c.pue == 1.35);
  CHECK(c.intensity_g_per_kwh == 180);  // intensity wins over the region's
  REQUIRE(c.find("gpu") != nullptr);
  CHECK(c.find("gpu")->gpu_power_w == 300);
  REQUIRE(c.find("cpu") != nullptr);
  CHECK(c.find("cpu")->core_power_w == Approx(7.5));  // Xeon Gold 6248: 150 W / 20 cores
  CHECK(c.find("bigmem")->node_memory_gb == 1536);
}

TEST_CASE("load_cluster: a number too large for a double is an error, not a crash", "[unit]") {
  const co2e::Dataset d;
  auto c = co2e::load_cluster(R"({"pue": 1e999})", "huge.json", co2e::ClusterOverrides{}, d);
  REQUIRE_FALSE(c.ok());
  CHECK_THAT(c.error().message, Catch::Matchers::Contains("huge.json: not valid JSON"));
}
