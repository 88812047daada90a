// Parsers and formatters for durations, sizes, masses, energies and numbers.
#include "co2e/units.hpp"

#include <fmt/format.h>
#include <algorithm>
#include <array>
#include <cctype>
#include <charconv>
#include <cmath>
#include <cstdint>
#include <cstdlib>
#include <string>
#include <string_view>
#include <vector>

#include "co2e/quote.hpp"

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

std::string quote(std::string_view text) { return quote_for_message(text); }

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

/// How a unit table treats the case of letters (docs/cli.md, "Units").
enum class CaseRule : std::uint8_t {
  /// SI: `m` is milli and `M` is mega. A unit with an m or M prefix must be written exactly (mWh,
  /// MWh, mW, Mt, mg); others may be in any case (kwh, KWH, Kg, w). A spelling that matches only
  /// when case is ignored is then refused with the candidates (mwh: mWh or MWh?), never guessed.
  si,
  /// No sub-unit prefixes, so nothing collides: sizes (m and M are both megabytes).
  any,
};

/// Greek small mu (U+03BC) is written as the micro sign (U+00B5), the spelling the tables use.
std::string normalize_micro(std::string_view name) {
  std::string out(name);
  if (out.starts_with("\xce\xbc")) out.replace(0, 2, "\xc2\xb5");
  return out;
}

/// The factor of the unit `name` in `units` under `rule`; on failure the message says why
/// (without the value, which the caller quotes): `unknown energy unit "mwh": did you mean ...`.
template <std::size_t N>
Result<double> unit_factor(const std::array<Unit, N>& units, std::string_view name, CaseRule rule,
                           std::string_view kind, std::string_view accepted) {
  const std::string norm = normalize_micro(name);
  if (const Unit* u = find_unit(units, norm, true)) return u->factor;
  std::vector<const Unit*> folded;
  for (const auto& u : units)
    if (iequals(u.name, norm)) folded.push_back(&u);
  // A unit whose prefix is m or M is only ever taken as written: "MT" is not read as Mt
  // (megatonnes) when it may mean a metric ton, nor "mwh" as mWh when it may mean MWh.
  auto has_m = [](std::string_view n) { return n.starts_with('m') || n.starts_with('M'); };  // the prefix
  if (!folded.empty() && (rule == CaseRule::any || (folded.size() == 1 && !has_m(folded[0]->name))))
    return folded[0]->factor;
  std::string msg = fmt::format("unknown {} unit {}", kind, quote(name));
  if (!folded.empty()) {
    msg += ": did you mean ";
    for (std::size_t i = 0; i < folded.size(); ++i) msg += fmt::format("{}{}", i == 0 ? "" : " or ", folded[i]->name);
    msg += "? Prefixes are case-sensitive: m is milli, M is mega";
  }
  return Error::usage(fmt::format("{} (accepted: {})", msg, accepted));
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

namespace {

// The unit tables: one per quantity, each factor in the unit the parser returns. Every unit the
// formatters print (format_energy, format_mass, "W", "GB", "gCO2e/kWh") is here, so that what
// co2e prints can be typed back (tests/unit/test_units_roundtrip.cpp).
constexpr std::array<Unit, 18> kSizeUnits{{{"", 1},
                                           {"b", 1e-9},
                                           {"bytes", 1e-9},
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
                                           {"pib", 1125899906842624.0 / 1e9}}};
constexpr const char* kSizeAccepted = "B, K/KB, M/MB, G/GB, T/TB, P/PB, KiB, MiB, GiB, TiB, PiB; a bare number is GB";

constexpr std::array<Unit, 14> kMassUnits{{{"µg", 1e-6},
                                           {"ug", 1e-6},
                                           {"mg", 1e-3},
                                           {"g", 1},
                                           {"gram", 1},
                                           {"grams", 1},
                                           {"kg", 1e3},
                                           {"t", 1e6},
                                           {"tonne", 1e6},
                                           {"tonnes", 1e6},
                                           {"kt", 1e9},
                                           {"Mt", 1e12},
                                           {"lb", 453.59237},  // avoirdupois pound, exact (1959 agreement)
                                           {"lbs", 453.59237}}};
constexpr const char* kMassAccepted = "µg (or ug), mg, g, kg, t (tonnes), kt, Mt, lb; a CO2e suffix is allowed";

// 1 Wh = 3600 J: kWh = J / 3.6e6.
constexpr std::array<Unit, 16> kEnergyUnits{{{"µWh", 1e-9},
                                             {"uWh", 1e-9},
                                             {"mWh", 1e-6},
                                             {"Wh", 1e-3},
                                             {"kWh", 1},
                                             {"MWh", 1e3},
                                             {"GWh", 1e6},
                                             {"TWh", 1e9},
                                             {"µJ", 1e-6 / 3.6e6},
                                             {"uJ", 1e-6 / 3.6e6},
                                             {"mJ", 1e-3 / 3.6e6},
                                             {"J", 1 / 3.6e6},
                                             {"kJ", 1e3 / 3.6e6},
                                             {"MJ", 1e6 / 3.6e6},
                                             {"GJ", 1e9 / 3.6e6},
                                             {"TJ", 1e12 / 3.6e6}}};
constexpr const char* kEnergyAccepted = "µWh (or uWh), mWh, Wh, kWh, MWh, GWh, TWh, µJ, mJ, J, kJ, MJ, GJ, TJ";

constexpr std::array<Unit, 7> kPowerUnits{
    {{"µW", 1e-6}, {"uW", 1e-6}, {"mW", 1e-3}, {"W", 1}, {"kW", 1e3}, {"MW", 1e6}, {"GW", 1e9}}};
constexpr const char* kPowerAccepted = "µW (or uW), mW, W, kW, MW, GW";

/// A mass unit with an optional CO2 / CO2e / CO2eq suffix ("kgCO2e"), in grams.
Result<double> mass_unit(std::string_view unit) {
  const std::string_view typed = unit;
  for (std::string_view suffix : {"co2eq", "co2e", "co2"}) {
    if (unit.size() > suffix.size() && iequals(unit.substr(unit.size() - suffix.size()), suffix)) {
      unit = trim(unit.substr(0, unit.size() - suffix.size()));
      break;
    }
  }
  auto f = unit_factor(kMassUnits, unit, CaseRule::si, "mass", kMassAccepted);
  if (!f && unit != typed) f = unit_factor(kMassUnits, typed, CaseRule::si, "mass", kMassAccepted);
  // "mt" / "MT" is a common spelling of the metric ton, which is t: say so beside "did you mean Mt?".
  if (!f && iequals(unit, "mt")) return Error::usage(f.error().message + "; a metric ton (tonne) is t");
  return f;
}

/// `text` as a number and a unit looked up with `factor_of`: the value times the factor. A bare
/// number is `bare_factor` (or refused with "add a unit" when it is 0).
template <class FactorOf>
Result<double> quantity(std::string_view text, std::string_view what, std::string_view help, double bare_factor,
                        FactorOf factor_of) {
  if (double bare = 0; bare_factor != 0 && plain_decimal(text, bare)) {
    const double v = bare * bare_factor;
    if (!std::isfinite(v)) return Error::usage(fmt::format("{}: {} too large", quote(text), what));
    return v == 0 ? 0.0 : v;  // as below
  }
  const auto nu = split_number_unit(text);
  if (!nu.ok) return Error::usage(fmt::format("{} is not {}: {}", quote(text), what, help));
  if (nu.value < 0) return Error::usage(fmt::format("{}: {} cannot be negative", quote(text), what));
  double factor = bare_factor;
  if (!nu.unit.empty()) {
    auto f = factor_of(nu.unit);
    if (!f) return Error::usage(fmt::format("{}: {}", quote(text), f.error().message));
    factor = *f;
  } else if (bare_factor == 0) {
    return Error::usage(fmt::format("{}: add a unit, {}", quote(text), help));
  }
  const double v = nu.value * factor;
  if (!std::isfinite(v)) return Error::usage(fmt::format("{}: {} too large", quote(text), what));
  return v == 0 ? 0.0 : v;  // no negative zero
}

}  // namespace

Result<double> parse_size_gb(std::string_view text) {
  const char* help = "e.g. 64G, 64GB, 512MiB, 1.5T; a bare number means GB";
  auto gb = quantity(text, "a memory size", help, 1, [](std::string_view u) {
    return unit_factor(kSizeUnits, u, CaseRule::any, "size", kSizeAccepted);
  });
  if (gb && *gb > kMaxMemoryGb) return Error::usage(fmt::format("{}: memory size too large", quote(text)));
  return gb;
}

Result<double> parse_data_size_gb(std::string_view text) {
  const auto nu = split_number_unit(text);
  const std::string_view u = nu.unit;
  constexpr std::string_view kPrefixes = "KMGTP";
  if (nu.ok && u.size() == 2 && kPrefixes.find(u[0]) != std::string_view::npos && u[1] == 'b') {
    constexpr std::array<std::string_view, 5> kNames{"kilo", "mega", "giga", "tera", "peta"};
    return Error::usage(
        fmt::format("{}: {} reads as {}bits on a network, and co2e takes data sizes in bytes: "
                    "write {}{}B for bytes, or {}{}B for {} {}bits",
                    quote(text), u, kNames[kPrefixes.find(u[0])], nu.value, u[0], nu.value / 8, u[0], nu.value,
                    kNames[kPrefixes.find(u[0])]));
  }
  return parse_size_gb(text);
}

Result<double> parse_mass_g(std::string_view text) {
  return quantity(text, "a mass", "e.g. 300g, 5kg, 1.2t (tonnes), 2lb", 0, mass_unit);
}

Result<double> parse_energy_kwh(std::string_view text) {
  return quantity(text, "an energy", "e.g. 5kWh, 300Wh, 1.2MWh, 3.6MJ", 0, [](std::string_view u) {
    return unit_factor(kEnergyUnits, u, CaseRule::si, "energy", kEnergyAccepted);
  });
}

Result<double> parse_power_w(std::string_view text) {
  return quantity(text, "a power", "e.g. 300W, 0.3kW, 7.5 W; a bare number is watts", 1, [](std::string_view u) {
    auto f = unit_factor(kPowerUnits, u, CaseRule::si, "power", kPowerAccepted);
    if (!f) return Result<double>(Error::usage(f.error().message + ", or drop the unit: a bare number is watts"));
    return f;
  });
}

Result<double> parse_power_w_per_gb(std::string_view text) {
  const std::string_view s = trim(text);
  const auto slash = s.find('/');
  const char* help = "e.g. 0.3725W or 0.3725W/GB, 372.5mW/GB; a bare number is W per GB";
  if (slash == std::string_view::npos) {
    return parse_power_w(s);
  }
  const std::string_view per = trim(s.substr(slash + 1));
  // Memory power is per 10^9 bytes (Green Algorithms' figure); per GiB is converted.
  double per_gb = 0;
  if (iequals(per, "GB"))
    per_gb = 1;
  else if (iequals(per, "GiB"))
    per_gb = 1e9 / 1073741824.0;
  else
    return Error::usage(fmt::format("{}: memory power is per GB (or GiB), {}", quote(text), help));
  auto w = parse_power_w(s.substr(0, slash));
  if (!w) return Error::usage(fmt::format("{} is not a power per GB of memory: {}", quote(text), help));
  return *w * per_gb;
}

Result<double> parse_intensity_g_per_kwh(std::string_view text) {
  const std::string_view s = trim(text);
  const char* help = "e.g. 200g/kWh, 0.2kg/kWh, 200gCO2e/kWh, 0.2t/MWh; a bare number is gCO2e/kWh";
  if (double bare = 0; plain_decimal(s, bare)) return bare == 0 ? 0.0 : bare;  // as quantity() with factor 1
  const auto slash = s.find('/');
  if (slash == std::string_view::npos) {
    const auto nu = split_number_unit(s);
    if (nu.ok && !nu.unit.empty())
      return Error::usage(
          fmt::format("{}: an emission factor is a mass per energy, {}; or drop the unit", quote(text), help));
    return quantity(s, "an emission factor", help, 1, [](std::string_view) { return Result<double>(1.0); });
  }
  auto g = quantity(s.substr(0, slash), "an emission factor", help, 0, mass_unit);
  if (!g) return Error::usage(fmt::format("{}: {}", quote(text), g.error().message));
  auto kwh = unit_factor(kEnergyUnits, trim(s.substr(slash + 1)), CaseRule::si, "energy", kEnergyAccepted);
  if (!kwh) return Error::usage(fmt::format("{}: {}", quote(text), kwh.error().message));
  const double g_per_kwh = *g / *kwh;
  if (!std::isfinite(g_per_kwh)) return Error::usage(fmt::format("{}: emission factor too large", quote(text)));
  return g_per_kwh;
}

Result<double> parse_number(std::string_view text) {
  if (double bare = 0; plain_decimal(text, bare)) return bare == 0 ? 0.0 : bare;  // no negative zero, as below
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
  if (s.empty() || ec == std::errc::invalid_argument || ptr != s.data() + s.size()) {
    // Not plain digits: a whole number written as a decimal or in exponent form (1e6, 2.5e3) is
    // accepted, exactly, up to 2^53 where every integer is a double; 1.5 is refused.
    auto d = parse_number(text);
    if (!d || std::trunc(*d) != *d) return Error::usage(fmt::format("{} is not a whole number", quote(text)));
    if (*d > static_cast<double>(max) || *d > 9007199254740992.0)
      return Error::usage(fmt::format("{} is too large (at most {})", quote(text), max));
    if (*d < static_cast<double>(min)) return Error::usage(fmt::format("{} must be at least {}", quote(text), min));
    return static_cast<std::int64_t>(*d);
  }
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
constexpr std::array<ScaledUnit, 6> kEnergyScale{
    {{1e-9, "µWh"}, {1e-6, "mWh"}, {1e-3, "Wh"}, {1, "kWh"}, {1e3, "MWh"}, {1e6, "GWh"}}};
constexpr std::array<ScaledUnit, 5> kMassScale{{{1e-6, "µg"}, {1e-3, "mg"}, {1, "g"}, {1e3, "kg"}, {1e6, "t"}}};

}  // namespace

std::string format_energy(double kwh) { return format_scaled(kwh, kEnergyScale, 2); }

std::string format_mass(double grams) { return format_scaled(grams, kMassScale, 2); }

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
