// The spelling corpus (tests/fixtures/names/spellings.tsv): names as tools print them and people
// type them, each with the row it must match or the candidates its error must list.
#include <catch2/catch.hpp>

#include <algorithm>
#include <fstream>
#include <sstream>
#include <string>
#include <vector>

#include "co2e/data.hpp"
#include "co2e/estimate.hpp"
#include "support.hpp"

namespace {

struct Spelling {
  int line = 0;
  std::string kind, query, expect, from;
};

std::vector<Spelling> read_corpus() {
  std::ifstream in(co2e::test::fixture("names/spellings.tsv"));
  std::vector<Spelling> out;
  std::string text;
  int n = 0;
  while (std::getline(in, text)) {
    ++n;
    if (text.empty() || text[0] == '#') continue;
    std::vector<std::string> cols;
    std::stringstream ss(text);
    for (std::string c; std::getline(ss, c, '\t');) cols.push_back(c);
    REQUIRE(cols.size() == 4);
    out.push_back({n, cols[0], cols[1], cols[2], cols[3]});
  }
  return out;
}

std::vector<std::string> split_bar(const std::string& s) {
  std::vector<std::string> out;
  std::stringstream ss(s);
  for (std::string c; std::getline(ss, c, '|');)
    if (!c.empty()) out.push_back(c);
  return out;
}

/// The row `s.query` resolves to (its name or code), or the lookup's error.
co2e::Result<std::string> resolve(const co2e::Dataset& d, const Spelling& s) {
  if (s.kind == "gpu") {
    auto r = d.find_gpu(s.query);
    if (!r) return r.error();
    return std::string((*r)->name);
  }
  if (s.kind == "cpu") {
    auto r = d.find_cpu(s.query);
    if (!r) return r.error();
    return std::string((*r)->name);
  }
  if (s.kind == "region") {
    auto r = d.find_region(s.query);
    if (!r) return r.error();
    return std::string(r->cloud != nullptr ? r->cloud->code : r->grid->code);
  }
  REQUIRE(s.kind == "instance");
  auto r = d.find_instance(s.query);
  if (!r) return r.error();
  return std::string((*r)->code);
}

}  // namespace

TEST_CASE("spelling corpus: every name finds its row or lists its candidates", "[unit]") {
  const auto corpus = read_corpus();
  REQUIRE(corpus.size() >= 200);
  // Twice: the first lookups of a Dataset scan, later ones use the index; both must agree.
  const co2e::Dataset d;
  for (int pass = 0; pass < 2; ++pass) {
    for (const auto& s : corpus) {
      INFO("spellings.tsv line " << s.line << ": " << s.kind << " \"" << s.query << "\" (" << s.from << ")");
      const auto got = resolve(d, s);
      if (s.expect.starts_with('=')) {
        if (!got)
          FAIL_CHECK("error: " << got.error().message);
        else
          CHECK(*got == s.expect.substr(1));
      } else {
        REQUIRE(s.expect.starts_with('?'));
        if (got) {
          FAIL_CHECK("matched " << *got << " instead of failing");
          continue;
        }
        CHECK(got.error().kind == co2e::ErrorKind::usage);
        for (const auto& want : split_bar(s.expect.substr(1))) {
          const auto& sug = got.error().suggestions;
          INFO("message: " << got.error().message);
          CHECK(std::find(sug.begin(), sug.end(), want) != sug.end());
        }
      }
    }
  }
}

TEST_CASE("gpu_variants: a family name says which other rows it could mean", "[unit]") {
  const co2e::Dataset d;
  auto names = [&](std::string_view q) {
    std::vector<std::string> out;
    const auto* chosen = *d.find_gpu(q);
    for (const auto* g : d.gpu_variants(q, chosen)) out.emplace_back(g->name);
    return out;
  };
  // V100: the SXM2 16 GB default (300 W) and four others, two of them PCIe at 250 W (datasheets).
  CHECK(names("V100") == std::vector<std::string>{"NVIDIA Tesla V100 PCIe 16GB", "NVIDIA Tesla V100 PCIe 32GB",
                                                  "NVIDIA Tesla V100 SXM2 32GB", "NVIDIA Tesla V100 SXM3 32GB"});
  CHECK(names("A100") ==
        std::vector<std::string>{"NVIDIA A100 PCIe 40GB", "NVIDIA A100 PCIe 80GB", "NVIDIA A100 SXM4 80GB"});
  CHECK(names("A100 80GB") == std::vector<std::string>{"NVIDIA A100 PCIe 80GB"});
  CHECK(names("NVIDIA A100-SXM4-40GB").empty());
  CHECK(names("RTX 4090").empty());
  CHECK(names("A10").empty());  // not the A100s or the A10G: whole words
}

TEST_CASE("relaxed_name", "[unit]") {
  CHECK(co2e::relaxed_name(co2e::normalize_name("NVIDIA H100 80GB HBM3")) == "h100 80gb");
  CHECK(co2e::relaxed_name(co2e::normalize_name("12th Gen Intel(R) Core(TM) i7-12700H")) == "core i7 12700h");
  CHECK(co2e::relaxed_name(co2e::normalize_name("AMD Ryzen 7 7840U w/ Radeon 780M Graphics")) == "ryzen 7 7840u");
  CHECK(co2e::relaxed_name(co2e::normalize_name("NVIDIA A100 Tensor Core GPU")) == "a100");
  CHECK(co2e::normalize_name("AMD Ryzen Threadripper PRO 5995WX 64-Cores") == "amd ryzen threadripper pro 5995wx");
  CHECK(co2e::memory_word_gb("24gb") == 24);
  CHECK(co2e::memory_word_gb("80g") == 80);
  CHECK_FALSE(co2e::memory_word_gb("4090").has_value());
}

TEST_CASE("nearest_hint", "[unit]") {
  CHECK(co2e::nearest_hint("gpu", {"cpus", "gpus", "regions"}) == "; did you mean \"gpus\"?");
  CHECK(co2e::nearest_hint("jsn", {"text", "json", "csv"}) == "; did you mean \"json\"?");
  CHECK(co2e::nearest_hint("xml", {"text", "json", "csv"}).empty());
}
