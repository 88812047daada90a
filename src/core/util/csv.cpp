// The streaming CSV / JSON Lines reader: one buffer, records as views into it.
#include "co2e/csv.hpp"
#include "co2e/files.hpp"

#include <fmt/format.h>
#include <unistd.h>
#include <algorithm>
#include <cerrno>
#include <cstring>
#include <iterator>
#include <memory>
#include <utility>

namespace co2e {

ReadFn fd_reader(int fd) {
  return [fd](char* buf, std::size_t n) -> Result<std::size_t> {
    for (;;) {
      const ssize_t got = ::read(fd, buf, n);
      if (got >= 0) return static_cast<std::size_t>(got);
      if (errno == EINTR) continue;
      return Error::data(fmt::format("cannot read: {}", std::strerror(errno)));
    }
  };
}

ReadFn string_reader(std::string text) {
  auto state = std::make_shared<std::pair<std::string, std::size_t>>(std::move(text), 0);
  return [state](char* buf, std::size_t n) -> Result<std::size_t> {
    const std::size_t k = std::min(n, state->first.size() - state->second);
    std::copy_n(state->first.data() + state->second, k, buf);
    state->second += k;
    return k;
  };
}

CsvReader::CsvReader(ReadFn read, char sep, std::size_t block)
    : read_(std::move(read)), buf_(std::max<std::size_t>(block, 16)), sep_(sep) {}

Status CsvReader::fill() {
  if (pos_ > 0) {  // keep the unread tail at the front
    std::memmove(buf_.data(), buf_.data() + pos_, end_ - pos_);
    end_ -= pos_;
    pos_ = 0;
  }
  if (end_ == buf_.size()) {
    if (buf_.size() >= kMaxRecordBytes)
      return Error::data(
          fmt::format("line {}: a record longer than {} MiB (an unterminated quote?)", line_, kMaxRecordBytes >> 20));
    buf_.resize(std::min(buf_.size() * 2, kMaxRecordBytes));
  }
  while (end_ < buf_.size()) {
    auto got = read_(buf_.data() + end_, buf_.size() - end_);
    if (!got) return got.error();
    if (*got == 0) {
      eof_ = true;
      break;
    }
    end_ += *got;
    if (end_ >= buf_.size() / 2) break;  // enough to work on
  }
  return std::nullopt;
}

Status CsvReader::start() {
  if (started_) return std::nullopt;
  started_ = true;
  if (auto err = fill()) return err;
  while (end_ < 3 && !eof_)
    if (auto err = fill()) return err;
  if (const auto bom = foreign_byte_order_mark(std::string_view(buf_.data(), end_)); !bom.empty())
    return Error::data(
        fmt::format("{} text (byte-order mark at the start); co2e reads UTF-8: save the file as "
                    "\"CSV UTF-8\" (or iconv -f {} -t UTF-8)",
                    bom, bom));
  if (end_ >= 3 && std::memcmp(buf_.data(), "\xEF\xBB\xBF", 3) == 0) {
    bom_ = true;
    pos_ = 3;
    consumed_ = 3;
  }
  if (sep_ == 0) {
    // The separator that occurs most often in the first line, outside quotes.
    std::size_t comma = 0, semi = 0, tab = 0;
    bool quoted = false;
    for (std::size_t i = pos_; i < end_; ++i) {
      const char c = buf_[i];
      if (c == '"')
        quoted = !quoted;
      else if (quoted)
        continue;
      else if (c == '\n' || c == '\r')
        break;
      else if (c == ',')
        ++comma;
      else if (c == ';')
        ++semi;
      else if (c == '\t')
        ++tab;
    }
    sep_ = ',';
    if (semi > comma && semi >= tab)
      sep_ = ';';
    else if (tab > comma && tab > semi)
      sep_ = '\t';
  }
  stop_.fill(false);
  for (const unsigned char c : {static_cast<unsigned char>(sep_), static_cast<unsigned char>('\n'),
                                static_cast<unsigned char>('\r'), static_cast<unsigned char>('\0')})
    stop_[c] = true;
  return std::nullopt;
}

Result<std::optional<char>> CsvReader::first_byte() {
  if (auto err = start()) return *err;
  for (;;) {
    for (std::size_t i = pos_; i < end_; ++i)
      if (buf_[i] != ' ' && buf_[i] != '\t' && buf_[i] != '\r' && buf_[i] != '\n') return std::optional<char>(buf_[i]);
    if (eof_) return std::optional<char>();
    if (end_ - pos_ >= kMaxRecordBytes / 2) return std::optional<char>(' ');
    if (auto err = fill()) return *err;
  }
}

// long-function: RFC 4180's state machine over one record's bytes (quoted field, plain field, the
// separator or line end after it) in one loop, batch's hottest code: each state is a few lines.
CsvReader::Scan CsvReader::scan(CsvRecord& rec, bool at_eof) {
  const char* const base = buf_.data();
  const char* p = base + pos_;
  const char* const e = base + end_;
  const char sep = sep_;
  // The fields go straight into the record as views of the buffer, which stays put until the
  // record is done (a Scan::more discards them; fill() may then move the buffer). Issue 18: the
  // offsets kept first and turned into views at the end cost ~25 instructions a field.
  rec.fields.clear();
  escaped_.clear();
  problem_.clear();
  std::size_t newlines = 0;
  bool nul = false;
  bool quoted = false;
  auto finish = [&](const char* next) {
    for (const std::size_t k :
         escaped_) {  // "" → " in place; the record is complete, so the raw text is not needed again
      std::string_view& f = rec.fields[k];
      char* const b = buf_.data() + (f.data() - base);
      char* w = b;
      for (std::size_t i = 0; i < f.size(); ++i) {
        *w++ = b[i];
        if (b[i] == '"') ++i;
      }
      f = std::string_view(b, static_cast<std::size_t>(w - b));
    }
    rec.line = line_;
    rec.has_nul = nul;
    rec.quoted = quoted;
    rec.problem = problem_;
    line_ += newlines + 1;
    const auto used = static_cast<std::size_t>(next - base) - pos_;
    consumed_ += used;
    pos_ += used;
    return Scan::done;
  };
  // At a field's end: the separator, a line end, or the end of the input.
  for (;;) {
    if (p < e && *p == '"') {
      quoted = true;
      const char* start = ++p;
      bool escaped = false;
      const char* close = nullptr;
      for (;;) {
        const auto* q = static_cast<const char*>(std::memchr(p, '"', static_cast<std::size_t>(e - p)));
        if (q == nullptr) {
          if (!at_eof) return Scan::more;
          problem_ = fmt::format("a quoted field opened on line {} is never closed", line_ + newlines);
          close = e;
          p = e;
          break;
        }
        if (q + 1 == e && !at_eof) return Scan::more;
        if (q + 1 < e && q[1] == '"') {
          escaped = true;
          p = q + 2;
          continue;
        }
        close = q;
        p = q + 1;
        break;
      }
      newlines += static_cast<std::size_t>(std::count(start, close, '\n'));
      if (std::memchr(start, '\0', static_cast<std::size_t>(close - start)) != nullptr) nul = true;
      if (escaped) escaped_.push_back(rec.fields.size());
      rec.fields.emplace_back(start, static_cast<std::size_t>(close - start));
      if (p < e && *p != sep && *p != '\n' && *p != '\r') {
        // Text after the closing quote: keep the quoted part, report the record.
        if (problem_.empty()) problem_ = fmt::format("text after the closing quote of field {}", rec.fields.size());
        while (p < e && *p != sep && *p != '\n' && *p != '\r') ++p;
        if (p == e && !at_eof) return Scan::more;
      }
    } else {
      const char* start = p;
      while (p < e && !stop_[static_cast<unsigned char>(*p)]) ++p;
      while (p < e && *p == '\0') {  // rare: note it and go on
        nul = true;
        ++p;
        while (p < e && !stop_[static_cast<unsigned char>(*p)]) ++p;
      }
      if (p == e && !at_eof) return Scan::more;
      rec.fields.emplace_back(start, static_cast<std::size_t>(p - start));
    }
    if (p == e) return finish(p);
    if (*p == sep) {
      ++p;
      if (p == e && !at_eof) return Scan::more;
      if (p == e) {  // a trailing separator at the very end: one more empty field
        rec.fields.emplace_back(p, 0);
        return finish(p);
      }
      continue;
    }
    if (*p == '\r') {
      if (p + 1 == e && !at_eof) return Scan::more;
      ++p;
      if (p < e && *p == '\n') ++p;
      return finish(p);
    }
    return finish(p + 1);  // '\n'
  }
}

Result<bool> CsvReader::next(CsvRecord& rec) {
  if (auto err = start()) return *err;
  for (;;) {
    if (pos_ == end_ && eof_) return false;
    if (pos_ < end_) {
      const Scan s = scan(rec, eof_);
      if (s == Scan::done) return true;
    }
    if (eof_) return false;
    if (auto err = fill()) return *err;
  }
}

Result<bool> CsvReader::next_line(std::string_view& line, std::size_t& line_no) {
  if (auto err = start()) return *err;
  for (;;) {
    if (pos_ == end_ && eof_) return false;
    const char* b = buf_.data() + pos_;
    const auto* nl = static_cast<const char*>(std::memchr(b, '\n', end_ - pos_));
    if (nl != nullptr || eof_) {
      const char* stop = nl != nullptr ? nl : buf_.data() + end_;
      std::size_t len = static_cast<std::size_t>(stop - b);
      const std::size_t used = len + (nl != nullptr ? 1 : 0);
      if (len > 0 && b[len - 1] == '\r') --len;
      line = std::string_view(b, len);
      line_no = line_++;
      pos_ += used;
      consumed_ += used;
      return true;
    }
    if (auto err = fill()) return *err;
  }
}

char* write_csv_field(char* p, std::string_view field, char sep) {
  // One pass that copies while it looks for a byte that needs quotes (rare): most fields are
  // short, and a memcpy call costs more than the loop.
  char* const start = p;
  bool plain = true;
  for (const char c : field) {
    if ((static_cast<unsigned char>(c) <= '"' && (c == '"' || c == '\n' || c == '\r')) || c == sep) {
      plain = false;
      break;
    }
    *p++ = c;
  }
  if (plain) return p;
  p = start;
  *p++ = '"';
  for (const char c : field) {
    if (c == '"') *p++ = '"';
    *p++ = c;
  }
  *p++ = '"';
  return p;
}

void append_csv_field(std::string& out, std::string_view field, char sep) {
  const std::size_t at = out.size();
  out.resize(at + 2 * field.size() + 2);
  out.resize(static_cast<std::size_t>(write_csv_field(out.data() + at, field, sep) - out.data()));
}

std::size_t utf8_sequence_length(std::string_view s, std::size_t i) {
  const auto byte = [&](std::size_t k) { return k < s.size() ? static_cast<unsigned char>(s[k]) : 0U; };
  const unsigned b0 = byte(i);
  const auto cont = [&](std::size_t k) { return (byte(k) & 0xC0U) == 0x80U; };
  if (b0 < 0x80U) return 1;
  if (b0 >= 0xC2U && b0 <= 0xDFU) return cont(i + 1) ? 2 : 0;
  if (b0 >= 0xE0U && b0 <= 0xEFU) {
    const unsigned b1 = byte(i + 1);
    if ((b0 == 0xE0U && b1 < 0xA0U) || (b0 == 0xEDU && b1 >= 0xA0U)) return 0;  // overlong; surrogate
    return cont(i + 1) && cont(i + 2) ? 3 : 0;
  }
  if (b0 >= 0xF0U && b0 <= 0xF4U) {
    const unsigned b1 = byte(i + 1);
    if ((b0 == 0xF0U && b1 < 0x90U) || (b0 == 0xF4U && b1 >= 0x90U)) return 0;  // overlong; above U+10FFFF
    return cont(i + 1) && cont(i + 2) && cont(i + 3) ? 4 : 0;
  }
  return 0;
}

void append_json_string(std::string& out, std::string_view text) {
  out += '"';
  for (std::size_t i = 0; i < text.size(); ++i) {
    const char c = text[i];
    const auto u = static_cast<unsigned char>(c);
    if (u >= 0x80) {
      const std::size_t n = utf8_sequence_length(text, i);
      if (n == 0) {
        out += "\xEF\xBF\xBD";  // U+FFFD REPLACEMENT CHARACTER: JSON text must be UTF-8
      } else {
        out.append(text.substr(i, n));
        i += n - 1;
      }
      continue;
    }
    if (c == '"' || c == '\\') {
      out += '\\';
      out += c;
    } else if (u < 0x20) {
      switch (c) {
        case '\n':
          out += "\\n";
          break;
        case '\r':
          out += "\\r";
          break;
        case '\t':
          out += "\\t";
          break;
        default:
          fmt::format_to(std::back_inserter(out), "\\u{:04x}", u);
      }
    } else {
      out += c;
    }
  }
  out += '"';
}

}  // namespace co2e
