// Hostile input across every command (issue 6): closed and full standard output, SIGPIPE,
// directories, /dev/zero and unreadable files where files are expected, huge numbers, inf, nan
// and negative zero, 10 MB lines, invalid UTF-8 and NUL bytes. Each case asserts the exit code of
// the contract (docs/cli.md) and the message, and that nothing is left half-written.
#include <catch2/catch.hpp>
#include <nlohmann/json.hpp>

#include <sys/stat.h>
#include <unistd.h>

#include <filesystem>
#include <string>
#include <vector>

#include "support.hpp"

using Catch::Contains;
using co2e::test::fixture;
using co2e::test::read_file;
using co2e::test::run_co2e;
using co2e::test::run_shell;
using co2e::test::TempDir;
namespace fs = std::filesystem;

namespace {

std::string quoted(const std::string& s) { return "'" + s + "'"; }

/// A CSV of `rows` valid batch rows (runtime 1h, 2 cores at 10 W each).
std::string batch_csv(int rows) {
  std::string s = "name,runtime,cores,core_power\n";
  for (int i = 0; i < rows; ++i) s += "job" + std::to_string(i) + ",1h,2,10\n";
  return s;
}

/// The header line of the sacct fixture (with its newline).
std::string sacct_header() {
  const std::string all = read_file(fixture("slurm/good_basic.txt"));
  return all.substr(0, all.find('\n') + 1);
}

/// `sacct -P` output of `jobs` one-hour 4-core jobs, in the fixture's format.
std::string sacct_text(int jobs) {
  std::string s = sacct_header();
  for (int i = 0; i < jobs; ++i)
    s += std::to_string(5000 + i) +
         "|sim|alice|physics|cpu|2024-03-01T09:00:00|2024-03-01T10:00:00|2024-03-01T11:00:00|01:00:00|1|4|02:00:00|"
         "04:00:00|7812500K||COMPLETED|billing=4,cpu=4,mem=7812500K,node=1\n";
  return s;
}

/// One command line per command that writes a result to standard output.
std::vector<std::string> stdout_commands(const std::string& csv) {
  const std::string cluster = quoted(fixture("slurm/good_cluster.json"));
  return {
      "\"$CO2E\" estimate --runtime 1h --cores 1 --core-power 10",
      "\"$CO2E\" batch " + quoted(csv),
      "\"$CO2E\" slurm --sacct-file " + quoted(fixture("slurm/good_basic.txt")) + " --cluster " + cluster,
      "\"$CO2E\" when --runtime 1h --cores 1 --core-power 10 --after 2024-01-01T00:00Z --intensity-series " +
          quoted(fixture("series/good_when.csv")),
      "\"$CO2E\" list regions",
      "\"$CO2E\" show region FR",
      "\"$CO2E\" slurm init --no-sinfo",
      "\"$CO2E\" --version",
      "\"$CO2E\" --help",
      "\"$CO2E\" batch --help",
  };
}

/// A shell line that must fail with `exit_code`, a message containing `message`, and nothing on stdout.
struct Failing {
  std::string cmd;
  std::string message;
  int exit_code;
};

/// Runs `prefix + cmd` of each case with run_shell and checks it.
void expect_failures(const std::string& prefix, const std::vector<Failing>& cases) {
  for (const auto& c : cases) {
    INFO(prefix << c.cmd);
    const auto r = run_shell(prefix + c.cmd);
    CHECK(r.exit_code == c.exit_code);
    CHECK_THAT(r.err, Contains(c.message));
    CHECK(r.out.empty());
  }
}

/// The same for argument lists run directly.
struct FailingArgs {
  std::vector<std::string> args;
  std::string message;
  int exit_code;
};

void expect_failures(const std::vector<FailingArgs>& cases) {
  for (const auto& c : cases) {
    INFO(c.args[0] << ": " << c.message);
    const auto r = run_co2e(c.args);
    CHECK(r.exit_code == c.exit_code);
    CHECK_THAT(r.err, Contains(c.message));
    CHECK(r.out.empty());
  }
}

bool is_char_device(const std::string& path) {
  struct stat st {};
  return ::stat(path.c_str(), &st) == 0 && S_ISCHR(st.st_mode);
}

/// The names in `dir`, sorted.
std::vector<std::string> listing(const std::string& dir) {
  std::vector<std::string> names;
  for (const auto& e : fs::directory_iterator(dir)) names.push_back(e.path().filename().string());
  std::sort(names.begin(), names.end());
  return names;
}

}  // namespace

TEST_CASE("hostile: a closed standard output (>&-) is exit 3 with a message, for every command", "[cli]") {
  TempDir d;
  const std::string csv = d.write("in.csv", batch_csv(2));
  for (const auto& cmd : stdout_commands(csv)) {
    INFO(cmd);
    REQUIRE(run_shell(cmd + " > /dev/null").exit_code == 0);  // the command itself is fine
    const auto r = run_shell(cmd + " >&-");
    CHECK(r.exit_code == 3);
    CHECK_THAT(r.err, Contains("cannot write to standard output: it is closed"));
  }
  // run: the command's own output goes nowhere (it gets /dev/null), co2e's report is on stderr.
  auto r = run_shell("\"$CO2E\" run --region FR -- sh -c 'echo lost; exit 3' >&-");
  CHECK(r.exit_code == 3);  // the command's status
  CHECK_THAT(r.err, Contains("exited with status 3"));
  // run -o - with stdout closed: refused before the command starts.
  const std::string marker = d.path() + "/ran";
  r = run_shell("\"$CO2E\" run --format json -o - -- touch " + quoted(marker) + " >&-");
  CHECK(r.exit_code == 125);
  CHECK_THAT(r.err, Contains("cannot write to standard output: it is closed"));
  CHECK_FALSE(fs::exists(marker));
}

TEST_CASE("hostile: a full disk (/dev/full) is exit 3, and the device is written, never replaced", "[cli]") {
  REQUIRE(is_char_device("/dev/full"));
  TempDir d;
  const std::string csv = d.write("in.csv", batch_csv(2));
  for (const auto& cmd : stdout_commands(csv)) {
    INFO(cmd);
    const auto r = run_shell(cmd + " > /dev/full");
    CHECK(r.exit_code == 3);
    CHECK_THAT(r.err, Contains("standard output: cannot write: No space left on device"));
  }
  const std::string series = quoted(fixture("series/good_when.csv"));
  expect_failures(
      "\"$CO2E\" ",
      {
          {"batch " + quoted(csv) + " -o /dev/full", "-o \"/dev/full\": cannot write: No space left on device", 3},
          {"batch " + quoted(csv) + " --format markdown -o /dev/full", "-o \"/dev/full\": cannot write", 3},
          {"when --runtime 1h --cores 1 --core-power 10 --after 2024-01-01T00:00Z --intensity-series " + series +
               " --plot /dev/full",
           "--plot \"/dev/full\": cannot write: No space left on device", 3},
          {"slurm init --no-sinfo --force -o /dev/full", "-o \"/dev/full\": cannot write: No space left on device", 3},
          {"run --format json -o /dev/full -- true", "-o \"/dev/full\": cannot write: No space left on device", 125},
      });
  CHECK(is_char_device("/dev/full"));  // written, never renamed over

  // /dev/null as -o is written in place and stays a device.
  const auto r = run_shell("\"$CO2E\" batch " + quoted(csv) + " -o /dev/null");
  CHECK(r.exit_code == 0);
  CHECK(is_char_device("/dev/null"));
}

TEST_CASE("hostile: a full disk for a regular -o file keeps the old file and leaves no temporary file", "[cli]") {
  TempDir d;
  d.write("in.csv", batch_csv(2000));  // about 150 kB of output
  const std::string out = d.write("out.csv", "previous results\n");
  // RLIMIT_FSIZE makes writes past 4 kB fail with EFBIG, as a full disk fails them with ENOSPC.
  const auto r =
      run_shell("cd " + quoted(d.path()) + " && trap '' XFSZ && ulimit -f 8 && \"$CO2E\" batch in.csv -o out.csv");
  CHECK(r.exit_code == 3);
  CHECK_THAT(r.err, Contains("-o \"out.csv\": cannot write: File too large"));
  CHECK(read_file(out) == "previous results\n");
  CHECK(listing(d.path()) == std::vector<std::string>{"in.csv", "out.csv"});
}

TEST_CASE("hostile: SIGPIPE (co2e ... | head -1) ends co2e quietly with status 141, SIGPIPE default or ignored",
          "[cli]") {
  TempDir d;
  const std::string csv = d.write("big.csv", batch_csv(20000));  // far more than a pipe holds
  const std::string sacct = d.write("sacct.txt", sacct_text(20000));
  const std::string cluster = quoted(fixture("slurm/good_cluster.json"));
  struct Case {
    std::string args, first_line;
  };
  const Case cases[] = {
      {"batch " + quoted(csv), "name,runtime,cores,core_power,energy_kwh,"},
      {"batch " + quoted(csv) + " --format jsonl", "{\"name\":\"job0\","},
      {"slurm --format csv --sacct-file " + quoted(sacct) + " --cluster " + cluster, "job_id,job_name,"},
      {"list cpus", "name "},
  };
  for (const char* disposition : {"--default-signal=PIPE", "--ignore-signal=PIPE"}) {
    for (const auto& c : cases) {
      INFO(disposition << " " << c.args);
      const auto r = run_shell(std::string("{ env ") + disposition + " \"$CO2E\" " + c.args +
                               "; echo \"co2e status $?\" >&2; } | head -1");
      CHECK(r.exit_code == 0);              // head's
      CHECK(r.err == "co2e status 141\n");  // 128 + SIGPIPE, and no message from co2e
      CHECK(r.out.starts_with(c.first_line));
      CHECK(std::count(r.out.begin(), r.out.end(), '\n') == 1);
    }
  }
}

TEST_CASE("hostile: a directory where a file is expected", "[cli]") {
  TempDir d;
  const std::string dir = d.path() + "/folder";
  fs::create_directory(dir);
  const std::string csv = quoted(d.write("in.csv", batch_csv(2)));
  const std::string good_sacct = quoted(fixture("slurm/good_basic.txt"));
  const std::string series = quoted(fixture("series/good_when.csv"));
  const std::string marker = d.path() + "/ran";
  const std::string q = quoted(dir);
  expect_failures(
      "\"$CO2E\" ",
      {
          {"batch " + q, dir + ": is a directory", 3},
          {"--data " + q + " list cpus", "--data: " + dir + ": is a directory, not a file", 3},
          {"estimate --runtime 1h --cores 1 --core-power 10 --start 2024-01-01T00:00Z --intensity-series " + q,
           "--intensity-series: " + dir + ": is a directory, not a file", 3},
          {"when --runtime 1h --cores 1 --core-power 10 --intensity-series " + q,
           "--intensity-series: " + dir + ": is a directory, not a file", 3},
          {"batch " + csv + " --intensity-series " + q, "--intensity-series: " + dir + ": is a directory, not a file",
           3},
          {"slurm --sacct-file " + q, dir + ": cannot read: Is a directory", 3},
          {"slurm --sacct-file " + good_sacct + " --cluster " + q, "--cluster: " + dir + ": is a directory, not a file",
           3},
          {"batch " + csv + " -o " + q, "-o \"" + dir + "\": is a directory", 3},
          {"when --runtime 1h --cores 1 --core-power 10 --after 2024-01-01T00:00Z --intensity-series " + series +
               " --plot " + q,
           "--plot \"" + dir + "\": is a directory", 3},
          {"run --log " + q + " -- touch " + quoted(marker), "--log \"" + dir + "\": Is a directory", 125},
          {"run -o " + q + " -- touch " + quoted(marker), "-o \"" + dir + "\": is a directory", 125},
          {"run --intensity-series " + q + " -- touch " + quoted(marker), "is a directory, not a file", 125},
      });

  CHECK_FALSE(fs::exists(marker));  // run checks its files before it starts the command
  CHECK(listing(dir).empty());      // no temporary file left in the folder
}

TEST_CASE("hostile: /dev/zero as an input file ends at once with a reason", "[cli]") {
  TempDir d;
  const std::string csv = quoted(d.write("in.csv", batch_csv(2)));
  const std::string marker = d.path() + "/ran";
  expect_failures(
      "timeout 60 \"$CO2E\" ",
      {
          {"batch /dev/zero", "/dev/zero: a NUL byte at the start: this looks like binary data", 3},
          {"batch < /dev/zero", "standard input: a NUL byte at the start", 3},
          {"--data /dev/zero list cpus", "--data: /dev/zero: byte 1 is a NUL byte", 3},
          {"estimate --runtime 1h --cores 1 --core-power 10 --start 2024-01-01T00:00Z --intensity-series /dev/zero",
           "--intensity-series: /dev/zero: byte 1 is a NUL byte", 3},
          {"when --runtime 1h --cores 1 --core-power 10 --intensity-series /dev/zero",
           "--intensity-series: /dev/zero: byte 1 is a NUL byte", 3},
          {"batch " + csv + " --intensity-series /dev/zero", "--intensity-series: /dev/zero: byte 1 is a NUL byte", 3},
          {"slurm --sacct-file /dev/zero",
           "/dev/zero: line 1 is longer than 16 MiB: this is not `sacct --parsable2` output", 3},
          {"slurm --sacct-file - < /dev/zero", "standard input: line 1 is longer than 16 MiB", 3},
          {"slurm --sacct-file " + quoted(fixture("slurm/good_basic.txt")) + " --cluster /dev/zero",
           "--cluster: /dev/zero: byte 1 is a NUL byte", 3},
          {"run --intensity-series /dev/zero -- touch " + quoted(marker),
           "--intensity-series: /dev/zero: byte 1 is a NUL byte", 125},
      });

  CHECK_FALSE(fs::exists(marker));
}

TEST_CASE("hostile: unreadable files and unwritable folders are exit 3 (run: 125) with the system's reason", "[cli]") {
  TempDir d;
  ::chmod(d.path().c_str(), 0755);
  // Root reads every file: drop to nobody for this test (setpriv is in util-linux).
  std::string co2e = "\"$CO2E\"";
  if (::geteuid() == 0) {
    const std::string copy = d.path() + "/co2e";
    fs::copy_file(co2e::test::co2e_binary(), copy);
    co2e = "setpriv --reuid=65534 --regid=65534 --clear-groups " + quoted(copy);
  }
  const auto locked = [&](const std::string& name, const std::string& content) {
    std::string p = d.write(name, content);
    ::chmod(p.c_str(), 0);
    return p;
  };
  const std::string csv = locked("in.csv", batch_csv(2));
  const std::string data = locked("data.json", "{}");
  const std::string series = locked("series.csv", read_file(fixture("series/good_when.csv")));
  const std::string sacct = locked("sacct.txt", read_file(fixture("slurm/good_basic.txt")));
  const std::string cluster = locked("cluster.json", read_file(fixture("slurm/good_cluster.json")));
  const std::string readable = d.write("ok.csv", batch_csv(2));
  ::chmod(readable.c_str(), 0644);
  const std::string ro = d.path() + "/readonly";
  fs::create_directory(ro);
  ::chmod(ro.c_str(), 0555);
  const std::string marker = d.path() + "/ran";
  expect_failures(
      co2e + " ",
      {
          {"batch " + quoted(csv), csv + ": cannot open: Permission denied", 3},
          {"--data " + quoted(data) + " list cpus", "--data: " + data + ": cannot open: Permission denied", 3},
          {"estimate --runtime 1h --cores 1 --core-power 10 --start 2024-01-01T00:00Z --intensity-series " +
               quoted(series),
           "--intensity-series: " + series + ": cannot open: Permission denied", 3},
          {"slurm --sacct-file " + quoted(sacct), "--sacct-file \"" + sacct + "\": cannot open: Permission denied", 3},
          {"slurm --sacct-file " + quoted(fixture("slurm/good_basic.txt")) + " --cluster " + quoted(cluster),
           "--cluster: " + cluster + ": cannot open: Permission denied", 3},
          {"batch " + quoted(readable) + " -o " + quoted(ro + "/out.csv"),
           "-o \"" + ro + "/out.csv\": cannot create a temporary file in " + ro + ": Permission denied", 3},
          {"run --log " + quoted(ro + "/log.csv") + " -- touch " + quoted(marker),
           "--log \"" + ro + "/log.csv\": Permission denied", 125},
      });

  CHECK_FALSE(fs::exists(marker));
  CHECK(listing(ro).empty());
}

TEST_CASE("hostile: huge numbers: 10^9 GPUs for 10^6 hours are computed exactly, past the limits, an error", "[cli]") {
  // 10^9 GPUs x 400 W x 10^6 h = 4e17 Wh = 4e14 kWh; at PUE 1 and 100 g/kWh, 4e16 g = 4e13 kg.
  auto r = run_co2e({"estimate", "--runtime", "1000000h", "--gpus", "1000000000", "--gpu-power", "400", "--intensity",
                     "100", "--pue", "1", "--format", "json"});
  REQUIRE(r.exit_code == 0);
  auto j = nlohmann::json::parse(r.out);
  CHECK(j["energy_kwh"].get<double>() == 4e14);
  CHECK(j["co2e_kg"].get<double>() == 4e13);

  r = run_co2e({"batch", "--format", "jsonl"},
               "name,runtime,gpus,gpu_power,intensity,pue\nhuge,1000000h,1000000000,400,100,1\n");
  REQUIRE(r.exit_code == 0);
  j = nlohmann::json::parse(r.out);
  CHECK(j["energy_kwh"].get<double>() == 4e14);
  CHECK(j["co2e_kg"].get<double>() == 4e13);

  // slurm: 10^9 GPUs for 10^6 h (41666-16:00:00) on the fixture's gpu partition at 300 W: 3e14 kWh of GPU.
  TempDir d;
  const std::string header = sacct_header();
  const std::string sacct = d.write(
      "huge.txt",
      header +
          "2001|huge|bob|physics|gpu|2024-03-01T09:00:00|2024-03-01T10:00:00|2024-03-01T11:00:00|"
          "41666-16:00:00|1|1|00:00:00|00:00:00|1G||COMPLETED|billing=1,cpu=1,gres/gpu=1000000000,mem=1G,node=1\n");
  r = run_co2e({"slurm", "--format", "jsonl", "--sacct-file", sacct, "--cluster", fixture("slurm/good_cluster.json")});
  REQUIRE(r.exit_code == 0);
  j = nlohmann::json::parse(r.out);
  CHECK(j["gpus"].get<double>() == 1e9);
  CHECK(j["gpu_hours"].get<double>() == 1e15);
  CHECK(j["gpu_kwh"].get<double>() == 3e14);

  expect_failures(std::vector<FailingArgs>{
      {{"estimate", "--runtime", "1e300h", "--cores", "1", "--core-power", "10"},
       "--runtime \"1e300h\": duration too large",
       2},
      {{"estimate", "--runtime", "99999999999999999999999h", "--cores", "1", "--core-power", "10"},
       "duration too large",
       2},
      {{"estimate", "--runtime", "1h", "--gpus", "99999999999999999999", "--gpu-power", "400"},
       "--gpus \"99999999999999999999\" is too large (at most 1000000000)",
       2},
      {{"estimate", "--gpu-hours", "1", "--gpu-power", "1e300"},
       "--gpu-power \"1e300\" is too large for watts per GPU",
       2},
      {{"estimate", "--runtime", "1h", "--cores", "1", "--core-power", "10", "--memory", "1e300G"},
       "--memory \"1e300G\": memory size too large",
       2},
      // Every factor within its own limit, the product not: refused rather than printed as inf.
      {{"estimate", "--runtime", "1000000000000000s", "--gpus", "1000000000", "--gpu-power", "10000", "--intensity",
        "5000", "--pue", "10"},
       "the inputs give an energy too large to be meaningful",
       2},
      {{"when", "--runtime", "1e300h", "--cores", "1", "--core-power", "10", "--intensity-series",
        fixture("series/good_when.csv")},
       "--runtime \"1e300h\": duration too large",
       2},
      {{"slurm", "--sacct-file", sacct, "--pue", "1e999"}, "--pue", 2},
      {{"run", "--budget", "1e999g", "--", "true"}, "--budget: \"1e999g\": a mass too large", 125},
  });

  r = run_co2e({"batch", "--format", "jsonl"}, "name,gpu_hours,gpu_power\nx,1e999,400\n");
  CHECK(r.exit_code == 2);
  CHECK_THAT(r.out, Contains("column gpu_hours: \\\"1e999\\\": number too large"));
}

TEST_CASE("hostile: inf, nan and negative zero", "[cli]") {
  expect_failures(std::vector<FailingArgs>{
      {{"estimate", "--runtime", "1h", "--cores", "inf", "--core-power", "10"},
       "--cores \"inf\" is not a whole number",
       2},
      {{"estimate", "--runtime", "1h", "--cores", "1", "--core-power", "nan"},
       "--core-power \"nan\" is not a power",
       2},
      {{"estimate", "--runtime", "1h", "--cores", "1", "--core-power", "-nan"},
       "--core-power \"-nan\" is not a power",
       2},
      {{"estimate", "--runtime", "1h", "--cores", "1", "--core-power", "10", "--pue", "inf"},
       "--pue \"inf\" is not a number",
       2},
      {{"estimate", "--runtime", "inf", "--cores", "1", "--core-power", "10"},
       "--runtime \"inf\" is not a duration",
       2},
      {{"estimate", "--runtime", "nanh", "--cores", "1", "--core-power", "10"}, "is not a duration", 2},
      {{"estimate", "--runtime", "1h", "--cores", "1", "--core-power", "-0"},
       "--core-power \"-0\" must be more than 0",
       2},
      {{"estimate", "--runtime", "1h", "--cores", "1", "--core-power", "10", "--pue", "-0"},
       "--pue \"-0\" is below 1",
       2},
      {{"when", "--runtime", "nan", "--cores", "1", "--core-power", "10", "--intensity-series",
        fixture("series/good_when.csv")},
       "--runtime \"nan\" is not a duration",
       2},
      {{"slurm", "--sacct-file", fixture("slurm/good_basic.txt"), "--pue", "nan"}, "--pue", 2},
      {{"run", "--interval", "nan", "--", "true"}, "--interval", 125},
      {{"run", "--interval", "1e-9s", "--", "true"}, "--interval \"1e-9s\": at least 0.01s", 125},
      {{"run", "--budget", "inf", "--", "true"}, "--budget: \"inf\" is not a mass", 125},
  });

  // Negative zero is zero: no emissions at -0 g/kWh, no energy over -0h, and never "-0" in output.
  auto r = run_co2e({"estimate", "--runtime", "1h", "--cores", "1", "--core-power", "10", "--pue", "1", "--intensity",
                     "-0", "--format", "json"});
  REQUIRE(r.exit_code == 0);
  auto j = nlohmann::json::parse(r.out);
  CHECK(j["energy_kwh"].get<double>() == Approx(0.01));
  CHECK(j["co2e_kg"].get<double>() == 0);
  CHECK_FALSE(std::signbit(j["co2e_kg"].get<double>()));
  r = run_co2e({"estimate", "--runtime", "-0h", "--cores", "1", "--core-power", "10", "--format", "csv"});
  REQUIRE(r.exit_code == 0);
  CHECK(r.out.find("-0") == std::string::npos);
  CHECK_THAT(r.out, Contains("\n0,0,"));  // energy_kwh 0, co2e_kg 0

  // The same in batch cells: each bad row is marked, the good rows are computed, exit 2.
  r = run_co2e({"batch", "--format", "jsonl", "--pue", "1"},
               "name,runtime,cores,core_power,intensity\na,1h,1,10,-0\nb,1h,1,inf,10\nc,nan,1,10,10\nd,1h,1,nan,10\n");
  CHECK(r.exit_code == 2);
  std::vector<nlohmann::json> rows;
  for (std::size_t at = 0, nl; (nl = r.out.find('\n', at)) != std::string::npos; at = nl + 1)
    rows.push_back(nlohmann::json::parse(r.out.substr(at, nl - at)));
  REQUIRE(rows.size() == 4);
  CHECK(rows[0]["status"] == "ok");
  CHECK(rows[0]["co2e_kg"].get<double>() == 0);
  CHECK(rows[1]["error"] ==
        "row 2, column core_power: \"inf\" is not a power: e.g. 300W, 0.3kW, 7.5 W; a bare number is watts");
  CHECK_THAT(rows[2]["error"].get<std::string>(), Contains("row 3, column runtime: \"nan\" is not a duration"));
  CHECK(rows[3]["error"] ==
        "row 4, column core_power: \"nan\" is not a power: e.g. 300W, 0.3kW, 7.5 W; a bare number is watts");
}

TEST_CASE("hostile: 10 MB lines", "[cli]") {
  TempDir d;
  const std::string big(10'000'000, 'x');  // NOLINT(bugprone-string-constructor): 10 MB on purpose
  // batch keeps a record in memory: past 8 MiB it is refused, naming the file and the line.
  auto p = d.write("long.csv", "name,runtime,cores,core_power\na,1h,1,10\n" + big + ",1h,1,10\n");
  auto r = run_co2e({"batch", p});
  CHECK(r.exit_code == 3);
  CHECK_THAT(r.err, Contains(p + ": line 3: a record longer than 8 MiB"));
  p = d.write("long.jsonl",
              "{\"name\":\"a\",\"runtime\":\"1h\",\"cores\":1,\"core_power\":10}\n{\"name\":\"" + big + "\"}\n");
  r = run_co2e({"batch", p});
  CHECK(r.exit_code == 3);
  CHECK_THAT(r.err, Contains(p + ": line 2: a record longer than 8 MiB"));
  // sacct: a 10 MB job name is carried through (lines up to 16 MiB), the job computed as usual.
  p = d.write("long_sacct.txt",
              sacct_header() + "1001|" + big +
                  "|alice|physics|cpu|2024-03-01T09:00:00|2024-03-01T10:00:00|2024-03-01T11:00:00|01:00:00|1|"
                  "4|02:00:00|04:00:00|7812500K||COMPLETED|billing=4,cpu=4,mem=7812500K,node=1\n");
  r = run_co2e({"slurm", "--format", "jsonl", "--sacct-file", p, "--cluster", fixture("slurm/good_cluster.json")});
  REQUIRE(r.exit_code == 0);
  auto j = nlohmann::json::parse(r.out);
  CHECK(j["job_name"].get<std::string>().size() == big.size());
  CHECK(j["core_hours"].get<double>() == 2);  // TotalCPU 2 h
  // An intensity series with a 10 MB value: the line is named, the value shortened in the message.
  p = d.write("long_series.csv",
              "timestamp,intensity_g_per_kwh\n2024-01-01T00:00Z,300\n2024-01-01T01:00Z," + big + "\n");
  r = run_co2e({"estimate", "--runtime", "1h", "--cores", "1", "--core-power", "10", "--start", "2024-01-01T00:00Z",
                "--intensity-series", p});
  CHECK(r.exit_code == 3);
  CHECK_THAT(r.err, Contains(p + ":3: intensity: \"xxxxxxxx"));
  CHECK(r.err.size() < 1000);
  // A 100 kB model name on the command line (about the most a single argument may hold).
  r = run_co2e({"estimate", "--runtime", "1h", "--cores", "4", "--cpu", std::string(100'000, 'q')});
  CHECK(r.exit_code == 2);
  CHECK_THAT(r.err, Contains("--cpu: unknown CPU model"));
}

TEST_CASE("hostile: invalid UTF-8 never breaks JSON output", "[cli]") {
  const std::string fffd = "\xEF\xBF\xBD";
  // batch: carried-through cells.
  auto r = run_co2e({"batch", "--format", "jsonl"}, "name,runtime,cores,core_power,note\n\xFF\xFE,1h,1,10,\xC3(\n");
  REQUIRE(r.exit_code == 0);
  auto j = nlohmann::json::parse(r.out);  // strict: throws on invalid UTF-8
  CHECK(j["name"] == fffd + fffd);
  CHECK(j["note"] == fffd + "(");
  // run: the command line in the report (this exited 4 before: nlohmann's dump threw).
  TempDir d;
  const std::string report = d.path() + "/run.json";
  r = run_co2e({"run", "--format", "json", "-o", report, "--", "true", "\xFF"});
  REQUIRE(r.exit_code == 0);
  j = nlohmann::json::parse(read_file(report));
  CHECK(j["command"] == nlohmann::json::array({"true", fffd}));
  // slurm: job and user names from sacct, in the JSON summary and in JSON Lines.
  const std::string sacct =
      d.write("u8.txt",
              sacct_header() +
                  "1001|sim\xFF|al\xC3\xA9\xFF|physics|cpu|2024-03-01T09:00:00|2024-03-01T10:00:00|2024-03-01T11:00:00|"
                  "01:00:00|1|4|02:00:00|04:00:00|7812500K||COMPLETED|billing=4,cpu=4,mem=7812500K,node=1\n");
  r = run_co2e({"slurm", "--format", "jsonl", "--sacct-file", sacct, "--cluster", fixture("slurm/good_cluster.json")});
  REQUIRE(r.exit_code == 0);
  j = nlohmann::json::parse(r.out);
  CHECK(j["job_name"] == "sim" + fffd);
  CHECK(j["user"] == "al\xC3\xA9" + fffd);
  r = run_co2e({"slurm", "--format", "json", "--group-by", "user", "--sacct-file", sacct, "--cluster",
                fixture("slurm/good_cluster.json")});
  REQUIRE(r.exit_code == 0);
  CHECK_NOTHROW(nlohmann::json::parse(r.out));
  // Names that are not UTF-8 are unknown names, with the usual message.
  r = run_co2e({"estimate", "--runtime", "1h", "--cores", "1", "--core-power", "10", "--region", "\xFF\xFE"});
  CHECK(r.exit_code == 2);
  CHECK_THAT(r.err, Contains("--region: unknown region"));
  // Files that must be UTF-8 text: the data table (JSON) and the series.
  const std::string data = d.write("data.json", "{\"cpus\":[{\"name\":\"A\xFF\",\"tdp_w\":100,\"cores\":10}]}");
  r = run_co2e({"--data", data, "list", "cpus"});
  CHECK(r.exit_code == 3);
  CHECK_THAT(r.err, Contains("--data: " + data + ": not valid JSON"));
  const std::string series =
      d.write("series.csv", "timestamp,intensity_g_per_kwh\n2024-01-01T00:00Z,300\n2024-01-01T01:00Z\xFF,100\n");
  r = run_co2e({"estimate", "--runtime", "1h", "--cores", "1", "--core-power", "10", "--start", "2024-01-01T00:00Z",
                "--intensity-series", series});
  CHECK(r.exit_code == 3);
  CHECK_THAT(r.err, Contains(series + ":3: \"2024-01-01T01:00Z"));
  // A UTF-16 CSV (Excel's "Unicode text") is named as such.
  const std::string utf16 = d.write("utf16.csv", std::string("\xFF\xFEn\0a\0m\0e\0", 10));
  r = run_co2e({"batch", utf16});
  CHECK(r.exit_code == 3);
  CHECK_THAT(r.err, Contains(utf16 + ": UTF-16LE text (byte-order mark at the start); co2e reads UTF-8"));
}

TEST_CASE("hostile: NUL bytes in every kind of input", "[cli]") {
  TempDir d;
  const std::string nul("\0", 1);
  auto p = d.write("header.csv", "na" + nul + "me,runtime\na,1h\n");
  auto r = run_co2e({"batch", p});
  CHECK(r.exit_code == 3);
  CHECK_THAT(r.err, Contains(p + ": line 1: NUL byte in the header"));
  r = run_co2e({"batch", "--format", "jsonl"}, "name,runtime,cores,core_power\nj" + nul + "b,1h,1,10\n");
  CHECK(r.exit_code == 2);
  CHECK_THAT(r.out, Contains("row 1, column name: a NUL byte in the value (binary data?)"));
  p = d.write("series.csv", "timestamp,intensity_g_per_kwh\n2024-01-01T00:00Z,3" + nul + "00\n");
  r = run_co2e({"when", "--runtime", "1h", "--cores", "1", "--core-power", "10", "--intensity-series", p});
  CHECK(r.exit_code == 3);
  CHECK_THAT(r.err, Contains(p + ": byte 50 is a NUL byte"));  // 30 + 19 bytes before it
  p = d.write("data.json", "{\"cpus\":[" + nul + "]}");
  r = run_co2e({"--data", p, "list", "cpus"});
  CHECK(r.exit_code == 3);
  CHECK_THAT(r.err, Contains(p + ": byte 10 is a NUL byte"));
  p = d.write("cluster.json", "{" + nul + "}");
  r = run_co2e({"slurm", "--sacct-file", fixture("slurm/good_basic.txt"), "--cluster", p});
  CHECK(r.exit_code == 3);
  CHECK_THAT(r.err, Contains("--cluster: " + p + ": byte 2 is a NUL byte"));
  // sacct output is read line by line: a NUL inside a job name is carried, escaped in JSON.
  p = d.write("sacct.txt",
              sacct_header() + "1001|sim" + nul +
                  "x|alice|physics|cpu|2024-03-01T09:00:00|2024-03-01T10:00:00|2024-03-01T11:00:00|01:00:00|1|4|"
                  "02:00:00|04:00:00|7812500K||COMPLETED|billing=4,cpu=4,mem=7812500K,node=1\n");
  r = run_co2e({"slurm", "--format", "jsonl", "--sacct-file", p, "--cluster", fixture("slurm/good_cluster.json")});
  REQUIRE(r.exit_code == 0);
  CHECK(nlohmann::json::parse(r.out)["job_name"] == "sim" + nul + "x");
}

TEST_CASE("hostile: -o never leaves a half-written file, and keeps links, FIFOs and permissions", "[cli]") {
  TempDir d;
  const std::string in = d.write("in.csv", batch_csv(3) + "bad,forever,1,10\n");
  // A failing --strict run leaves the old file and no temporary file.
  const std::string out = d.write("out.csv", "previous\n");
  auto r = run_co2e({"batch", in, "--strict", "-o", out});
  CHECK(r.exit_code == 2);
  CHECK(read_file(out) == "previous\n");
  CHECK(listing(d.path()) == std::vector<std::string>{"in.csv", "out.csv"});
  // An existing file keeps its permissions.
  ::chmod(out.c_str(), 0600);
  const std::string good = d.write("good.csv", batch_csv(3));
  r = run_co2e({"batch", good, "-o", out});
  REQUIRE(r.exit_code == 0);
  CHECK_THAT(read_file(out), Contains("job2,1h,2,10,"));
  struct stat st {};
  REQUIRE(::stat(out.c_str(), &st) == 0);
  CHECK((st.st_mode & 0777) == 0600);
  // A symbolic link keeps pointing at the file, which is replaced.
  const std::string link = d.path() + "/link.csv";
  fs::create_symlink(out, link);
  fs::remove(out);
  d.write("out.csv", "old\n");
  r = run_co2e({"batch", good, "--format", "jsonl", "-o", link});
  REQUIRE(r.exit_code == 0);
  CHECK(fs::is_symlink(link));
  CHECK_THAT(read_file(out), Contains("\"name\":\"job0\""));
  // A FIFO is written in place, not replaced by a file.
  const std::string fifo = d.path() + "/pipe";
  REQUIRE(::mkfifo(fifo.c_str(), 0600) == 0);
  r = run_shell("cat " + quoted(fifo) + " > " + quoted(d.path() + "/from-fifo.csv") + " & \"$CO2E\" batch " +
                quoted(good) + " -o " + quoted(fifo) + "; s=$?; wait; exit $s");
  CHECK(r.exit_code == 0);
  CHECK(fs::is_fifo(fifo));
  CHECK_THAT(read_file(d.path() + "/from-fifo.csv"), Contains("job1,1h,2,10,"));
}

TEST_CASE("hostile: SIGTERM or SIGHUP during batch -o removes the temporary file and keeps the old one", "[cli]") {
  for (const char* sig : {"TERM", "HUP"}) {
    INFO(sig);
    TempDir d;
    d.write("out.csv", "previous\n");
    // batch reads a FIFO whose writer stays open, so it is mid-run when the signal comes; the
    // script waits until the temporary output file exists, then signals co2e.
    const auto r = run_shell("cd " + quoted(d.path()) +
                             " && mkfifo in.csv && { \"$CO2E\" batch in.csv -o out.csv & pid=$!; }"
                             " && exec 3>in.csv && printf 'name,runtime,cores,core_power\\na,1h,1,10\\n' >&3"
                             " && for i in $(seq 200); do ls -A | grep -q co2e- && break; sleep 0.05; done"
                             " && ls -A | grep -c co2e- && kill -" +
                             std::string(sig) + " $pid; wait $pid; echo \"status $?\"");
    CHECK(r.out == "1\nstatus " + std::to_string(128 + (std::string(sig) == "TERM" ? 15 : 1)) + "\n");
    CHECK(read_file(d.path() + "/out.csv") == "previous\n");
    CHECK(listing(d.path()) == std::vector<std::string>{"in.csv", "out.csv"});
  }
}
