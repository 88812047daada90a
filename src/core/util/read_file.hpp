// Small-file reading for /proc and /sys, with the reason of a failure (errno text) kept.
#pragma once

#include <fcntl.h>
#include <unistd.h>
#include <cerrno>
#include <cstring>
#include <string>

#include "co2e/error.hpp"
#include "co2e/fd.hpp"

namespace co2e::detail {

/// The content of `path` (up to `max` bytes), or a data Error `PATH: reason`.
inline Result<std::string> read_small_file(const std::string& path, std::size_t max = 1 << 20) {
  const Fd fd = Fd::open(path, O_RDONLY);
  if (!fd) return Error::data(path + ": " + std::strerror(errno));
  std::string out;
  char buf[4096];
  while (out.size() < max) {
    const ssize_t n = ::read(fd.get(), buf, sizeof buf);
    if (n < 0) {
      if (errno == EINTR) continue;
      return Error::data(path + ": " + std::strerror(errno));
    }
    if (n == 0) break;
    out.append(buf, static_cast<std::size_t>(n));
  }
  return out;
}

}  // namespace co2e::detail
