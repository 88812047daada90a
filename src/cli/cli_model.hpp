// The command line as data: co2e's CLI11 definition walked into plain structs, from which the
// shell completion scripts (completion.cpp) and the man page (manpage.cpp) are generated, so
// neither can drift from the flags the parser accepts.
#pragma once

#include <string>
#include <vector>

#include <CLI/CLI.hpp>

namespace co2e::cli {

/// How a flag's value (or a positional argument) is completed.
struct ValueCompletion {
  enum class Kind {
    none,       ///< free text (a number, a duration): nothing to offer
    words,      ///< one of `words`
    files,      ///< a path
    names,      ///< a data-table name: `co2e __complete <names> PREFIX` (cpu, gpu, region, provider)
    show_name,  ///< the name of the kind given before it (`co2e show gpu H1<Tab>`)
    command,    ///< a command and its arguments (`co2e run CMD ARGS...`)
  };
  Kind kind = Kind::none;
  std::vector<std::string> words;
  std::string names;
};

/// One option or flag of a command.
struct FlagModel {
  std::vector<std::string> names;  ///< "-o", "--output"
  bool takes_value = false;        ///< false: a switch (--strict)
  std::string value_name;          ///< FILE, D, FORMAT
  std::string help;                ///< the --help text
  std::string env;                 ///< CO2E_<FLAG>, or empty
  ValueCompletion value;
};

/// One positional argument of a command.
struct PositionalModel {
  std::string name;  ///< FILE, CMD, table
  std::string help;
  bool rest = false;  ///< takes every remaining word (run's CMD [ARGS...])
  ValueCompletion value;
};

/// One command: co2e itself (path ""), a subcommand ("estimate") or a nested one ("slurm init").
struct CommandModel {
  std::string path;
  std::string help;    ///< one line
  std::string footer;  ///< formula, examples, exit codes as --help prints them
  std::vector<FlagModel> flags;
  std::vector<PositionalModel> positionals;
  std::vector<std::string> subcommands;  ///< visible ones, in --help order
};

/// Every visible command of `app`, co2e itself first, each parent before its subcommands.
/// Hidden commands (empty group: __complete, __manpage) are left out.
std::vector<CommandModel> describe_cli(const CLI::App& app);

/// The bash, zsh or fish completion script for `commands`; `version` goes in its header comment.
std::string completion_script(const std::vector<CommandModel>& commands, const std::string& shell,
                              const std::string& version);

/// co2e(1) in man(7) roff, from `commands`.
std::string man_page(const std::vector<CommandModel>& commands, const std::string& version, const std::string& date);

}  // namespace co2e::cli
