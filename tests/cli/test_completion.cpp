// Black-box tests of `co2e completion bash|zsh|fish` and `co2e __complete`: each script is loaded
// by its real shell, which is then asked for completions as it would be at a prompt.
#include <unistd.h>
#include <catch2/catch.hpp>
#include <sstream>

#include "support.hpp"

namespace t = co2e::test;
using Catch::Matchers::Contains;

namespace {

std::vector<std::string> lines_of(const std::string& text) {
  std::vector<std::string> out;
  std::istringstream in(text);
  for (std::string l; std::getline(in, l);) out.push_back(l);
  return out;
}

bool has(const std::vector<std::string>& v, const std::string& s) {
  return std::find(v.begin(), v.end(), s) != v.end();
}

/// Runs `script` in `shell` with co2e's directory first on PATH and $CO2E naming the binary.
t::Run in_shell(const std::string& shell, const std::string& script) {
  const std::string bin = t::co2e_binary();
  const std::string dir = bin.substr(0, bin.rfind('/'));
  return t::run_program(shell, {"-c", "export PATH=\"" + dir + ":$PATH\"; " + script}, "", {"CO2E=" + bin});
}

/// bash's completions for the words after "co2e", the last being the word under the cursor,
/// split at COMP_WORDBREAKS as bash splits them (":" and "=" are words of their own).
std::vector<std::string> bash_complete(const std::vector<std::string>& words, const std::string& breaks = "") {
  std::string script = "source <(co2e completion bash) || exit 9; ";
  if (!breaks.empty()) script += "COMP_WORDBREAKS='" + breaks + "'; ";
  script += "COMP_WORDS=(co2e";
  for (const auto& w : words) script += " '" + w + "'";
  script += "); COMP_CWORD=" + std::to_string(words.size()) + "; _co2e; printf '%s\\n' \"${COMPREPLY[@]}\"";
  const auto r = in_shell("/bin/bash", script);
  REQUIRE(r.exit_code == 0);
  return lines_of(r.out);
}

bool have(const char* path) { return ::access(path, X_OK) == 0; }

}  // namespace

TEST_CASE("completion: __complete lists names from the tables by prefix, ignoring case", "[cli]") {
  auto r = t::run_co2e({"__complete", "gpu", "h1"});
  REQUIRE(r.exit_code == 0);
  const auto gpus = lines_of(r.out);
  // data/gpus.json: "NVIDIA H100 SXM5 80GB" with alias "H100"; the name without its vendor too.
  CHECK(has(gpus, "H100"));
  CHECK(has(gpus, "H100 SXM5 80GB"));
  CHECK(has(gpus, "H100 PCIe"));
  CHECK_FALSE(has(gpus, "A100"));
  CHECK(std::is_sorted(gpus.begin(), gpus.end()));
  r = t::run_co2e({"__complete", "region", "aws:eu-west-"});
  CHECK(lines_of(r.out) == std::vector<std::string>{"aws:eu-west-1", "aws:eu-west-2", "aws:eu-west-3"});
  r = t::run_co2e({"__complete", "provider", "goo"});
  CHECK(has(lines_of(r.out), "google"));
  r = t::run_co2e({"__complete", "cpu", "Xeon Gold 624"});
  CHECK(has(lines_of(r.out), "Xeon Gold 6248"));
  // A --data row is offered too.
  t::TempDir dir;
  const auto extra = dir.write("site.json", R"({"gpus": [{"name": "Zeta Z9", "tdp_w": 300}]})");
  r = t::run_co2e({"__complete", "gpu", "zeta"}, "", {"CO2E_DATA=" + extra});
  CHECK(r.out == "Zeta Z9\n");
  // __complete is not a command anyone should see.
  CHECK_THAT(t::run_co2e({"--help"}).out, !Contains("__complete"));
  CHECK_THAT(t::run_co2e({"estimat"}).err, !Contains("__complete"));
}

TEST_CASE("completion: bash, commands and flags", "[cli]") {
  CHECK(bash_complete({"est"}) == std::vector<std::string>{"estimate"});
  const auto cmds = bash_complete({""});
  for (const char* c : {"estimate", "batch", "run", "slurm", "when", "list", "show", "completion"}) CHECK(has(cmds, c));
  CHECK_FALSE(has(cmds, "__complete"));
  CHECK(bash_complete({"estimate", "--for"}) == std::vector<std::string>{"--format"});
  // The value of --runtime is skipped: flags again after it.
  const auto c = bash_complete({"estimate", "--runtime", "2h", "--cor"});
  CHECK(c == std::vector<std::string>{"--cores", "--core-power", "--core-hours"});
  CHECK(bash_complete({"slurm", "in"}) == std::vector<std::string>{"init"});
  const auto init = bash_complete({"slurm", "init", "--"});
  CHECK(has(init, "--no-sinfo"));
  CHECK(has(init, "--force"));
  CHECK_FALSE(has(init, "--sacct-file"));  // slurm's, not init's
  CHECK(bash_complete({"list", ""}) ==
        std::vector<std::string>{"cpus", "gpus", "regions", "providers", "equivalences", "embodied"});
  CHECK(bash_complete({"completion", "z"}) == std::vector<std::string>{"zsh"});
  const auto bad = t::run_co2e({"completion", "tcsh"});
  CHECK(bad.exit_code == 2);
  CHECK(bad.err == "co2e: error: completion: \"tcsh\" is not a shell co2e completes (accepted: bash, zsh, fish)\n");
  // run's CMD: a command, then its own arguments; co2e's flags no more.
  CHECK(has(bash_complete({"run", "--", "mak"}), "make"));
  CHECK(has(bash_complete({"run", "--region", "FR", "mak"}), "make"));
  CHECK_FALSE(has(bash_complete({"run", "make", "--"}), "--format"));
}

TEST_CASE("completion: bash, flag values: formats per command, models, regions", "[cli]") {
  CHECK(bash_complete({"estimate", "--format", ""}) ==
        std::vector<std::string>{"text", "json", "csv", "markdown", "latex"});
  CHECK(bash_complete({"batch", "--format", "l"}) == std::vector<std::string>{"latex"});
  CHECK(bash_complete({"run", "--format", ""}) == std::vector<std::string>{"text", "json", "markdown"});
  CHECK(bash_complete({"run", "--scope", "m"}) == std::vector<std::string>{"machine"});
  // --format=j: bash splits at "=", and only the part after it is replaced.
  CHECK(bash_complete({"estimate", "--format", "=", "j"}) == std::vector<std::string>{"json"});
  const auto gpus = bash_complete({"estimate", "--gpu", "H1"});
  CHECK(has(gpus, "H100"));
  CHECK(has(gpus, "H100 PCIe"));
  // "aws:eu" is three words for bash; the completions replace the part after the colon.
  const auto regions = bash_complete({"estimate", "--region", "aws", ":", "eu-west"});
  CHECK(regions == std::vector<std::string>{"eu-west-1", "eu-west-2", "eu-west-3"});
  // Where ":" does not break words, the whole code is the word.
  CHECK(has(bash_complete({"run", "--region", "aws:eu-west-3"}, " "), "aws:eu-west-3"));
  CHECK(has(bash_complete({"show", "gpu", "A10"}), "A100"));
  CHECK(has(bash_complete({"show", "region", "F"}), "FR"));
}

TEST_CASE("completion: every --format value offered is accepted by its command", "[cli]") {
  // The completion table lists formats; the parsers decide. A value that a command refuses
  // would be a completion that leads to an error.
  struct Case {
    std::vector<std::string> words;
    std::vector<std::string> args;
  };
  const std::vector<Case> cases = {
      {{"estimate", "--format", ""}, {"estimate", "--runtime", "1h", "--cores", "1", "--format"}},
      {{"list", "--format", ""}, {"list", "providers", "--format"}},
      {{"show", "--format", ""}, {"show", "gpu", "A100", "--format"}},
  };
  for (const auto& c : cases) {
    const auto values = bash_complete(c.words);
    REQUIRE_FALSE(values.empty());
    for (const auto& v : values) {
      auto args = c.args;
      args.push_back(v);
      INFO(c.words[0] << " --format " << v);
      CHECK(t::run_co2e(args).exit_code == 0);
    }
  }
  for (const auto& v : bash_complete({"batch", "--format", ""})) {
    INFO("batch --format " << v);
    CHECK(t::run_co2e({"batch", "--format", v, "--region", "FR"}, "runtime,cores\n1h,2\n").exit_code == 0);
  }
  for (const auto& v : bash_complete({"run", "--format", ""})) {
    INFO("run --format " << v);
    CHECK(t::run_co2e({"run", "--format", v, "--", "true"}).exit_code == 0);
  }
}

TEST_CASE("completion: zsh, through its completion system in a pseudo-terminal", "[cli]") {
  if (!have("/usr/bin/zsh")) {
    WARN("zsh is not installed (scripts/install-deps.sh installs it): its completion was not tested");
    return;
  }
  // zpty runs an interactive zsh; compadd is wrapped to write every match to a file, and the
  // shell exits after the first completion (comppostfuncs), the method of zsh-capture-completion.
  t::TempDir dir;
  const std::string setup = dir.write("setup.zsh", R"(PS1=''
autoload -U compinit && compinit -u -D
source <(co2e completion zsh)
compadd() {
  if (( ${@[(I)-[OAD]]} )); then builtin compadd "$@"; return; fi
  local -a hits
  builtin compadd -O hits "$@"
  (( $#hits )) && print -rl -- $hits >> $MATCHES
  builtin compadd "$@"
}
comppostfuncs=(exit)
)");
  auto complete = [&](const std::string& line) {
    const std::string matches = dir.path() + "/matches";
    std::remove(matches.c_str());
    const std::string script = "zmodload zsh/zpty || exit 9; export MATCHES=" + matches +
                               "; zpty z zsh -f -i; zpty -w z 'source " + setup + "'; zpty -w -n z '" + line +
                               "'$'\\t'; for i in {1..100}; do [[ -s $MATCHES ]] && break; sleep 0.1; done; sleep 0.3;"
                               " zpty -d z; cat $MATCHES";
    const auto run = in_shell("/usr/bin/zsh", script);
    return lines_of(run.out);
  };
  const auto cmds = complete("co2e est");
  CHECK(has(cmds, "estimate"));
  CHECK(has(complete("co2e estimate --form"), "--format"));
  const auto formats = complete("co2e estimate --format ");
  CHECK(has(formats, "markdown"));
  CHECK(has(formats, "csv"));
  CHECK(has(complete("co2e estimate --gpu H1"), "H100"));
  CHECK(has(complete("co2e estimate --region aws:eu-w"), "aws:eu-west-1"));
  CHECK(has(complete("co2e slurm init --no-"), "--no-sinfo"));
  CHECK(has(complete("co2e run -- mak"), "make"));  // run's CMD: a command, after --
  CHECK(has(complete("co2e show gpu A10"), "A100"));
}

TEST_CASE("completion: fish, with complete -C", "[cli]") {
  if (!have("/usr/bin/fish")) {
    WARN("fish is not installed (scripts/install-deps.sh installs it): its completion was not tested");
    return;
  }
  auto complete = [](const std::string& line) {
    const auto r = in_shell("/usr/bin/fish", "co2e completion fish | source; or exit 9; complete -C'" + line +
                                                 "' | string replace -r '\\t.*' ''");
    REQUIRE(r.exit_code == 0);
    return lines_of(r.out);
  };
  CHECK(has(complete("co2e est"), "estimate"));
  CHECK(has(complete("co2e estimate --form"), "--format"));
  const auto formats = complete("co2e batch --format ");
  CHECK(formats == std::vector<std::string>{"csv", "jsonl", "latex", "markdown"});  // fish sorts
  CHECK(has(complete("co2e estimate --gpu H1"), "H100"));
  CHECK(has(complete("co2e run --region aws:eu-west-"), "aws:eu-west-3"));
  CHECK(has(complete("co2e slurm in"), "init"));
  CHECK(has(complete("co2e show gpu A10"), "A100"));
  CHECK(has(complete("co2e run -- mak"), "make"));
  CHECK_FALSE(has(complete("co2e run --region FR make --"), "--format"));  // make's options now
}
