// Running a command the way time(1) and timeout(1) do: directly (no shell), stdin/stdout/stderr
// untouched, SIGINT/SIGTERM/SIGHUP forwarded, a timer tick for sampling, a stop (SIGTERM, then
// SIGKILL after a grace period) on request, and the exit status and rusage from wait4.
#pragma once

#include <sys/types.h>
#include <functional>
#include <string>
#include <vector>

#include "co2e/meter.hpp"
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
  Clock::time_point started{}, ended{};
};

/// What the caller does while the command runs.
struct ChildHooks {
  std::function<void(pid_t, Clock::time_point)> on_start;  ///< right after the spawn
  std::function<bool(Clock::time_point)> on_tick;          ///< every interval; true: stop the command
  std::function<std::vector<pid_t>()> tree;                ///< PIDs to SIGKILL when the grace period ends
};

/// Runs `argv` (searched in PATH) to its end, calling the hooks. Not reentrant: it blocks the
/// forwarded signals in the calling thread while the command runs.
ChildOutcome run_child(const std::vector<std::string>& argv, Seconds interval, Seconds grace, const ChildHooks& hooks);

/// The conventional exit status for an outcome: the child's, 128+N, 126 or 127.
int exit_status(const ChildOutcome& o);

}  // namespace co2e
