// The number formatter of machine outputs (number.hpp): printf's "%.10g", about ten times faster.
#include "co2e/number.hpp"

#include <array>
#include <bit>
#include <charconv>
#include <cmath>
#include <cstdint>
#include <cstring>

namespace co2e {

namespace {

static_assert(kOutputDigits == 10, "the fast path below scales to exactly ten digits");

using detail::kPow10;

/// 10^-12 .. 10^15, the decades write_number's fast path compares with (the negative ones are the
/// nearest doubles, not exact: write_number guards for that).
constexpr int kLowestDecade = -12;
constexpr std::array<double, 28> kDecades{1e-12, 1e-11, 1e-10, 1e-9, 1e-8, 1e-7, 1e-6, 1e-5, 1e-4, 1e-3,
                                          1e-2,  1e-1,  1e0,   1e1,  1e2,  1e3,  1e4,  1e5,  1e6,  1e7,
                                          1e8,   1e9,   1e10,  1e11, 1e12, 1e13, 1e14, 1e15};

/// 16 bytes in one integer (GCC and Clang; __extension__: no -Wpedantic warning).
__extension__ using Word128 = unsigned __int128;
static_assert(sizeof(Word128) == 16);

constexpr char kDigitPairs[] =
    "00010203040506070809101112131415161718192021222324252627282930313233343536373839"
    "40414243444546474849505152535455565758596061626364656667686970717273747576777879"
    "8081828384858687888990919293949596979899";

/// For x in [0, 10): the bytes of the x + 1 integer digits of a ten-digit word (kIntegerDigits),
/// and a '.' in the byte after them (kPoints).
constexpr std::array<Word128, kOutputDigits> kIntegerDigits = [] {
  std::array<Word128, kOutputDigits> m{};
  for (std::size_t x = 0; x < m.size(); ++x) m[x] = (Word128{1} << (8 * (x + 1))) - 1;
  return m;
}();
constexpr std::array<Word128, kOutputDigits> kPoints = [] {
  std::array<Word128, kOutputDigits> m{};
  for (std::size_t x = 0; x < m.size(); ++x) m[x] = Word128{'.'} << (8 * (x + 1));
  return m;
}();

/// a × 10^k with one rounding (|k| ≤ 22).
double scale(double a, int k) {
  return k >= 0 ? a * kPow10[static_cast<std::size_t>(k)] : a / kPow10[static_cast<std::size_t>(-k)];
}

/// The exact answer, for what the fast path leaves: magnitudes outside [1e-12, 1e15), ties.
char* write_exact(char* p, double v) {
  return std::to_chars(p, p + kNumberChars, v, std::chars_format::general, kOutputDigits).ptr;
}

/// Copies n ≤ 10 bytes: a plain loop, since a memmove call costs more than the copy.
char* put(char* p, const char* from, int n) {
  for (int i = 0; i < n; ++i) *p++ = from[i];
  return p;
}

/// The eight decimal digits of `v` (< 10^8), most significant in the lowest byte (the first in
/// memory on this little-endian target), each as a number 0-9, by SWAR: 4 + 4 digits, then
/// 2 + 2 in each half, then 1 + 1, dividing by multiplication (v/100 = v * 10486 >> 20 for v < 10^4,
/// v/10 = v * 103 >> 10 for v < 100).
std::uint64_t eight_digits(std::uint32_t v) {
  static_assert(std::endian::native == std::endian::little, "the byte order of eight_digits");
  std::uint64_t x = v / 10000 | static_cast<std::uint64_t>(v % 10000) << 32;
  const std::uint64_t hundreds = (x * 10486) >> 20 & 0x0000007F0000007FULL;
  x = hundreds | (x - hundreds * 100) << 16;
  const std::uint64_t tens = (x * 103) >> 10 & 0x000F000F000F000FULL;
  return tens | (x - tens * 10) << 8;
}

/// `digits` (n of them, the first non-zero) with decimal exponent x, laid out as "%g" does.
char* layout(char* p, const char* digits, int n, int x) {
  if (x < -4 || x >= kOutputDigits) {
    *p++ = digits[0];
    if (n > 1) {
      *p++ = '.';
      p = put(p, digits + 1, n - 1);
    }
    *p++ = 'e';
    *p++ = x < 0 ? '-' : '+';
    const int e = x < 0 ? -x : x;
    if (e >= 100) *p++ = static_cast<char>('0' + e / 100);
    *p++ = static_cast<char>('0' + e / 10 % 10);
    *p++ = static_cast<char>('0' + e % 10);
  } else if (x >= n - 1) {
    p = put(p, digits, n);
    for (int i = n - 1; i < x; ++i) *p++ = '0';
  } else if (x >= 0) {
    p = put(p, digits, x + 1);
    *p++ = '.';
    p = put(p, digits + x + 1, n - x - 1);
  } else {
    *p++ = '0';
    *p++ = '.';
    for (int i = -1; i > x; --i) *p++ = '0';
    p = put(p, digits, n);
  }
  return p;
}

}  // namespace

// Fast path: scale |v| by a power of ten (one rounding, relative error ≤ 2^-53) into
// [10^9, 10^10) and round to an integer: those are the ten digits, unless the scaled value lies so
// close to a half that the scaling error could have moved it across (about 1 value in 10^5), when
// the exact std::to_chars decides. Output is identical to printf("%.10g") (tested on random
// doubles of every magnitude), without fmt's internals.
char* write_number(char* p, double v) {
  if (v == 0) {
    *p++ = '0';
    return p;
  }
  if (!std::isfinite(v)) return write_exact(p, v);
  double a = v;
  if (v < 0) {
    *p++ = '-';
    a = -v;
  }
  if (a < 1e10 && static_cast<double>(static_cast<std::uint64_t>(a)) == a)  // whole: truncation is exact
    return std::to_chars(p, p + kNumberChars, static_cast<std::uint64_t>(a)).ptr;
  if (a < 1e-12 || a >= 1e15) return write_exact(p, a);
  // floor(log2 a) × log10(2), rounded down: the decimal exponent or one less; one comparison with
  // the next power of ten decides, without a branch (batch's figures are of every magnitude, so a
  // branch here was mispredicted often).
  const int log2 = static_cast<int>((std::bit_cast<std::uint64_t>(a) >> 52) & 0x7FF) - 1023;
  int x = (log2 * 78913) >> 18;
  x += static_cast<int>(a >= kDecades[static_cast<std::size_t>(x + 1 - kLowestDecade)]);
  double s = scale(a, kOutputDigits - 1 - x);
  // Guards, never taken but where a negative power's double is just below its true value.
  if (s >= 1e10) s = scale(a, kOutputDigits - 1 - ++x);
  if (s < 1e9) s = scale(a, kOutputDigits - 1 - --x);
  auto r = static_cast<std::uint64_t>(s);  // truncation: floor, s being positive
  const double fraction = s - static_cast<double>(r);
  if (std::fabs(fraction - 0.5) < 4e-6) return write_exact(p, a);
  r += static_cast<std::uint64_t>(fraction > 0.5);
  if (r >= 10'000'000'000ULL) {  // 9999999999.7 rounds up to the next decade
    r /= 10;
    ++x;
  }
  // Ten digits in one 128-bit word (digit i in byte i): the first two from the pair table, the
  // other eight at once (eight_digits); the trailing zeros counted from the word, not by a loop.
  // The common layouts are shifts of that word and one 16-byte store, not byte-wise copies (the
  // caller leaves kNumberChars bytes free; what lies past the returned end is scratch).
  const auto low = static_cast<std::uint32_t>(r % 100'000'000);
  const auto high = static_cast<std::uint32_t>(r / 100'000'000) * 2;
  const std::uint64_t eight = eight_digits(low);
  const Word128 word = (static_cast<Word128>(eight + 0x3030303030303030ULL) << 16) |
                       static_cast<unsigned char>(kDigitPairs[high + 1]) << 8 |
                       static_cast<unsigned char>(kDigitPairs[high]);
  const int n = low != 0 ? kOutputDigits - std::countl_zero(eight) / 8 : kDigitPairs[high + 1] != '0' ? 2 : 1;
  if (x >= 0 && x < kOutputDigits) {
    // d.ddd, dd.dd: the integer digits, the point, the others; 1234567890.2 rounded to ten digits
    // (x ≥ n - 1) is the same word cut before the point (the digits past n are '0's).
    // The digits before the point kept, those after moved up a byte, the point between: the masks
    // and points from tables, as a variable 128-bit shift is a dozen instructions.
    const auto i = static_cast<std::size_t>(x);
    const Word128 out = (word & kIntegerDigits[i]) | (word & ~kIntegerDigits[i]) << 8 | kPoints[i];
    std::memcpy(p, &out, 16);
    return p + (x < n - 1 ? n + 1 : x + 1);
  }
  if (x < 0 && x >= -4) {  // 0.ddd to 0.000ddd: the first 1 - x bytes of "0.000", the digits
    const int k = 8 * (1 - x);
    const Word128 zeros = 0x303030'2e30;  // "0.000", little-endian
    const Word128 out = (zeros & ((Word128{1} << k) - 1)) | word << k;
    std::memcpy(p, &out, 16);
    return p + 1 - x + n;
  }
  char digits[16];
  std::memcpy(digits, &word, 16);
  return layout(p, digits, n, x);
}

void append_number(std::string& out, double v) {
  char buf[kNumberChars];
  out.append(buf, static_cast<std::size_t>(write_number(buf, v) - buf));
}

std::string format_number(double v) {
  std::string s;
  append_number(s, v);
  return s;
}

double round_to_output(double v) {
  if (!std::isfinite(v)) return v;
  char buf[kNumberChars];
  char* end = write_number(buf, v);
  double out = v;
  std::from_chars(buf, end, out);
  return out;
}

}  // namespace co2e
