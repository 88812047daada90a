// Explanations for -v / CO2E_LOG, without a logging library in the core: the core calls trace()
// at the points where a user asks "why this figure?" (which data row a name matched and how,
// which method a meter chose and why better ones were unavailable, which files were read), and
// the front end installs a sink (src/cli/log.cpp: spdlog on stderr). With no sink installed, a
// trace point costs one relaxed atomic load; its message is never formatted.
#pragma once

#include <atomic>
#include <cstdint>
#include <string_view>

namespace co2e {

/// How much a trace line matters: `info` for files and timings, `debug` for every decision.
enum class TraceLevel : std::uint8_t { debug, info };

/// Receives each trace line (no trailing newline). Called from the thread that traced.
using TraceSink = void (*)(TraceLevel level, std::string_view message);

namespace detail {
inline std::atomic<TraceSink> g_trace_sink{nullptr};
}  // namespace detail

/// Installs `sink` (nullptr: tracing off, the default).
inline void set_trace_sink(TraceSink sink) noexcept { detail::g_trace_sink.store(sink, std::memory_order_relaxed); }

/// Whether a sink is installed: test it before building a message.
[[nodiscard]] inline bool tracing() noexcept { return detail::g_trace_sink.load(std::memory_order_relaxed) != nullptr; }

/// Hands `message` to the sink, if any.
inline void trace(TraceLevel level, std::string_view message) {
  if (const TraceSink sink = detail::g_trace_sink.load(std::memory_order_relaxed)) sink(level, message);
}

}  // namespace co2e
