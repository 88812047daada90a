// Test helpers: temporary directories, fixtures, running programs (support.cpp, both test
// executables), and running the real co2e binary (support_cli.cpp, the CLI tests only).
#pragma once

#include <map>
#include <string>
#include <utility>
#include <vector>

namespace co2e::test {

/// The co2e binary the CLI tests run: CO2E_TEST_BINARY when set (e.g. a wrapper that runs co2e
/// under Valgrind, scripts/valgrind.sh), else the one built with the tests.
const char* co2e_binary();

struct Run {
  int exit_code = -1;  ///< exit status, or 128+N when killed by signal N
  std::string out;
  std::string err;
};

/// Runs `co2e args...` with stdin from `input`; `env` entries (NAME=VALUE) are added to a clean
/// environment (PATH, HOME and LANG kept; no CO2E_* leaks in from the caller).
Run co2e(const std::vector<std::string>& args, const std::string& input = {}, const std::vector<std::string>& env = {});

/// The same as co2e(), under a name that does not clash with namespace co2e in a using-declaration.
inline Run run_co2e(const std::vector<std::string>& args, const std::string& input = {},
                    const std::vector<std::string>& env = {}) {
  return co2e(args, input, env);
}

/// Runs any program the same way.
Run run_program(const std::string& path, const std::vector<std::string>& args, const std::string& input = {},
                const std::vector<std::string>& env = {});

/// Runs `script` with /bin/sh -c, "$CO2E" in it naming the co2e binary: for what an argument list
/// cannot express (closed descriptors, pipes into head, traps, ulimits). Same environment as co2e().
Run run_shell(const std::string& script, const std::vector<std::string>& env = {});

/// A fresh temporary directory, removed with the object.
class TempDir {
 public:
  TempDir();
  ~TempDir();
  TempDir(const TempDir&) = delete;
  TempDir& operator=(const TempDir&) = delete;
  [[nodiscard]] const std::string& path() const { return path_; }
  /// Writes `content` to `name` inside the directory and returns its full path.
  std::string write(const std::string& name, const std::string& content) const;

 private:
  std::string path_;
};

/// The content of a file ("" when unreadable).
std::string read_file(const std::string& path);

/// Path of a file in tests/fixtures.
std::string fixture(const std::string& name);

/// Whether `haystack` contains `needle`.
inline bool contains(const std::string& haystack, const std::string& needle) {
  return haystack.find(needle) != std::string::npos;
}

/// `co2e run` with the flags that make its figures known without hardware: sampling every 0.05 s,
/// 10 W per core, PUE 1, 100 gCO2e/kWh; then `more` (other flags, `--`, the command).
std::vector<std::string> run_args(const std::vector<std::string>& more);

/// The environment of a `co2e run` on no hardware: RAPL read from `dir`/no-powercap (absent), no
/// NVML, no ROCm SMI; then `more` (NAME=VALUE).
std::vector<std::string> no_hardware(const std::string& dir, std::vector<std::string> more = {});
/// The same in the temporary directory `d`.
inline std::vector<std::string> no_hardware(const TempDir& d, std::vector<std::string> more = {}) {
  return no_hardware(d.path(), std::move(more));
}

}  // namespace co2e::test
