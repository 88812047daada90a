// Outside text inside messages. What a user typed or a file holds may be binary, very long, or
// carry terminal escape sequences; every message that quotes it goes through these functions, so
// that a terminal shows printable, bounded, unambiguous text whatever the input.
#pragma once

#include <cstddef>
#include <string>
#include <string_view>

namespace co2e {

/// `text` made safe to print: printable ASCII and valid UTF-8 are kept; control bytes (C0, DEL,
/// C1), invalid UTF-8 and the bidirectional overrides U+202A-U+202E / U+2066-U+2069 become `\xNN`
/// per byte; at most `max_bytes` of `text` are shown (never half a character), then `...`.
std::string escape_for_message(std::string_view text, std::size_t max_bytes = 80);

/// escape_for_message() in double quotes: `"12x"`, `"\xff\xfe..."`.
std::string quote_for_message(std::string_view text, std::size_t max_bytes = 80);

/// True when `text` looks like binary data rather than text: a NUL byte, or invalid UTF-8.
bool looks_binary(std::string_view text);

}  // namespace co2e
