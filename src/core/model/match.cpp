// Name matching for models and regions: one normalization, and edit distance for suggestions.
#include <algorithm>
#include <cctype>
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
      const bool core_count = tok == "core" && !out.empty() && std::isdigit(static_cast<unsigned char>(out.back())) &&
                              i > 0 && s[i - 1] == '-';  // "64-Core Processor"
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

std::size_t edit_distance(std::string_view a, std::string_view b, std::size_t bound) {
  std::vector<std::size_t> row;
  return levenshtein(a, b, bound, row);
}

std::vector<std::string> closest_names(std::string_view query, const std::vector<std::string_view>& candidates,
                                       std::size_t max) {
  const std::string q = normalize_name(query).substr(0, 128);  // suggestions for a sane length
  const std::size_t limit = q.size() / 2 + 2;
  std::vector<std::pair<std::size_t, std::string_view>> scored;
  scored.reserve(candidates.size());
  std::vector<std::size_t> row;
  for (auto c : candidates) {
    const std::string n = normalize_name(c);
    std::size_t score = 0;
    if (!q.empty() && n.find(q) != std::string::npos) {
      score = (n.size() - q.size()) / 4;  // contains the query: near, shorter names first
    } else {
      // Compare with the candidate's tail of the query's length too, so that a missing vendor
      // prefix ("xeon gold 6249" vs "intel xeon gold 6248") costs little.
      score = levenshtein(q, n, limit, row);
      if (n.size() > q.size())
        score = std::min(score, levenshtein(q, std::string_view(n).substr(n.size() - q.size()), limit, row) + 1);
    }
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
