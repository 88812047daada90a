// trace() with fmt formatting, for the core's sources: the message is formatted only when a sink
// is installed (trace.hpp).
#pragma once

#include <fmt/format.h>

#include <utility>

#include "co2e/trace.hpp"

namespace co2e {

template <class... Args>
void trace(TraceLevel level, fmt::format_string<Args...> format, Args&&... args) {
  if (tracing()) trace(level, std::string_view(fmt::format(format, std::forward<Args>(args)...)));
}

}  // namespace co2e
