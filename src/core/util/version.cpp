#include "co2e/version.hpp"

#include "git_commit.hpp"  // generated at build time by cmake/GitCommit.cmake

namespace co2e {

std::string_view version() { return CO2E_VERSION; }

std::string_view homepage_url() { return CO2E_HOMEPAGE_URL; }

std::string_view git_commit() { return CO2E_GIT_COMMIT; }

}  // namespace co2e
