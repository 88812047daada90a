// describe_cli: co2e's CLI11 definition walked into CommandModels (cli_model.hpp).
#include <string_view>

#include "cli_model.hpp"

namespace co2e::cli {

namespace {

/// Fixed values of flags and positionals, for completion: `command` empty means any command.
/// The parsers (parse_format, parse_batch_format, ...) are the authority; tests/cli/test_completion.cpp
/// checks that every value listed here is accepted by its command.
struct FixedValues {
  std::string_view command;
  std::string_view name;  ///< "--format", or a positional's name
  std::string_view words;
};
constexpr FixedValues kFixedValues[] = {
    {"estimate", "--format", "text json csv markdown latex"},
    {"compare", "--format", "text json csv markdown"},
    {"batch", "--format", "csv jsonl markdown latex"},
    {"run", "--format", "text json markdown"},
    {"slurm", "--format", "text json markdown csv jsonl"},
    {"when", "--format", "text json csv"},
    {"list", "--format", "text json csv"},
    {"show", "--format", "text json"},
    {"run", "--scope", "process machine"},
    {"run", "--gpu-scope", "used all"},
    {"", "--intensity-kind", "lca direct"},
    {"slurm", "--group-by", "user account partition day"},
    {"list", "table", "cpus gpus regions providers equivalences embodied"},
    {"show", "kind", "cpu gpu region provider"},
    {"completion", "shell", "bash zsh fish"},
};

/// Flags whose value is a row of a data table, named the same in every command that has them.
struct NameFlag {
  std::string_view flag;
  std::string_view kind;
};
constexpr NameFlag kNameFlags[] = {
    {"--cpu", "cpu"}, {"--gpu", "gpu"}, {"--region", "region"}, {"--provider", "provider"}, {"--platform", "provider"},
};

std::vector<std::string> split_words(std::string_view s) {
  std::vector<std::string> out;
  while (!s.empty()) {
    const auto sp = s.find(' ');
    if (sp != 0) out.emplace_back(s.substr(0, sp));
    if (sp == std::string_view::npos) break;
    s.remove_prefix(sp + 1);
  }
  return out;
}

ValueCompletion value_completion(const std::string& command, const std::string& name, const std::string& type_name) {
  ValueCompletion v;
  for (const auto& f : kFixedValues)
    if ((f.command.empty() || f.command == command) && f.name == name) {
      v.kind = ValueCompletion::Kind::words;
      v.words = split_words(f.words);
      return v;
    }
  for (const auto& n : kNameFlags)
    if (n.flag == name) {
      v.kind = ValueCompletion::Kind::names;
      v.names = std::string(n.kind);
      return v;
    }
  if (command == "show" && name == "name") v.kind = ValueCompletion::Kind::show_name;
  if (command == "run" && name == "CMD") v.kind = ValueCompletion::Kind::command;
  if (type_name.find("FILE") != std::string::npos) v.kind = ValueCompletion::Kind::files;
  return v;
}

void describe(const CLI::App& app, const std::string& path, std::vector<CommandModel>& out) {
  CommandModel m;
  m.path = path;
  m.help = app.get_description();
  m.footer = app.get_footer();
  for (const CLI::Option* o : app.get_options()) {
    if (o->get_group().empty()) continue;  // hidden
    if (o->get_positional() && !o->nonpositional()) {
      PositionalModel p;
      p.name = o->get_name(true);
      p.help = o->get_description();
      p.rest = o->get_items_expected_max() > 1;
      p.value = value_completion(path, p.name, o->get_type_name());
      m.positionals.push_back(std::move(p));
      continue;
    }
    FlagModel f;
    for (const auto& s : o->get_snames()) f.names.push_back("-" + s);
    for (const auto& l : o->get_lnames()) f.names.push_back("--" + l);
    f.takes_value = o->get_type_size_max() > 0;
    f.value_name = o->get_type_name();
    f.help = o->get_description();
    f.env = o->get_envname();
    const std::string key = o->get_lnames().empty() ? f.names.front() : "--" + o->get_lnames().front();
    if (f.takes_value) f.value = value_completion(path, key, f.value_name);
    m.flags.push_back(std::move(f));
  }
  std::vector<const CLI::App*> subs = app.get_subcommands([](const CLI::App* s) { return !s->get_group().empty(); });
  for (const CLI::App* s : subs) m.subcommands.push_back(s->get_name());
  out.push_back(std::move(m));
  for (const CLI::App* s : subs) describe(*s, path.empty() ? s->get_name() : path + " " + s->get_name(), out);
}

}  // namespace

std::vector<CommandModel> describe_cli(const CLI::App& app) {
  std::vector<CommandModel> out;
  describe(app, "", out);
  return out;
}

}  // namespace co2e::cli
