// The data audit (issue 14): checks of the tables as a whole that a row-by-row parser cannot
// make. Run by co2e_gen_tables on data/*.json at every build (errors fail the build; the full
// report is written beside the generated tables) and by the unit tests on crafted rows.
#pragma once

#include <string>
#include <vector>

#include "model/data_json.hpp"

namespace co2e::detail {

struct AuditFinding {
  bool error = false;  ///< true: the build fails; false: listed for a person to review
  std::string check;   ///< range, placeholder, provenance, cloud_vs_location, stale
  std::string message;
};

/// Plausible ranges per column, a placeholder detector (one value on many grid rows of one
/// release), provenance completeness of grid figures, the cloud-region figure against its
/// location's on the same basis, and grid rows older than the newest year of their release.
std::vector<AuditFinding> audit_tables(const Rows& rows);

}  // namespace co2e::detail
