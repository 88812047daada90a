// The parsing of a range LOW:HIGH in set_field() (issue 17); inside co2e_core only.
#pragma once

#include <string_view>

#include "co2e/error.hpp"
#include "co2e/estimate.hpp"

namespace co2e {

/// Whether `text` for `field` is a range: a colon in a number field (runtime's colons are
/// clock times, and names such as aws:eu-west-3 hold colons, so neither counts).
bool is_range_text(Field field, std::string_view text);
/// Parses LOW:HIGH for `field`: each end through set_field(), low <= high; the spec's field gets
/// the midpoint and `spec.ranges` the bounds. Fields that take no range are refused, naming
/// those that do.
Status set_range_field(EstimateSpec& spec, Field field, std::string_view text);
/// Forgets a range given earlier for `field`: a single value replaces it (a batch cell over a
/// command-line range).
void clear_given_range(EstimateSpec& spec, Field field);

}  // namespace co2e
