// Parsers and formatters for durations, sizes, masses, energies and numbers.
#include "co2e/units.hpp"

#include <fmt/format.h>
#include <algorithm>
#include <array>
#include <cctype>
#include <charconv>
#include <cmath>
#include <cstdlib>
#include <string>

#include "co2e/number.hpp"

namespace co2e {

namespace {

constexpr double kMaxSeconds = 1e15;  // ~31.7 million years: anything above is a typo

bool is_space(char c) { return c == ' ' || c == '\t' || c == '\n' || c == '\r' || c == '\f' || c == '\v'; }
bool is_digit(char c) { return c >= '0' && c <= '9'; }
char lower(char c) { return static_cast<char>(std::tolower(static_cast<unsigned char>(c))); }

bool iequals(std::string_view a, std::string_view b) {
  return a.size() == b.size() &&
         std::equal(a.begin(), a.end(), b.begin(), [](char x, char y) { return lower(x) == lower(y); });
}

std::string quote(std::string_view text) {
  // Quote the value as typed, shortened and with control bytes made visible, for error messages.
  std::string out = "\"";
  for (std::size_t i = 0; i < text.size() && i < 80; ++i) {
    const auto c = static_cast<unsigned char>(text[i]);
    if (c < 0x20 || c == 0x7f)
      out += fmt::format("\\x{:02x}", c);
    else
      out += static_cast<char>(c);
  }
  if (text.size() > 80) out += "...";
  return out + "\"";
}

/// Reads a decimal number at the front of `s` (no sign handling beyond from_chars' '-').
/// Returns the number of characters consumed, 0 when there is no number.
std::size_t read_number(std::string_view s, double& out) {
  // A digit or '.' must come first (after one '-'): from_chars would accept "inf", "nan", "-inf".
  const std::size_t lead = !s.empty() && s[0] == '-' ? 1 : 0;
  if (s.size() <= lead || !(is_digit(s[lead]) || s[lead] == '.')) return 0;
  if (const std::size_t n = read_simple_decimal(s, out)) return n;  // the common case, faster
  const auto [ptr, ec] = std::from_chars(s.data(), s.data() + s.size(), out, std::chars_format::general);
  if (ec != std::errc() && ec != std::errc::result_out_of_range) return 0;
  if (ec == std::errc::result_out_of_range) {
    // Too large or too small for a double: strtod says which (±HUGE_VAL, or ±0 for 1e-999).
    const std::string copy(s.data(), ptr);
    out = std::strtod(copy.c_str(), nullptr);
  }
  return static_cast<std::size_t>(ptr - s.data());
}

/// Splits "12.5kg" into a number and its unit text (spaces between allowed).
struct NumberUnit {
  double value = 0;
  std::string_view unit;
  bool ok = false;
};

NumberUnit split_number_unit(std::string_view text) {
  NumberUnit nu;
  std::string_view s = trim(text);
  if (!s.empty() && s[0] == '+') s.remove_prefix(1);
  const std::size_t n = read_number(s, nu.value);
  if (n == 0) return nu;
  nu.unit = trim(s.substr(n));
  nu.ok = true;
  return nu;
}

struct Unit {
  std::string_view name;
  double factor;
};

template <std::size_t N>
const Unit* find_unit(const std::array<Unit, N>& units, std::string_view name, bool case_sensitive) {
  for (const auto& u : units)
    if (case_sensitive ? u.name == name : iequals(u.name, name)) return &u;
  return nullptr;
}

constexpr std::array<Unit, 17> kTimeUnits{{
    {"s", 1},
    {"sec", 1},
    {"secs", 1},
    {"second", 1},
    {"seconds", 1},
    {"m", 60},
    {"min", 60},
    {"mins", 60},
    {"minute", 60},
    {"minutes", 60},
    {"h", 3600},
    {"hr", 3600},
    {"hrs", 3600},
    {"hour", 3600},
    {"hours", 3600},
    {"d", 86400},
    {"days", 86400},
}};
constexpr std::array<Unit, 4> kTimeUnitsMore{{{"day", 86400}, {"w", 604800}, {"week", 604800}, {"weeks", 604800}}};

const char* const kDurationHelp = "e.g. 12h, 90m, 45s, 2d, 1d2h30m, 01:30:00 or SLURM's 2-03:00:00";

/// SLURM's forms: "[D-]HH:MM:SS[.frac]", "MM:SS[.frac]", "D-HH", "D-HH:MM". Returns seconds or < 0 on error.
double parse_clock(std::string_view s) {
  double days = 0;
  bool has_days = false;
  if (auto dash = s.find('-'); dash != std::string_view::npos) {
    std::string_view d = s.substr(0, dash);
    if (d.empty() || !std::all_of(d.begin(), d.end(), is_digit)) return -1;
    std::from_chars(d.data(), d.data() + d.size(), days);
    has_days = true;
    s.remove_prefix(dash + 1);
    if (s.find(':') == std::string_view::npos) {  // D-HH
      if (s.empty() || !std::all_of(s.begin(), s.end(), is_digit)) return -1;
      double h = 0;
      std::from_chars(s.data(), s.data() + s.size(), h);
      return days * 86400 + h * 3600;
    }
  }
  std::array<double, 3> parts{};
  std::size_t count = 0;
  while (true) {
    if (count == 3) return -1;
    const auto colon = s.find(':');
    std::string_view part = s.substr(0, colon);
    const bool last = colon == std::string_view::npos;
    if (part.empty()) return -1;
    // Only the last part may have a fraction.
    const bool digits_only = std::all_of(part.begin(), part.end(), is_digit);
    if (!digits_only) {
      if (!last) return -1;
      const auto dot = part.find('.');
      if (dot == std::string_view::npos || dot == 0 || part.find('.', dot + 1) != std::string_view::npos) return -1;
      if (!std::all_of(part.begin(), part.begin() + static_cast<std::ptrdiff_t>(dot), is_digit) ||
          !std::all_of(part.begin() + static_cast<std::ptrdiff_t>(dot) + 1, part.end(), is_digit))
        return -1;
    }
    double v = 0;
    std::from_chars(part.data(), part.data() + part.size(), v);
    parts[count++] = v;
    if (last) break;
    s.remove_prefix(colon + 1);
  }
  if (count == 1) return -1;  // no colon at all: not a clock
  double seconds = 0;
  if (count == 2 && has_days)
    seconds = parts[0] * 3600 + parts[1] * 60;  // D-HH:MM
  else if (count == 2)
    seconds = parts[0] * 60 + parts[1];  // MM:SS
  else
    seconds = parts[0] * 3600 + parts[1] * 60 + parts[2];  // HH:MM:SS
  if ((count == 2 && parts[1] >= 60) || (count == 3 && (parts[1] >= 60 || parts[2] >= 60))) return -1;
  return days * 86400 + seconds;
}

}  // namespace

std::string_view trim(std::string_view text) {
  while (!text.empty() && is_space(text.front())) text.remove_prefix(1);
  while (!text.empty() && is_space(text.back())) text.remove_suffix(1);
  return text;
}

Result<Seconds> parse_duration(std::string_view text) {
  const std::string_view s = trim(text);
  if (s.empty()) return Error::usage(fmt::format("empty duration: give one, {}", kDurationHelp));
  if (s.find(':') != std::string_view::npos ||
      (s.find('-') != std::string_view::npos && s[0] != '-' &&
       std::all_of(s.begin(), s.end(), [](char c) { return is_digit(c) || c == '-'; }))) {
    const double secs = parse_clock(s);
    if (secs < 0) return Error::usage(fmt::format("{} is not a duration: {}", quote(text), kDurationHelp));
    return Seconds(secs);
  }
  if (s[0] == '-') {
    // "-0h" is zero, as "-0" is for every other quantity; anything else below zero is refused.
    const std::string_view rest = s.substr(1);
    if (!rest.empty() && rest[0] != '-') {  // one level of recursion only
      auto magnitude = parse_duration(rest);
      if (magnitude && magnitude->count() == 0) return Seconds(0);
    }
    return Error::usage(fmt::format("{}: a duration cannot be negative", quote(text)));
  }
  double total = 0;
  std::string_view rest = s;
  bool any = false;
  while (!rest.empty()) {
    double v = 0;
    const std::size_t n = read_number(rest, v);
    if (n == 0 || rest[0] == '-')
      return Error::usage(fmt::format("{} is not a duration: {}", quote(text), kDurationHelp));
    rest = trim(rest.substr(n));
    std::size_t u = 0;
    while (u < rest.size() && std::isalpha(static_cast<unsigned char>(rest[u])) != 0) ++u;
    const std::string_view unit = rest.substr(0, u);
    if (unit.empty()) {
      if (!any && rest.empty()) return Error::usage(fmt::format("{}: add a unit, {}", quote(text), kDurationHelp));
      return Error::usage(fmt::format("{} is not a duration: {}", quote(text), kDurationHelp));
    }
    const Unit* found = find_unit(kTimeUnits, unit, false);
    if (found == nullptr) found = find_unit(kTimeUnitsMore, unit, false);
    if (found == nullptr)
      return Error::usage(fmt::format("{}: unknown time unit \"{}\" (accepted: s, m/min, h, d, w; {})", quote(text),
                                      unit, kDurationHelp));
    total += v * found->factor;
    any = true;
    rest = trim(rest.substr(u));
  }
  if (!std::isfinite(total) || total > kMaxSeconds)
    return Error::usage(fmt::format("{}: duration too large", quote(text)));
  return Seconds(total);
}

Result<Seconds> parse_slurm_duration(std::string_view text) {
  const std::string_view s = trim(text);
  if (s.empty() || iequals(s, "unknown") || iequals(s, "invalid") || iequals(s, "unlimited") ||
      iequals(s, "partition_limit"))
    return Error::usage(fmt::format("{} is not a SLURM duration ([D-]HH:MM:SS or MM:SS)", quote(text)));
  const double secs = parse_clock(s);
  if (secs < 0) return Error::usage(fmt::format("{} is not a SLURM duration ([D-]HH:MM:SS or MM:SS)", quote(text)));
  return Seconds(secs);
}

Result<double> parse_size_gb(std::string_view text) {
  const auto nu = split_number_unit(text);
  const char* help = "e.g. 64G, 64GB, 512MiB, 1.5T; a bare number means GB";
  if (!nu.ok) return Error::usage(fmt::format("{} is not a memory size: {}", quote(text), help));
  if (nu.value < 0) return Error::usage(fmt::format("{}: a memory size cannot be negative", quote(text)));
  static constexpr std::array<Unit, 18> kUnits{{{"", 1},
                                                {"b", 1e-9},
                                                {"k", 1e-6},
                                                {"kb", 1e-6},
                                                {"m", 1e-3},
                                                {"mb", 1e-3},
                                                {"g", 1},
                                                {"gb", 1},
                                                {"t", 1e3},
                                                {"tb", 1e3},
                                                {"p", 1e6},
                                                {"pb", 1e6},
                                                {"kib", 1024.0 / 1e9},
                                                {"mib", 1048576.0 / 1e9},
                                                {"gib", 1073741824.0 / 1e9},
                                                {"tib", 1099511627776.0 / 1e9},
                                                {"pib", 1125899906842624.0 / 1e9},
                                                {"bytes", 1e-9}}};
  const Unit* u = find_unit(kUnits, nu.unit, false);
  if (u == nullptr) return Error::usage(fmt::format("{}: unknown size unit \"{}\" ({})", quote(text), nu.unit, help));
  const double gb = nu.value * u->factor;
  if (!std::isfinite(gb) || gb > 1e12) return Error::usage(fmt::format("{}: memory size too large", quote(text)));
  return gb;
}

Result<double> parse_mass_g(std::string_view text) {
  const auto nu = split_number_unit(text);
  const char* help = "e.g. 300g, 5kg, 1.2t (tonnes), 2lb";
  if (!nu.ok) return Error::usage(fmt::format("{} is not a mass: {}", quote(text), help));
  if (nu.value < 0) return Error::usage(fmt::format("{}: a mass cannot be negative", quote(text)));
  if (nu.unit.empty()) return Error::usage(fmt::format("{}: add a unit, {}", quote(text), help));
  std::string_view unit = nu.unit;
  // Accept a trailing CO2 / CO2e / CO2eq: "5kgCO2e".
  for (std::string_view suffix : {"co2eq", "co2e", "co2"}) {
    if (unit.size() > suffix.size() && iequals(unit.substr(unit.size() - suffix.size()), suffix)) {
      unit = trim(unit.substr(0, unit.size() - suffix.size()));
      break;
    }
  }
  static constexpr std::array<Unit, 12> kUnits{{{"mg", 1e-3},
                                                {"g", 1},
                                                {"kg", 1e3},
                                                {"t", 1e6},
                                                {"tonne", 1e6},
                                                {"tonnes", 1e6},
                                                {"kt", 1e9},
                                                {"mt", 1e12},
                                                {"lb", 453.59237},
                                                {"lbs", 453.59237},
                                                {"gram", 1},
                                                {"grams", 1}}};
  const Unit* u = find_unit(kUnits, unit, false);
  if (u == nullptr) return Error::usage(fmt::format("{}: unknown mass unit \"{}\" ({})", quote(text), nu.unit, help));
  const double g = nu.value * u->factor;
  if (!std::isfinite(g)) return Error::usage(fmt::format("{}: mass too large", quote(text)));
  return g;
}

Result<double> parse_energy_kwh(std::string_view text) {
  const auto nu = split_number_unit(text);
  const char* help = "e.g. 5kWh, 300Wh, 1.2MWh, 3.6MJ";
  if (!nu.ok) return Error::usage(fmt::format("{} is not an energy: {}", quote(text), help));
  if (nu.value < 0) return Error::usage(fmt::format("{}: an energy cannot be negative", quote(text)));
  if (nu.unit.empty()) return Error::usage(fmt::format("{}: add a unit, {}", quote(text), help));
  static constexpr std::array<Unit, 9> kUnits{{{"Wh", 1e-3},
                                               {"kWh", 1},
                                               {"MWh", 1e3},
                                               {"GWh", 1e6},
                                               {"J", 1.0 / 3.6e6},
                                               {"kJ", 1.0 / 3.6e3},
                                               {"MJ", 1.0 / 3.6},
                                               {"GJ", 1e3 / 3.6},
                                               {"TWh", 1e9}}};
  const Unit* u = find_unit(kUnits, nu.unit, true);
  if (u == nullptr) u = find_unit(kUnits, nu.unit, false);
  if (u == nullptr) return Error::usage(fmt::format("{}: unknown energy unit \"{}\" ({})", quote(text), nu.unit, help));
  const double kwh = nu.value * u->factor;
  if (!std::isfinite(kwh)) return Error::usage(fmt::format("{}: energy too large", quote(text)));
  return kwh;
}

Result<double> parse_number(std::string_view text) {
  std::string_view s = trim(text);
  if (s.empty()) return Error::usage("empty value: a number is required");
  if (s[0] == '+') s.remove_prefix(1);
  double v = 0;
  const std::size_t n = read_number(s, v);
  if (n == 0 || n != s.size()) return Error::usage(fmt::format("{} is not a number", quote(text)));
  if (std::isnan(v)) return Error::usage(fmt::format("{} is not a number", quote(text)));
  if (!std::isfinite(v)) return Error::usage(fmt::format("{}: number too large", quote(text)));
  if (v == 0) v = 0;  // no negative zero
  return v;
}

Result<double> parse_non_negative(std::string_view text) {
  auto v = parse_number(text);
  if (!v) return v;
  if (*v < 0) return Error::usage(fmt::format("{}: must be zero or more", quote(text)));
  return v;
}

Result<double> parse_fraction(std::string_view text) {
  std::string_view s = trim(text);
  double scale = 1;
  if (!s.empty() && s.back() == '%') {
    s.remove_suffix(1);
    scale = 0.01;
  }
  auto v = parse_number(s);
  if (!v)
    return Error::usage(fmt::format("{} is not a number between 0 and 1 (or a percentage such as 50%)", quote(text)));
  const double f = *v * scale;
  if (f < 0 || f > 1)
    return Error::usage(fmt::format("{} is out of range: must be between 0 and 1 (or 0% to 100%)", quote(text)));
  return f;
}

Result<std::int64_t> parse_integer(std::string_view text, std::int64_t min, std::int64_t max) {
  std::string_view s = trim(text);
  if (!s.empty() && s[0] == '+') s.remove_prefix(1);
  std::int64_t v = 0;
  const auto [ptr, ec] = std::from_chars(s.data(), s.data() + s.size(), v);
  if (s.empty() || ec == std::errc::invalid_argument || ptr != s.data() + s.size())
    return Error::usage(fmt::format("{} is not a whole number", quote(text)));
  if (ec == std::errc::result_out_of_range || v > max)
    return Error::usage(fmt::format("{} is too large (at most {})", quote(text), max));
  if (v < min) return Error::usage(fmt::format("{} must be at least {}", quote(text), min));
  return v;
}

std::string format_sig(double value, int digits) {
  if (!std::isfinite(value)) return value > 0 ? "inf" : value < 0 ? "-inf" : "nan";
  if (value == 0) return "0";
  const int magnitude = static_cast<int>(std::floor(std::log10(std::fabs(value))));
  const int decimals = std::clamp(digits - 1 - magnitude, 0, 12);
  std::string s = fmt::format("{:.{}f}", value, decimals);
  if (s.find('.') != std::string::npos) {
    while (s.back() == '0') s.pop_back();
    if (s.back() == '.') s.pop_back();
  }
  if (s == "-0") s = "0";
  return s;
}

namespace {

struct ScaledUnit {
  double factor;  ///< the unit in the caller's unit: 1e-3 for Wh when the value is in kWh
  std::string_view name;
};

/// `value` with 4 significant digits in the largest of `units` (ascending) that it reaches once
/// rounded, so that 0.99996 kWh reads `1 kWh`, not `1000 Wh`; below the first unit, in the first.
/// Zero (and inf or nan) is written in `units[zero]`.
template <std::size_t N>
std::string format_scaled(double value, const std::array<ScaledUnit, N>& units, std::size_t zero) {
  constexpr int kDigits = 4;
  constexpr double kRoundsUp = 1 - 0.5e-4;  // 0.99995 of a unit rounds to 1 with 4 digits
  const double a = std::fabs(value);
  std::size_t i = zero;
  if (a > 0 && std::isfinite(a)) {
    i = 0;
    while (i + 1 < N && a >= units[i + 1].factor * kRoundsUp) ++i;
  }
  return fmt::format("{} {}", format_sig(value / units[i].factor, kDigits), units[i].name);
}

// From a short command's µWh to a cluster's GWh; from µg to tonnes.
constexpr std::array<ScaledUnit, 6> kEnergyUnits{
    {{1e-9, "µWh"}, {1e-6, "mWh"}, {1e-3, "Wh"}, {1, "kWh"}, {1e3, "MWh"}, {1e6, "GWh"}}};
constexpr std::array<ScaledUnit, 5> kMassUnits{{{1e-6, "µg"}, {1e-3, "mg"}, {1, "g"}, {1e3, "kg"}, {1e6, "t"}}};

}  // namespace

std::string format_energy(double kwh) { return format_scaled(kwh, kEnergyUnits, 2); }

std::string format_mass(double grams) { return format_scaled(grams, kMassUnits, 2); }

std::string format_duration(Seconds s) {
  double secs = s.count();
  if (secs < 60) return format_sig(secs, 3) + " s";
  const auto total = static_cast<long long>(std::llround(secs));
  const long long d = total / 86400, h = total % 86400 / 3600, m = total % 3600 / 60, sec = total % 60;
  std::string out;
  auto add = [&](long long v, const char* unit) {
    if (v == 0) return;
    if (!out.empty()) out += ' ';
    out += fmt::format("{} {}", v, unit);
  };
  add(d, "d");
  add(h, "h");
  add(m, "min");
  if (d == 0) add(sec, "s");
  return out;
}

}  // namespace co2e
