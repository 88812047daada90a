// -v / --verbose and CO2E_LOG: spdlog on stderr, installed as the core's trace sink (trace.hpp).
#pragma once

#include <chrono>
#include <string_view>

namespace co2e::cli {

/// Starts logging when `verbose` (level debug) or CO2E_LOG names a level (trace, debug, info,
/// warn, error, critical, off); otherwise nothing is logged and the core's trace points stay
/// off. A CO2E_LOG that is not a level is a usage error.
void setup_logging(bool verbose);

/// Whether log lines at `info` are printed.
bool logging_info();

/// Logs `message` at info (files read, timings) or debug (decisions).
void log_info(std::string_view message);
void log_debug(std::string_view message);

/// Logs "WHAT took N ms" at info, measured from `since`.
void log_timing(std::string_view what, std::chrono::steady_clock::time_point since);

}  // namespace co2e::cli
