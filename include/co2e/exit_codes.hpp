// The exit-code contract of every co2e command, documented in docs/cli.md.
#pragma once

namespace co2e {

enum ExitCode : int {
  kExitOk = 0,               ///< success
  kExitBudgetExceeded = 1,   ///< the footprint exceeds --budget (estimate)
  kExitUsage = 2,            ///< invalid usage or input; batch: at least one row failed
  kExitData = 3,             ///< data or I/O error (unreadable file, bad data table, write failed)
  kExitInternal = 4,         ///< internal error (a bug: please report it)
  kExitRunBudget = 124,      ///< run: the command was stopped because it crossed --budget/--max-energy
  kExitRunFailed = 125,      ///< run: co2e itself failed
  kExitRunCannotExec = 126,  ///< run: the command was found but cannot be executed
  kExitRunNotFound = 127,    ///< run: the command was not found
};

}  // namespace co2e
