// The command-line layer: CLI11 wiring over co2e_core. One file per subcommand, each exposing
// one add_*_command; they are registered in app.cpp's table.
#pragma once

#include <deque>
#include <exception>
#include <functional>
#include <memory>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include <CLI/CLI.hpp>

#include "co2e/data.hpp"
#include "co2e/error.hpp"
#include "co2e/files.hpp"
#include "co2e/origin.hpp"

namespace co2e::cli {

/// Thrown by command code to stop with an Error; caught in exactly one place (app.cpp), which
/// prints it and turns its kind into the exit code.
class Failure : public std::exception {
 public:
  explicit Failure(Error e) : error_(std::move(e)) {}
  [[nodiscard]] const Error& error() const { return error_; }
  [[nodiscard]] const char* what() const noexcept override { return error_.message.c_str(); }

 private:
  Error error_;
};

/// The value of a Result, or throws its Error as a Failure (with `context` in front, if given).
template <class T>
T need(Result<T> r, std::string_view context = {}) {
  if (!r) throw Failure(context.empty() ? r.error() : r.error().with_context(std::string(context)));
  return std::move(r).value();
}
inline void need(const Status& s) {
  if (s) throw Failure(*s);
}

/// State shared by all subcommands: global options and the command chosen.
struct Context {
  std::vector<std::string> data_files;  ///< --data / CO2E_DATA
  bool data_from_env = false;           ///< data_files came from CO2E_DATA
  std::function<int()> run;             ///< set by the chosen subcommand's callback
  std::vector<std::string> args;        ///< the command line after "co2e", up to "--"

  /// The built-in tables plus --data files; loaded once, on first use.
  const Dataset& data();

  /// Where the value of `opt` (given, not empty) came from: the command line, or its CO2E_
  /// variable (CLI11 reads both into the option alike, so the command line decides). The
  /// Origin's name lives as long as the Context.
  Origin origin(const CLI::Option* opt);
  /// How messages name the option `flag` (long name, e.g. "--format") of the command being run:
  /// the flag, or the CO2E_ variable that gave its value (add_env_option) when it was not typed.
  /// For options whose values are not figures (formats, files, times), where no Origin is kept.
  std::string label(std::string_view flag);
  CLI::App* app = nullptr;  ///< the parsed command line (for label())
  /// A Failure for `e` about an input named `name`: `NAME "value": message` or `NAME: message`.
  static Failure input_failure(std::string_view name, const Error& e);

 private:
  std::unique_ptr<Dataset> data_;
  std::deque<std::string> names_;  // Origin names: stable addresses
};

/// Writes `text` to stdout; a write error (full disk, closed stdout) is a Failure.
void write_stdout(std::string_view text);
/// Writes `text` to `path` (OutputFile: atomically for a regular file, in place for a device), or
/// to stdout when `path` is empty or "-"; `flag` names the path in messages.
void write_output(const std::string& path, std::string_view text, std::string_view flag = "-o");
/// The help of `-o, --output FILE` for a command whose product, its `--format` document, goes to
/// standard output without it.
inline constexpr std::string_view kOutputHelp =
    "write to FILE instead of standard output (- for it), atomically: a temporary file renamed onto FILE at the "
    "end, so an error leaves FILE as it was";
/// Adds `-o, --output FILE` to `sub` (group "Output"): one definition for every command that writes a
/// document (estimate, compare, when, batch, slurm, run), so the flag is spelt and typed alike.
CLI::Option* add_output_option(CLI::App& sub, std::string& path, std::string_view help = kOutputHelp);
/// Opens the `-o` output (standard output when `path` is empty or "-") before the work, so that an
/// unwritable path is exit 3 before anything is computed or written (a `--plot` file included).
/// Nothing appears at `path` before finish_output(); an error thrown before it (the OutputFile
/// destroyed uncommitted) leaves the file as it was and no temporary file behind.
OutputFile open_output(const std::string& path);
/// Writes `text` to `out` and makes it final (for a file: fsync, then the rename onto the target).
void finish_output(OutputFile& out, std::string_view text);
/// How a report written to `report` (empty or "-": stdout, read from the current directory)
/// refers to the file `target`: its path relative to the report's folder (`--plot` links).
std::string link_from(const std::string& report, const std::string& target);
/// `co2e: warning: ...` on stderr.
void warn(std::string_view message);

/// Adds an option for `flag` that also reads the environment variable CO2E_<FLAG>.
CLI::Option* add_env_option(CLI::App& app, const std::string& flag, std::string& target, const std::string& help);

// The subcommands (one file each).
void add_estimate_command(CLI::App& app, Context& ctx);
void add_compare_command(CLI::App& app, Context& ctx);
void add_list_command(CLI::App& app, Context& ctx);
void add_show_command(CLI::App& app, Context& ctx);
void add_batch_command(CLI::App& app, Context& ctx);
void add_run_command(CLI::App& app, Context& ctx);
void add_when_command(CLI::App& app, Context& ctx);
void add_slurm_command(CLI::App& app, Context& ctx);
void add_completion_command(CLI::App& app, Context& ctx);  ///< and the hidden __complete
void add_manpage_command(CLI::App& app, Context& ctx);     ///< hidden: __manpage, run at build time

/// Parses argv, runs the chosen command, and returns the exit code.
int run(int argc, char** argv);

/// After run(): if the reader of stdout went away, ends the process by SIGPIPE (no message), as
/// any pipe writer ends, whether SIGPIPE was ignored or not. Otherwise returns.
void end_like_a_pipe_writer();

}  // namespace co2e::cli
