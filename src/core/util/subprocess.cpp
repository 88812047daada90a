// Child processes (subprocess.hpp): one posix_spawnp, a sigtimedwait loop for signals and ticks
// with wait4 for `co2e run`, a pipe and waitpid for the programs whose output co2e reads.
#include "co2e/subprocess.hpp"

#include <fcntl.h>
#include <fmt/format.h>
#include <spawn.h>
#include <sys/resource.h>
#include <sys/wait.h>
#include <unistd.h>
#include <cerrno>
#include <csignal>
#include <cstring>
#include <ctime>
#include <utility>

#include "co2e/exit_codes.hpp"

extern char** environ;

namespace co2e {

namespace {

using Clock = std::chrono::steady_clock;

timespec to_timespec(Clock::duration d) {
  if (d < Clock::duration::zero()) d = Clock::duration::zero();
  const auto ns = std::chrono::duration_cast<std::chrono::nanoseconds>(d).count();
  return timespec{static_cast<time_t>(ns / 1'000'000'000), static_cast<long>(ns % 1'000'000'000)};
}

double seconds(const timeval& tv) { return static_cast<double>(tv.tv_sec) + static_cast<double>(tv.tv_usec) / 1e6; }

/// posix_spawnp of `argv` with the environment; the child's pid, or the error number (ENOENT:
/// not on PATH). The one place co2e starts a program.
struct Spawned {
  pid_t pid = -1;
  int error = 0;
};
Spawned spawn(const std::vector<std::string>& argv, const posix_spawn_file_actions_t* actions,
              const posix_spawnattr_t* attr) {
  std::vector<char*> args;
  args.reserve(argv.size() + 1);
  for (const auto& a : argv) args.push_back(const_cast<char*>(a.c_str()));  // NOLINT: posix_spawn's API
  args.push_back(nullptr);
  Spawned s;
  s.error = ::posix_spawnp(&s.pid, args[0], actions, attr, args.data(), environ);
  return s;
}

/// A wait status as a shell reports it: the exit status, or 128+N when killed by signal N.
int shell_status(int status) {
  if (WIFEXITED(status)) return WEXITSTATUS(status);
  if (WIFSIGNALED(status)) return 128 + WTERMSIG(status);
  return 128;
}

}  // namespace

ChildOutcome run_child(const std::vector<std::string>& argv, Seconds interval, Seconds grace, const ChildHooks& hooks) {
  ChildOutcome out;
  sigset_t watched, old_mask;
  sigemptyset(&watched);
  for (int s : {SIGINT, SIGTERM, SIGHUP, SIGCHLD}) sigaddset(&watched, s);
  // Blocked, these signals wait for sigtimedwait; the child gets the mask and dispositions co2e
  // was started with (a SIG_IGN from nohup stays ignored, as with time(1)).
  pthread_sigmask(SIG_BLOCK, &watched, &old_mask);
  struct sigaction old_chld {};
  struct sigaction dfl {};
  dfl.sa_handler = SIG_DFL;
  sigaction(SIGCHLD, &dfl, &old_chld);  // SIG_IGN would reap the child before wait4

  posix_spawnattr_t attr;
  posix_spawnattr_init(&attr);
  posix_spawnattr_setsigmask(&attr, &old_mask);
  sigset_t def;
  sigemptyset(&def);
  sigaddset(&def, SIGCHLD);
  posix_spawnattr_setsigdefault(&attr, &def);
  posix_spawnattr_setflags(&attr, POSIX_SPAWN_SETSIGMASK | POSIX_SPAWN_SETSIGDEF);
  // Linux gives an exec'd child the peak RSS of the process it was cloned from (exec_mmap's
  // setmax_mm_hiwater_rss): a ru_maxrss not clearly above our own (1 MB for what posix_spawn
  // itself touches) says nothing about the command; the sampled peak is used instead.
  rusage self{};
  getrusage(RUSAGE_SELF, &self);
  out.started = Clock::now();
  const Spawned child = spawn(argv, nullptr, &attr);
  const pid_t pid = child.pid;
  const int rc = child.error;
  posix_spawnattr_destroy(&attr);
  auto restore = [&] {
    sigaction(SIGCHLD, &old_chld, nullptr);
    pthread_sigmask(SIG_SETMASK, &old_mask, nullptr);
  };
  if (rc != 0) {
    restore();
    out.ended = Clock::now();
    out.how = rc == ENOENT || rc == ENOTDIR ? ChildOutcome::How::not_found : ChildOutcome::How::cannot_exec;
    out.code = rc;
    return out;
  }
  if (hooks.on_start) hooks.on_start(pid, out.started);

  const auto step = std::chrono::duration_cast<Clock::duration>(interval);
  auto next_tick = out.started + step;
  bool stopping = false, killed = false;
  Clock::time_point kill_at{};
  int status = 0;
  rusage ru{};
  for (;;) {
    const pid_t w = wait4(pid, &status, WNOHANG, &ru);
    if (w == pid) break;
    if (w < 0 && errno != EINTR) break;  // cannot happen: the child is ours
    auto now = Clock::now();
    if (now >= next_tick) {
      if (hooks.on_tick && hooks.on_tick(now) && !stopping) {
        stopping = true;
        out.stopped = true;
        kill(pid, SIGTERM);
        kill_at = now + std::chrono::duration_cast<Clock::duration>(grace);
      }
      next_tick += step;
      if (next_tick <= now) next_tick = now + step;
    }
    if (stopping && !killed && now >= kill_at) {
      if (hooks.tree)
        for (pid_t p : hooks.tree())
          if (p != pid) kill(p, SIGKILL);
      kill(pid, SIGKILL);
      killed = true;
    }
    auto deadline = next_tick;
    if (stopping && !killed && kill_at < deadline) deadline = kill_at;
    const timespec ts = to_timespec(deadline - now);
    siginfo_t info{};
    const int sig = sigtimedwait(&watched, &info, &ts);
    if (sig == SIGINT || sig == SIGTERM || sig == SIGHUP) {
      // A signal from the terminal (si_code > 0: SI_KERNEL) already reached the child when it
      // shares our foreground process group; one sent with kill() did not.
      if (info.si_code <= 0 || getpgid(pid) != getpgrp()) kill(pid, sig);
    }
  }
  out.ended = Clock::now();
  restore();
  out.user_s = seconds(ru.ru_utime);
  out.system_s = seconds(ru.ru_stime);
  if (ru.ru_maxrss > self.ru_maxrss + 1024) out.peak_rss_gb = static_cast<double>(ru.ru_maxrss) * 1024 / 1e9;
  if (WIFSIGNALED(status)) {
    out.how = ChildOutcome::How::signaled;
    out.code = WTERMSIG(status);
  } else {
    out.how = ChildOutcome::How::exited;
    out.code = WEXITSTATUS(status);
  }
  return out;
}

int exit_status(const ChildOutcome& o) {
  switch (o.how) {
    case ChildOutcome::How::exited:
      return o.code;
    case ChildOutcome::How::signaled:
      return 128 + o.code;
    case ChildOutcome::How::not_found:
      return kExitRunNotFound;
    case ChildOutcome::How::cannot_exec:
      return kExitRunCannotExec;
  }
  return kExitRunFailed;
}

Result<ChildOutput> spawn_output(const std::vector<std::string>& argv) {
  int fds[2];
  if (::pipe2(fds, O_CLOEXEC) != 0) return Error::data(fmt::format("cannot create a pipe: {}", std::strerror(errno)));
  Fd read_end(fds[0]);
  const Fd write_end(fds[1]);
  posix_spawn_file_actions_t fa;
  posix_spawn_file_actions_init(&fa);
  posix_spawn_file_actions_adddup2(&fa, write_end.get(), 1);
  const Spawned child = spawn(argv, &fa, nullptr);
  posix_spawn_file_actions_destroy(&fa);
  if (child.error != 0) {
    if (child.error == ENOENT) return Error::data(fmt::format("{}: command not found on PATH", argv[0]));
    return Error::data(fmt::format("{}: cannot start: {}", argv[0], std::strerror(child.error)));
  }
  return ChildOutput{child.pid, std::move(read_end)};
}

Result<int> wait_child(ChildOutput& child) {
  child.fd.close();  // a child still writing gets SIGPIPE instead of blocking forever
  int status = 0;
  while (::waitpid(child.pid, &status, 0) < 0) {
    if (errno != EINTR) return Error::data(fmt::format("waitpid: {}", std::strerror(errno)));
  }
  child.pid = -1;
  return shell_status(status);
}

}  // namespace co2e
