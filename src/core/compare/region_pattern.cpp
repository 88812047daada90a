// --region patterns and groups for co2e compare: globs over the Dataset's region codes, groups of
// countries, and a cloud provider's regions. Membership of a country in a group is the only fact
// not in data/*.json (the tables have no continent); every region listed comes from the Dataset.
#include <algorithm>
#include <array>
#include <cctype>
#include <span>
#include <string>

#include <fmt/format.h>
#include <fmt/ranges.h>

#include "co2e/compare.hpp"
#include "co2e/quote.hpp"
#include "co2e/units.hpp"

namespace co2e {

namespace {

/// The 27 member states of the European Union (since 1 February 2020), ISO 3166-1 alpha-2.
/// Source: https://european-union.europa.eu/principles-countries-history/eu-countries_en
constexpr std::array<std::string_view, 27> kEu = {"AT", "BE", "BG", "CY", "CZ", "DE", "DK", "EE", "ES",
                                                  "FI", "FR", "GR", "HR", "HU", "IE", "IT", "LT", "LU",
                                                  "LV", "MT", "NL", "PL", "PT", "RO", "SE", "SI", "SK"};

/// Europe as the UN geoscheme draws it (M49 region 150: Eastern, Northern, Southern and Western
/// Europe), plus Kosovo (XK), which M49 counts under Serbia. Source: UN Statistics Division,
/// Standard country or area codes for statistical use (M49), https://unstats.un.org/unsd/methodology/m49/
constexpr std::array<std::string_view, 52> kEurope = {
    "AD", "AL", "AT", "AX", "BA", "BE", "BG", "BY", "CH", "CZ", "DE", "DK", "EE", "ES", "FI", "FO", "FR", "GB",
    "GG", "GI", "GR", "HR", "HU", "IE", "IM", "IS", "IT", "JE", "LI", "LT", "LU", "LV", "MC", "MD", "ME", "MK",
    "MT", "NL", "NO", "PL", "PT", "RO", "RS", "RU", "SE", "SI", "SJ", "SK", "SM", "UA", "VA", "XK"};

/// North America as a continent: M49 Northern America (021), Central America (013) and the
/// Caribbean (029). Same source as kEurope.
constexpr std::array<std::string_view, 40> kNorthAmerica = {"AG", "AI", "AW", "BB", "BL", "BM", "BQ", "BS", "BZ", "CA",
                                                            "CR", "CU", "CW", "DM", "DO", "GD", "GL", "GP", "GT", "HN",
                                                            "HT", "JM", "KN", "KY", "LC", "MF", "MQ", "MS", "MX", "NI",
                                                            "PA", "PM", "PR", "SV", "SX", "TC", "TT", "US", "VC", "VG"};

struct CountryGroup {
  std::string_view name;
  std::string_view description;
  std::span<const std::string_view> countries;
};

const std::array<CountryGroup, 3>& country_groups() {
  static const std::array<CountryGroup, 3> groups = {{
      {"EU", "the 27 member states of the European Union", kEu},
      {"europe", "the countries of Europe (UN M49 region 150)", kEurope},
      {"north-america", "the countries of North America and the Caribbean (UN M49 021, 013, 029)", kNorthAmerica},
  }};
  return groups;
}

std::string lower(std::string_view s) {
  std::string out(s);
  for (auto& c : out) c = static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
  return out;
}

bool is_glob(std::string_view s) { return s.find_first_of("*?") != std::string_view::npos; }

/// `*` any run of characters, `?` one; case-insensitive. Iterative with one backtrack point, so
/// linear in practice and never exponential.
bool glob_match(std::string_view pattern, std::string_view text) {
  auto eq = [](char a, char b) {
    return std::tolower(static_cast<unsigned char>(a)) == std::tolower(static_cast<unsigned char>(b));
  };
  std::size_t p = 0, t = 0, star = std::string_view::npos, mark = 0;
  while (t < text.size()) {
    if (p < pattern.size() && (pattern[p] == '?' || (pattern[p] != '*' && eq(pattern[p], text[t])))) {
      ++p, ++t;
    } else if (p < pattern.size() && pattern[p] == '*') {
      star = p++, mark = t;
    } else if (star != std::string_view::npos) {
      p = star + 1, t = ++mark;
    } else {
      return false;
    }
  }
  while (p < pattern.size() && pattern[p] == '*') ++p;
  return p == pattern.size();
}

const CountryGroup* find_group(std::string_view name) {
  for (const auto& g : country_groups())
    if (lower(g.name) == lower(name)) return &g;
  return nullptr;
}

/// The country (alpha-2) of a grid region code: `US` for `US-CA`, `FR` for `FR`.
std::string_view country_of(std::string_view code) { return code.substr(0, code.find('-')); }

bool in_group(const CountryGroup& g, std::string_view code) {
  const std::string_view c = country_of(code);
  return std::find(g.countries.begin(), g.countries.end(), c) != g.countries.end();
}

/// The cloud providers that have regions in the Dataset (`aws`, `azure`, `gcp`), in table order.
std::vector<std::string_view> cloud_providers(const Dataset& data) {
  std::vector<std::string_view> out;
  for (const auto& c : data.cloud_regions())
    if (std::find(out.begin(), out.end(), c.provider) == out.end()) out.push_back(c.provider);
  return out;
}

bool has_provider(const std::vector<std::string_view>& providers, std::string_view p) {
  return std::any_of(providers.begin(), providers.end(), [&](std::string_view x) { return lower(x) == lower(p); });
}

/// The names a pattern might have meant, for "did you mean": cloud region codes for a pattern
/// with a provider, else grid region codes and the groups.
std::vector<std::string_view> pattern_candidates(std::string_view value, const Dataset& data) {
  std::vector<std::string_view> names;
  if (value.find(':') != std::string_view::npos) {
    for (const auto& c : data.cloud_regions()) names.push_back(c.code);
    return names;
  }
  for (const auto& g : country_groups()) names.push_back(g.name);
  names.emplace_back("cloud");
  for (const auto& r : data.regions()) names.push_back(r.code);
  return names;
}

std::string groups_hint(const Dataset& data) {
  std::string hint = "patterns: * and ? over codes as in US-*, aws:eu-*, *:europe-*; groups: ";
  for (const auto& g : region_groups(data)) hint += fmt::format("{}, ", g.name);
  hint += "or PROVIDER:GROUP as in aws:europe; see `co2e list regions`";
  return hint;
}

Error no_match(std::string_view value, const Dataset& data) {
  Error e = Error::usage("");
  std::string bare(value);  // the wildcards removed: "aws:eu-wst-*" is near "aws:eu-west-1"
  std::erase_if(bare, [](char c) { return c == '*' || c == '?'; });
  e.suggestions = closest_names(bare, pattern_candidates(value, data), 5);
  std::string msg = fmt::format("{} matches no region", quote_for_message(value));
  if (!e.suggestions.empty()) {
    msg += "; did you mean ";
    for (std::size_t i = 0; i < e.suggestions.size(); ++i)
      msg += fmt::format("{}\"{}\"", i == 0 ? "" : i + 1 == e.suggestions.size() ? " or " : ", ", e.suggestions[i]);
    msg += "?";
  }
  e.message = fmt::format("{} ({})", msg, groups_hint(data));
  return e;
}

/// `PROVIDER:REST`: a glob over that provider's cloud region codes, a group, or one region.
Result<std::vector<std::string>> expand_cloud(std::string_view value, std::size_t colon, const Dataset& data) {
  const std::string_view provider = value.substr(0, colon);
  const std::string_view rest = value.substr(colon + 1);
  std::vector<std::string> out;
  if (is_glob(provider)) {  // `*:europe-*`: a glob over every cloud region code
    for (const auto& c : data.cloud_regions())
      if (glob_match(value, c.code)) out.emplace_back(c.code);
    if (out.empty()) return no_match(value, data);
    return out;
  }
  const auto providers = cloud_providers(data);
  if (!has_provider(providers, provider)) {
    Error e =
        Error::usage(fmt::format("unknown cloud provider {} in {} (cloud regions are known for {})",
                                 quote_for_message(provider), quote_for_message(value), fmt::join(providers, ", ")));
    e.suggestions = closest_names(provider, providers, 3);
    if (!e.suggestions.empty()) e.message += fmt::format("; did you mean \"{}\"?", e.suggestions.front());
    return e;
  }
  if (const CountryGroup* g = find_group(rest)) {
    for (const auto& c : data.cloud_regions())
      if (lower(c.provider) == lower(provider) && in_group(*g, c.location)) out.emplace_back(c.code);
  } else if (is_glob(rest)) {
    for (const auto& c : data.cloud_regions())
      if (lower(c.provider) == lower(provider) && glob_match(rest, c.code.substr(c.code.find(':') + 1)))
        out.emplace_back(c.code);
  } else {
    auto m = data.find_region(value);
    if (!m) return m.error();
    return std::vector<std::string>{std::string(value)};
  }
  if (out.empty()) return no_match(value, data);
  return out;
}

}  // namespace

std::vector<RegionGroup> region_groups(const Dataset& data) {
  std::vector<RegionGroup> out;
  for (const auto& g : country_groups()) out.push_back({g.name, g.description});
  for (std::string_view p : cloud_providers(data)) out.push_back({p, "every region of this cloud provider"});
  out.push_back({"cloud", "every cloud region co2e knows"});
  return out;
}

Result<std::vector<std::string>> expand_region(std::string_view value, const Dataset& data) {
  value = trim(value);
  if (value.empty())
    return Error::usage(
        "empty region (give a region such as FR or aws:eu-west-3, a pattern such as aws:eu-*, or a "
        "group such as EU)");
  if (value.find_first_of("[]{}") != std::string_view::npos)
    return Error::usage(
        fmt::format("{}: only * and ? are pattern characters ({})", quote_for_message(value), groups_hint(data)));
  if (const auto colon = value.find(':'); colon != std::string_view::npos) return expand_cloud(value, colon, data);
  std::vector<std::string> out;
  if (is_glob(value)) {
    for (const auto& r : data.regions())
      if (glob_match(value, r.code)) out.emplace_back(r.code);
  } else if (const CountryGroup* g = find_group(value)) {
    // Countries only: a country and its subdivisions (US, US-CA) would count one grid twice.
    for (const auto& r : data.regions())
      if (r.kind == "country" && in_group(*g, r.code)) out.emplace_back(r.code);
  } else if (lower(value) == "cloud" || has_provider(cloud_providers(data), value)) {
    const bool all = lower(value) == "cloud";
    for (const auto& c : data.cloud_regions())
      if (all || lower(c.provider) == lower(value)) out.emplace_back(c.code);
  } else {
    auto m = data.find_region(value);
    if (!m) return m.error();
    return std::vector<std::string>{std::string(value)};
  }
  if (out.empty()) return no_match(value, data);
  return out;
}

}  // namespace co2e
