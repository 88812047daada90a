// Dataset: built-in rows plus user rows, and the lookups by name.
#include <algorithm>
#include <atomic>
#include <cctype>
#include <deque>
#include <limits>
#include <mutex>
#include <unordered_map>

#include <fmt/format.h>

#include "co2e/data.hpp"
#include "co2e/files.hpp"
#include "co2e/quote.hpp"
#include "co2e/units.hpp"
#include "model/builtin_tables.hpp"
#include "model/data_json.hpp"
#include "util/trace_format.hpp"

namespace co2e {

namespace {

constexpr std::size_t kAmbiguous = static_cast<std::size_t>(-1) - 1;
constexpr int kScanLookups = 4;  // model lookups answered by scanning before an index is built

std::string upper(std::string_view s) {
  std::string out(s);
  for (auto& c : out) c = static_cast<char>(std::toupper(static_cast<unsigned char>(c)));
  return out;
}

std::string lower(std::string_view s) {
  std::string out(s);
  for (auto& c : out) c = static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
  return out;
}

/// Calls `fn` for each `|`-separated alias.
template <class Fn>
void for_each_alias(std::string_view aliases, Fn fn) {
  while (!aliases.empty()) {
    const auto bar = aliases.find('|');
    fn(aliases.substr(0, bar));
    if (bar == std::string_view::npos) break;
    aliases.remove_prefix(bar + 1);
  }
}

/// Normalized name → row index; a key claimed by two rows maps to kAmbiguous. Keys view the
/// rows' precomputed keys or the index's own storage.
struct Index {
  std::unordered_map<std::string_view, std::size_t> map;
  std::deque<std::string> storage;

  [[nodiscard]] auto find(std::string_view key) const { return map.find(key); }
  [[nodiscard]] auto end() const { return map.end(); }
  std::string_view keep(std::string key) { return storage.emplace_back(std::move(key)); }
};

void index_key(Index& idx, std::string_view key, std::size_t row, bool primary) {
  if (key.empty()) return;
  auto [it, inserted] = idx.map.emplace(key, row);
  if (!inserted && it->second != row) {
    if (primary)
      it->second = row;  // a full name beats a short form of another row's name
    else if (it->second != kAmbiguous)
      it->second = kAmbiguous;
  }
}

template <class Row>
concept HasAliases = requires(Row r) {
  r.aliases;
};

/// Replaces the row with the same key (as `key` computes it) or appends it. A replacement without aliases keeps the
/// replaced row's, so that `A100` still finds an overridden `NVIDIA A100 SXM4 40GB`.
template <class Row, class Key>
void upsert(std::vector<Row>& rows, const Row& row, Key key) {
  const std::string k = key(row);
  for (auto& r : rows) {
    if (key(r) == k) {
      const Row old = r;
      r = row;
      if constexpr (HasAliases<Row>) {
        if (r.aliases.empty()) r.aliases = old.aliases;
      }
      return;
    }
  }
  rows.push_back(row);
}

/// "Did you mean" costs about 2 ms per unknown name (edit distance to every name). A batch whose
/// model or region column holds something else entirely (job ids, say) would spend an hour on a
/// million rows: past this many unknown names in one run, errors come without suggestions.
constexpr int kMaxSuggestionSearches = 1000;

/// Whether another suggestion search fits in the budget counted by `searches`.
bool may_suggest(std::atomic<int>& searches) {
  return searches.fetch_add(1, std::memory_order_relaxed) < kMaxSuggestionSearches;
}

template <class Row, class Name>
Error unknown(std::string_view what, std::string_view query, const std::vector<Row>& rows, Name name,
              std::string_view hint, bool suggest) {
  std::vector<std::string_view> names;
  if (suggest) {
    names.reserve(rows.size());
    for (const auto& r : rows) names.push_back(name(r));
  }
  Error e = Error::usage("");
  if (suggest) e.suggestions = closest_names(query, names, 5);
  std::string msg = fmt::format("unknown {} {}", what, quote_for_message(query));
  if (!e.suggestions.empty()) {
    msg += "; did you mean ";
    for (std::size_t i = 0; i < e.suggestions.size(); ++i)
      msg += fmt::format("{}\"{}\"", i == 0 ? "" : i + 1 == e.suggestions.size() ? " or " : ", ", e.suggestions[i]);
    msg += "?";
  }
  msg += fmt::format(" ({})", hint);
  e.message = std::move(msg);
  return e;
}

}  // namespace

struct Dataset::Impl {
  // The built-in rows, then user rows added or replacing them.
  detail::Rows rows;
  std::vector<std::unique_ptr<detail::TableSet>> user;  // storage of user rows' strings
  std::vector<std::string> user_files;

  // Indexes, built on first lookup (thread-safe) and replaced when rows change.
  struct Indexes {
    std::once_flag cpu_once, gpu_once, region_once, provider_once;
    Index cpu, gpu, region, provider;
    std::atomic<int> cpu_lookups{0}, gpu_lookups{0};
    std::atomic<int> suggestion_searches{0};  ///< unknown names answered so far (kMaxSuggestionSearches)
  };
  std::unique_ptr<Indexes> idx = std::make_unique<Indexes>();

  template <class Row>
  static void build_model_index(Index& index, const std::vector<Row>& rows) {
    index.map.reserve(rows.size() * 2);
    std::unordered_map<std::string_view, std::string> vendors;  // raw vendor -> normalized
    for (std::size_t i = 0; i < rows.size(); ++i) {
      const std::string_view key = rows[i].key;
      index_key(index, key, i, true);
      // The name without its vendor: "xeon gold 6248" for "Intel Xeon Gold 6248".
      auto v = vendors.find(rows[i].vendor);
      if (v == vendors.end()) v = vendors.emplace(rows[i].vendor, normalize_name(rows[i].vendor)).first;
      const std::string& vendor = v->second;
      if (!vendor.empty() && key.size() > vendor.size() && key.starts_with(vendor) && key[vendor.size()] == ' ')
        index_key(index, key.substr(vendor.size() + 1), i, false);
      for_each_alias(rows[i].aliases,
                     [&](std::string_view a) { index_key(index, index.keep(normalize_name(a)), i, false); });
    }
  }
};

Dataset::Dataset() : impl_(std::make_unique<Impl>()) {
  auto& d = *impl_;
  d.rows.cpus.assign(builtin::cpus.begin(), builtin::cpus.end());
  d.rows.gpus.assign(builtin::gpus.begin(), builtin::gpus.end());
  d.rows.regions.assign(builtin::regions.begin(), builtin::regions.end());
  d.rows.cloud_regions.assign(builtin::cloud_regions.begin(), builtin::cloud_regions.end());
  d.rows.providers.assign(builtin::providers.begin(), builtin::providers.end());
  d.rows.equivalences.assign(builtin::equivalences.begin(), builtin::equivalences.end());
  d.rows.constants.assign(builtin::constants.begin(), builtin::constants.end());
}

Dataset::~Dataset() = default;
Dataset::Dataset(Dataset&&) noexcept = default;
Dataset& Dataset::operator=(Dataset&&) noexcept = default;

Result<Dataset> Dataset::load(const std::vector<std::string>& paths) {
  Dataset d;
  for (const auto& p : paths) {
    if (p.empty()) continue;
    if (auto err = d.add_file(p)) return *err;
  }
  return d;
}

Status Dataset::add_file(const std::string& path) {
  auto text = read_text_file(path);
  if (!text) return text.error();
  if (trim(*text).empty())  // a truncated file must not quietly leave the built-in figures in place
    return Error::data(
        fmt::format("{}: the file is empty: a data file is a JSON object of tables (see "
                    "docs/data-schema.md)",
                    path));
  auto st = add_json(*text, path);
  if (!st) impl_->user_files.push_back(path);
  return st;
}

Status Dataset::add_json(std::string_view text, std::string_view origin) {
  auto set = std::make_unique<detail::TableSet>();
  if (auto err = detail::parse_tables_json(text, origin, /*require_provenance=*/false, *set)) return err;
  auto& d = *impl_;
  detail::Rows& rows = d.rows;
  const detail::Rows& added = set->rows;
  auto has_region = [&](const std::vector<Region>& regions, std::string_view code) {
    return std::any_of(regions.begin(), regions.end(), [&](const Region& r) { return r.code == code; });
  };
  for (const auto& c : added.cloud_regions) {
    // A user cloud region must point at a grid region that exists (built-in or in this file).
    if (!has_region(rows.regions, c.location) && !has_region(added.regions, c.location))
      return Error::data(
          fmt::format("{}: cloud region {}: location \"{}\" is not a region code (see co2e list regions)", origin,
                      c.code, c.location));
  }
  for (const auto& r : added.cpus) upsert(rows.cpus, r, [](const CpuModel& x) { return std::string(x.key); });
  for (const auto& r : added.gpus) upsert(rows.gpus, r, [](const GpuModel& x) { return std::string(x.key); });
  for (const auto& r : added.regions) upsert(rows.regions, r, [](const Region& x) { return normalize_name(x.code); });
  for (const auto& r : added.cloud_regions)
    upsert(rows.cloud_regions, r, [](const CloudRegion& x) { return normalize_name(x.code); });
  for (const auto& r : added.providers)
    upsert(rows.providers, r, [](const Provider& x) { return normalize_name(x.id); });
  for (const auto& r : added.equivalences)
    upsert(rows.equivalences, r, [](const Equivalence& x) { return normalize_name(x.id); });
  for (const auto& r : added.constants)
    upsert(rows.constants, r, [](const Constant& x) { return normalize_name(x.id); });
  d.user.push_back(std::move(set));
  d.idx = std::make_unique<Impl::Indexes>();
  return std::nullopt;
}

std::span<const CpuModel> Dataset::cpus() const { return impl_->rows.cpus; }
std::span<const GpuModel> Dataset::gpus() const { return impl_->rows.gpus; }
std::span<const Region> Dataset::regions() const { return impl_->rows.regions; }
std::span<const CloudRegion> Dataset::cloud_regions() const { return impl_->rows.cloud_regions; }
std::span<const Provider> Dataset::providers() const { return impl_->rows.providers; }
std::span<const Equivalence> Dataset::equivalences() const { return impl_->rows.equivalences; }
std::span<const Constant> Dataset::constants() const { return impl_->rows.constants; }
const std::vector<std::string>& Dataset::user_files() const { return impl_->user_files; }

namespace {

/// Whether `hay` contains `needle` as whole space-separated words.
bool contains_words(std::string_view hay, std::string_view needle) {
  for (auto pos = hay.find(needle); pos != std::string_view::npos; pos = hay.find(needle, pos + 1)) {
    const auto end = pos + needle.size();
    if ((pos == 0 || hay[pos - 1] == ' ') && (end == hay.size() || hay[end] == ' ')) return true;
  }
  return false;
}

/// The row whose key, key without vendor, or alias is `key`, by scanning: cheaper than building
/// the index for the one or two lookups of an `estimate`. Same answers as the index.
template <class Row>
std::size_t scan_exact(const std::vector<Row>& rows, std::string_view key) {
  for (std::size_t i = 0; i < rows.size(); ++i)
    if (rows[i].key == key) return i;
  std::size_t found = std::string_view::npos;
  auto claim = [&](std::size_t i) { found = found == std::string_view::npos || found == i ? i : kAmbiguous; };
  for (std::size_t i = 0; i < rows.size(); ++i) {
    const std::string_view k = rows[i].key;
    if (k.size() > key.size() + 1 && k.ends_with(key) && k[k.size() - key.size() - 1] == ' ' &&
        k.substr(0, k.size() - key.size() - 1) == normalize_name(rows[i].vendor))
      claim(i);
    for_each_alias(rows[i].aliases, [&](std::string_view a) {
      if (normalize_name(a) == key) claim(i);
    });
  }
  return found;
}

/// Exact key, then the only row whose key contains the query's words, else an error.
template <class Row>
Result<const Row*> find_model(const Index* idx, const std::vector<Row>& rows, std::string_view query,
                              std::string_view what, std::string_view hint, std::atomic<int>& searches) {
  const std::string key = normalize_name(query);
  if (key.empty()) return Error::usage(fmt::format("empty {} name ({})", what, hint));
  auto matched = [&](const Row& r, std::string_view how) {
    trace(TraceLevel::debug, "{} \"{}\" matched the row \"{}\" {} ({}, {}; {})", what, query, r.name, how,
          r.prov.source, r.prov.year, r.prov.origin);
    return &r;
  };
  auto exact = [&](std::size_t i) {
    return matched(rows[i],
                   rows[i].key == key ? "exactly (normalized name)" : "by an alias or the name without vendor");
  };
  if (idx != nullptr) {
    if (auto it = idx->find(key); it != idx->end() && it->second != kAmbiguous) return exact(it->second);
  } else if (const auto i = scan_exact(rows, key); i != std::string_view::npos && i != kAmbiguous) {
    return exact(i);
  }
  std::vector<const Row*> hits;
  for (const auto& r : rows) {
    if (contains_words(r.key, key)) hits.push_back(&r);
  }
  if (hits.size() == 1) return matched(*hits.front(), "by words (the only row whose name holds them all)");
  if (hits.size() > 1) {
    Error e = Error::usage("");
    std::string list;
    for (std::size_t i = 0; i < hits.size() && i < 6; ++i) {
      list += fmt::format("{}\"{}\"", i == 0 ? "" : ", ", hits[i]->name);
      e.suggestions.emplace_back(hits[i]->name);
    }
    if (hits.size() > 6) list += fmt::format(" and {} more", hits.size() - 6);
    e.message = fmt::format("{} {} is ambiguous: it matches {} ({})", what, quote_for_message(query), list, hint);
    return e;
  }
  return unknown(
      what, query, rows, [](const Row& r) { return r.name; }, hint, may_suggest(searches));
}

}  // namespace

Result<const CpuModel*> Dataset::find_cpu(std::string_view query) const {
  auto& d = *impl_;
  // The first few lookups scan; a caller that looks up many names (batch) gets an index.
  const Index* idx = nullptr;
  if (d.idx->cpu_lookups.fetch_add(1, std::memory_order_relaxed) >= kScanLookups) {
    std::call_once(d.idx->cpu_once, [&] { d.build_model_index(d.idx->cpu, d.rows.cpus); });
    idx = &d.idx->cpu;
  }
  return find_model(idx, d.rows.cpus, query, "CPU model",
                    "see `co2e list cpus --match TEXT`; or give watts per core with --core-power, or add the "
                    "model with --data FILE",
                    d.idx->suggestion_searches);
}

Result<const GpuModel*> Dataset::find_gpu(std::string_view query) const {
  auto& d = *impl_;
  const Index* idx = nullptr;
  if (d.idx->gpu_lookups.fetch_add(1, std::memory_order_relaxed) >= kScanLookups) {
    std::call_once(d.idx->gpu_once, [&] { d.build_model_index(d.idx->gpu, d.rows.gpus); });
    idx = &d.idx->gpu;
  }
  return find_model(idx, d.rows.gpus, query, "GPU model",
                    "see `co2e list gpus --match TEXT`; or give watts per GPU with --gpu-power, or add the "
                    "model with --data FILE",
                    d.idx->suggestion_searches);
}

Result<RegionMatch> Dataset::find_region(std::string_view query) const {
  auto& d = *impl_;
  // Index: grid regions by code, ISO3 and name (prefix "g"), cloud regions by full code ("c").
  std::call_once(d.idx->region_once, [&] {
    for (std::size_t i = 0; i < d.rows.regions.size(); ++i) {
      const auto& r = d.rows.regions[i];
      auto& idx = d.idx->region;
      index_key(idx, idx.keep("g" + upper(r.code)), i, true);
      if (!r.iso3.empty()) index_key(idx, idx.keep("g" + upper(r.iso3)), i, true);
      index_key(idx, idx.keep("n" + normalize_name(r.name)), i, r.kind != "subdivision");
    }
    for (std::size_t i = 0; i < d.rows.cloud_regions.size(); ++i) {
      const auto& c = d.rows.cloud_regions[i];
      auto& idx = d.idx->region;
      index_key(idx, idx.keep("c" + lower(c.code)), i, true);
      const auto colon = c.code.find(':');
      index_key(idx, idx.keep("b" + lower(c.code.substr(colon + 1))), i, false);
    }
  });
  const std::string_view q = trim(query);
  auto grid_by_code = [&](std::string_view code) -> const Region* {
    auto it = d.idx->region.find("g" + upper(code));
    return it == d.idx->region.end() || it->second == kAmbiguous ? nullptr : &d.rows.regions[it->second];
  };
  auto grid_match = [&](const Region& g, std::string_view how) {
    trace(TraceLevel::debug, "region \"{}\" matched {} ({}) {}: {} gCO2e/kWh ({}, {}; {})", query, g.code, g.name, how,
          g.intensity_g_per_kwh, g.prov.source, g.prov.year, g.prov.origin);
    return RegionMatch{&g, nullptr};
  };
  auto cloud_match = [&](std::size_t i, std::string_view how) -> Result<RegionMatch> {
    const auto& c = d.rows.cloud_regions[i];
    const Region* grid = grid_by_code(c.location);
    if (grid == nullptr)
      return Error::data(fmt::format("cloud region {} maps to unknown region \"{}\"", c.code, c.location));
    const RegionMatch m{grid, &c};
    trace(TraceLevel::debug, "region \"{}\" matched the cloud region {} {}, on the grid of {}: {} gCO2e/kWh ({}, {})",
          query, c.code, how, grid->code, m.intensity_g_per_kwh(), m.intensity_prov().source, m.intensity_prov().year);
    return m;
  };
  if (q.empty())
    return Error::usage(
        "empty region (give a country code such as FR, a subdivision such as US-CA, or a cloud region such as "
        "aws:eu-west-3)");
  std::string cloud_key = lower(q);
  if (auto slash = cloud_key.find('/'); slash != std::string::npos && cloud_key.find(':') == std::string::npos)
    cloud_key[slash] = ':';
  if (cloud_key.find(':') != std::string::npos) {
    if (auto it = d.idx->region.find("c" + cloud_key); it != d.idx->region.end() && it->second != kAmbiguous)
      return cloud_match(it->second, "by its code");
  } else {
    if (const Region* g = grid_by_code(q)) return grid_match(*g, "by code");
    // ISO 3166's "exceptionally reserved" codes people type: UK for GB, EL for GR (EU usage).
    if (upper(q) == "UK" || upper(q) == "EL") {
      trace(TraceLevel::debug, "region \"{}\": ISO 3166 reserves it for {}", q, upper(q) == "UK" ? "GB" : "GR");
      return find_region(upper(q) == "UK" ? "GB" : "GR");
    }
    if (auto it = d.idx->region.find("n" + normalize_name(q)); it != d.idx->region.end() && it->second != kAmbiguous)
      return grid_match(d.rows.regions[it->second], "by name");
    if (auto it = d.idx->region.find("b" + cloud_key); it != d.idx->region.end()) {
      if (it->second != kAmbiguous) return cloud_match(it->second, "by its name without provider (only one has it)");
      Error e =
          Error::usage(fmt::format("region \"{}\" is ambiguous: several cloud providers have it; prefix the provider, "
                                   "e.g. aws:{}, gcp:{} or azure:{}",
                                   q, q, q, q));
      return e;
    }
  }
  Error e = Error::usage("");
  if (may_suggest(d.idx->suggestion_searches)) {
    std::vector<std::string_view> names;
    for (const auto& r : d.rows.regions) names.push_back(r.code), names.push_back(r.name);
    for (const auto& c : d.rows.cloud_regions) names.push_back(c.code);
    e.suggestions = closest_names(q, names, 5);
  }
  std::string msg = fmt::format("unknown region {}", quote_for_message(q));
  if (!e.suggestions.empty()) {
    msg += "; did you mean ";
    for (std::size_t i = 0; i < e.suggestions.size(); ++i)
      msg += fmt::format("{}\"{}\"", i == 0 ? "" : i + 1 == e.suggestions.size() ? " or " : ", ", e.suggestions[i]);
    msg += "?";
  }
  msg +=
      " (accepted: ISO country code FR or FRA, country name, subdivision US-CA, eGRID subregion US-SRVC, group of "
      "countries EMBER-EU27 or WORLD, cloud region aws:eu-west-3, gcp:europe-west1, azure:francecentral; see `co2e "
      "list regions`, or give --intensity G)";
  e.message = std::move(msg);
  return e;
}

Result<const Provider*> Dataset::find_provider(std::string_view query) const {
  auto& d = *impl_;
  std::call_once(d.idx->provider_once, [&] {
    for (std::size_t i = 0; i < d.rows.providers.size(); ++i) {
      const auto& p = d.rows.providers[i];
      auto& idx = d.idx->provider;
      index_key(idx, idx.keep(normalize_name(p.id)), i, true);
      index_key(idx, idx.keep(normalize_name(p.name)), i, false);
      for_each_alias(p.aliases, [&](std::string_view a) { index_key(idx, idx.keep(normalize_name(a)), i, false); });
    }
  });
  if (auto it = d.idx->provider.find(normalize_name(query)); it != d.idx->provider.end() && it->second != kAmbiguous) {
    const Provider& p = d.rows.providers[it->second];
    trace(TraceLevel::debug, "provider \"{}\" matched {} ({}): PUE {} ({}, {})", query, p.id, p.name, p.pue,
          p.prov.source, p.prov.year);
    return &p;
  }
  return unknown(
      "provider", query, d.rows.providers, [](const Provider& p) { return p.id; },
      "see `co2e list providers`, or give --pue X", may_suggest(d.idx->suggestion_searches));
}

const Equivalence* Dataset::find_equivalence(std::string_view id) const {
  for (const auto& e : impl_->rows.equivalences)
    if (e.id == id) return &e;
  return nullptr;
}

const Constant* Dataset::find_constant(std::string_view id) const {
  for (const auto& c : impl_->rows.constants)
    if (c.id == id) return &c;
  return nullptr;
}

double Dataset::constant(DefaultConstant which) const {
  const std::string_view id = kDefaultConstantIds[static_cast<std::size_t>(which)];
  if (const Constant* c = find_constant(id)) return c->value;
  // A --data row replaces a built-in one by normalized id, so its spelling may differ.
  const std::string key = normalize_name(id);
  for (const auto& c : impl_->rows.constants)
    if (normalize_name(c.id) == key) return c.value;
  // Unreachable: co2e_gen_tables requires every DefaultConstant row. NaN makes any figure built
  // on it fail estimate()'s finiteness check instead of passing silently.
  return std::numeric_limits<double>::quiet_NaN();
}

std::string Dataset::version_summary() const { return std::string(builtin::summary); }

std::string_view data_release() { return builtin::data_release; }

}  // namespace co2e
