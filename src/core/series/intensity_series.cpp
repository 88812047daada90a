// Intensity series: ISO 8601 times, the three readers, and integration of a step function.
#include "co2e/intensity_series.hpp"
#include "co2e/quote.hpp"

#include <fmt/format.h>
#include <algorithm>
#include <cmath>
#include <iterator>
#include <nlohmann/json.hpp>

#include "co2e/files.hpp"
#include "co2e/units.hpp"
#include "util/json_error.hpp"

namespace co2e {

namespace {

using std::chrono::seconds;

bool is_digit(char c) { return c >= '0' && c <= '9'; }

std::string quote_text(std::string_view text) { return quote_for_message(text, 60); }

/// Reads exactly `n` digits at `pos`; false if they are not there.
bool digits(std::string_view s, std::size_t& pos, std::size_t n, int& out) {
  if (pos + n > s.size()) return false;
  out = 0;
  for (std::size_t i = 0; i < n; ++i) {
    if (!is_digit(s[pos + i])) return false;
    out = out * 10 + (s[pos + i] - '0');
  }
  pos += n;
  return true;
}

/// A parse error inside a file is a data error (exit 3), prefixed with where it is.
Error in_file(const Error& e, const std::string& where) {
  Error out = e.with_context(where);
  out.kind = ErrorKind::data;
  return out;
}

std::string hours(double s) { return format_sig(s / 3600.0, 4); }

std::string offset_text(int minutes) {
  const int a = std::abs(minutes);
  return fmt::format("{}{:02}:{:02}", minutes < 0 ? '-' : '+', a / 60, a % 60);
}

}  // namespace

Result<TimePoint> parse_timestamp(std::string_view text, bool assume_utc, int* offset_minutes) {
  const std::string_view s = trim(text);
  auto bad = [&](std::string_view why) {
    return Error::usage(fmt::format("{}: {}; expected ISO 8601 such as 2024-03-31T01:30:00Z or 2024-03-31T02:30+01:00",
                                    quote_text(s), why));
  };
  std::size_t p = 0;
  int y = 0, mo = 0, d = 0, h = 0, mi = 0, sec = 0;
  if (!digits(s, p, 4, y) || p >= s.size() || s[p++] != '-' || !digits(s, p, 2, mo) || p >= s.size() || s[p++] != '-' ||
      !digits(s, p, 2, d))
    return bad("not a date-time");
  if (p >= s.size() || (s[p] != 'T' && s[p] != 't' && s[p] != ' ')) return bad("a time of day is needed");
  ++p;
  if (!digits(s, p, 2, h) || p >= s.size() || s[p++] != ':' || !digits(s, p, 2, mi))
    return bad("not a time of day (HH:MM)");
  if (p < s.size() && s[p] == ':') {
    ++p;
    if (!digits(s, p, 2, sec)) return bad("bad seconds");
    if (p < s.size() && (s[p] == '.' || s[p] == ',')) {  // fractions of a second are dropped
      ++p;
      if (p >= s.size() || !is_digit(s[p])) return bad("bad fraction of a second");
      while (p < s.size() && is_digit(s[p])) ++p;
    }
  }
  const std::chrono::year_month_day ymd{std::chrono::year{y}, std::chrono::month{static_cast<unsigned>(mo)},
                                        std::chrono::day{static_cast<unsigned>(d)}};
  if (!ymd.ok()) return bad("no such date");
  if (h > 24 || mi > 59 || sec > 60 || (h == 24 && (mi != 0 || sec != 0))) return bad("no such time of day");
  if (sec == 60) sec = 59;  // a leap second: sys_time has none
  int offset = 0;
  if (p < s.size() && (s[p] == 'Z' || s[p] == 'z')) {
    ++p;
  } else if (p < s.size() && (s[p] == '+' || s[p] == '-')) {
    const int sign = s[p++] == '-' ? -1 : 1;
    int oh = 0, om = 0;
    if (!digits(s, p, 2, oh)) return bad("bad UTC offset");
    if (p < s.size() && s[p] == ':') ++p;
    if (p < s.size() && !digits(s, p, 2, om)) return bad("bad UTC offset");
    if (oh > 18 || om > 59) return bad("bad UTC offset");
    offset = sign * (oh * 60 + om);
  } else if (p == s.size()) {
    if (!assume_utc) return bad("no time zone: add Z (UTC) or an offset such as +01:00");
  }
  if (p != s.size()) return bad(fmt::format("unexpected {}", quote_text(s.substr(p))));
  if (offset_minutes != nullptr) *offset_minutes = offset;
  return TimePoint{std::chrono::sys_days{ymd}} + std::chrono::hours{h} + std::chrono::minutes{mi - offset} +
         seconds{sec};
}

std::string format_timestamp(TimePoint t) {
  const auto day = std::chrono::floor<std::chrono::days>(t);
  const std::chrono::year_month_day ymd{day};
  const std::chrono::hh_mm_ss hms{t - day};
  std::string s =
      fmt::format("{:04}-{:02}-{:02}T{:02}:{:02}", static_cast<int>(ymd.year()), static_cast<unsigned>(ymd.month()),
                  static_cast<unsigned>(ymd.day()), hms.hours().count(), hms.minutes().count());
  if (hms.seconds().count() != 0) s += fmt::format(":{:02}", hms.seconds().count());
  return s + "Z";
}

// ---------------------------------------------------------------------------------------------
// The step function

Result<IntensitySeries> IntensitySeries::from_intervals(std::vector<SeriesInterval> intervals) {
  IntensitySeries s;
  if (intervals.empty()) return Error::data("the series has no values");
  s.cum_integral_.reserve(intervals.size());
  s.cum_covered_.reserve(intervals.size());
  double integral = 0;
  std::int64_t covered = 0;
  for (std::size_t i = 0; i < intervals.size(); ++i) {
    const auto& v = intervals[i];
    if (v.end <= v.start) return Error::data(fmt::format("line {}: the interval ends before it starts", v.line));
    if (!std::isfinite(v.g_per_kwh) || v.g_per_kwh < 0)
      return Error::data(fmt::format("line {}: intensity {} is not a number ≥ 0", v.line, v.g_per_kwh));
    if (i > 0 && v.start < intervals[i - 1].end)
      return Error::data(fmt::format("line {}: {} overlaps the interval of line {} (to {})", v.line,
                                     format_timestamp(v.start), intervals[i - 1].line,
                                     format_timestamp(intervals[i - 1].end)));
    s.cum_integral_.push_back(integral);
    s.cum_covered_.push_back(covered);
    const auto len = (v.end - v.start).count();
    integral += v.g_per_kwh * static_cast<double>(len);
    covered += len;
  }
  s.iv_ = std::move(intervals);
  return s;
}

std::optional<double> IntensitySeries::at(TimePoint t) const {
  // The last interval starting at or before t.
  auto it =
      std::upper_bound(iv_.begin(), iv_.end(), t, [](TimePoint x, const SeriesInterval& v) { return x < v.start; });
  if (it == iv_.begin()) return std::nullopt;
  --it;
  if (t >= it->end) return std::nullopt;
  return it->g_per_kwh;
}

std::optional<MissingSpan> IntensitySeries::first_missing(TimePoint start, TimePoint end) const {
  if (iv_.empty()) return MissingSpan{start, end};
  auto it =
      std::upper_bound(iv_.begin(), iv_.end(), start, [](TimePoint x, const SeriesInterval& v) { return x < v.end; });
  TimePoint cur = start;
  for (; it != iv_.end() && cur < end; ++it) {
    if (it->start > cur) return MissingSpan{cur, std::min(it->start, end)};
    cur = std::min(it->end, end);
  }
  if (cur < end) return MissingSpan{cur, end};
  return std::nullopt;
}

Result<double> IntensitySeries::integrate(TimePoint start, TimePoint end) const {
  if (end < start)
    return Error::usage(
        fmt::format("the window {} to {} ends before it starts", format_timestamp(start), format_timestamp(end)));
  if (auto gap = first_missing(start, end)) {
    std::string where;
    if (iv_.empty())
      where = "the series is empty";
    else
      where = fmt::format("the series covers {} to {}{}", format_timestamp(begin()), format_timestamp(this->end()),
                          gap->start >= begin() && gap->end <= this->end() ? " with a gap there" : "");
    return Error::usage(fmt::format(
        "the window {} to {} is not covered by the intensity series: {} to {} is missing ({})", format_timestamp(start),
        format_timestamp(end), format_timestamp(gap->start), format_timestamp(gap->end), where));
  }
  std::size_t hint = 0;
  const auto a = cumulative(start, hint);
  const auto b = cumulative(end, hint);
  return (b.integral - a.integral) / 3600.0;
}

Result<double> IntensitySeries::average(TimePoint start, TimePoint end) const {
  if (start == end) {
    if (auto v = at(start)) return *v;
    return Error::usage(fmt::format("the intensity series has no value at {}", format_timestamp(start)));
  }
  auto r = integrate(start, end);
  if (!r) return r.error();
  return *r * 3600.0 / static_cast<double>((end - start).count());
}

Result<double> IntensitySeries::emissions_g(std::span<const EnergySample> samples) const {
  double g = 0;
  for (const auto& s : samples) {
    auto avg = average(s.start, s.end);
    if (!avg) return avg.error();
    g += s.energy_kwh * *avg;
  }
  return g;
}

IntensitySeries::Cumulative IntensitySeries::cumulative(TimePoint t, std::size_t& hint) const {
  if (iv_.empty() || t <= iv_.front().start) return {};
  // A few steps forward from the hint (sweeps), else a binary search (random access).
  std::size_t steps = 0;
  if (hint < iv_.size() && iv_[hint].start <= t)
    while (steps < 8 && hint + 1 < iv_.size() && iv_[hint + 1].start <= t) ++hint, ++steps;
  if (hint >= iv_.size() || iv_[hint].start > t || (hint + 1 < iv_.size() && iv_[hint + 1].start <= t)) {
    auto it =
        std::upper_bound(iv_.begin(), iv_.end(), t, [](TimePoint x, const SeriesInterval& v) { return x < v.start; });
    hint = static_cast<std::size_t>(it - iv_.begin()) - 1;  // t > front().start, so it != begin()
  }
  const auto& v = iv_[hint];
  const auto inside = (std::min(t, v.end) - v.start).count();
  return {cum_integral_[hint] + v.g_per_kwh * static_cast<double>(inside), cum_covered_[hint] + inside};
}

// ---------------------------------------------------------------------------------------------
// Readers

Result<IntensityKind> parse_intensity_kind(std::string_view text) {
  const std::string_view t = trim(text);
  if (t == "lca" || t == "LCA" || t == "life-cycle" || t == "lifecycle") return IntensityKind::lca;
  if (t == "direct") return IntensityKind::direct;
  return Error::usage(fmt::format("{}: expected lca (life-cycle, the default) or direct", quote_text(t)));
}

std::string_view series_format_name(SeriesFormat f) {
  switch (f) {
    case SeriesFormat::detect:
      return "detect";
    case SeriesFormat::plain_csv:
      return "csv";
    case SeriesFormat::electricity_maps:
      return "electricity-maps";
    case SeriesFormat::uk_grid_json:
      return "uk-grid-json";
  }
  return "csv";
}

namespace {

/// A timestamped value before it becomes an interval.
struct RawPoint {
  TimePoint t;
  std::optional<TimePoint> end;  ///< explicit end (UK API `to`); else the step decides
  double v = 0;
  std::size_t line = 0;
};

/// Splits one CSV record on commas, honouring RFC 4180 quotes (no line breaks inside fields).
std::vector<std::string> split_csv(std::string_view line) {
  std::vector<std::string> out(1);
  bool quoted_field = false;
  for (std::size_t i = 0; i < line.size(); ++i) {
    const char c = line[i];
    if (quoted_field) {
      if (c == '"' && i + 1 < line.size() && line[i + 1] == '"')
        out.back() += '"', ++i;
      else if (c == '"')
        quoted_field = false;
      else
        out.back() += c;
    } else if (c == '"') {
      quoted_field = true;
    } else if (c == ',') {
      out.emplace_back();
    } else {
      out.back() += c;
    }
  }
  return out;
}

std::string lower_ascii(std::string_view s) {
  std::string out(s);
  for (char& c : out) c = static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
  return out;
}

/// Sorts, removes duplicates, finds the step and gaps, and builds the series.
Result<LoadedSeries> finish(std::vector<RawPoint> pts, LoadedSeries out, const SeriesOptions& opt) {
  const std::string& name = opt.name;
  if (pts.empty()) return Error::data(fmt::format("{}: no values found", name));
  // Unsorted rows are sorted (with a note naming the first row out of order).
  for (std::size_t i = 1; i < pts.size(); ++i) {
    if (pts[i].t < pts[i - 1].t) {
      out.notes.push_back(
          {pts[i].line, fmt::format("{} is earlier than line {} ({}): rows are not in time order; sorted by time",
                                    format_timestamp(pts[i].t), pts[i - 1].line, format_timestamp(pts[i - 1].t))});
      std::stable_sort(pts.begin(), pts.end(), [](const RawPoint& a, const RawPoint& b) { return a.t < b.t; });
      break;
    }
  }
  // Duplicates: the same value twice is dropped with a note; two values for one time are an error.
  std::vector<RawPoint> uniq;
  uniq.reserve(pts.size());
  for (const auto& p : pts) {
    if (!uniq.empty() && uniq.back().t == p.t) {
      if (uniq.back().v != p.v)
        return Error::data(fmt::format(
            "{}:{}: {} is also on line {} with a different intensity ({} and {} gCO2e/kWh); "
            "keep one of them",
            name, p.line, format_timestamp(p.t), uniq.back().line, format_sig(uniq.back().v, 6), format_sig(p.v, 6)));
      out.notes.push_back({p.line, fmt::format("{} repeats line {}: the duplicate is ignored", format_timestamp(p.t),
                                               uniq.back().line)});
      continue;
    }
    uniq.push_back(p);
  }
  // The step: the median spacing (for rows without an explicit end).
  std::int64_t step = 0;
  if (uniq.size() >= 2) {
    std::vector<std::int64_t> d;
    d.reserve(uniq.size() - 1);
    for (std::size_t i = 1; i < uniq.size(); ++i) d.push_back((uniq[i].t - uniq[i - 1].t).count());
    std::nth_element(d.begin(), d.begin() + static_cast<std::ptrdiff_t>(d.size() / 2), d.end());
    step = d[d.size() / 2];
  }
  std::vector<SeriesInterval> iv;
  iv.reserve(uniq.size());
  for (std::size_t i = 0; i < uniq.size(); ++i) {
    const auto& p = uniq[i];
    TimePoint end{};
    if (p.end) {
      end = *p.end;
    } else {
      if (step == 0)
        return Error::data(
            fmt::format("{}: one row only: at least two are needed to know how long each value holds", name));
      end = p.t + seconds{step};
      if (i + 1 < uniq.size()) end = std::min(end, uniq[i + 1].t);
    }
    if (i + 1 < uniq.size() && end < uniq[i + 1].t)
      out.notes.push_back(
          {uniq[i + 1].line,
           fmt::format("gap: no data from {} to {} ({} h, between line {} and line {}); "
                       "windows that touch it are not used",
                       format_timestamp(end), format_timestamp(uniq[i + 1].t),
                       hours(static_cast<double>((uniq[i + 1].t - end).count())), p.line, uniq[i + 1].line)});
    if (i + 1 < uniq.size() && end > uniq[i + 1].t)
      return Error::data(fmt::format("{}:{}: the interval {} to {} overlaps the next one (line {}, from {})", name,
                                     p.line, format_timestamp(p.t), format_timestamp(end), uniq[i + 1].line,
                                     format_timestamp(uniq[i + 1].t)));
    iv.push_back({p.t, end, p.v, p.line});
  }
  auto s = IntensitySeries::from_intervals(std::move(iv));
  if (!s) return s.error().with_context(name);
  out.series = std::move(s).value();
  return out;
}

/// Plain CSV and Electricity Maps exports.
// long-function: one pass over the lines with the column detection of both formats (plain CSV,
// Electricity Maps exports) and a message naming the line for each bad value.
Result<LoadedSeries> read_csv(std::string_view text, const SeriesOptions& opt) {
  LoadedSeries out;
  const std::string& name = opt.name;
  std::size_t line_no = 0;
  std::size_t pos = 0;
  int ts_col = -1, v_col = -1, zone_col = -1;
  bool header_seen = false, utc_column = false;
  std::string zone;
  std::vector<RawPoint> pts;
  std::optional<int> last_offset;
  std::size_t last_offset_line = 0;
  while (pos < text.size()) {
    auto nl = text.find('\n', pos);
    if (nl == std::string_view::npos) nl = text.size();
    std::string_view line = text.substr(pos, nl - pos);
    pos = nl + 1;
    ++line_no;
    if (!line.empty() && line.back() == '\r') line.remove_suffix(1);
    if (line_no == 1 && line.starts_with("\xEF\xBB\xBF")) line.remove_prefix(3);
    if (trim(line).empty() || trim(line).starts_with('#')) continue;
    const auto f = split_csv(line);
    if (!header_seen) {
      header_seen = true;
      // A first row that starts with a time has no header: timestamp,intensity.
      if (parse_timestamp(f[0], true).ok()) {
        ts_col = 0, v_col = 1;
        out.format = SeriesFormat::plain_csv;
        out.column = "column 2";
      } else {
        for (std::size_t i = 0; i < f.size(); ++i) {
          const std::string h = lower_ascii(trim(f[i]));
          const auto col = static_cast<int>(i);
          if (h == "datetime (utc)")
            ts_col = col, utc_column = true, out.format = SeriesFormat::electricity_maps;
          else if (ts_col < 0 && (h == "timestamp" || h == "time" || h == "datetime" || h == "date" || h == "from"))
            ts_col = col;
          else if (h == "zone id")
            zone_col = col;
          else if (h.starts_with("carbon intensity gco")) {
            const bool direct = h.ends_with("(direct)");
            const bool lca =
                h.ends_with("(lca)") || h.ends_with("(life cycle assessment)") || h.ends_with("(life-cycle)");
            if ((opt.kind == IntensityKind::direct && direct) || (opt.kind == IntensityKind::lca && lca)) {
              v_col = col;
              out.column = std::string(trim(f[i]));
            }
          } else if (v_col < 0 && (h == "intensity_g_per_kwh" || h == "intensity" || h == "carbon_intensity" ||
                                   h == "g_per_kwh" || h == "gco2e_per_kwh" || h == "value")) {
            v_col = col;
            out.column = std::string(trim(f[i]));
          }
        }
        if (ts_col < 0)
          return Error::data(
              fmt::format("{}:{}: no time column: expected timestamp (plain CSV) or \"Datetime (UTC)\" "
                          "(Electricity Maps)",
                          name, line_no));
        if (v_col < 0) {
          if (out.format == SeriesFormat::electricity_maps)
            return Error::data(fmt::format(
                "{}:{}: no \"Carbon Intensity gCO₂eq/kWh ({})\" column (--intensity-kind {})", name, line_no,
                opt.kind == IntensityKind::lca ? "LCA" : "direct", opt.kind == IntensityKind::lca ? "lca" : "direct"));
          return Error::data(fmt::format("{}:{}: no intensity column: expected intensity_g_per_kwh", name, line_no));
        }
        continue;
      }
    }
    if (static_cast<int>(f.size()) <= std::max(ts_col, v_col))
      return Error::data(
          fmt::format("{}:{}: {} fields, expected at least {}", name, line_no, f.size(), std::max(ts_col, v_col) + 1));
    if (zone_col >= 0 && static_cast<int>(f.size()) > zone_col) {
      const std::string z(trim(f[static_cast<std::size_t>(zone_col)]));
      if (zone.empty())
        zone = z;
      else if (z != zone)
        return Error::data(fmt::format("{}:{}: zone {} after zone {}: one file, one zone (split the export)", name,
                                       line_no, quote_text(z), quote_text(zone)));
    }
    int offset = 0;
    auto t = parse_timestamp(f[static_cast<std::size_t>(ts_col)], utc_column, &offset);
    if (!t) return in_file(t.error(), fmt::format("{}:{}", name, line_no));
    const std::string_view vtext = trim(f[static_cast<std::size_t>(v_col)]);
    if (vtext.empty()) {
      out.notes.push_back(
          {line_no, fmt::format("no intensity at {}: the row is left out (a gap)", format_timestamp(*t))});
      continue;
    }
    auto v = parse_non_negative(vtext);
    if (!v) return in_file(v.error(), fmt::format("{}:{}: intensity", name, line_no));
    if (!utc_column) {
      if (last_offset && *last_offset != offset)
        out.notes.push_back(
            {line_no, fmt::format("the UTC offset changes from {} (line {}) to {}: a daylight-saving change? "
                                  "times are converted to UTC, so nothing is lost or counted twice",
                                  offset_text(*last_offset), last_offset_line, offset_text(offset))});
      last_offset = offset;
      last_offset_line = line_no;
    }
    pts.push_back({*t, std::nullopt, *v, line_no});
  }
  if (!header_seen) return Error::data(fmt::format("{}: the file is empty", name));
  return finish(std::move(pts), std::move(out), opt);
}

/// Line numbers of the `"from"` keys, in order: nlohmann::json keeps none, and errors need them.
std::vector<std::size_t> from_key_lines(std::string_view text) {
  std::vector<std::size_t> lines;
  std::size_t line = 1;
  for (std::size_t i = 0; i < text.size(); ++i) {
    if (text[i] == '\n')
      ++line;
    else if (text[i] == '"' && text.compare(i, 6, "\"from\"") == 0)
      lines.push_back(line);
  }
  return lines;
}

/// The UK National Grid carbon intensity API (api.carbonintensity.org.uk): `{"data": [{"from",
/// "to", "intensity": {"forecast", "actual", "index"}}]}`; regional answers nest one more `data`.
Result<LoadedSeries> read_uk_json(std::string_view text, const SeriesOptions& opt) {
  const std::string& name = opt.name;
  LoadedSeries out;
  out.format = SeriesFormat::uk_grid_json;
  nlohmann::json j;
  try {
    j = nlohmann::json::parse(text);
  } catch (const nlohmann::json::exception& e) {  // parse_error, and out_of_range for huge numbers
    return Error::data(json_error_message(name, e, text));
  }
  if (!j.is_object() || !j.contains("data") || !j["data"].is_array())
    return Error::data(fmt::format(
        "{}: expected the UK carbon intensity API's {{\"data\": [{{\"from\", \"to\", \"intensity\"}}]}}", name));
  const nlohmann::json* data = &j["data"];
  if (data->size() == 1 && (*data)[0].is_object() && (*data)[0].contains("data") && (*data)[0]["data"].is_array())
    data = &(*data)[0]["data"];  // a regional answer: one region
  const auto lines = from_key_lines(text);
  const bool lines_ok = lines.size() == data->size();
  std::vector<RawPoint> pts;
  pts.reserve(data->size());
  std::size_t forecasts = 0, actuals = 0;
  for (std::size_t i = 0; i < data->size(); ++i) {
    const auto& e = (*data)[i];
    const std::size_t line = lines_ok ? lines[i] : 0;
    const std::string where = lines_ok ? fmt::format("{}:{}", name, line) : fmt::format("{}: data[{}]", name, i);
    if (!e.is_object() || !e.contains("from") || !e.contains("to") || !e["from"].is_string() || !e["to"].is_string())
      return Error::data(fmt::format("{}: expected \"from\" and \"to\" times", where));
    auto from = parse_timestamp(e["from"].get<std::string>());
    if (!from) return in_file(from.error(), where + ": from");
    auto to = parse_timestamp(e["to"].get<std::string>());
    if (!to) return in_file(to.error(), where + ": to");
    if (*to <= *from)
      return Error::data(
          fmt::format("{}: \"to\" {} is not after \"from\" {}", where, format_timestamp(*to), format_timestamp(*from)));
    const auto* in = e.contains("intensity") && e["intensity"].is_object() ? &e["intensity"] : nullptr;
    double v = 0;
    if (in != nullptr && in->contains("actual") && (*in)["actual"].is_number()) {
      v = (*in)["actual"].get<double>();
      ++actuals;
    } else if (in != nullptr && in->contains("forecast") && (*in)["forecast"].is_number()) {
      v = (*in)["forecast"].get<double>();
      ++forecasts;
    } else {
      out.notes.push_back(
          {line, fmt::format("no actual or forecast intensity from {}: left out (a gap)", format_timestamp(*from))});
      continue;
    }
    if (v < 0) return Error::data(fmt::format("{}: intensity {} is negative", where, v));
    pts.push_back({*from, *to, v, line});
  }
  if (forecasts > 0 && actuals > 0)
    out.notes.push_back(
        {0, fmt::format("{} of {} values are forecasts (intensity.actual is null there), the others actual", forecasts,
                        forecasts + actuals)});
  else if (forecasts > 0)
    out.notes.push_back({0, "all values are forecasts (intensity.forecast): the API gave no actual figures"});
  out.column = forecasts == 0 ? "intensity.actual"
               : actuals == 0 ? "intensity.forecast"
                              : "intensity.actual, else intensity.forecast";
  return finish(std::move(pts), std::move(out), opt);
}

}  // namespace

Result<LoadedSeries> read_intensity_series(std::string_view text, const SeriesOptions& options) {
  SeriesFormat f = options.format;
  if (f == SeriesFormat::detect) {
    const auto first = text.find_first_not_of(" \t\r\n");
    f = first != std::string_view::npos && (text[first] == '{' || text[first] == '[') ? SeriesFormat::uk_grid_json
                                                                                      : SeriesFormat::plain_csv;
  }
  if (f == SeriesFormat::uk_grid_json) return read_uk_json(text, options);
  return read_csv(text, options);
}

Result<LoadedSeries> load_intensity_series(const std::string& path, SeriesOptions options) {
  auto text = read_text_file(path);
  if (!text) return text.error();
  options.name = path;
  return read_intensity_series(*text, options);
}

Status apply_intensity_series(EstimateResult& r, const IntensitySeries& series, TimePoint start) {
  if (!r.runtime_h) return Error::usage("--start needs --runtime: the job's window is start + runtime");
  const TimePoint end = start + std::chrono::round<seconds>(std::chrono::duration<double>(*r.runtime_h * 3600.0));
  auto avg = series.average(start, end);
  if (!avg) return avg.error();
  SeriesWindow w;
  w.start = start;
  w.end = end;
  w.average_g_per_kwh = *avg;
  w.annual_g_per_kwh = r.intensity_g_per_kwh;
  w.annual_source = r.intensity_source;
  r.window = w;
  r.intensity_g_per_kwh = *avg;
  r.intensity_source = IntensitySource::series;
  r.co2e_kg = r.energy_kwh * *avg / 1000.0;
  if (r.range) {  // the series is the user's figure: exact (docs/methodology.md, "Ranges")
    r.range->inputs.intensity_g_per_kwh = {Bounds::exact(*avg), RangeReason::exact};
    propagate_range(*r.range, r);
  }
  return std::nullopt;
}

}  // namespace co2e
