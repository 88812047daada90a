// Dataset: built-in rows plus user rows, and the lookups by name.
#include <algorithm>
#include <atomic>
#include <cctype>
#include <deque>
#include <functional>
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
              std::string_view hint, bool suggest, std::vector<std::string> first = {}) {
  std::vector<std::string_view> names;
  if (suggest) {
    names.reserve(rows.size());
    for (const auto& r : rows) names.push_back(name(r));
  }
  Error e = Error::usage("");
  if (suggest) {
    // `first`: rows the caller knows to be nearest (a look-alike spelling), then the closest.
    e.suggestions = std::move(first);
    for (auto& s : closest_names(query, names, 5))
      if (e.suggestions.size() < 5 && std::find(e.suggestions.begin(), e.suggestions.end(), s) == e.suggestions.end())
        e.suggestions.push_back(std::move(s));
  }
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

/// A row's name or alias as relaxed_name() gives it, for the second pass of find_model.
struct RelaxedName {
  std::string words;    ///< "a100 sxm4 40gb"
  std::string compact;  ///< "a100sxm440gb"
  std::size_t row = 0;
  bool is_key = false;  ///< the row's own name, not an alias
};

template <class Row>
std::vector<RelaxedName> build_relaxed(const std::vector<Row>& rows) {
  std::vector<RelaxedName> out;
  out.reserve(rows.size() * 2);
  for (std::size_t i = 0; i < rows.size(); ++i) {
    auto add = [&](std::string_view key, bool is_key) {
      std::string words = relaxed_name(key);
      if (words.empty()) return;
      std::string compact = compact_name(words);
      out.push_back({std::move(words), std::move(compact), i, is_key});
    };
    add(rows[i].key, true);
    for_each_alias(rows[i].aliases, [&](std::string_view a) { add(normalize_name(a), false); });
  }
  return out;
}

}  // namespace

struct Dataset::Impl {
  // The built-in rows, then user rows added or replacing them.
  detail::Rows rows;
  std::vector<std::unique_ptr<detail::TableSet>> user;  // storage of user rows' strings
  std::vector<std::string> user_files;

  // Indexes, built on first lookup (thread-safe) and replaced when rows change.
  struct Indexes {
    std::once_flag cpu_once, gpu_once, region_once, provider_once, cpu_relaxed_once, gpu_relaxed_once;
    Index cpu, gpu, region, provider;
    std::vector<RelaxedName> cpu_relaxed, gpu_relaxed;  ///< for names that miss the exact index
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
  d.rows.instances.assign(builtin::instances.begin(), builtin::instances.end());
  d.rows.embodied.assign(builtin::embodied.begin(), builtin::embodied.end());
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
  for (const auto& r : added.instances) upsert(rows.instances, r, [](const CloudInstance& x) { return lower(x.code); });
  for (const auto& r : added.embodied)
    upsert(rows.embodied, r, [](const EmbodiedItem& x) { return normalize_name(x.id); });
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
std::span<const CloudInstance> Dataset::instances() const { return impl_->rows.instances; }
std::span<const EmbodiedItem> Dataset::embodied() const { return impl_->rows.embodied; }
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

/// Whether every word of `needle` is a word of `hay`, in the same order, others allowed between:
/// "ryzen 7950x" in "ryzen 9 7950x".
bool has_words_in_order(std::string_view hay, std::string_view needle) {
  std::size_t from = 0;
  for (std::size_t i = 0; i < needle.size();) {
    std::size_t j = needle.find(' ', i);
    if (j == std::string_view::npos) j = needle.size();
    const std::string_view w = needle.substr(i, j - i);
    // "sxm" (as in "A100-SXM-80GB") stands for any SXM generation: sxm2, sxm4, sxm5.
    const bool any_sxm = w == "sxm";
    bool found = false;
    for (auto pos = hay.find(w, from); pos != std::string_view::npos; pos = hay.find(w, pos + 1)) {
      auto end = pos + w.size();
      if (any_sxm)
        while (end < hay.size() && std::isdigit(static_cast<unsigned char>(hay[end])) != 0) ++end;
      if ((pos == 0 || hay[pos - 1] == ' ') && (end == hay.size() || hay[end] == ' ')) {
        from = end;
        found = true;
        break;
      }
    }
    if (!found) return false;
    i = j + 1;
  }
  return true;
}

/// Whether `n`'s compact form ends with `compact` and that end starts at one of its words.
bool ends_at_word(const RelaxedName& n, std::string_view compact) {
  if (compact.empty() || compact.size() >= n.compact.size() || !n.compact.ends_with(compact)) return false;
  std::size_t letters = 0;  // letters of n.words before the word being looked at
  const std::size_t want = n.compact.size() - compact.size();
  for (std::size_t i = 0; i < n.words.size(); ++i) {
    if (letters == want && (i == 0 || n.words[i - 1] == ' ')) return true;
    if (letters > want) return false;
    if (n.words[i] != ' ') ++letters;
  }
  return false;
}

void sort_unique(std::vector<std::size_t>& v) {
  std::sort(v.begin(), v.end());
  v.erase(std::unique(v.begin(), v.end()), v.end());
}

/// The rows a name names once vendor and brand words, spaces and dashes no longer count (see
/// docs/cli.md, "How names are matched"): first the whole name; then, for GPUs, a memory size as a
/// variant selector; then the rows whose name holds the words together; then in order.
template <class Row>
std::vector<std::size_t> relaxed_candidates(const std::vector<Row>& rows, const std::vector<RelaxedName>& names,
                                            const std::string& words) {
  std::vector<std::size_t> hits;
  if (words.empty()) return hits;
  auto collect = [&](auto pred) {
    for (const auto& n : names)
      if (pred(n)) hits.push_back(n.row);
    sort_unique(hits);
  };
  const std::string compact = compact_name(words);
  collect([&](const RelaxedName& n) { return n.compact == compact; });
  if (!hits.empty()) return hits;
  // The end of a name from a word on, spaces ignored: "e5-2680v4" for "xeon e5 2680 v4".
  collect([&](const RelaxedName& n) { return ends_at_word(n, compact); });
  if (!hits.empty()) return hits;
  if constexpr (requires(Row r) { r.memory_gb; }) {
    // "rtx 4090 24gb", "a100 80g": the size picks among rows that differ by memory.
    std::string rest;
    std::optional<double> gb;
    for (std::size_t i = 0; i < words.size();) {
      std::size_t j = words.find(' ', i);
      if (j == std::string::npos) j = words.size();
      const std::string_view w = std::string_view(words).substr(i, j - i);
      if (auto m = memory_word_gb(w); m && !gb)
        gb = m;
      else
        rest += (rest.empty() ? "" : " ") + std::string(w);
      i = j + 1;
    }
    if (gb && !rest.empty()) {
      // The size as the table spells it ("a100 80gb" is an alias), then the rows it selects.
      const std::string spelled = compact_name(rest) + fmt::format("{:g}gb", *gb);
      collect([&](const RelaxedName& n) { return n.compact == spelled; });
      if (!hits.empty()) return hits;
      const std::string rest_compact = compact_name(rest);
      std::vector<std::size_t> named;
      for (const auto& n : names)
        if (n.compact == rest_compact || has_words_in_order(n.words, rest)) named.push_back(n.row);
      sort_unique(named);
      for (auto i : named)
        if (rows[i].memory_gb == *gb) hits.push_back(i);
      // The row the bare name gives (the table's default), when it has that size.
      for (const auto& n : names)
        if (n.compact == rest_compact && rows[n.row].memory_gb == *gb) return {n.row};
      if (!hits.empty()) return hits;  // else no row has that size: the passes below, then suggestions
    }
  }
  collect([&](const RelaxedName& n) { return contains_words(n.words, words); });
  if (!hits.empty()) return hits;
  collect([&](const RelaxedName& n) { return has_words_in_order(n.words, words); });
  return hits;
}

/// Exact key, then the relaxed passes (relaxed_candidates), else an error: ambiguous with the
/// candidates, or unknown with suggestions.
template <class Row, class Relaxed>
Result<const Row*> find_model(const Index* idx, const std::vector<Row>& rows, std::string_view query,
                              std::string_view what, std::string_view hint, std::atomic<int>& searches, Relaxed relaxed,
                              const std::function<std::string(std::string_view)>& instance_hint) {
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
  const std::vector<std::size_t> hits = relaxed_candidates(rows, relaxed(), relaxed_name(key));
  if (hits.size() == 1)
    return matched(rows[hits.front()],
                   "as the only row its relaxed form names (without vendor and brand words, by memory size, or by "
                   "words; docs/cli.md \"How names are matched\")");
  if (hits.size() > 1) {
    Error e = Error::usage("");
    std::string list;
    for (std::size_t i = 0; i < hits.size() && i < 6; ++i) {
      list += fmt::format("{}\"{}\"", i == 0 ? "" : ", ", rows[hits[i]].name);
      e.suggestions.emplace_back(rows[hits[i]].name);
    }
    if (hits.size() > 6) list += fmt::format(" and {} more", hits.size() - 6);
    e.message = fmt::format("{} {} is ambiguous: it matches {}; give the full name ({})", what,
                            quote_for_message(query), list, hint);
    return e;
  }
  // "H1OO": a name that, with look-alike letters read as digits, is a row's name or alias exactly.
  std::vector<std::string> first;
  const std::string rk = compact_name(relaxed_name(key));
  if (const std::string folded = look_alike_digits(rk); folded != rk) {
    for (const auto& n : relaxed())
      if (look_alike_digits(n.compact) == folded &&
          std::find(first.begin(), first.end(), rows[n.row].name) == first.end())
        first.emplace_back(rows[n.row].name);
  }
  Error e = unknown(
      what, query, rows, [](const Row& r) { return r.name; }, hint, may_suggest(searches), std::move(first));
  if (instance_hint) {
    // A cloud user names the instance, not the chip: say which flag takes it.
    if (auto code = instance_hint(query); !code.empty())
      e.message += fmt::format("; {} is a cloud instance type: give --instance {}", quote_for_message(query), code);
  }
  return e;
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
  auto relaxed = [&]() -> const std::vector<RelaxedName>& {
    std::call_once(d.idx->cpu_relaxed_once, [&] { d.idx->cpu_relaxed = build_relaxed(d.rows.cpus); });
    return d.idx->cpu_relaxed;
  };
  return find_model(idx, d.rows.cpus, query, "CPU model",
                    "see `co2e list cpus --match TEXT`; or give watts per core with --core-power, or add the "
                    "model with --data FILE",
                    d.idx->suggestion_searches, relaxed, [this](std::string_view q) { return instance_code(q); });
}

Result<const GpuModel*> Dataset::find_gpu(std::string_view query) const {
  auto& d = *impl_;
  const Index* idx = nullptr;
  if (d.idx->gpu_lookups.fetch_add(1, std::memory_order_relaxed) >= kScanLookups) {
    std::call_once(d.idx->gpu_once, [&] { d.build_model_index(d.idx->gpu, d.rows.gpus); });
    idx = &d.idx->gpu;
  }
  auto relaxed = [&]() -> const std::vector<RelaxedName>& {
    std::call_once(d.idx->gpu_relaxed_once, [&] { d.idx->gpu_relaxed = build_relaxed(d.rows.gpus); });
    return d.idx->gpu_relaxed;
  };
  return find_model(idx, d.rows.gpus, query, "GPU model",
                    "see `co2e list gpus --match TEXT`; or give watts per GPU with --gpu-power, or add the "
                    "model with --data FILE",
                    d.idx->suggestion_searches, relaxed, [this](std::string_view q) { return instance_code(q); });
}

std::vector<const CloudInstance*> Dataset::instance_hits(std::string_view query) const {
  const std::string q = lower(trim(query));
  // The provider prefix may be any name of the provider (`google:`); Azure's "Standard_" may be left out.
  std::string provider, type = q;
  if (const auto colon = q.find(':'); colon != std::string::npos) {
    auto p = find_provider(q.substr(0, colon));
    provider = p ? std::string((*p)->id) : q.substr(0, colon);
    type = q.substr(colon + 1);
  }
  auto bare = [](std::string_view t) { return t.starts_with("standard_") ? t.substr(9) : t; };
  std::vector<const CloudInstance*> hits;
  for (const auto& r : impl_->rows.instances) {
    if (!provider.empty() && provider != r.provider) continue;
    const std::string rtype = lower(r.code.substr(r.code.find(':') + 1));
    if (rtype == type || bare(rtype) == bare(type)) hits.push_back(&r);
  }
  return hits;
}

std::string Dataset::instance_code(std::string_view query) const {
  const auto hits = instance_hits(query);
  return hits.size() == 1 ? std::string(hits.front()->code) : std::string();
}

std::vector<const GpuModel*> Dataset::gpu_variants(std::string_view query, const GpuModel* chosen) const {
  std::vector<const GpuModel*> out;
  const std::string words = relaxed_name(normalize_name(query));
  if (words.empty() || chosen == nullptr) return out;
  // Scans the relaxed names built once (batch calls this for every row).
  auto& d = *impl_;
  std::call_once(d.idx->gpu_relaxed_once, [&] { d.idx->gpu_relaxed = build_relaxed(d.rows.gpus); });
  for (const auto& n : d.idx->gpu_relaxed) {
    const GpuModel* g = &d.rows.gpus[n.row];
    if (n.is_key && g != chosen && has_words_in_order(n.words, words)) out.push_back(g);
  }
  return out;
}

Result<const CloudInstance*> Dataset::find_instance(std::string_view query) const {
  const auto& rows = impl_->rows.instances;
  if (trim(query).empty())
    return Error::usage("empty instance type (give e.g. aws:p4d.24xlarge; see `co2e list instances`)");
  const auto hits = instance_hits(query);
  if (hits.size() == 1) {
    const CloudInstance& i = *hits.front();
    trace(TraceLevel::debug, "instance type \"{}\" matched {}: {} vCPUs, {} x {}, {} GB ({}, {})", query, i.code,
          i.vcpus, i.gpus, i.gpu, i.memory_gb, i.prov.source, i.prov.year);
    return &i;
  }
  if (hits.size() > 1) {
    std::string list;
    for (const auto* h : hits) list += fmt::format("{}{}", list.empty() ? "" : ", ", h->code);
    return Error::usage(
        fmt::format("instance type {} is ambiguous: {}; prefix the provider", quote_for_message(trim(query)), list));
  }
  return unknown(
      "instance type", trim(query), rows, [](const CloudInstance& r) { return r.code; },
      "accepted: aws:TYPE, gcp:TYPE, azure:TYPE; see `co2e list instances --match TEXT`, or give --cores, --cpu, "
      "--gpus, --gpu and --memory",
      may_suggest(impl_->idx->suggestion_searches));
}

namespace {

/// A name that two regions share (Georgia: the country GE and the US state US-GA): an error that
/// lists both with their codes. No default is picked, since their emission factors differ widely.
Error ambiguous_region_name(const std::vector<Region>& regions, std::string_view q) {
  const std::string key = normalize_name(q);
  Error e = Error::usage("");
  std::string list;
  for (const auto& r : regions) {
    if (normalize_name(r.name) != key) continue;
    const std::string what =
        r.kind == "subdivision" ? fmt::format("a subdivision of {}", r.country) : std::string(r.kind);
    list += fmt::format("{}{} ({}, {}, {:g} g/kWh)", list.empty() ? "" : " or ", r.code, r.name, what,
                        r.intensity_g_per_kwh);
    e.suggestions.emplace_back(r.code);
  }
  e.message = fmt::format("region {} is ambiguous: it names {}; give the code", quote_for_message(q), list);
  return e;
}

}  // namespace

Result<RegionMatch> Dataset::find_region(std::string_view query) const {
  auto& d = *impl_;
  // Index: grid regions by code, ISO3 and name (prefix "g"), cloud regions by full code ("c").
  std::call_once(d.idx->region_once, [&] {
    for (std::size_t i = 0; i < d.rows.regions.size(); ++i) {
      const auto& r = d.rows.regions[i];
      auto& idx = d.idx->region;
      index_key(idx, idx.keep("g" + upper(r.code)), i, true);
      if (!r.iso3.empty()) index_key(idx, idx.keep("g" + upper(r.iso3)), i, true);
      // Not primary: two regions with one name (Georgia) are ambiguous, whatever their kinds.
      index_key(idx, idx.keep("n" + normalize_name(r.name)), i, false);
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
    if (auto it = d.idx->region.find("n" + normalize_name(q)); it != d.idx->region.end()) {
      if (it->second != kAmbiguous) return grid_match(d.rows.regions[it->second], "by name");
      return ambiguous_region_name(d.rows.regions, q);
    }
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

Result<const EmbodiedItem*> Dataset::find_server(std::string_view query) const {
  const auto& rows = impl_->rows.embodied;
  const std::string key = normalize_name(query);
  constexpr std::string_view hint = "see `co2e list embodied`, or give --server-embodied KG";
  if (key.empty()) return Error::usage(fmt::format("empty server name ({})", hint));
  std::vector<EmbodiedItem> servers;  // a handful of rows: no index
  for (const auto& r : rows)
    if (r.kind == "server" || r.kind == "laptop") servers.push_back(r);
  auto same = [&](const EmbodiedItem& r) { return r.key == key || normalize_name(r.id) == key; };
  for (const auto& r : rows) {
    if (r.kind != "server" && r.kind != "laptop") continue;
    bool hit = same(r);
    for_each_alias(r.aliases, [&](std::string_view a) { hit = hit || normalize_name(a) == key; });
    if (hit) return &r;
  }
  const EmbodiedItem* found = nullptr;
  int hits = 0;
  for (const auto& r : rows)
    if ((r.kind == "server" || r.kind == "laptop") && contains_words(r.key, key)) found = &r, ++hits;
  if (hits == 1) return found;
  if (hits > 1)
    return Error::usage(
        fmt::format("server {} is ambiguous: it matches {} rows ({})", quote_for_message(query), hits, hint));
  return unknown(
      "server", query, servers, [](const EmbodiedItem& r) { return r.name; }, hint,
      may_suggest(impl_->idx->suggestion_searches));
}

const EmbodiedItem* Dataset::find_embodied(std::string_view kind, std::string_view model) const {
  const EmbodiedItem* fallback = nullptr;
  for (const auto& r : impl_->rows.embodied) {
    if (r.kind != kind) continue;
    bool named = false;
    if (!model.empty()) for_each_alias(r.applies_to, [&](std::string_view a) { named = named || a == model; });
    if (named) return &r;
    if (r.is_default && fallback == nullptr) fallback = &r;
  }
  return fallback;
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
