// Origins in JSON, one shape in every command (docs/cli.md, "Input origins"): {"origin": "env",
// "name": "CO2E_PUE"}, plus "row" for a batch column and "file" for the cluster description.
#pragma once

#include <nlohmann/json.hpp>

#include "co2e/estimate.hpp"
#include "co2e/origin.hpp"

namespace co2e {

/// One value's origin.
inline nlohmann::ordered_json origin_json(const Origin& o) {
  nlohmann::ordered_json j{{"origin", origin_kind_name(o.kind)}, {"name", o.name}};
  if (o.kind == OriginKind::column && o.row > 0) j["row"] = o.row;
  if (o.kind == OriginKind::cluster) j["file"] = o.file;
  return j;
}

/// `inputs.origins`: one entry per input given, keyed by its column name (inputs not given are
/// absent: their figure is a default or a data-table row, which the result's *_source says).
inline nlohmann::ordered_json origins_json(const std::array<Origin, kFieldCount>& origins) {
  nlohmann::ordered_json j = nlohmann::ordered_json::object();
  for (const auto& f : estimate_fields()) {
    const Origin& o = origins[static_cast<std::size_t>(f.field)];
    if (o.given()) j[std::string(f.column)] = origin_json(o);
  }
  return j;
}

}  // namespace co2e
