// Escaping outside text for messages (include/co2e/quote.hpp).
#include "co2e/quote.hpp"

#include <fmt/format.h>
#include <algorithm>

namespace co2e {

namespace {

/// Length of the valid UTF-8 sequence at `s[i]` (1 to 4), or 0 when the bytes there are not one
/// (RFC 3629: no overlongs, no surrogates, nothing above U+10FFFF).
std::size_t utf8_length(std::string_view s, std::size_t i, char32_t& cp) {
  const auto b = [&](std::size_t k) { return static_cast<unsigned char>(s[i + k]); };
  const unsigned char c = b(0);
  std::size_t n = 0;
  if (c < 0x80) {
    cp = c;
    return 1;
  }
  if (c >= 0xC2 && c <= 0xDF) {
    n = 2;
    cp = c & 0x1FU;
  } else if (c >= 0xE0 && c <= 0xEF) {
    n = 3;
    cp = c & 0x0FU;
  } else if (c >= 0xF0 && c <= 0xF4) {
    n = 4;
    cp = c & 0x07U;
  } else {
    return 0;
  }
  if (i + n > s.size()) return 0;
  for (std::size_t k = 1; k < n; ++k) {
    if ((b(k) & 0xC0U) != 0x80) return 0;
    cp = (cp << 6U) | (b(k) & 0x3FU);
  }
  if ((n == 3 && (cp < 0x800 || (cp >= 0xD800 && cp <= 0xDFFF))) || (n == 4 && (cp < 0x10000 || cp > 0x10FFFF)))
    return 0;
  return n;
}

/// Characters a terminal would act on rather than show.
bool unsafe(char32_t cp) {
  return cp < 0x20 || (cp >= 0x7F && cp <= 0x9F) || (cp >= 0x202A && cp <= 0x202E) || (cp >= 0x2066 && cp <= 0x2069);
}

}  // namespace

std::string escape_for_message(std::string_view text, std::size_t max_bytes) {
  std::string out;
  std::size_t i = 0;
  while (i < text.size()) {
    char32_t cp = 0;
    std::size_t n = utf8_length(text, i, cp);
    if (i + std::max<std::size_t>(n, 1) > max_bytes) break;
    if (n == 0 || unsafe(cp)) {
      for (std::size_t k = 0; k < std::max<std::size_t>(n, 1); ++k)
        out += fmt::format("\\x{:02x}", static_cast<unsigned char>(text[i + k]));
      n = std::max<std::size_t>(n, 1);
    } else {
      out.append(text.substr(i, n));
    }
    i += n;
  }
  if (i < text.size()) out += "...";
  return out;
}

std::string quote_for_message(std::string_view text, std::size_t max_bytes) {
  return "\"" + escape_for_message(text, max_bytes) + "\"";
}

bool looks_binary(std::string_view text) {
  for (std::size_t i = 0; i < text.size();) {
    char32_t cp = 0;
    const std::size_t n = utf8_length(text, i, cp);
    if (n == 0 || cp == 0) return true;
    i += n;
  }
  return false;
}

}  // namespace co2e
