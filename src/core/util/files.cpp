#include "co2e/files.hpp"

#include "co2e/fd.hpp"
#include "co2e/trace.hpp"
#include "util/trace_format.hpp"

#include <fcntl.h>
#include <fmt/format.h>
#include <sys/stat.h>
#include <unistd.h>

#include <atomic>
#include <cerrno>
#include <climits>
#include <csignal>
#include <cstdint>
#include <cstdio>
#include <cstdlib>
#include <cstring>
#include <filesystem>
#include <memory>
#include <mutex>
#include <optional>
#include <system_error>
#include <utility>

namespace co2e {

namespace {

std::atomic<bool> g_stdout_closed{false};

// Temporary output files that SIGINT, SIGTERM or SIGHUP must not leave behind. The handler may
// only call async-signal-safe functions: fixed buffers, lock-free flags, unlink, signal, raise.
constexpr int kMaxTemps = 8;
char g_temp_names[kMaxTemps][PATH_MAX];
std::atomic<bool> g_temp_used[kMaxTemps];

extern "C" void remove_temps_and_end(int sig) {
  for (int i = 0; i < kMaxTemps; ++i)
    if (g_temp_used[i].load(std::memory_order_acquire)) ::unlink(g_temp_names[i]);
  ::signal(sig, SIG_DFL);
  ::raise(sig);
}

/// Installs the handler for the signals that are at their default; an ignored one stays ignored,
/// and a command (co2e run) that handles them itself takes them over afterwards.
void install_temp_cleanup() {
  static std::once_flag once;
  std::call_once(once, [] {
    for (const int sig : {SIGINT, SIGTERM, SIGHUP}) {
      struct sigaction old {};
      if (::sigaction(sig, nullptr, &old) != 0 || old.sa_handler != SIG_DFL) continue;
      struct sigaction sa {};
      sa.sa_handler = remove_temps_and_end;
      sigemptyset(&sa.sa_mask);
      ::sigaction(sig, &sa, nullptr);
    }
  });
}

/// Makes `path` known to the handler; the slot, or -1 when none is free or the name is too long.
int register_temp(const std::string& path) {
  install_temp_cleanup();
  if (path.size() >= PATH_MAX) return -1;
  static std::mutex mu;
  const std::lock_guard lock(mu);
  for (int i = 0; i < kMaxTemps; ++i) {
    if (g_temp_used[i].load(std::memory_order_relaxed)) continue;
    std::memcpy(g_temp_names[i], path.c_str(), path.size() + 1);
    g_temp_used[i].store(true, std::memory_order_release);
    return i;
  }
  return -1;
}

void unregister_temp(int& slot) {
  if (slot >= 0) g_temp_used[slot].store(false, std::memory_order_release);
  slot = -1;
}

/// Writes all of `text` to `fd`, retrying after signals; 0 or the errno of the failure.
int write_all(int fd, std::string_view text) {
  while (!text.empty()) {
    const ssize_t n = ::write(fd, text.data(), text.size());
    if (n < 0 && errno == EINTR) continue;
    if (n < 0) return errno;
    if (n == 0) return EIO;
    text.remove_prefix(static_cast<std::size_t>(n));
  }
  return 0;
}

}  // namespace

std::string_view foreign_byte_order_mark(std::string_view head) {
  // UTF-32 first: its little-endian mark starts with UTF-16LE's.
  if (head.starts_with(std::string_view("\xFF\xFE\0\0", 4))) return "UTF-32LE";
  if (head.starts_with(std::string_view("\0\0\xFE\xFF", 4))) return "UTF-32BE";
  if (head.starts_with("\xFF\xFE")) return "UTF-16LE";
  if (head.starts_with("\xFE\xFF")) return "UTF-16BE";
  return {};
}

Result<std::string> read_text_file(const std::string& path, std::size_t max_bytes) {
  const Fd f = Fd::open(path, O_RDONLY | O_NOCTTY);
  if (!f) return Error::data(fmt::format("{}: cannot open: {}", path, std::strerror(errno)));
  struct stat st {};
  if (::fstat(f.get(), &st) != 0) return Error::data(fmt::format("{}: cannot read: {}", path, std::strerror(errno)));
  if (S_ISDIR(st.st_mode)) return Error::data(fmt::format("{}: is a directory, not a file", path));
  const auto too_large = [&] {
    return Error::data(fmt::format("{}: larger than {} MiB; is this the right file?", path, max_bytes >> 20));
  };
  if (S_ISREG(st.st_mode) && static_cast<std::uint64_t>(st.st_size) > max_bytes) return too_large();

  std::string text;
  if (S_ISREG(st.st_mode)) text.reserve(static_cast<std::size_t>(st.st_size));
  char buf[65536];
  for (;;) {
    const ssize_t n = ::read(f.get(), buf, sizeof buf);
    if (n < 0 && errno == EINTR) continue;
    if (n < 0) return Error::data(fmt::format("{}: cannot read: {}", path, std::strerror(errno)));
    if (n == 0) break;
    const std::size_t at = text.size();
    text.append(buf, static_cast<std::size_t>(n));
    if (at < 4 && text.size() >= 2) {  // the byte-order mark decides before any NUL does
      if (const auto bom = foreign_byte_order_mark(text); !bom.empty())
        return Error::data(
            fmt::format("{}: {} text (byte-order mark at the start); co2e reads UTF-8: save the file "
                        "as UTF-8 (e.g. iconv -f {} -t UTF-8)",
                        path, bom, bom));
    }
    if (const void* nul = std::memchr(text.data() + at, '\0', static_cast<std::size_t>(n)))
      return Error::data(
          fmt::format("{}: byte {} is a NUL byte: co2e reads UTF-8 text, and this looks like binary data", path,
                      static_cast<std::size_t>(static_cast<const char*>(nul) - text.data()) + 1));
    if (text.size() > max_bytes) return too_large();
  }
  trace(TraceLevel::info, "read {} ({} bytes)", path, text.size());
  return text;
}

// ---------------------------------------------------------------------------------------------

Result<OutputFile> OutputFile::open(const std::string& path, std::string_view flag) {
  namespace fs = std::filesystem;
  OutputFile out;
  if (path.empty() || path == "-") {
    if (g_stdout_closed.load()) {
      return Error::data(
          "cannot write to standard output: it is closed (was co2e started with >&-?); give -o FILE or redirect "
          "it to a file");
    }
    out.label_ = "standard output";
    out.stdout_ = true;
    out.open_ = true;
    return out;
  }
  out.label_ = fmt::format("{} \"{}\"", flag, path);
  out.target_ = path;
  struct stat st {};
  if (::lstat(path.c_str(), &st) == 0 && S_ISLNK(st.st_mode)) {
    // Replace the file the link points at, not the link.
    std::error_code ec;
    const fs::path resolved = fs::weakly_canonical(path, ec);
    if (ec) return Error::data(fmt::format("{}: cannot resolve the symbolic link: {}", out.label_, ec.message()));
    out.target_ = resolved.string();
  }
  const bool exists = ::stat(out.target_.c_str(), &st) == 0;
  if (exists && S_ISDIR(st.st_mode)) return Error::data(fmt::format("{}: is a directory", out.label_));
  if (exists && !S_ISREG(st.st_mode)) {
    // A device or FIFO: there is nothing to replace atomically, and renaming over it would destroy it.
    out.file_ = Fd::open(out.target_, O_WRONLY | O_NOCTTY);
    if (!out.file_) return out.failure(errno);
    out.direct_ = true;
    out.open_ = true;
    return out;
  }
  const fs::path target(out.target_);
  const fs::path dir = target.has_parent_path() ? target.parent_path() : fs::path(".");
  static std::atomic<unsigned> counter{0};
  for (int attempt = 0; attempt < 100; ++attempt) {
    const fs::path tmp =
        dir / fmt::format(".{}.co2e-{}-{}.tmp", target.filename().string(), ::getpid(), counter.fetch_add(1));
    // 0666 filtered by the umask, as for any new file; an existing file's permissions are kept below.
    Fd fd = Fd::open(tmp.string(), O_WRONLY | O_CREAT | O_EXCL | O_NOCTTY, 0666);
    if (!fd && errno == EEXIST) continue;
    if (!fd)
      return Error::data(
          fmt::format("{}: cannot create a temporary file in {}: {}", out.label_, dir.string(), std::strerror(errno)));
    if (exists) (void)::fchmod(fd.get(), st.st_mode & 07777);
    out.file_ = std::move(fd);
    out.open_ = true;
    out.tmp_ = tmp.string();
    out.temp_slot_ = register_temp(out.tmp_);  // best effort: a file we may not chmod is still written
    return out;
  }
  return Error::data(fmt::format("{}: cannot create a temporary file in {}", out.label_, dir.string()));
}

OutputFile::OutputFile(OutputFile&& other) noexcept
    : label_(std::move(other.label_)),
      target_(std::move(other.target_)),
      tmp_(std::move(other.tmp_)),
      file_(std::move(other.file_)),
      open_(other.open_),
      direct_(other.direct_),
      stdout_(other.stdout_),
      temp_slot_(other.temp_slot_) {
  other.open_ = false;
  other.temp_slot_ = -1;
  other.tmp_.clear();
  other.direct_ = false;
}

OutputFile& OutputFile::operator=(OutputFile&& other) noexcept {
  if (this != &other) {
    abort();
    label_ = std::move(other.label_);
    target_ = std::move(other.target_);
    tmp_ = std::move(other.tmp_);
    file_ = std::move(other.file_);
    open_ = other.open_;
    direct_ = other.direct_;
    stdout_ = other.stdout_;
    temp_slot_ = other.temp_slot_;
    other.temp_slot_ = -1;
    other.open_ = false;
    other.tmp_.clear();
    other.direct_ = false;
  }
  return *this;
}

OutputFile::~OutputFile() { abort(); }

Error OutputFile::failure(int err) const {
  if (err == EPIPE) return Error{ErrorKind::broken_pipe, fmt::format("{}: the reader closed the pipe", label_), {}, {}};
  return Error::data(fmt::format("{}: cannot write: {}", label_, std::strerror(err)));
}

Status OutputFile::write(std::string_view text) {
  if (!open_) return Error::internal(fmt::format("{}: written after it was closed", label_));
  if (stdout_) std::fflush(stdout);  // keep order with stdio
  if (const int err = write_all(stdout_ ? STDOUT_FILENO : file_.get(), text)) return failure(err);
  return std::nullopt;
}

Status OutputFile::commit() {
  if (!open_) return std::nullopt;
  open_ = false;
  if (is_stdout()) return std::nullopt;
  if (direct_) {
    direct_ = false;
    if (const int err = file_.close()) return failure(err);
    return std::nullopt;
  }
  const bool synced = ::fsync(file_.get()) == 0;
  const int sync_err = errno;
  const int close_err = file_.close();
  if (!synced || close_err != 0) {
    std::remove(tmp_.c_str());
    tmp_.clear();
    unregister_temp(temp_slot_);
    return failure(!synced ? sync_err : close_err);
  }
  if (std::rename(tmp_.c_str(), target_.c_str()) != 0) {
    const int err = errno;
    std::remove(tmp_.c_str());
    tmp_.clear();
    unregister_temp(temp_slot_);
    return Error::data(fmt::format("{}: cannot replace the file: {}", label_, std::strerror(err)));
  }
  tmp_.clear();
  unregister_temp(temp_slot_);
  return std::nullopt;
}

void OutputFile::abort() {
  file_.close();
  open_ = false;
  direct_ = false;
  if (!tmp_.empty()) std::remove(tmp_.c_str());
  tmp_.clear();
  unregister_temp(temp_slot_);
}

// ---------------------------------------------------------------------------------------------

void protect_standard_streams() {
  for (int fd = 0; fd <= 2; ++fd) {
    if (::fcntl(fd, F_GETFD) != -1 || errno != EBADF) continue;
    // open() returns the lowest free descriptor: this one, as the lower ones are open by now.
    // No O_CLOEXEC (so not Fd::open): the commands co2e run starts inherit these.
    Fd got(::open("/dev/null", fd == 0 ? O_RDONLY : O_WRONLY));  // NOLINT(cppcoreguidelines-pro-type-vararg)
    if (got.get() == fd)
      got.release();  // it is the standard stream now, held for the life of the process
    else if (got)
      ::dup2(got.get(), fd);
    if (fd == STDOUT_FILENO) g_stdout_closed.store(true);
  }
}

Status write_standard_output(std::string_view text) {
  auto out = OutputFile::open("-");
  if (!out) return out.error();
  return out->write(text);
}

}  // namespace co2e
