// Origins of input values: their names in JSON and the phrases reports use.
#include "co2e/origin.hpp"

#include <fmt/format.h>

namespace co2e {

std::string_view origin_kind_name(OriginKind k) {
  switch (k) {
    case OriginKind::default_value:
      return "default";
    case OriginKind::flag:
      return "flag";
    case OriginKind::env:
      return "env";
    case OriginKind::column:
      return "column";
    case OriginKind::cluster:
      return "cluster";
    case OriginKind::table:
      return "table";
  }
  return "default";
}

std::string origin_label(const Origin& o) {
  if (o.kind == OriginKind::cluster) return fmt::format("{}: {}", o.file.empty() ? "cluster file" : o.file, o.name);
  return std::string(o.name);
}

std::string origin_phrase(const Origin& o) {
  switch (o.kind) {
    case OriginKind::default_value:
      return "default";
    case OriginKind::flag:
      return fmt::format("given with {}", o.name);
    case OriginKind::env:
      return fmt::format("from {}", o.name);
    case OriginKind::column:
      return fmt::format("from column {}", o.name);
    case OriginKind::cluster:
      return fmt::format("from {} ({})", o.file.empty() ? "the cluster file" : o.file, o.name);
    case OriginKind::table:
      return fmt::format("from the data tables ({})", o.name);
  }
  return "default";
}

}  // namespace co2e
