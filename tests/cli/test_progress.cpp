// Black-box tests of the progress line of `batch` and `slurm`: drawn on stderr only when it is a
// terminal (a pseudo-terminal here, from python3's pty module) and not --quiet; never in a pipe.
#include <catch2/catch.hpp>

#include "support.hpp"

namespace t = co2e::test;
using Catch::Matchers::Contains;

namespace {

/// Runs co2e with stderr on a pseudo-terminal (stdin from `input_path`, or "" for an empty pipe;
/// stdout to /dev/null) and returns what the terminal received, as r.out.
t::Run on_terminal(const std::vector<std::string>& args, const std::string& input_path,
                   const std::vector<std::string>& env) {
  static const char* script = R"PY(
import os, pty, subprocess, sys, time
args = sys.argv[1:]
sep = args.index('--')
input_path, argv = args[sep - 1], args[sep + 1:]
master, slave = pty.openpty()
stdin = open(input_path, 'rb') if input_path else subprocess.DEVNULL
start = time.monotonic()
p = subprocess.Popen(argv, stdin=stdin, stdout=subprocess.DEVNULL, stderr=slave)
os.close(slave)
data = b''
while True:
    try:
        chunk = os.read(master, 65536)
    except OSError:
        break
    if not chunk:
        break
    data += chunk
rc = p.wait()
sys.stdout.buffer.write(data)
sys.stderr.write('%.3f' % (time.monotonic() - start))
sys.exit(rc)
)PY";
  std::vector<std::string> py{"-c", script, input_path, "--", t::co2e_binary()};
  py.insert(py.end(), args.begin(), args.end());
  return t::run_program("/usr/bin/python3", py, "", env);
}

std::size_t count(const std::string& text, const std::string& what) {
  std::size_t n = 0;
  for (auto at = text.find(what); at != std::string::npos; at = text.find(what, at + 1)) ++n;
  return n;
}

}  // namespace

TEST_CASE("progress: batch on a terminal shows rows, rate, elapsed and, for a file, percent and ETA", "[cli]") {
  t::TempDir d;
  const std::string csv = d.write("runs.csv", "runtime,cores\n1h,2\n2h,4\n3h,8\n");
  // CO2E_PROGRESS_INTERVAL_MS=0: every update is drawn, so three rows draw the final line.
  auto r = on_terminal({"batch", csv, "--region", "FR"}, "", {"CO2E_PROGRESS_INTERVAL_MS=0"});
  REQUIRE(r.exit_code == 0);
  CHECK_THAT(r.out, Contains("\rco2e batch: 3 rows  "));
  CHECK_THAT(r.out, Contains(" rows/s  0:00  (100%, ETA 0:00)"));
  CHECK_THAT(r.out, Contains("\r\x1b[K"));  // erased before the summary line
  // From standard input the size is not looked at: no percentage, no ETA.
  r = on_terminal({"batch", "--region", "FR"}, csv, {"CO2E_PROGRESS_INTERVAL_MS=0"});
  REQUIRE(r.exit_code == 0);
  CHECK_THAT(r.out, Contains("\rco2e batch: 3 rows  "));
  CHECK_THAT(r.out, !Contains("ETA"));
  // --quiet: neither progress nor the summary line.
  r = on_terminal({"batch", csv, "--region", "FR", "--quiet"}, "", {"CO2E_PROGRESS_INTERVAL_MS=0"});
  REQUIRE(r.exit_code == 0);
  CHECK(r.out.empty());
  // stderr not a terminal: never, whatever the interval.
  const auto piped = t::run_co2e({"batch", csv, "--region", "FR"}, "", {"CO2E_PROGRESS_INTERVAL_MS=0"});
  CHECK_THAT(piped.err, !Contains("\r"));
}

TEST_CASE("progress: batch redraws at most four times a second", "[cli]") {
  t::TempDir d;
  std::string csv = "runtime,cores\n";
  for (int i = 0; i < 300000; ++i) csv += "1h,2\n";
  const std::string path = d.write("big.csv", csv);
  const auto r = on_terminal({"batch", path, "--region", "FR", "-o", d.path() + "/out.csv"}, "", {});
  REQUIRE(r.exit_code == 0);
  const double seconds = std::stod(r.err);
  CHECK(static_cast<double>(count(r.out, "\rco2e batch: ")) <= seconds * 4 + 1);
}

TEST_CASE("progress: slurm on a terminal shows sacct lines read", "[cli]") {
  // tests/fixtures/slurm/good_basic.txt: a header and 7 data lines.
  const auto r =
      on_terminal({"slurm", "--sacct-file", t::fixture("slurm/good_basic.txt")}, "", {"CO2E_PROGRESS_INTERVAL_MS=0"});
  REQUIRE(r.exit_code == 0);
  CHECK_THAT(r.out, Contains("\rco2e slurm: 7 lines  "));
  CHECK_THAT(r.out, Contains("(100%, ETA 0:00)"));
  const auto quiet = on_terminal({"slurm", "--sacct-file", t::fixture("slurm/good_basic.txt"), "-q"}, "",
                                 {"CO2E_PROGRESS_INTERVAL_MS=0"});
  CHECK_THAT(quiet.out, !Contains("co2e slurm:"));
}
