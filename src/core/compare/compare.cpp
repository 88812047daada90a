// co2e compare: builds the options (paired --option values × combinations of the fields given
// several values), estimates each with the same estimate() as `co2e estimate`, and ranks them.
#include <algorithm>
#include <cmath>
#include <string>

#include <fmt/format.h>
#include <fmt/ranges.h>

#include "co2e/compare.hpp"
#include "co2e/quote.hpp"
#include "co2e/units.hpp"

namespace co2e {

namespace {

std::string label_of(const std::vector<FieldValue>& values) {
  std::string out;
  for (const auto& [f, v] : values) out += fmt::format("{}{}={}", out.empty() ? "" : ", ", field_info(f).column, v);
  return out;
}

/// The error of `set_field` with the flag in front, as `co2e estimate` words it.
Error field_error(const Error& err, Field f, std::string_view where) {
  Error e = err;
  e.message = fmt::format("{}{}{}{}", where, field_info(f).flag, e.message.starts_with('"') ? " " : ": ", e.message);
  return e;
}

/// The axes with region patterns expanded (duplicates dropped, first kept) and every value parsed once,
/// so that a bad value is reported before any option is estimated.
Result<std::vector<CompareAxis>> expand_axes(const std::vector<CompareAxis>& axes, const Dataset& data) {
  std::vector<CompareAxis> out;
  for (const auto& axis : axes) {
    CompareAxis a{axis.field, {}};
    for (const auto& v : axis.values) {
      std::vector<std::string> names{v};
      if (axis.field == Field::region) {
        auto expanded = expand_region(v, data);
        if (!expanded) return field_error(expanded.error(), Field::region, "");
        names = std::move(*expanded);
      }
      for (auto& n : names) {
        EstimateSpec scratch;
        if (auto err = set_field(scratch, axis.field, n)) return field_error(*err, axis.field, "");
        if (std::find(a.values.begin(), a.values.end(), n) == a.values.end()) a.values.push_back(std::move(n));
      }
    }
    if (a.values.empty()) return Error::usage(fmt::format("{}: no value given", field_info(axis.field).flag));
    out.push_back(std::move(a));
  }
  return out;
}

/// An unknown key or column: the closest names first ("did you mean"), then every accepted one.
Error unknown_name(std::string head, std::string_view name, const std::vector<std::string_view>& accepted,
                   std::string_view what) {
  Error e = Error::usage(std::move(head));
  // Typing slips only (a third of the letters at most): a far "suggestion" would mislead.
  const std::size_t slips = std::max<std::size_t>(1, name.size() / 3);
  for (auto& s : closest_names(name, accepted, 3))
    if (edit_distance(name, s, slips) <= slips) e.suggestions.push_back(std::move(s));
  // A plain loop, not std::views::transform: Clang 14 cannot use libstdc++ 12's ranges.
  std::string quoted;
  for (const auto& s : e.suggestions) quoted += fmt::format("{}\"{}\"", quoted.empty() ? "" : ", ", s);
  if (!e.suggestions.empty()) e.message += fmt::format("; did you mean {}?", quoted);
  e.message += fmt::format("; {}: {}", what, fmt::join(accepted, ", "));
  return e;
}

Status check_paired(const CompareSpec& spec, const std::vector<CompareAxis>& axes) {
  for (std::size_t i = 0; i < spec.paired.size(); ++i) {
    for (const auto& [f, v] : spec.paired[i]) {
      const std::string where = fmt::format("--option {}: ", i + 1);
      EstimateSpec scratch;
      if (auto err = set_field(scratch, f, v)) return field_error(*err, f, where);
      for (const auto& a : axes)
        if (a.field == f && a.values.size() > 1)
          return Error::usage(fmt::format("{} has several values and --option {} sets {} too: give it in one place",
                                          field_info(f).flag, i + 1, field_info(f).column));
    }
  }
  return std::nullopt;
}

/// The number of options, or an Error past kMaxCompareOptions.
Result<std::size_t> count_options(const CompareSpec& spec, const std::vector<CompareAxis>& axes) {
  double n = static_cast<double>(std::max<std::size_t>(1, spec.paired.size()));
  for (const auto& a : axes) n *= static_cast<double>(a.values.size());
  if (n > static_cast<double>(kMaxCompareOptions))
    return Error::usage(
        fmt::format("{:.0f} options to compare: more than the {} co2e compares at once; give fewer "
                    "values or a narrower --region pattern",
                    n, kMaxCompareOptions));
  return static_cast<std::size_t>(n);
}

void rank_and_save(CompareResult& r) {
  const CompareOption& base =
      *std::find_if(r.options.begin(), r.options.end(), [&](const CompareOption& o) { return o.index == r.baseline; });
  const double base_kg = base.result.co2e_kg;
  for (auto& o : r.options) {
    o.saving_kg = base_kg - o.result.co2e_kg;
    if (base_kg > 0) o.saving_pct = 100 * o.saving_kg / base_kg;
  }
  std::stable_sort(r.options.begin(), r.options.end(),
                   [](const CompareOption& a, const CompareOption& b) { return a.result.co2e_kg < b.result.co2e_kg; });
  for (std::size_t i = 0; i < r.options.size(); ++i) r.options[i].rank = i + 1;
  // Which options cannot be told from the best within the stated input ranges (issue 17): their
  // CO2e bounds intersect the best option's.
  if (r.options.empty() || !r.options.front().result.range) return;
  const Bounds best = r.options.front().result.range->co2e_kg;
  for (auto& o : r.options)
    if (o.result.range)
      o.overlaps_best = o.result.range->co2e_kg.low <= best.high && best.low <= o.result.range->co2e_kg.high;
}

/// Each option's label: the fields whose value is not the same in every option.
void set_varying(CompareResult& r) {
  for (const auto& fi : estimate_fields()) {
    const std::string* first = nullptr;
    bool differs = false, first_seen = false;
    for (const auto& o : r.options) {
      const std::string* v = nullptr;
      for (const auto& [f, value] : o.inputs)
        if (f == fi.field) v = &value;
      if (!first_seen) first = v, first_seen = true;
      differs = differs || (v == nullptr) != (first == nullptr) || (v != nullptr && *v != *first);
    }
    if (!differs) continue;
    for (auto& o : r.options)
      for (const auto& fv : o.inputs)
        if (fv.first == fi.field) o.varying.push_back(fv);
  }
}

/// The series each option's region takes: a region's own (a cloud region's before its grid's),
/// else the one given without a region. Null: the annual factor.
const RegionSeries* series_for(const EstimateResult& e,
                               const std::vector<std::pair<RegionMatch, const RegionSeries*>>& keyed,
                               const RegionSeries* any) {
  if (e.region) {
    for (const auto& [m, s] : keyed)
      if (m.cloud != nullptr && m.cloud == e.region->cloud) return s;
    for (const auto& [m, s] : keyed)
      if (m.cloud == nullptr && m.grid == e.region->grid) return s;
  }
  return any;
}

/// --start: weighs each option by the series of its region (estimate --start's
/// apply_intensity_series), and says which series went unused.
Status apply_series(const CompareSpec& spec, const Dataset& data, CompareResult& r) {
  std::vector<std::pair<RegionMatch, const RegionSeries*>> keyed;
  const RegionSeries* any = nullptr;
  for (const auto& s : spec.series) {
    if (s.region.empty()) {
      any = &s;
      continue;
    }
    auto m = data.find_region(s.region);
    if (!m) return m.error().with_context(fmt::format("--intensity-series {}={}", s.region, s.name));
    keyed.emplace_back(*m, &s);
  }
  if (any != nullptr) {
    // One series for options in different grids would weigh a grid by another's hours.
    std::vector<const Region*> grids;
    for (const auto& o : r.options)
      if (o.result.region && series_for(o.result, keyed, nullptr) == nullptr &&
          std::find(grids.begin(), grids.end(), o.result.region->grid) == grids.end())
        grids.push_back(o.result.region->grid);
    if (grids.size() > 1)
      return Error::usage(fmt::format(
          "--intensity-series {}: a series without REGION= weighs every option, but the options lie in {} grid "
          "regions ({}, ...): give each its own, e.g. --intensity-series {}={}",
          quote_for_message(any->name), grids.size(), grids[0]->code, grids[1]->code, grids[0]->code, any->name));
  }
  std::vector<bool> used(spec.series.size(), false);
  for (auto& o : r.options) {
    const RegionSeries* s = series_for(o.result, keyed, any);
    if (s == nullptr) continue;
    if (auto err = apply_intensity_series(o.result, *s->series, *spec.start))
      return err->with_context(fmt::format("option {} ({}) with --start and --intensity-series {}", o.index,
                                           escape_for_message(label_of(o.varying.empty() ? o.inputs : o.varying), 200),
                                           s->name));
    o.series = s->name;
    used[static_cast<std::size_t>(s - spec.series.data())] = true;
  }
  for (std::size_t i = 0; i < spec.series.size(); ++i)
    if (!used[i])
      r.warnings.push_back(fmt::format("--intensity-series {}{}: no option is in that region; it was not used",
                                       spec.series[i].region.empty() ? "" : spec.series[i].region + "=",
                                       spec.series[i].name));
  return std::nullopt;
}

}  // namespace

Result<std::vector<std::string>> split_values(std::string_view text) {
  std::vector<std::string> out;
  const std::string_view whole = text;
  while (true) {
    const auto comma = text.find(',');
    const std::string_view v = trim(text.substr(0, comma));
    if (v.empty())
      return Error::usage(fmt::format("{}: empty value in a comma-separated list", quote_for_message(whole)));
    out.emplace_back(v);
    if (comma == std::string_view::npos) break;
    text.remove_prefix(comma + 1);
  }
  return out;
}

Result<std::vector<FieldValue>> parse_paired_option(std::string_view text) {
  std::vector<FieldValue> out;
  auto parts = split_values(text);
  if (!parts) return parts.error().with_context("--option");
  for (const auto& p : *parts) {
    const auto eq = p.find('=');
    if (eq == std::string::npos)
      return Error::usage(fmt::format("--option {}: {} is not KEY=VALUE (e.g. gpu=A100,gpus=8,runtime=100h)",
                                      quote_for_message(text), quote_for_message(p)));
    const std::string_view key = trim(std::string_view(p).substr(0, eq));
    const std::string_view value = trim(std::string_view(p).substr(eq + 1));
    const auto f = field_from_name(key);
    if (!f) {
      std::vector<std::string_view> columns;
      for (const auto& fi : estimate_fields()) columns.push_back(fi.column);
      return unknown_name(fmt::format("--option: unknown key {}", quote_for_message(key)), key, columns,
                          "the keys are the estimate columns");
    }
    if (value.empty()) return Error::usage(fmt::format("--option: {} has an empty value", field_info(*f).column));
    if (std::any_of(out.begin(), out.end(), [&](const FieldValue& fv) { return fv.first == *f; }))
      return Error::usage(
          fmt::format("--option {}: {} is given twice", quote_for_message(text), field_info(*f).column));
    out.emplace_back(*f, std::string(value));
  }
  std::sort(out.begin(), out.end(), [](const FieldValue& a, const FieldValue& b) { return a.first < b.first; });
  return out;
}

Result<std::vector<std::vector<FieldValue>>> options_from_table(const InputTable& table, std::string_view file,
                                                                std::vector<std::string>& names) {
  std::vector<std::optional<Field>> fields;
  std::optional<std::size_t> name_column;
  for (std::size_t c = 0; c < table.header.size(); ++c) {
    const std::string_view h = trim(table.header[c]);
    if (h == "name") {
      name_column = c;
      fields.emplace_back();
      continue;
    }
    const auto f = field_from_name(h);
    if (!f) {
      std::vector<std::string_view> columns{"name"};
      for (const auto& fi : estimate_fields()) columns.push_back(fi.column);
      return unknown_name(fmt::format("{}: unknown column {}", file, quote_for_message(h)), h, columns,
                          "the columns are name and the estimate columns");
    }
    fields.emplace_back(*f);
  }
  std::vector<std::vector<FieldValue>> out;
  names.clear();
  for (std::size_t r = 0; r < table.rows.size(); ++r) {
    std::vector<FieldValue> option;
    for (std::size_t c = 0; c < fields.size() && c < table.rows[r].size(); ++c) {
      const std::string_view v = trim(table.rows[r][c]);
      if (fields[c] && !v.empty()) option.emplace_back(*fields[c], std::string(v));
    }
    if (option.empty()) return Error::usage(fmt::format("{}: row {}: no value in any estimate column", file, r + 1));
    std::sort(option.begin(), option.end(), [](const FieldValue& a, const FieldValue& b) { return a.first < b.first; });
    out.push_back(std::move(option));
    names.emplace_back(name_column ? std::string(trim(table.rows[r][*name_column])) : std::string());
  }
  if (out.empty()) return Error::usage(fmt::format("{}: no rows after the header: no option to compare", file));
  return out;
}

namespace {

/// Estimates one option from its inputs; an error names it by `varying` (else all its inputs).
Status estimate_option(CompareOption& o, const std::vector<FieldValue>& varying, const Dataset& data,
                       LookupCache& cache, bool no_range) {
  EstimateSpec es;
  es.no_range = no_range;
  for (const auto& [f, v] : o.inputs)
    if (auto err = set_field(es, f, v)) return field_error(*err, f, "");  // parsed once already: not reached
  auto est = estimate(es, data, &cache);
  if (!est) {
    const std::string what =
        o.index == kCurrentOption ? std::string("the current option") : fmt::format("option {}", o.index);
    return est.error().with_context(
        fmt::format("{} ({})", what, escape_for_message(label_of(varying.empty() ? o.inputs : varying), 200)));
  }
  o.result = *est;
  return std::nullopt;
}

/// The current option: the plain flags alone, when each gives one value and --option values
/// override some (without --option, option 1 is the plain flags). Its index is kCurrentOption,
/// or the given option it equals; nullopt when the flags are not a whole job.
Result<std::optional<std::size_t>> add_current(const CompareSpec& spec, const std::vector<CompareAxis>& axes,
                                               const Dataset& data, LookupCache& cache, CompareResult& r) {
  const bool wanted = spec.baseline == kCurrentOption;
  for (const auto& a : axes)
    if (a.values.size() > 1) {
      if (!wanted) return std::optional<std::size_t>();
      return Error::usage(fmt::format(
          "--baseline current: {} has several values ({}), so the plain flags name no single current option; give "
          "--baseline N",
          field_info(a.field).flag, escape_for_message(fmt::format("{}", fmt::join(a.values, ", ")), 120)));
    }
  if (spec.paired.empty()) return std::optional<std::size_t>(1);
  CompareOption o;
  o.index = kCurrentOption;
  for (const auto& a : axes) o.inputs.emplace_back(a.field, a.values.front());
  for (const auto& given : r.options)
    if (given.inputs == o.inputs) return std::optional<std::size_t>(given.index);
  if (auto err = estimate_option(o, {}, data, cache, spec.no_range)) {
    if (!wanted) return std::optional<std::size_t>();  // e.g. --region FR alone: no job to compare against
    return err->with_context("--baseline current: the plain flags alone are not a whole job");
  }
  r.options.insert(r.options.begin(), std::move(o));  // first: a tie keeps it before the others
  return std::optional<std::size_t>(kCurrentOption);
}

}  // namespace

Result<CompareResult> compare(const CompareSpec& spec, const Dataset& data) {
  auto axes = expand_axes(spec.axes, data);
  if (!axes) return axes.error();
  if (auto err = check_paired(spec, *axes)) return *err;
  auto n = count_options(spec, *axes);
  if (!n) return n.error();
  if (spec.baseline && *spec.baseline != kCurrentOption && *spec.baseline > *n)
    return Error::usage(fmt::format("--baseline {}: there {} {} option{} (give 1 to {}, or current)", *spec.baseline,
                                    *n == 1 ? "is" : "are", *n, *n == 1 ? "" : "s", *n));
  if (spec.start.has_value() == spec.series.empty())
    return Error::usage(spec.start ? "--start needs --intensity-series [REGION=]FILE: the grid's intensity over time"
                                   : "--intensity-series needs --start TIME: when the job starts");

  CompareResult r;
  r.per = spec.per;
  r.start = spec.start;
  r.options.reserve(*n + 1);
  LookupCache cache(data);
  const std::vector<FieldValue> none;
  const std::size_t pairs = std::max<std::size_t>(1, spec.paired.size());
  std::vector<std::size_t> at(axes->size(), 0);  // the odometer over the axes
  for (std::size_t p = 0; p < pairs; ++p) {
    const auto& paired = spec.paired.empty() ? none : spec.paired[p];
    std::fill(at.begin(), at.end(), 0);
    while (true) {
      CompareOption o;
      o.index = r.options.size() + 1;
      if (p < spec.paired_names.size()) o.name = spec.paired_names[p];
      std::vector<FieldValue> varying;  // for an error's label: the values that make this option
      for (std::size_t i = 0; i < axes->size(); ++i) {
        const auto& a = (*axes)[i];
        if (std::none_of(paired.begin(), paired.end(), [&](const FieldValue& fv) { return fv.first == a.field; }))
          o.inputs.emplace_back(a.field, a.values[at[i]]);
        if (a.values.size() > 1) varying.emplace_back(a.field, a.values[at[i]]);
      }
      o.inputs.insert(o.inputs.end(), paired.begin(), paired.end());
      if (spec.paired.size() > 1) varying.insert(varying.end(), paired.begin(), paired.end());
      std::stable_sort(o.inputs.begin(), o.inputs.end(),
                       [](const auto& a, const auto& b) { return a.first < b.first; });
      std::stable_sort(varying.begin(), varying.end(), [](const auto& a, const auto& b) { return a.first < b.first; });
      if (auto err = estimate_option(o, varying, data, cache, spec.no_range)) return *err;
      r.options.push_back(std::move(o));
      // Next combination: the last axis varies fastest.
      std::size_t i = axes->size();
      while (i > 0 && ++at[i - 1] == (*axes)[i - 1].values.size()) at[--i] = 0;
      if (i == 0) break;
    }
  }
  auto current = add_current(spec, *axes, data, cache, r);
  if (!current) return current.error();
  r.current = *current;
  r.baseline = !spec.baseline ? r.current.value_or(1) : *spec.baseline == kCurrentOption ? *r.current : *spec.baseline;
  set_varying(r);
  if (spec.start)
    if (auto err = apply_series(spec, data, r)) return *err;
  rank_and_save(r);
  return r;
}

}  // namespace co2e
