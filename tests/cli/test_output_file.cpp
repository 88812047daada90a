// -o, --output FILE of estimate, compare, when and slurm, black box: the document that stdout would
// hold, byte for byte, written atomically (docs/cli.md "Output files"): nothing at FILE on an
// error, the old file kept until success, exit 3 naming an unwritable path, `-` for stdout. batch's
// and run's -o, the same OutputFile, are tested in test_batch.cpp, test_hostile.cpp and test_run*.cpp.
#include <catch2/catch.hpp>
#include <filesystem>
#include <nlohmann/json.hpp>

#include "support.hpp"

namespace t = co2e::test;
using co2e::test::fixture;
using co2e::test::read_file;
using co2e::test::TempDir;
using nlohmann::json;

namespace {

std::vector<std::string> plus(std::vector<std::string> args, const std::vector<std::string>& more) {
  args.insert(args.end(), more.begin(), more.end());
  return args;
}

std::size_t entries(const TempDir& dir) {
  return static_cast<std::size_t>(
      std::distance(std::filesystem::directory_iterator(dir.path()), std::filesystem::directory_iterator()));
}

/// The contract for one command: `ok` succeeds, `bad` is invalid input (exit 2). Returns what -o wrote.
std::string check_output_file(const std::vector<std::string>& ok, const std::vector<std::string>& bad) {
  TempDir dir;
  const std::string path = dir.path() + "/out.txt";
  const auto to_stdout = t::co2e(ok);
  INFO(to_stdout.err);
  REQUIRE(to_stdout.exit_code == 0);
  REQUIRE(!to_stdout.out.empty());

  // The same bytes in the file, nothing on stdout, the same stderr, no temporary file left.
  const auto to_file = t::co2e(plus(ok, {"-o", path}));
  CHECK(to_file.exit_code == 0);
  CHECK(to_file.out.empty());
  CHECK(to_file.err == to_stdout.err);
  CHECK(read_file(path) == to_stdout.out);
  CHECK(entries(dir) == 1);

  // --output - is standard output.
  const auto dash = t::co2e(plus(ok, {"--output", "-"}));
  CHECK(dash.exit_code == 0);
  CHECK(dash.out == to_stdout.out);

  // Invalid input: exit 2, the old file as it was, nothing else in the folder.
  dir.write("out.txt", "previous\n");
  const auto invalid = t::co2e(plus(bad, {"-o", path}));
  CHECK(invalid.exit_code == 2);
  CHECK(invalid.out.empty());
  CHECK(read_file(path) == "previous\n");
  CHECK(entries(dir) == 1);
  // The same input without an old file: none is created.
  std::filesystem::remove(path);
  CHECK(t::co2e(plus(bad, {"-o", path})).exit_code == 2);
  CHECK(entries(dir) == 0);

  // A folder that does not exist: exit 3, the path named.
  const std::string missing = dir.path() + "/missing/out.txt";
  const auto unwritable = t::co2e(plus(ok, {"-o", missing}));
  CHECK(unwritable.exit_code == 3);
  CHECK(unwritable.out.empty());
  CHECK(unwritable.err.starts_with("co2e: error: -o \"" + missing + "\": cannot create a temporary file in " +
                                   dir.path() + "/missing: No such file or directory"));
  CHECK(!std::filesystem::exists(dir.path() + "/missing"));

  // Success replaces an old file.
  dir.write("out.txt", "previous\n");
  CHECK(t::co2e(plus(ok, {"-o", path})).exit_code == 0);
  CHECK(read_file(path) == to_stdout.out);
  CHECK(entries(dir) == 1);
  return read_file(path);
}

}  // namespace

TEST_CASE("co2e estimate -o: the document of --format, atomically", "[cli]") {
  // 2 h x 4 cores x 10 W = 80 Wh = 0.08 kWh at PUE 1; x 100 g/kWh = 8 g = 0.008 kg.
  const std::vector<std::string> ok = {"estimate", "--runtime", "2h", "--cores",     "4",  "--core-power",
                                       "10",       "--pue",     "1",  "--intensity", "100"};
  SECTION("json: the contract, and the figures by hand") {
    const std::string text =
        check_output_file(plus(ok, {"--format", "json"}),
                          {"estimate", "--runtime", "12", "--cores", "4", "--core-power", "10", "--format", "json"});
    const json doc = json::parse(text);
    CHECK(doc["energy_kwh"].get<double>() == Approx(0.08));
    CHECK(doc["co2e_kg"].get<double>() == Approx(0.008));
  }

  SECTION("an unknown region fails after -o is opened: no temporary file is left") {
    TempDir dir;
    const auto r =
        t::co2e({"estimate", "--runtime", "2h", "--cores", "4", "--region", "Atlantis", "-o", dir.path() + "/f.json"});
    CHECK(r.exit_code == 2);
    CHECK(entries(dir) == 0);
  }
  SECTION("over --budget: exit 1, and the file is written (the figures are valid)") {
    TempDir dir;
    const std::string path = dir.path() + "/f.csv";
    const auto r = t::co2e(plus(ok, {"--budget", "5g", "--format", "csv", "-o", path}));
    CHECK(r.exit_code == 1);
    CHECK(r.out.empty());
    CHECK(r.err == "co2e: budget exceeded: 8 g CO2e is over the budget of 5 g\n");
    const std::string csv = read_file(path);
    CHECK(csv.starts_with("energy_kwh,"));
    CHECK(csv.find("\n0.08,") != std::string::npos);
  }
  SECTION("a full device: exit 3 naming it") {
    const auto r = t::co2e(plus(ok, {"-o", "/dev/full"}));
    CHECK(r.exit_code == 3);
    CHECK(r.err == "co2e: error: -o \"/dev/full\": cannot write: No space left on device\n");
  }
  SECTION("text and markdown too") {
    TempDir dir;
    for (const char* f : {"text", "markdown"}) {
      const auto out = t::co2e(plus(ok, {"--format", f}));
      REQUIRE(out.exit_code == 0);
      CHECK(t::co2e(plus(ok, {"--format", f, "-o", dir.path() + "/r"})).exit_code == 0);
      CHECK(read_file(dir.path() + "/r") == out.out);
    }
  }
}

TEST_CASE("co2e compare -o: the ranking of --format, atomically", "[cli]") {
  // Each option: 0.08 kWh (above); at 100 and 200 g/kWh, 0.008 and 0.016 kg; option 2 saves
  // 0.008 - 0.016 = -0.008 kg against option 1, the baseline.
  const std::string text = check_output_file(
      {"compare", "--runtime", "2h", "--cores", "4", "--core-power", "10", "--pue", "1", "--intensity", "100,200",
       "--format", "json"},
      {"compare", "--runtime", "12", "--cores", "4", "--core-power", "10", "--pue", "1", "--intensity", "100,200"});
  const json doc = json::parse(text);
  CHECK(doc["energy_kwh"].get<double>() == Approx(0.08));
  CHECK(doc["co2e_kg"].get<double>() == Approx(0.008));
  REQUIRE(doc["options"].size() == 2);
  CHECK(doc["options"][1]["co2e_kg"].get<double>() == Approx(0.016));
  CHECK(doc["options"][1]["saving_kg"].get<double>() == Approx(-0.008));
}

TEST_CASE("co2e when -o: the start times of --format, atomically", "[cli]") {
  // good_when.csv: 300, 100, 200, 400 g/kWh hourly from midnight; 1 core x 1000 W x 1 h = 1 kWh,
  // best at 01:00: 1 kWh x 100 g/kWh = 0.1 kg. A deadline at 00:30 fits no 1 h window: exit 2.
  const std::vector<std::string> base = plus(
      {"when", "--runtime", "1h", "--cores", "1", "--core-power", "1000", "--pue", "1", "--now", "2024-01-01T00:00Z"},
      {"--intensity-series", fixture("series/good_when.csv")});
  SECTION("json: the contract, and the best start by hand") {
    const std::string text =
        check_output_file(plus(base, {"--format", "json"}), plus(base, {"--before", "2024-01-01T00:30Z"}));
    const json doc = json::parse(text);
    CHECK(doc["energy_kwh"].get<double>() == Approx(1.0));
    CHECK(doc["co2e_kg"].get<double>() == Approx(0.1));
    CHECK(doc["best"][0]["start"] == "2024-01-01T01:00Z");
  }

  SECTION("a --plot that cannot be written: exit 3, and no -o file either") {
    TempDir dir;
    const auto r = t::co2e(plus(base, {"-o", dir.path() + "/w.json", "--plot", dir.path() + "/missing/p.svg"}));
    CHECK(r.exit_code == 3);
    CHECK(r.err.starts_with("co2e: error: --plot \"" + dir.path() + "/missing/p.svg\": cannot create "));
    CHECK(entries(dir) == 0);
  }
}

TEST_CASE("co2e slurm -o: the report of --format, atomically; init's -o stays init's", "[cli]") {
  // good_basic.txt (tests/cli/test_slurm.cpp has the sums by hand): 34.47 + 916.44 + 64.47 Wh =
  // 1.01538 kWh; x 200 g/kWh = 0.203076 kg.
  const std::vector<std::string> base = {"slurm", "--cluster", fixture("slurm/good_cluster.json"), "--sacct-file",
                                         fixture("slurm/good_basic.txt")};
  SECTION("json: the contract, and the totals by hand") {
    const std::string text = check_output_file(plus(base, {"--format", "json"}), plus(base, {"--top", "0"}));
    const json doc = json::parse(text);
    CHECK(doc["energy_kwh"].get<double>() == Approx(1.01538));
    CHECK(doc["co2e_kg"].get<double>() == Approx(0.203076));
  }

  SECTION("csv rows, streamed into the file; the summary stays on stderr") {
    const std::string csv = check_output_file(plus(base, {"--format", "csv"}), plus(base, {"--top", "0"}));
    CHECK(std::count(csv.begin(), csv.end(), '\n') == 4);  // the header and 3 jobs
    CHECK(csv.find("\n1002,train,bob,bio,gpu,FAILED,false,2024-03-02,1,8,1,2,0.5,2,16,,0.005,0.6,0.00596,0.91644,"
                   "0.183288,") != std::string::npos);
  }
  SECTION("csv rows over 1 MiB: the chunks written as jobs are read all reach the file, in order") {
    TempDir dir;
    std::string dump = "JobID|User|Partition|Start|End|Elapsed|NCPUS|TotalCPU|ReqMem|State|AllocTRES\n";
    for (int i = 1; i <= 12000; ++i)
      dump += std::to_string(i) +
              "|alice|cpu|2024-03-01T10:00:00|2024-03-01T11:00:00|01:00:00|4|02:00:00|8G|COMPLETED|cpu=4,node=1\n";
    const std::string jobs = dir.write("jobs.txt", dump);
    const std::vector<std::string> many = {
        "slurm", "--cluster", fixture("slurm/good_cluster.json"), "--sacct-file", jobs, "--format", "csv"};
    const auto to_stdout = t::co2e(many);
    REQUIRE(to_stdout.exit_code == 0);
    REQUIRE(to_stdout.out.size() > (std::size_t{1} << 21));  // at least two chunks before the last
    const auto to_file = t::co2e(plus(many, {"-o", dir.path() + "/jobs.csv"}));
    CHECK(to_file.exit_code == 0);
    CHECK(to_file.out.empty());
    CHECK(read_file(dir.path() + "/jobs.csv") == to_stdout.out);
    CHECK(std::count(to_stdout.out.begin(), to_stdout.out.end(), '\n') == 12001);
  }
  SECTION("an unreadable --sacct-file: exit 3, the old file kept") {
    TempDir dir;
    const std::string path = dir.write("jobs.csv", "previous\n");
    const auto r = t::co2e({"slurm", "--sacct-file", fixture("slurm/bad_no_header.txt"), "-o", path});
    CHECK(r.exit_code == 3);
    CHECK(read_file(path) == "previous\n");
    CHECK(entries(dir) == 1);
  }
  SECTION("Markdown links --plot relative to the report's folder") {
    TempDir dir;
    std::filesystem::create_directory(dir.path() + "/out");
    const auto r = t::co2e(plus(
        base, {"--format", "markdown", "-o", dir.path() + "/out/jobs.md", "--plot", dir.path() + "/out/jobs.svg"}));
    REQUIRE(r.exit_code == 0);
    CHECK(read_file(dir.path() + "/out/jobs.md").find("(jobs.svg)") != std::string::npos);
    CHECK(read_file(dir.path() + "/out/jobs.svg").find("<svg") != std::string::npos);
  }
  SECTION("-o before init is refused: init writes its own -o") {
    TempDir dir;
    const auto r = t::co2e({"slurm", "-o", dir.path() + "/c.json", "init", "--no-sinfo"});
    CHECK(r.exit_code == 2);
    CHECK(r.err == "co2e: error: -o before init is the report's: write `co2e slurm init -o FILE`\n");
    CHECK(entries(dir) == 0);
  }
}
