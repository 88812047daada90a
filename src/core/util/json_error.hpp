// nlohmann::json's exceptions as co2e messages. Its what() text starts with library internals
// (`[json.exception.parse_error.101]`) and quotes the bytes it read, raw; a user sees instead
// "FILE: not valid JSON at line L, column C: <reason>", with anything quoted escaped.
#pragma once

#include <fmt/format.h>
#include <nlohmann/json.hpp>
#include <string>
#include <string_view>

#include "co2e/quote.hpp"

namespace co2e {

/// Where and why a JSON text failed to parse. `line` is 0 when the library gave no position
/// (a number too large for a double).
struct JsonProblem {
  std::size_t line = 0;
  std::size_t column = 0;
  std::string reason;  ///< short, escaped: `syntax error while parsing value - invalid literal`
};

/// The position (from the exception's byte offset into `text`) and the reason of `e`, without
/// the `[json.exception...]` tag and without the raw `last read: '...'` bytes.
inline JsonProblem describe_json_error(const nlohmann::json::exception& e, std::string_view text) {
  JsonProblem p;
  std::string what = e.what();
  if (what.starts_with("[json.exception.")) {
    const auto close = what.find("] ");
    if (close != std::string::npos) what.erase(0, close + 2);
  }
  if (const auto* pe = dynamic_cast<const nlohmann::json::parse_error*>(&e); pe != nullptr && pe->byte > 0) {
    // byte is 1-based: the character that could not be read. Count lines up to it.
    const std::size_t at = std::min<std::size_t>(pe->byte - 1, text.size());
    p.line = 1;
    std::size_t line_start = 0;
    for (std::size_t i = 0; i < at; ++i)
      if (text[i] == '\n') {
        ++p.line;
        line_start = i + 1;
      }
    p.column = at - line_start + 1;
    if (const auto colon = what.find(": "); what.starts_with("parse error") && colon != std::string::npos)
      what.erase(0, colon + 2);
  }
  // "...; last read: '<raw bytes>'; expected ..." : the raw bytes go, the expectation stays.
  if (const auto lr = what.find("; last read: '"); lr != std::string::npos) {
    const auto expected = what.find("'; expected ", lr);
    what = what.substr(0, lr) + (expected != std::string::npos ? "; " + what.substr(expected + 3) : "");
  }
  // A number too large: "number overflow parsing '1e999'" (the quoted part is the file's text).
  p.reason = escape_for_message(what, 160);
  if (looks_binary(text.substr(0, 4096))) p.reason += " (binary data, not JSON text?)";
  return p;
}

/// "`origin`: not valid JSON at line L, column C: reason" (or "...: not valid JSON: reason").
inline std::string json_error_message(std::string_view origin, const nlohmann::json::exception& e,
                                      std::string_view text) {
  const JsonProblem p = describe_json_error(e, text);
  if (p.line == 0) return fmt::format("{}: not valid JSON: {}", origin, p.reason);
  return fmt::format("{}: not valid JSON at line {}, column {}: {}", origin, p.line, p.column, p.reason);
}

}  // namespace co2e
