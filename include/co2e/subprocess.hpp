// Child processes, in one place (as ninja's subprocess module): every program co2e starts goes
// through posix_spawnp here, directly (no shell), searched on PATH.
//   run_child     `co2e run`: the command runs the way time(1) and timeout(1) run it, with
//                 stdin/stdout/stderr untouched, SIGINT/SIGTERM/SIGHUP forwarded, a timer tick
//                 for sampling, a stop (SIGTERM, then SIGKILL after a grace period) on request,
//                 and the exit status and rusage from wait4.
//   spawn_output  `co2e slurm`: sacct or sinfo with its stdout on a pipe co2e reads; wait_child
//                 reaps it.
#pragma once

#include <sys/types.h>
#include <chrono>
#include <cstdint>
#include <functional>
#include <string>
#include <vector>

#include "co2e/error.hpp"
#include "co2e/fd.hpp"
#include "co2e/units.hpp"

namespace co2e {

/// How the command ended.
struct ChildOutcome {
  enum class How : std::uint8_t { exited, signaled, not_found, cannot_exec };
  How how = How::exited;
  int code = 0;          ///< exit status, signal number, or the errno of the failed exec
  bool stopped = false;  ///< on_tick asked to stop it (budget)
  double user_s = 0, system_s = 0;
  double peak_rss_gb = 0;  ///< largest RSS of one process of the tree (ru_maxrss)
  std::chrono::steady_clock::time_point started{}, ended{};
};

/// What the caller does while the command runs.
struct ChildHooks {
  std::function<void(pid_t, std::chrono::steady_clock::time_point)> on_start;  ///< right after the spawn
  std::function<bool(std::chrono::steady_clock::time_point)> on_tick;  ///< every interval; true: stop the command
  std::function<std::vector<pid_t>()> tree;                            ///< PIDs to SIGKILL when the grace period ends
};

/// Runs `argv` (searched in PATH) to its end, calling the hooks. Not reentrant: it blocks the
/// forwarded signals in the calling thread while the command runs.
ChildOutcome run_child(const std::vector<std::string>& argv, Seconds interval, Seconds grace, const ChildHooks& hooks);

/// The conventional exit status for an outcome: the child's, 128+N, 126 or 127.
int exit_status(const ChildOutcome& o);

/// A child process whose standard output co2e reads.
struct ChildOutput {
  pid_t pid = -1;
  Fd fd;  ///< read end of its stdout
};

/// Starts `argv[0]` (searched on PATH, no shell) with stdout to a pipe; stdin and stderr are
/// inherited. A program that is not found or cannot start is a data Error.
Result<ChildOutput> spawn_output(const std::vector<std::string>& argv);

/// Closes the pipe, waits for the child, and returns its exit status (128+N when killed by N).
Result<int> wait_child(ChildOutput& child);

}  // namespace co2e
