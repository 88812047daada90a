// A streaming reader of delimited text (RFC 4180 CSV with `,`, `;` or tab) and of JSON Lines.
// It reads large blocks (1 MiB) from a file descriptor or a string and hands out records as
// string_views into its buffer, so a row costs no allocation; memory is bounded by the longest
// record, never by the input's size.
#pragma once

#include <array>
#include <cstddef>
#include <cstdint>
#include <functional>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "co2e/error.hpp"

namespace co2e {

/// One record: its fields, unquoted (`"a ""b"""` → `a "b"`), valid until the next read.
struct CsvRecord {
  std::vector<std::string_view> fields;
  std::size_t line = 0;      ///< line of the input the record starts on (1-based)
  bool has_nul = false;      ///< some field holds a NUL byte (binary data?)
  bool quoted = false;       ///< some field was written in quotes
  std::string_view problem;  ///< non-empty when the record is malformed (e.g. text after a closing quote)
};

/// Reads up to `n` bytes into `buf`; 0 at end of input; an Error when the read fails.
using ReadFn = std::function<Result<std::size_t>(char* buf, std::size_t n)>;

/// A ReadFn over a file descriptor (file or pipe; retries on EINTR). Its errors ("cannot read:
/// REASON") do not name the input: the caller adds that, as for every CsvReader error.
ReadFn fd_reader(int fd);
/// A ReadFn over a string that the reader copies (tests, small inputs).
ReadFn string_reader(std::string text);

class CsvReader {
 public:
  /// Records longer than this are refused (an unterminated quote would otherwise swallow the file).
  static constexpr std::size_t kMaxRecordBytes = std::size_t{8} << 20;
  static constexpr std::size_t kDefaultBlock = std::size_t{1} << 20;

  /// `sep` 0 detects the separator from the first line: the most frequent of `,` `;` and tab
  /// outside quotes (`,` when there is none). A UTF-8 byte order mark is skipped.
  explicit CsvReader(ReadFn read, char sep = 0, std::size_t block = kDefaultBlock);

  /// The first byte of the input after the BOM and whitespace (nullopt for an empty input); reads
  /// the first block. JSON Lines start with `{`. A UTF-16 or UTF-32 byte-order mark is an Error.
  Result<std::optional<char>> first_byte();
  /// The next record; false at the end of the input. A record over kMaxRecordBytes or a failed
  /// read is an Error.
  Result<bool> next(CsvRecord& rec);
  /// The next line without its line end (CR LF or LF), for JSON Lines; false at the end.
  Result<bool> next_line(std::string_view& line, std::size_t& line_no);

  [[nodiscard]] char separator() const { return sep_; }
  [[nodiscard]] bool had_bom() const { return bom_; }
  /// Bytes consumed so far (for progress).
  [[nodiscard]] std::uint64_t bytes_read() const { return consumed_; }

 private:
  enum class Scan { done, more, error };
  Status fill();
  Status start();
  Scan scan(CsvRecord& rec, bool at_eof);

  ReadFn read_;
  std::vector<char> buf_;
  std::size_t pos_ = 0, end_ = 0;
  std::size_t line_ = 1;
  std::uint64_t consumed_ = 0;
  bool eof_ = false, started_ = false, bom_ = false;
  char sep_ = 0;
  std::vector<std::size_t> escaped_;  ///< the record's fields with a doubled quote ("") to undo
  std::array<bool, 256> stop_{};      ///< bytes that end an unquoted field: separator, CR, LF, NUL
  std::string problem_;
};

/// `field` quoted for CSV output when it holds `sep`, a quote or a line break, appended to `out`.
void append_csv_field(std::string& out, std::string_view field, char sep = ',');
/// The same written at `p`, which has 2 × field.size() + 2 bytes free; returns the end.
char* write_csv_field(char* p, std::string_view field, char sep = ',');
/// The length of the well-formed UTF-8 sequence at `s[i]` (1 to 4), or 0 when it is not one
/// (a stray continuation byte, an overlong form, a surrogate, a truncated sequence).
std::size_t utf8_sequence_length(std::string_view s, std::size_t i);
/// `text` as a JSON string literal (with quotes), appended to `out`; each byte that is not part of
/// well-formed UTF-8 becomes U+FFFD, so the output is always valid JSON.
void append_json_string(std::string& out, std::string_view text);

}  // namespace co2e
