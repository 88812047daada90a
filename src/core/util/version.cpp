#include "co2e/version.hpp"

namespace co2e {

std::string_view version() { return CO2E_VERSION; }

}  // namespace co2e
