#include "co2e/version.hpp"

#include "git_commit.hpp"  // generated at build time by cmake/GitCommit.cmake
#include "model/builtin_tables.hpp"

namespace co2e {

std::string_view version() { return CO2E_VERSION; }

std::string_view git_commit() { return CO2E_GIT_COMMIT; }

std::string_view data_release() { return builtin::data_release; }

}  // namespace co2e
