// The files co2e is handed, read and written defensively: a whole-file read that refuses
// directories, binary data and runaway sizes (so /dev/zero or a mistyped path ends at once with a
// reason), and output that is either standard output or a file replaced atomically, without ever
// renaming over a device, a FIFO or a symbolic link.
#pragma once

#include <cstddef>
#include <string>
#include <string_view>

#include "co2e/error.hpp"
#include "co2e/fd.hpp"

namespace co2e {

/// The largest file read whole (data tables, cluster descriptions, intensity series).
inline constexpr std::size_t kMaxTextFileBytes = std::size_t{256} << 20;

/// The whole of the text file `path`, or a data Error that starts with `path: ` and says why:
/// it cannot be opened (the system's reason), it is a directory, it is larger than `max_bytes`,
/// it is UTF-16 or UTF-32 (byte-order mark), or it holds a NUL byte (binary data). Reads FIFOs and
/// character devices too, with the same limits.
Result<std::string> read_text_file(const std::string& path, std::size_t max_bytes = kMaxTextFileBytes);

/// A byte-order mark for an encoding other than UTF-8 at the start of `head`, named for a message
/// ("UTF-16LE", ...), or empty.
std::string_view foreign_byte_order_mark(std::string_view head);

/// Where a command's output goes: standard output (`path` empty or "-") or a file.
///
/// A regular file (or a new one) is written to a temporary file beside it and renamed onto it by
/// commit(), so an interrupted or failed run leaves the old file as it was (SIGINT, SIGTERM and
/// SIGHUP remove the temporary file before co2e ends, where they were not ignored); an existing file keeps
/// its permissions, and a symbolic link keeps pointing at the file, which is replaced. A device or
/// FIFO (/dev/null, /dev/stdout, a named pipe) is written in place. Errors name the path (`-o
/// "PATH": ...`) or standard output and carry the system's reason.
class OutputFile {
 public:
  /// Opens the output; `flag` names it in messages (e.g. "-o", "--plot").
  static Result<OutputFile> open(const std::string& path, std::string_view flag = "-o");

  OutputFile(OutputFile&& other) noexcept;
  OutputFile& operator=(OutputFile&& other) noexcept;
  OutputFile(const OutputFile&) = delete;
  OutputFile& operator=(const OutputFile&) = delete;
  /// Abandons an output that was not committed (the temporary file is removed).
  ~OutputFile();

  /// Writes all of `text`.
  Status write(std::string_view text);
  /// Makes the output final: fsync and rename for a regular file, close for a device.
  Status commit();
  /// Removes the temporary file, leaving the target as it was.
  void abort();

  [[nodiscard]] bool is_stdout() const { return stdout_; }

 private:
  OutputFile() = default;
  Error failure(int err) const;

  std::string label_;    ///< `-o "PATH"` or "standard output"
  std::string target_;   ///< the file renamed onto (a symbolic link resolved)
  std::string tmp_;      ///< the temporary file, while open
  Fd file_;              ///< the temporary file or the device; none for standard output
  bool open_ = false;    ///< writes allowed (until commit or abort)
  bool direct_ = false;  ///< a device or FIFO written in place
  bool stdout_ = false;
  int temp_slot_ = -1;  ///< where the signal handlers find the temporary file's name
};

/// Makes sure file descriptors 0, 1 and 2 are open, putting /dev/null where one is closed, so that
/// a file co2e opens can never take the place of standard output. Call once, first thing in main.
/// A closed standard output is remembered: writing to it is then an error, not silence.
void protect_standard_streams();

/// Writes `text` to standard output; a closed, full or broken stdout is a data Error.
Status write_standard_output(std::string_view text);

}  // namespace co2e
