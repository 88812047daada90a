// The one number formatter of co2e's machine outputs (CSV, JSON, JSON Lines, the run log).
#pragma once

#include <cstddef>
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

/// Reads a plain decimal at the front of `s` (`-`? digits, `.`, digits: at most 15 digits, no
/// exponent) exactly as std::from_chars would, in a fraction of its time; returns the characters
/// read, or 0 when the text is not that simple (then from_chars decides).
std::size_t read_simple_decimal(std::string_view s, double& out);

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
