// co2e's version and the version of its built-in data.
#pragma once

#include <string_view>

namespace co2e {

/// The co2e release, e.g. "0.1.0".
std::string_view version();

}  // namespace co2e
