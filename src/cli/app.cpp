// The co2e application: global options, the subcommand table, and the one place where failures
// become exit codes (docs/cli.md).
#include <fmt/format.h>
#include <fmt/ranges.h>
#include <unistd.h>
#include <algorithm>
#include <cerrno>
#include <chrono>
#include <csignal>
#include <cstdio>
#include <cstdlib>
#include <cstring>
#include <filesystem>
#include <functional>
#include <string_view>
#include <vector>

#include "cli.hpp"
#include "co2e/exit_codes.hpp"
#include "co2e/files.hpp"
#include "co2e/quote.hpp"
#include "co2e/version.hpp"
#include "log.hpp"

namespace co2e::cli {

namespace {

/// The subcommands, in the order `co2e --help` lists them.
struct Command {
  void (*add)(CLI::App&, Context&);
};
constexpr Command kCommands[] = {
    {add_estimate_command}, {add_compare_command}, {add_batch_command}, {add_run_command},        {add_slurm_command},
    {add_when_command},     {add_list_command},    {add_show_command},  {add_completion_command}, {add_manpage_command},
};

int exit_code(ErrorKind kind) {
  switch (kind) {
    case ErrorKind::usage:
      return kExitUsage;
    case ErrorKind::data:
      return kExitData;
    case ErrorKind::internal:
      return kExitInternal;
    case ErrorKind::broken_pipe:
      return 128 + SIGPIPE;
  }
  return kExitInternal;
}

bool g_broken_pipe = false;

int report(const Error& e) {
  if (e.kind == ErrorKind::broken_pipe) {
    // The reader chose to stop reading: no message. main() ends the process by SIGPIPE once
    // run() has returned and everything is destroyed (see end_like_a_pipe_writer).
    g_broken_pipe = true;
    return exit_code(e.kind);
  }
  std::fprintf(stderr, "co2e: error: %s\n", e.message.c_str());
  return exit_code(e.kind);
}

/// Help text on stdout; a closed or full stdout is reported like any other output failure.
int print_help(const std::string& text) {
  if (auto err = write_standard_output(text)) return report(*err);
  return kExitOk;
}

std::vector<std::string> split_paths(const char* env) {
  std::vector<std::string> out;
  if (env == nullptr) return out;
  std::string_view s(env);
  while (!s.empty()) {
    const auto colon = s.find(':');
    if (colon != 0) out.emplace_back(s.substr(0, colon));
    if (colon == std::string_view::npos) break;
    s.remove_prefix(colon + 1);
  }
  return out;
}

/// The command being parsed: the deepest subcommand the parser chose (`slurm init`), or the app.
const CLI::App& chosen_command(const CLI::App& app) {
  const CLI::App* cur = &app;
  while (true) {
    const auto subs = cur->get_subcommands();
    if (subs.empty() || subs.back() == nullptr) return *cur;
    cur = subs.back();
  }
}

/// The words after "co2e" that name `cmd` ("slurm init"); empty for co2e itself.
std::string command_words(const CLI::App& cmd) {
  std::string words;
  for (const CLI::App* c = &cmd; c->get_parent() != nullptr; c = c->get_parent()) {
    if (!words.empty()) words.insert(0, 1, ' ');
    words.insert(0, c->get_name());
  }
  return words;
}

/// Up to three names close to `word`: those `word` extends with "-..." ("--gpu-model" -> "--gpu")
/// first, then those within a few typing slips, nearest first.
std::string did_you_mean(std::string_view word, const std::vector<std::string>& names) {
  std::vector<std::pair<std::size_t, std::string_view>> scored;
  const std::size_t slips = std::max<std::size_t>(1, (word.size() - std::min<std::size_t>(word.size(), 2)) / 3);
  for (const auto& n : names) {
    if (word.size() > n.size() && word.substr(0, n.size()) == n && word[n.size()] == '-') {
      scored.emplace_back(0, n);
    } else {
      const std::size_t d = edit_distance(word, n, slips);
      if (d <= slips) scored.emplace_back(d, n);
    }
  }
  std::stable_sort(scored.begin(), scored.end(), [](const auto& a, const auto& b) { return a.first < b.first; });
  std::vector<std::string_view> best;
  for (const auto& [d, n] : scored)
    if (best.size() < 3 && (d == 0 || scored.front().first != 0) &&
        std::find(best.begin(), best.end(), n) == best.end())
      best.push_back(n);
  return best.empty() ? "" : fmt::format(" (did you mean {}?)", fmt::join(best, ", "));
}

/// A better message than CLI11's "The following arguments were not expected: ..." for the two
/// usual slips, an unknown --option and a misspelt command; empty when neither applies.
std::string explain_unexpected(const CLI::App& app, int argc, char** argv) {
  const CLI::App& cmd = chosen_command(app);
  std::vector<std::string> longs;
  for (const CLI::App* a = &cmd; a != nullptr; a = a->get_parent())
    for (const CLI::Option* o : a->get_options())
      for (const auto& n : o->get_lnames()) longs.push_back("--" + n);
  for (int i = 1; i < argc; ++i) {
    const std::string_view arg = argv[i];
    if (arg == "--") break;
    if (arg.size() > 2 && arg.substr(0, 2) == "--") {
      const std::string_view name = arg.substr(0, arg.find('='));
      if (std::find(longs.begin(), longs.end(), name) == longs.end()) {
        const std::string words = command_words(cmd);
        return fmt::format("{}unknown option {}{}; see '{} --help'", words.empty() ? "" : words + ": ", name,
                           did_you_mean(name, longs), words.empty() ? "co2e" : "co2e " + words);
      }
      if (arg == "--data") ++i;  // its value is not a command
    } else if (&cmd == &app && !arg.empty() && arg[0] != '-') {
      // No command chosen: the first word that is not an option is a misspelt command.
      std::vector<std::string> names;
      for (const CLI::App* sub : app.get_subcommands({}))
        if (!sub->get_group().empty()) names.push_back(sub->get_name());  // not the hidden __complete
      return fmt::format("unknown command {}{}; the commands are {}", quote_for_message(arg), did_you_mean(arg, names),
                         fmt::join(names, ", "));
    }
  }
  return "";
}

}  // namespace

void end_like_a_pipe_writer() {
  if (!g_broken_pipe) return;
  // SIGPIPE was ignored (inherited from the parent), or the write would have ended co2e already.
  std::signal(SIGPIPE, SIG_DFL);
  std::raise(SIGPIPE);
}

const Dataset& Context::data() {
  if (!data_) {
    const auto started = std::chrono::steady_clock::now();
    data_ = std::make_unique<Dataset>(need(Dataset::load(data_files), data_from_env ? "CO2E_DATA" : "--data"));
    log_timing(
        fmt::format("loading the data tables ({} user file{})", data_files.size(), data_files.size() == 1 ? "" : "s"),
        started);
  }
  return *data_;
}

Origin Context::origin(const CLI::Option* opt) {
  bool typed = false;
  for (const std::string& a : args) {
    for (const auto& l : opt->get_lnames()) {
      const std::string f = "--" + l;
      typed = typed || a == f || a.starts_with(f + "=");
    }
    for (const auto& s : opt->get_snames()) typed = typed || (!a.starts_with("--") && a.starts_with("-" + s));
  }
  const std::string env = opt->get_envname();
  if (!typed && !env.empty()) {
    const char* v = std::getenv(env.c_str());
    if (v != nullptr && *v != '\0') return Origin::env(names_.emplace_back(env));
  }
  const auto& longs = opt->get_lnames();
  return Origin::flag(names_.emplace_back(longs.empty() ? opt->get_name() : "--" + longs.front()));
}

std::string Context::label(std::string_view flag) {
  // The option of the command being run (the deepest parsed subcommand): the same flag may read
  // a variable in one command and not in another.
  const CLI::App* sub = app;
  while (sub != nullptr && !sub->get_subcommands().empty()) sub = sub->get_subcommands().front();
  const CLI::Option* opt = sub != nullptr ? sub->get_option_no_throw(std::string(flag)) : nullptr;
  if (opt == nullptr || opt->empty()) return std::string(flag);
  return origin_label(origin(opt));
}

Failure Context::input_failure(std::string_view name, const Error& e) {
  Error out = e;
  out.message = fmt::format("{}{}{}", name, e.message.starts_with('"') ? " " : ": ", e.message);
  return Failure(out);
}

void write_stdout(std::string_view text) { need(write_standard_output(text)); }

void write_output(const std::string& path, std::string_view text, std::string_view flag) {
  auto out = need(OutputFile::open(path, flag));
  finish_output(out, text);
}

CLI::Option* add_output_option(CLI::App& sub, std::string& path, std::string_view help) {
  return sub.add_option("-o,--output", path, std::string(help))->type_name("FILE")->group("Output");
}

OutputFile open_output(const std::string& path) { return need(OutputFile::open(path, "-o")); }

void finish_output(OutputFile& out, std::string_view text) {
  need(out.write(text));
  need(out.commit());
}

std::string link_from(const std::string& report, const std::string& target) {
  namespace fs = std::filesystem;
  if (report.empty() || report == "-") return target;
  std::error_code ec;
  const fs::path to = fs::absolute(target, ec).lexically_normal();
  const fs::path from = fs::absolute(report, ec).parent_path().lexically_normal();
  const fs::path rel = to.lexically_relative(from);
  return ec || rel.empty() ? target : rel.generic_string();
}

void warn(std::string_view message) {
  std::fprintf(stderr, "co2e: warning: %.*s\n", static_cast<int>(message.size()), message.data());
}

CLI::Option* add_env_option(CLI::App& app, const std::string& flag, std::string& target, const std::string& help) {
  std::string env = "CO2E_";
  for (char c : flag.substr(flag.find_first_not_of('-')))
    env += c == '-' ? '_' : static_cast<char>(std::toupper(static_cast<unsigned char>(c)));
  return app.add_option(flag, target, help)->envname(env);
}

int run(int argc, char** argv) {
  protect_standard_streams();
  CLI::App app{"co2e: the energy and carbon footprint of computation, with the source of every number.", "co2e"};
  app.require_subcommand(0, 1);
  app.set_help_all_flag("--help-all", "Print the help of every command");
  Context ctx;
  ctx.app = &app;
  bool show_version = false;
  app.add_flag("-V,--version", show_version,
               "Print co2e's version, the git commit it was built from and its data release");
  app.add_option("--data", ctx.data_files,
                 "JSON file of extra or replacement data rows (CPUs, GPUs, regions, PUE; see docs/data-schema.md); "
                 "repeatable; also CO2E_DATA=FILE[:FILE...]")
      ->type_name("FILE")
      ->allow_extra_args(false);  // one file per --data: "--data x.json estimat" is a misspelt command
  app.footer(
      "Examples:\n"
      "  co2e estimate --runtime 12h --cores 12 --cpu \"Xeon Gold 6248\" --memory 64G --region GB\n"
      "  co2e estimate --gpu-hours 1082990 --gpu A100 --gpu-power 400 --pue 1 --intensity 57\n"
      "  co2e compare --runtime 100h --gpus 8 --gpu A100 --region FR,DE,PL\n"
      "  co2e batch runs.csv --region FR --group-by model --format markdown -o footprint.md\n"
      "  co2e run --region GB --log runs.csv -- python train.py\n"
      "  co2e slurm --cluster cluster.json -S 2026-01-01 --allusers\n"
      "  co2e list gpus --match h100\n"
      "  co2e show region aws:eu-west-3\n"
      "Docs: docs/cli.md. Exit codes: 0 ok, 1 budget exceeded, 2 invalid usage or input, 3 data or I/O error, 4 "
      "internal error.");
  for (const auto& c : kCommands) c.add(app, ctx);
  // -v explains on stderr what the figures rest on (log.hpp); accepted before or after the command.
  bool verbose = false;
  const std::function<void(CLI::App&)> add_verbose = [&](CLI::App& a) {
    a.add_flag("-v,--verbose", verbose,
               "explain on stderr: the data row each name matched and how, each method chosen and why, the files "
               "read, timings (also CO2E_LOG=debug|info)");
    for (CLI::App* sub : a.get_subcommands({})) add_verbose(*sub);
  };
  add_verbose(app);

  for (int i = 1; i < argc && std::string_view(argv[i]) != "--"; ++i) ctx.args.emplace_back(argv[i]);
  try {
    app.parse(argc, argv);
  } catch (const CLI::CallForHelp&) {
    return print_help(app.help());
  } catch (const CLI::CallForAllHelp&) {
    return print_help(app.help("", CLI::AppFormatMode::All));
  } catch (const CLI::ParseError& e) {
    // Subcommand help requests are ParseErrors with exit code 0 too.
    if (e.get_exit_code() == 0) {
      const auto subs = app.get_subcommands();
      return print_help(subs.empty() ? app.help() : subs.back()->help());
    }
    const std::string better =
        dynamic_cast<const CLI::ExtrasError*>(&e) != nullptr ? explain_unexpected(app, argc, argv) : "";
    if (!better.empty()) {
      std::fprintf(stderr, "co2e: error: %s\n", better.c_str());
    } else {
      std::fprintf(stderr, "co2e: error: %s\n", e.what());
      std::fprintf(stderr, "Run 'co2e --help' or 'co2e COMMAND --help' for usage.\n");
    }
    // run keeps 1-124 for the command's own statuses: its usage errors are 125 (timeout(1)).
    for (const CLI::App* sub : app.get_subcommands())
      if (sub != nullptr && sub->get_name() == "run") return kExitRunFailed;
    return kExitUsage;
  } catch (const Failure& f) {
    return report(f.error());
  }

  try {
    setup_logging(verbose);
    if (ctx.data_files.empty()) {
      ctx.data_files = split_paths(std::getenv("CO2E_DATA"));
      ctx.data_from_env = !ctx.data_files.empty();
    }
    if (show_version) {
      write_stdout(fmt::format("co2e {}\ncommit: {}\ndata release: {}\ndata: {}\n", version(), git_commit(),
                               data_release(), ctx.data().version_summary()));
      return kExitOk;
    }
    if (!ctx.run) {
      std::fputs(app.help().c_str(), stderr);
      return kExitUsage;
    }
    const auto started = std::chrono::steady_clock::now();
    const int status = ctx.run();
    log_timing(fmt::format("co2e {}", command_words(chosen_command(app))), started);
    return status;
  } catch (const Failure& f) {
    return report(f.error());
  } catch (const std::bad_alloc&) {
    return report(Error::data("out of memory"));
  } catch (const std::exception& e) {
    return report(Error::internal(fmt::format("{} (this is a bug; please report it)", e.what())));
  }
}

}  // namespace co2e::cli
