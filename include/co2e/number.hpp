// The one number formatter of co2e's machine outputs (CSV, JSON, JSON Lines, the run log).
#pragma once

#include <array>
#include <cstddef>
#include <cstdint>
#include <string>
#include <string_view>

namespace co2e {

/// Significant digits in machine outputs: enough for any figure co2e computes (its inputs rarely
/// carry more than 4), few enough to hide the noise of binary floating point
/// (`25.769203199999996` is written `25.7692032`).
inline constexpr int kOutputDigits = 10;

/// Writes `v` as C's `printf("%.10g")` would (kOutputDigits significant digits, trailing zeros
/// dropped, fixed notation for decimal exponents in [-4, 10), else `d.ddde±XX`) at `p`, which has
/// at least kNumberChars bytes free; returns the end. ±0 is written `0`; NaN and infinities `nan`,
/// `inf`, `-inf` (callers writing JSON write null for them).
inline constexpr std::size_t kNumberChars = 32;
char* write_number(char* p, double v);

/// The same, appended to `out`.
void append_number(std::string& out, double v);

/// The same, as a string.
std::string format_number(double v);

namespace detail {
/// 10^0 .. 10^22: every one is exact as a double, so a scaling by one of them rounds once.
inline constexpr std::array<double, 23> kPow10{1e0,  1e1,  1e2,  1e3,  1e4,  1e5,  1e6,  1e7,  1e8,  1e9,  1e10, 1e11,
                                               1e12, 1e13, 1e14, 1e15, 1e16, 1e17, 1e18, 1e19, 1e20, 1e21, 1e22};
}  // namespace detail

/// Reads a plain decimal at the front of `s` (`-`? digits, `.`, digits: at most 15 digits, no
/// exponent) exactly as std::from_chars would, in a fraction of its time; returns the characters
/// read, or 0 when the text is not that simple (then from_chars decides).
///
/// Clinger's fast path: with at most 15 digits the integer m and 10^k are exact doubles, so one
/// division rounds correctly, giving the same double as from_chars. Inline: batch reads ten
/// numbers a row, and the call and the sign test cost a third of a short cell's reading.
inline std::size_t read_simple_decimal(std::string_view s, double& out) {
  const char* const begin = s.data();
  const char* const end = begin + s.size();
  const char* p = begin;
  const bool negative = p < end && *p == '-';
  p += negative ? 1 : 0;
  // The integer digits, then the fraction's: one tight loop each (a loop over both that asked
  // "after the point yet?" for every character cost twice the instructions). m wraps (unsigned)
  // past 19 digits, which the 15-digit limit refuses anyway.
  auto digit = [](char c) { return static_cast<unsigned char>(c - '0') < 10; };
  std::uint64_t m = 0;
  const char* const integer = p;
  for (; p < end && digit(*p); ++p) m = m * 10 + static_cast<std::uint64_t>(*p - '0');
  std::size_t digits = static_cast<std::size_t>(p - integer);
  std::size_t fraction = 0;
  if (p < end && *p == '.') {
    const char* const first = ++p;
    for (; p < end && digit(*p); ++p) m = m * 10 + static_cast<std::uint64_t>(*p - '0');
    fraction = static_cast<std::size_t>(p - first);
    digits += fraction;
  }
  if (digits == 0 || digits > 15) return 0;
  if (p < end && (*p == 'e' || *p == 'E' || *p == '.')) return 0;  // exponents: from_chars
  double v = static_cast<double>(m);
  if (fraction > 0) v /= detail::kPow10[fraction];
  out = negative ? -v : v;
  return static_cast<std::size_t>(p - begin);
}

/// The common case of a batch cell or a flag, `12.4`: a plain non-negative decimal and nothing
/// else (no space, sign, exponent or unit), read in one pass into `out`. False for anything else,
/// which the unit-aware parsers read on their general path; for these texts both give the same
/// double. Issue 18: the unit-aware parsers cost ~750 instructions a batch row before this, for
/// cells that were all bare numbers.
inline bool plain_decimal(std::string_view text, double& out) {
  return !text.empty() && ((text[0] >= '0' && text[0] <= '9') || text[0] == '.') &&
         read_simple_decimal(text, out) == text.size();
}

/// The double nearest to `v` written with kOutputDigits digits: what a reader of our output gets.
double round_to_output(double v);

}  // namespace co2e
