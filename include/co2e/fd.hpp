// The owner of a file descriptor (as ccache's util/Fd): closed exactly once, when its Fd goes
// out of scope, on every path, error returns included. Every descriptor co2e opens is held by one.
#pragma once

#include <sys/types.h>
#include <string>

namespace co2e {

/// An owned file descriptor (-1: none). Movable, not copyable.
class Fd {
 public:
  Fd() = default;
  /// Takes ownership of `fd` (-1 for none).
  explicit Fd(int fd) noexcept : fd_(fd) {}
  Fd(Fd&& other) noexcept : fd_(other.release()) {}
  Fd& operator=(Fd&& other) noexcept;
  Fd(const Fd&) = delete;
  Fd& operator=(const Fd&) = delete;
  ~Fd();

  /// open(2) with O_CLOEXEC added; an invalid Fd with errno set when it fails.
  static Fd open(const std::string& path, int flags, mode_t mode = 0);

  [[nodiscard]] int get() const noexcept { return fd_; }
  [[nodiscard]] bool valid() const noexcept { return fd_ >= 0; }
  explicit operator bool() const noexcept { return valid(); }

  /// Gives the descriptor up without closing it.
  int release() noexcept;
  /// Closes now: 0, or the errno of a failed close (EINTR counts as closed: Linux frees the
  /// descriptor anyway, and retrying could close another thread's).
  int close() noexcept;

 private:
  int fd_ = -1;
};

}  // namespace co2e
