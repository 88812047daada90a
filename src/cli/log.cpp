// -v / --verbose and CO2E_LOG (log.hpp). spdlog stays in this file: the core only sees a sink.
#include "log.hpp"

#include <fmt/format.h>
#include <spdlog/sinks/stdout_sinks.h>
#include <spdlog/spdlog.h>

#include <array>
#include <cstdlib>
#include <memory>
#include <string>

#include "cli.hpp"
#include "co2e/error.hpp"
#include "co2e/trace.hpp"

namespace co2e::cli {

namespace {

std::shared_ptr<spdlog::logger> g_logger;

void to_spdlog(TraceLevel level, std::string_view message) {
  g_logger->log(level == TraceLevel::debug ? spdlog::level::debug : spdlog::level::info, "{}", message);
}

}  // namespace

void setup_logging(bool verbose) {
  spdlog::level::level_enum level = spdlog::level::off;
  if (const char* env = std::getenv("CO2E_LOG"); env != nullptr && *env != '\0') {
    constexpr std::array<std::string_view, 7> kLevels{"trace", "debug", "info", "warn", "error", "critical", "off"};
    const std::string_view name(env);
    bool known = false;
    for (const auto l : kLevels) known = known || l == name;
    if (!known)
      throw Failure(
          Error::usage(fmt::format("CO2E_LOG \"{}\": accepted: {}", name.substr(0, 40), fmt::join(kLevels, ", "))));
    level = spdlog::level::from_str(std::string(name));
  }
  if (verbose && level > spdlog::level::debug) level = spdlog::level::debug;
  if (level == spdlog::level::off) return;  // the default: no logger, no trace sink
  // Unsynchronized stderr: co2e logs from one thread; "co2e: debug: ..." like its other messages.
  g_logger = std::make_shared<spdlog::logger>("co2e", std::make_shared<spdlog::sinks::stderr_sink_st>());
  g_logger->set_pattern("co2e: %l: %v");
  g_logger->set_level(level);
  g_logger->flush_on(spdlog::level::trace);  // keep order with the other messages on stderr
  if (level <= spdlog::level::info) set_trace_sink(to_spdlog);
}

bool logging_info() { return g_logger && g_logger->should_log(spdlog::level::info); }

void log_info(std::string_view message) {
  if (g_logger) g_logger->info("{}", message);
}

void log_debug(std::string_view message) {
  if (g_logger) g_logger->debug("{}", message);
}

void log_timing(std::string_view what, std::chrono::steady_clock::time_point since) {
  if (!logging_info()) return;
  const auto ms = std::chrono::duration<double, std::milli>(std::chrono::steady_clock::now() - since).count();
  g_logger->info("{} took {:.1f} ms", what, ms);
}

}  // namespace co2e::cli
