// co2e's version, the commit it was built from, and the release of its built-in data.
#pragma once

#include <string_view>

namespace co2e {

/// The co2e release, e.g. "0.1.0".
std::string_view version();

/// co2e's public address (CMakeLists.txt's project HOMEPAGE_URL): the url its citation gives.
std::string_view homepage_url();

/// The git commit co2e was built from (12 hex digits, "-dirty" when the tree had uncommitted
/// changes), recorded at build time; "unknown" when built outside a git checkout.
std::string_view git_commit();

/// The release of the built-in data tables, e.g. "2026-11": data/constants.json's top-level
/// "data_release", compiled in with the tables (docs/data-schema.md).
std::string_view data_release();

}  // namespace co2e
