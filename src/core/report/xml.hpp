// Escaping text for the SVG charts co2e writes (co2e when --plot, co2e compare --plot).
#pragma once

#include <string>
#include <string_view>

namespace co2e {

/// `s` with the characters that XML text and double-quoted attribute values cannot hold as they
/// are (& < > ") replaced by entities; every attribute co2e writes is double-quoted.
inline std::string xml_escape(std::string_view s) {
  std::string out;
  out.reserve(s.size());
  for (char c : s) {
    switch (c) {
      case '&':
        out += "&amp;";
        break;
      case '<':
        out += "&lt;";
        break;
      case '>':
        out += "&gt;";
        break;
      case '"':
        out += "&quot;";
        break;
      default:
        out += c;
    }
  }
  return out;
}

}  // namespace co2e
