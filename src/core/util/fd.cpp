// The owner of a file descriptor (fd.hpp).
#include "co2e/fd.hpp"

#include <fcntl.h>
#include <unistd.h>

#include <cerrno>

namespace co2e {

Fd& Fd::operator=(Fd&& other) noexcept {
  if (this != &other) {
    close();
    fd_ = other.release();
  }
  return *this;
}

Fd::~Fd() { close(); }

Fd Fd::open(const std::string& path, int flags, mode_t mode) {
  return Fd(::open(path.c_str(), flags | O_CLOEXEC, mode));  // NOLINT(cppcoreguidelines-pro-type-vararg): open(2)
}

int Fd::release() noexcept {
  const int fd = fd_;
  fd_ = -1;
  return fd;
}

int Fd::close() noexcept {
  if (fd_ < 0) return 0;
  const int rc = ::close(release());
  return rc == 0 || errno == EINTR ? 0 : errno;
}

}  // namespace co2e
