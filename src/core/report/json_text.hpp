// JSON documents as co2e writes them: nlohmann's layout (two-space indent), numbers through the
// one number formatter (number.hpp), strings through append_json_string (invalid UTF-8 → U+FFFD).
// nlohmann's own dump writes the shortest round-trip form (`25.769203199999996`), not ours.
#pragma once

#include <charconv>
#include <cmath>
#include <string>

#include "co2e/csv.hpp"
#include "co2e/number.hpp"

namespace co2e {

/// Appends `j` at nesting `depth` (objects and arrays one item a line, indented by two spaces).
template <class Json>
void append_json(std::string& out, const Json& j, int depth = 0) {
  const auto newline = [&](int d) {
    out += '\n';
    out.append(2 * static_cast<std::size_t>(d), ' ');
  };
  if (j.is_object()) {
    if (j.empty()) {
      out += "{}";
      return;
    }
    out += '{';
    bool first = true;
    for (auto it = j.begin(); it != j.end(); ++it) {
      if (!first) out += ',';
      first = false;
      newline(depth + 1);
      append_json_string(out, it.key());
      out += ": ";
      append_json(out, it.value(), depth + 1);
    }
    newline(depth);
    out += '}';
  } else if (j.is_array()) {
    if (j.empty()) {
      out += "[]";
      return;
    }
    out += '[';
    bool first = true;
    for (const auto& item : j) {
      if (!first) out += ',';
      first = false;
      newline(depth + 1);
      append_json(out, item, depth + 1);
    }
    newline(depth);
    out += ']';
  } else if (j.is_string()) {
    append_json_string(out, j.template get_ref<const typename Json::string_t&>());
  } else if (j.is_number_float()) {
    const double v = j.template get<double>();
    if (std::isfinite(v))
      append_number(out, v);
    else
      out += "null";  // JSON has no NaN or infinity
  } else if (j.is_number_unsigned()) {
    char buf[24];
    out.append(
        buf, static_cast<std::size_t>(std::to_chars(buf, buf + sizeof buf, j.template get<std::uint64_t>()).ptr - buf));
  } else if (j.is_number_integer()) {
    char buf[24];
    out.append(
        buf, static_cast<std::size_t>(std::to_chars(buf, buf + sizeof buf, j.template get<std::int64_t>()).ptr - buf));
  } else if (j.is_boolean()) {
    out += j.template get<bool>() ? "true" : "false";
  } else {
    out += "null";
  }
}

/// The whole document, ending with a line break.
template <class Json>
std::string json_text(const Json& j) {
  std::string out;
  append_json(out, j);
  out += '\n';
  return out;
}

}  // namespace co2e
