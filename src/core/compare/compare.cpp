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
  const CompareOption& base = r.options[r.baseline - 1];
  const double base_kg = base.result.co2e_kg;
  for (auto& o : r.options) {
    o.saving_kg = base_kg - o.result.co2e_kg;
    if (base_kg > 0) o.saving_pct = 100 * o.saving_kg / base_kg;
  }
  std::stable_sort(r.options.begin(), r.options.end(),
                   [](const CompareOption& a, const CompareOption& b) { return a.result.co2e_kg < b.result.co2e_kg; });
  for (std::size_t i = 0; i < r.options.size(); ++i) r.options[i].rank = i + 1;
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
      Error e = Error::usage(fmt::format("--option: unknown key {}; the keys are the estimate columns: {}",
                                         quote_for_message(key), fmt::join(columns, ", ")));
      e.suggestions = closest_names(key, columns, 3);
      return e;
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

Result<FunctionalUnit> parse_functional_unit(std::string_view count, std::string_view unit) {
  auto n = parse_number(count);
  if (!n || !std::isfinite(*n) || *n <= 0)
    return Error::usage(
        fmt::format("--per {}: the count must be a number above 0, e.g. --per 1e6 requests", quote_for_message(count)));
  unit = trim(unit);
  const bool ok = !unit.empty() && unit.size() <= 40 && std::all_of(unit.begin(), unit.end(), [](char c) {
    return std::isalnum(static_cast<unsigned char>(c)) != 0 || c == ' ' || c == '-' || c == '_' || c == '/' || c == '.';
  });
  if (!ok)
    return Error::usage(
        fmt::format("--per {} {}: the unit must be a word such as requests, tokens or epochs "
                    "(letters, digits, space, - _ / ., at most 40)",
                    quote_for_message(count), quote_for_message(unit)));
  return FunctionalUnit{*n, std::string(unit)};
}

Result<CompareResult> compare(const CompareSpec& spec, const Dataset& data) {
  auto axes = expand_axes(spec.axes, data);
  if (!axes) return axes.error();
  if (auto err = check_paired(spec, *axes)) return *err;
  auto n = count_options(spec, *axes);
  if (!n) return n.error();
  if (spec.baseline < 1 || spec.baseline > *n)
    return Error::usage(fmt::format("--baseline {}: there {} {} option{} (give 1 to {})", spec.baseline,
                                    *n == 1 ? "is" : "are", *n, *n == 1 ? "" : "s", *n));

  CompareResult r;
  r.baseline = spec.baseline;
  r.per = spec.per;
  r.options.reserve(*n);
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
      for (std::size_t i = 0; i < axes->size(); ++i) {
        const auto& a = (*axes)[i];
        if (std::none_of(paired.begin(), paired.end(), [&](const FieldValue& fv) { return fv.first == a.field; }))
          o.inputs.emplace_back(a.field, a.values[at[i]]);
        if (a.values.size() > 1) o.varying.emplace_back(a.field, a.values[at[i]]);
      }
      for (const auto& fv : paired) {
        o.inputs.push_back(fv);
        if (spec.paired.size() > 1) o.varying.push_back(fv);
      }
      std::stable_sort(o.inputs.begin(), o.inputs.end(),
                       [](const auto& a, const auto& b) { return a.first < b.first; });
      std::stable_sort(o.varying.begin(), o.varying.end(),
                       [](const auto& a, const auto& b) { return a.first < b.first; });
      EstimateSpec es;
      for (const auto& [f, v] : o.inputs)
        if (auto err = set_field(es, f, v)) return field_error(*err, f, "");  // parsed once already: not reached
      auto est = estimate(es, data, &cache);
      if (!est)
        return est.error().with_context(
            fmt::format("option {} ({})", o.index,
                        escape_for_message(o.varying.empty() ? label_of(o.inputs) : label_of(o.varying), 200)));
      o.result = *est;
      r.options.push_back(std::move(o));
      // Next combination: the last axis varies fastest.
      std::size_t i = axes->size();
      while (i > 0 && ++at[i - 1] == (*axes)[i - 1].values.size()) at[--i] = 0;
      if (i == 0) break;
    }
  }
  rank_and_save(r);
  return r;
}

}  // namespace co2e
