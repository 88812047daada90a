// Name matching for models and regions: one normalization, and edit distance for suggestions.
#include <algorithm>
#include <cctype>
#include <iterator>
#include <optional>
#include <string>
#include <vector>

#include "co2e/data.hpp"

namespace co2e {

namespace {

bool is_alnum(char c) { return std::isalnum(static_cast<unsigned char>(c)) != 0; }

/// Removes every occurrence of `what` from `s`.
void erase_all(std::string& s, std::string_view what) {
  for (auto pos = s.find(what); pos != std::string::npos; pos = s.find(what, pos)) s.erase(pos, what.size());
}

/// Edit distance, stopping early (returning > `bound`) once it must exceed `bound`.
std::size_t levenshtein(std::string_view a, std::string_view b, std::size_t bound, std::vector<std::size_t>& row) {
  const std::size_t diff = a.size() > b.size() ? a.size() - b.size() : b.size() - a.size();
  if (diff > bound) return bound + 1;
  row.resize(b.size() + 1);
  for (std::size_t j = 0; j <= b.size(); ++j) row[j] = j;
  for (std::size_t i = 1; i <= a.size(); ++i) {
    std::size_t diag = row[0];
    row[0] = i;
    std::size_t best = row[0];
    for (std::size_t j = 1; j <= b.size(); ++j) {
      const std::size_t up = row[j];
      row[j] = std::min({up + 1, row[j - 1] + 1, diag + (a[i - 1] == b[j - 1] ? 0 : 1)});
      diag = up;
      best = std::min(best, row[j]);
    }
    if (best > bound) return bound + 1;
  }
  return row[b.size()];
}

}  // namespace

std::string normalize_name(std::string_view name) {
  std::string s;
  s.reserve(name.size());
  for (char c : name) s += static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
  erase_all(s, "\xc2\xae");      // ®
  erase_all(s, "\xe2\x84\xa2");  // ™
  erase_all(s, "(r)");
  erase_all(s, "(tm)");
  if (auto at = s.find('@'); at != std::string::npos) s.erase(at);  // "CPU @ 2.50GHz"
  // Tokens: runs of letters and digits. Drop the words /proc/cpuinfo adds to marketing names.
  std::string out;
  std::size_t i = 0;
  while (i < s.size()) {
    while (i < s.size() && !is_alnum(s[i])) ++i;
    std::size_t j = i;
    while (j < s.size() && is_alnum(s[j])) ++j;
    if (j > i) {
      std::string_view tok(s.data() + i, j - i);
      // "64-Core Processor", and "64-Cores" as Threadripper PRO chips print it.
      const bool core_count = (tok == "core" || tok == "cores") && !out.empty() &&
                              std::isdigit(static_cast<unsigned char>(out.back())) && i > 0 && s[i - 1] == '-';
      if (core_count) {
        // Drop the number before "-core" too.
        while (!out.empty() && out.back() != ' ') out.pop_back();
        while (!out.empty() && out.back() == ' ') out.pop_back();
      } else if (tok != "cpu" && tok != "processor") {
        if (!out.empty()) out += ' ';
        out += tok;
      }
    }
    i = j;
  }
  return out;
}

namespace {

/// Words that tools print around a model name but that do not tell models apart: vendors,
/// brand lines, memory types, marketing words. Dropped from both sides by relaxed_name().
bool is_noise_word(std::string_view w) {
  static constexpr std::string_view kNoise[] = {
      "nvidia", "amd",   "intel", "ati",   "tesla", "geforce", "quadro", "instinct", "radeon", "gpu",    "gpus",
      "hbm2",   "hbm2e", "hbm3",  "hbm3e", "gddr5", "gddr6",   "gddr6x", "graphics", "card",   "tensor", "datacenter"};
  return std::find(std::begin(kNoise), std::end(kNoise), w) != std::end(kNoise);
}

/// "11th", "12th", "3rd": the generation prefix of "12th Gen Intel(R) Core(TM) i7-12700H".
bool is_ordinal(std::string_view w) {
  if (w.size() < 3) return false;
  const auto suffix = w.substr(w.size() - 2);
  if (suffix != "st" && suffix != "nd" && suffix != "rd" && suffix != "th") return false;
  return std::all_of(w.begin(), w.end() - 2, [](char c) { return std::isdigit(static_cast<unsigned char>(c)) != 0; });
}

}  // namespace

std::string relaxed_name(std::string_view key) {
  std::string out;
  std::string_view prev;
  std::size_t i = 0;
  while (i < key.size()) {
    while (i < key.size() && key[i] == ' ') ++i;
    std::size_t j = i;
    while (j < key.size() && key[j] != ' ') ++j;
    const std::string_view w = key.substr(i, j - i);
    // "AMD Ryzen 7 5800H with Radeon Graphics", "AMD Ryzen 7 7840U w/ Radeon 780M Graphics": the
    // integrated GPU, not the CPU's name.
    if ((w == "with" || w == "w") && key.substr(j).starts_with(" radeon")) break;
    const bool gen = w == "gen" && is_ordinal(prev);
    // "tensor core" (cloud consoles' "A100 Tensor Core GPU"), not Intel's "Core i7".
    const bool tensor_core = w == "core" && prev == "tensor";
    if (!w.empty() && !is_noise_word(w) && !is_ordinal(w) && !gen && !tensor_core) {
      if (!out.empty()) out += ' ';
      out += w;
    }
    prev = w;
    i = j;
  }
  return out;
}

std::string compact_name(std::string_view s) {
  std::string out;
  out.reserve(s.size());
  for (char c : s)
    if (c != ' ') out += c;
  return out;
}

std::optional<double> memory_word_gb(std::string_view word) {
  std::size_t digits = 0;
  while (digits < word.size() && std::isdigit(static_cast<unsigned char>(word[digits])) != 0) ++digits;
  if (digits == 0 || digits > 4) return std::nullopt;
  const auto unit = word.substr(digits);
  if (unit != "gb" && unit != "g" && unit != "gib") return std::nullopt;
  double v = 0;
  for (std::size_t k = 0; k < digits; ++k) v = v * 10 + (word[k] - '0');
  return v;
}

std::size_t edit_distance(std::string_view a, std::string_view b, std::size_t bound) {
  std::vector<std::size_t> row;
  return levenshtein(a, b, bound, row);
}

/// Letters people (and OCR) type for digits: `H1OO` for H100, `l` for 1.
std::string look_alike_digits(std::string s) {
  for (auto& c : s) {
    if (c == 'o')
      c = '0';
    else if (c == 'i' || c == 'l')
      c = '1';
  }
  return s;
}

namespace {

/// How far the normalized query `q` is from the normalized candidate `n`, at most `limit + 1`.
std::size_t suggestion_score(std::string_view q, std::string_view n, std::size_t limit, std::vector<std::size_t>& row) {
  if (!q.empty() && n.find(q) != std::string::npos) return (n.size() - q.size()) / 4;  // contains the query
  // Compare with the candidate's tail of the query's length too, so that a missing vendor
  // prefix ("xeon gold 6249" vs "intel xeon gold 6248") costs little.
  std::size_t score = levenshtein(q, n, limit, row);
  if (n.size() > q.size()) score = std::min(score, levenshtein(q, n.substr(n.size() - q.size()), limit, row) + 1);
  return score;
}

/// Calls `f` with each space-separated word of `s` (normalized names have single spaces).
template <class F>
void for_each_word(std::string_view s, F&& f) {
  for (std::size_t i = 0; i < s.size();) {
    std::size_t j = s.find(' ', i);
    if (j == std::string_view::npos) j = s.size();
    f(s.substr(i, j - i));
    i = j + 1;
  }
}

}  // namespace

std::vector<std::string> closest_names(std::string_view query, const std::vector<std::string_view>& candidates,
                                       std::size_t max) {
  const std::string q = normalize_name(query).substr(0, 128);  // suggestions for a sane length
  // The same query without vendor and brand words or spaces ("rtx 4090 24gb" -> "rtx409024gb"),
  // and with look-alike letters read as digits ("h1oo" -> "h100").
  std::string rq = compact_name(relaxed_name(q));
  std::string rq_mem;  // without a memory size word: "rtx 4090 24gb" -> "rtx4090"
  {
    std::string words;
    for_each_word(relaxed_name(q), [&](std::string_view w) {
      if (!memory_word_gb(w)) words += w;
    });
    if (words != rq) rq_mem = words;
  }
  const std::string fq = look_alike_digits(rq);
  // The query's model numbers: words with a digit and a letter, or of 4 digits or more ("v100",
  // "6248", "mi250x"), not memory sizes. A candidate holding one of them as a whole word is a
  // near match whatever the typos around it ("Tesal V100" -> the V100s, not the A10).
  std::vector<std::string_view> model_words;
  for_each_word(q, [&](std::string_view w) {
    const auto digits = static_cast<std::size_t>(
        std::count_if(w.begin(), w.end(), [](char c) { return std::isdigit(static_cast<unsigned char>(c)) != 0; }));
    if (w.size() >= 3 && digits > 0 && (digits < w.size() || digits >= 4) && !memory_word_gb(w))
      model_words.push_back(w);
  });
  const auto holds_word = [](std::string_view name, std::string_view word) {
    for (std::size_t at = name.find(word); at != std::string_view::npos; at = name.find(word, at + 1)) {
      const bool starts = at == 0 || name[at - 1] == ' ';
      const bool ends = at + word.size() == name.size() || name[at + word.size()] == ' ';
      if (starts && ends) return true;
    }
    return false;
  };
  const std::size_t limit = q.size() / 2 + 2;
  std::vector<std::pair<std::size_t, std::string_view>> scored;
  scored.reserve(candidates.size());
  std::vector<std::size_t> row;
  for (auto c : candidates) {
    const std::string n = normalize_name(c);
    std::size_t score = suggestion_score(q, n, limit, row);
    if (score > 0 && !rq.empty()) {
      const std::string rn = compact_name(relaxed_name(n));
      if (!rn.empty()) {
        score = std::min(score, suggestion_score(rq, rn, limit, row));
        if (!rq_mem.empty()) score = std::min(score, suggestion_score(rq_mem, rn, limit, row) + 1);
        if (fq != rq) score = std::min(score, suggestion_score(fq, look_alike_digits(rn), limit, row) + 1);
      }
    }
    if (score > 1 &&
        std::any_of(model_words.begin(), model_words.end(), [&](std::string_view w) { return holds_word(n, w); }))
      score = 1;
    if (score <= limit) scored.emplace_back(score, c);
  }
  std::stable_sort(scored.begin(), scored.end(), [](const auto& a, const auto& b) { return a.first < b.first; });
  std::vector<std::string> out;
  for (const auto& [score, name] : scored) {
    if (out.size() >= max || score > limit) break;
    if (std::find(out.begin(), out.end(), name) == out.end()) out.emplace_back(name);
  }
  return out;
}

}  // namespace co2e

namespace co2e {

std::string nearest_hint(std::string_view word, std::initializer_list<std::string_view> choices) {
  std::string w(word.substr(0, 64));
  for (auto& c : w) c = static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
  // A slip is one edit per three letters, at least one: `gpu` -> `gpus`, `jsn` -> `json`.
  const std::size_t bound = std::max<std::size_t>(1, w.size() / 3);
  std::string_view best;
  std::size_t best_d = bound + 1;
  std::vector<std::size_t> row;
  for (auto c : choices) {
    const std::size_t d = levenshtein(w, c, bound, row);
    if (d < best_d) best_d = d, best = c;
  }
  return best.empty() ? std::string() : "; did you mean \"" + std::string(best) + "\"?";
}

}  // namespace co2e
