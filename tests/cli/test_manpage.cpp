// Black-box tests of what the build installs around the binary: co2e(1), rendered by man and
// groff; `cmake --install` into a scratch prefix, where `man co2e` finds the page; and
// `co2e --version`'s commit and data release, checked against git and data/constants.json.
#include <catch2/catch.hpp>
#include <filesystem>
#include <nlohmann/json.hpp>

#include "support.hpp"

namespace t = co2e::test;
namespace fs = std::filesystem;
using Catch::Matchers::Contains;
using Catch::Matchers::StartsWith;

namespace {

std::string build_dir() {
  const std::string bin = CO2E_BUILD_BINARY;  // the build's co2e, not a CO2E_TEST_BINARY wrapper
  return bin.substr(0, bin.rfind('/'));
}

}  // namespace

TEST_CASE("man page: co2e.1 renders with man and groff, with every command and the exit codes", "[cli]") {
  const std::string page = build_dir() + "/man/co2e.1";
  REQUIRE(fs::exists(page));
  const auto r = t::run_program("/usr/bin/man", {"-P", "cat", "-l", page}, "", {"MANWIDTH=100", "LANG=C.UTF-8"});
  REQUIRE(r.exit_code == 0);
  for (const char* section :
       {"NAME", "SYNOPSIS", "DESCRIPTION", "COMMANDS", "OPTIONS", "EXIT STATUS", "ENVIRONMENT", "EXAMPLES", "SEE ALSO"})
    CHECK_THAT(r.out, Contains(std::string("\n") + section + "\n"));
  CHECK_THAT(r.out, Contains("co2e - energy and carbon footprint of computation"));
  // Generated from the command definitions: each command, nested ones and their flags.
  for (const char* text : {"co2e estimate", "co2e batch", "co2e run", "co2e slurm init", "co2e completion",
                           "--gpu-hours", "--summary-file", "--intensity-series", "CO2E_REGION"})
    CHECK_THAT(r.out, Contains(text));
  CHECK_THAT(r.out, !Contains("__complete"));
  CHECK_THAT(r.out, Contains("124"));  // run: stopped by the budget (co2e/exit_codes.hpp)
  // groff's own warnings (-ww): none, so no roff escape is broken.
  const auto g = t::run_program("/usr/bin/groff", {"-man", "-Tutf8", "-ww", "-z", page});
  CHECK(g.exit_code == 0);
  CHECK(g.err.empty());
}

TEST_CASE("install: cmake --install puts the binary, man page and completions where man and shells look", "[cli]") {
  t::TempDir dir;
  const std::string prefix = dir.path() + "/prefix";
  const auto r = t::run_program(CO2E_CMAKE, {"--install", build_dir(), "--prefix", prefix});
  REQUIRE(r.exit_code == 0);
  for (const char* f : {"bin/co2e", "share/man/man1/co2e.1", "share/bash-completion/completions/co2e",
                        "share/zsh/site-functions/_co2e", "share/fish/vendor_completions.d/co2e.fish",
                        "share/doc/co2e/README.md", "share/doc/co2e/copyright", "share/doc/co2e/cli.md"})
    CHECK(fs::exists(prefix + "/" + f));
  // man finds the page from PATH (man-db maps PREFIX/bin to PREFIX/share/man), as after
  // `cmake --install build/release --prefix ~/.local` with ~/.local/bin on PATH.
  const auto man = t::run_program("/bin/sh", {"-c", "PATH=\"$P/bin:$PATH\" MANPATH= man -w co2e"}, "", {"P=" + prefix});
  CHECK(man.exit_code == 0);
  CHECK(man.out == prefix + "/share/man/man1/co2e.1\n");
  const auto v = t::run_program(prefix + "/bin/co2e", {"--version"});
  CHECK(v.exit_code == 0);
}

TEST_CASE("cli --version: the version, the git commit and the data release", "[cli]") {
  const auto r = t::run_co2e({"--version"});
  REQUIRE(r.exit_code == 0);
  CHECK_THAT(r.out, StartsWith("co2e 0."));
  // The commit, independently: git's answer for the source tree ("unknown" outside git).
  const auto git = t::run_program("/usr/bin/git", {"-C", CO2E_SOURCE_DIR, "rev-parse", "--short=12", "HEAD"});
  if (git.exit_code == 0 && !git.out.empty())
    CHECK_THAT(r.out, Contains("\ncommit: " + git.out.substr(0, git.out.size() - 1)));
  else
    CHECK_THAT(r.out, Contains("\ncommit: unknown\n"));
  // The release, independently: data/constants.json's top-level "data_release".
  const auto constants = nlohmann::json::parse(t::read_file(std::string(CO2E_SOURCE_DIR) + "/data/constants.json"));
  CHECK_THAT(r.out, Contains("\ndata release: " + constants.at("data_release").get<std::string>() + "\n"));
  // A --data file cannot rename the built-in data's release.
  t::TempDir dir;
  const auto f = dir.write("r.json", R"({"data_release": "mine"})");
  const auto bad = t::run_co2e({"--data", f, "list", "providers"});
  CHECK(bad.exit_code == 3);
  CHECK_THAT(bad.err, Contains("\"data_release\" names co2e's built-in data; a user file cannot set it"));
}
