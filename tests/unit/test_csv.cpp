#include <catch2/catch.hpp>
#include <nlohmann/json.hpp>

#include "co2e/csv.hpp"

using co2e::CsvReader;
using co2e::CsvRecord;

namespace {

/// Every record of `text`, read with a tiny block so that records straddle refills.
std::vector<std::vector<std::string>> read_all(const std::string& text, std::size_t block = 16, char sep = 0,
                                               std::vector<std::string>* problems = nullptr) {
  CsvReader r(co2e::string_reader(text), sep, block);
  CsvRecord rec;
  std::vector<std::vector<std::string>> out;
  for (;;) {
    auto got = r.next(rec);
    REQUIRE(got.ok());
    if (!*got) break;
    out.emplace_back(rec.fields.begin(), rec.fields.end());
    if (problems != nullptr) problems->emplace_back(rec.problem);
  }
  return out;
}

using Rows = std::vector<std::vector<std::string>>;

}  // namespace

TEST_CASE("CsvReader separators", "[unit]") {
  SECTION("comma") { CHECK(read_all("a,b,c\n1,2,3\n") == Rows{{"a", "b", "c"}, {"1", "2", "3"}}); }
  SECTION("semicolon, as in Green Algorithms exports") {
    CsvReader r(co2e::string_reader("a;b;c\n1;2,5;3\n"));
    CsvRecord rec;
    REQUIRE(*r.next(rec));
    CHECK(r.separator() == ';');
    REQUIRE(*r.next(rec));
    CHECK(std::vector<std::string>(rec.fields.begin(), rec.fields.end()) == std::vector<std::string>{"1", "2,5", "3"});
  }
  SECTION("tab") { CHECK(read_all("a\tb\n1\t2\n") == Rows{{"a", "b"}, {"1", "2"}}); }
  SECTION("the most frequent outside quotes wins") {
    CsvReader r(co2e::string_reader("\"a;b;c\",d,e\n"));
    CsvRecord rec;
    REQUIRE(*r.next(rec));
    CHECK(r.separator() == ',');
    CHECK(rec.fields.size() == 3);
    CHECK(rec.fields[0] == "a;b;c");
  }
  SECTION("no separator in a one-column file: comma") {
    CsvReader r(co2e::string_reader("runtime\n1h\n"));
    CsvRecord rec;
    REQUIRE(*r.next(rec));
    CHECK(r.separator() == ',');
  }
  SECTION("given explicitly") { CHECK(read_all("a;b\n", 16, ',') == Rows{{"a;b"}}); }
}

TEST_CASE("CsvReader quoting", "[unit]") {
  SECTION("separator, doubled quote and line break inside quotes") {
    CHECK(read_all("\"x,y\",\"he said \"\"hi\"\"\",\"two\nlines\"\n") == Rows{{"x,y", "he said \"hi\"", "two\nlines"}});
  }
  SECTION("empty quoted field and empty fields") { CHECK(read_all("\"\",,\"\"\n") == Rows{{"", "", ""}}); }
  SECTION("a quote inside an unquoted field is literal") { CHECK(read_all("ab\"c,d\n") == Rows{{"ab\"c", "d"}}); }
  SECTION("line numbers count line breaks inside quotes") {
    CsvReader r(co2e::string_reader("h\n\"a\nb\nc\"\nnext\n"), 0, 16);
    CsvRecord rec;
    REQUIRE(*r.next(rec));
    CHECK(rec.line == 1);
    REQUIRE(*r.next(rec));
    CHECK(rec.line == 2);
    REQUIRE(*r.next(rec));
    CHECK(rec.line == 5);
    CHECK(rec.fields[0] == "next");
  }
  SECTION("unterminated quote: the record says so") {
    std::vector<std::string> problems;
    CHECK(read_all("a\n\"open,b\nc\n", 16, 0, &problems) == Rows{{"a"}, {"open,b\nc\n"}});
    CHECK(problems[1] == "a quoted field opened on line 2 is never closed");
  }
  SECTION("text after a closing quote") {
    std::vector<std::string> problems;
    CHECK(read_all("\"ab\"cd,e\n", 16, 0, &problems) == Rows{{"ab", "e"}});
    CHECK(problems[0] == "text after the closing quote of field 1");
  }
}

TEST_CASE("CsvReader line ends, BOM, blank and last lines", "[unit]") {
  SECTION("CRLF") { CHECK(read_all("a,b\r\n1,2\r\n") == Rows{{"a", "b"}, {"1", "2"}}); }
  SECTION("CRLF split across blocks") {
    CHECK(read_all("abcdefghijklmn,\r\nx\r\n", 16) == Rows{{"abcdefghijklmn", ""}, {"x"}});
  }
  SECTION("lone CR") { CHECK(read_all("a\rb\r") == Rows{{"a"}, {"b"}}); }
  SECTION("UTF-8 BOM is skipped") {
    CsvReader r(co2e::string_reader("\xEF\xBB\xBFname,runtime\n"));
    CsvRecord rec;
    REQUIRE(*r.next(rec));
    CHECK(r.had_bom());
    CHECK(rec.fields[0] == "name");
  }
  SECTION("no line end on the last line") { CHECK(read_all("a,b\n1,2") == Rows{{"a", "b"}, {"1", "2"}}); }
  SECTION("trailing separator") { CHECK(read_all("a,b,\n1,2,") == Rows{{"a", "b", ""}, {"1", "2", ""}}); }
  SECTION("blank line: one empty field") { CHECK(read_all("a\n\nb\n") == Rows{{"a"}, {""}, {"b"}}); }
  SECTION("empty input") { CHECK(read_all("").empty()); }
}

TEST_CASE("CsvReader limits and binary data", "[unit]") {
  SECTION("NUL byte is flagged, not fatal") {
    CsvReader r(co2e::string_reader(std::string("a,b\nx\0y,z\n", 10)));
    CsvRecord rec;
    REQUIRE(*r.next(rec));
    CHECK_FALSE(rec.has_nul);
    REQUIRE(*r.next(rec));
    CHECK(rec.has_nul);
    CHECK(rec.fields[0] == std::string_view("x\0y", 3));
  }
  SECTION("a 1 MB field is read whole") {
    const std::string big(1 << 20, 'x');
    const auto rows = read_all("name,n\n" + big + ",1\n", CsvReader::kDefaultBlock);
    REQUIRE(rows.size() == 2);
    CHECK(rows[1][0].size() == (1U << 20));
    CHECK(rows[1][1] == "1");
  }
  SECTION("a record over the limit is an error") {
    const std::string big(CsvReader::kMaxRecordBytes + 10, 'x');
    CsvReader r(co2e::string_reader("h\n\"" + big));
    CsvRecord rec;
    REQUIRE(*r.next(rec));
    auto got = r.next(rec);
    REQUIRE_FALSE(got.ok());
    CHECK(got.error().message == "line 2: a record longer than 8 MiB (an unterminated quote?)");
  }
}

TEST_CASE("CsvReader::next_line", "[unit]") {
  CsvReader r(co2e::string_reader("{\"a\":1}\r\n\n{\"b\":2}"), 0, 16);
  std::string_view line;
  std::size_t no = 0;
  REQUIRE(*r.next_line(line, no));
  CHECK(line == "{\"a\":1}");
  CHECK(no == 1);
  REQUIRE(*r.next_line(line, no));
  CHECK(line.empty());
  REQUIRE(*r.next_line(line, no));
  CHECK(line == "{\"b\":2}");
  CHECK(no == 3);
  CHECK_FALSE(*r.next_line(line, no));
}

TEST_CASE("CsvReader::first_byte", "[unit]") {
  CsvReader a(co2e::string_reader("\xEF\xBB\xBF  \n{\"x\":1}\n"));
  CHECK(*a.first_byte() == '{');
  CsvReader b(co2e::string_reader(" \r\n"));
  CHECK_FALSE(b.first_byte()->has_value());
  CsvReader c(co2e::string_reader("name,runtime\n"));
  CHECK(*c.first_byte() == 'n');
  CsvReader d(co2e::string_reader(std::string("\0\0\0", 3)));  // /dev/zero is not an empty input
  CHECK(*d.first_byte() == '\0');
  CsvReader e(co2e::string_reader(std::string("\xFF\xFEn\0a\0", 6)));  // Excel's "Unicode text"
  auto got = e.first_byte();
  REQUIRE_FALSE(got.ok());
  CHECK_THAT(got.error().message, Catch::Contains("UTF-16LE text"));
}

TEST_CASE("append_csv_field", "[unit]") {
  std::string out;
  co2e::append_csv_field(out, "plain");
  CHECK(out == "plain");
  out.clear();
  co2e::append_csv_field(out, "a,b");
  CHECK(out == "\"a,b\"");
  out.clear();
  co2e::append_csv_field(out, "say \"x\"\n");
  CHECK(out == "\"say \"\"x\"\"\n\"");
  out.clear();
  co2e::append_csv_field(out, "a;b", ',');
  CHECK(out == "a;b");
}

TEST_CASE("append_json_string", "[unit]") {
  std::string out;
  co2e::append_json_string(out, std::string("q\"b\\n\n\x01t\t", 9));
  CHECK(out == "\"q\\\"b\\\\n\\n\\u0001t\\t\"");
}

TEST_CASE("append_json_string: invalid UTF-8 becomes U+FFFD, valid UTF-8 is kept", "[unit]") {
  const std::string fffd = "\xEF\xBF\xBD";
  std::string out;
  // "é" (C3 A9), "€" (E2 82 AC), "😀" (F0 9F 98 80) are well-formed and kept byte for byte.
  co2e::append_json_string(out, "\xC3\xA9\xE2\x82\xAC\xF0\x9F\x98\x80");
  CHECK(out == "\"\xC3\xA9\xE2\x82\xAC\xF0\x9F\x98\x80\"");
  out.clear();
  // A lone FF, a truncated 2-byte sequence, a stray continuation byte.
  co2e::append_json_string(out,
                           "a\xFF"
                           "b\xC3"
                           "c\x80");
  CHECK(out == "\"a" + fffd + "b" + fffd + "c" + fffd + "\"");
  out.clear();
  // Overlong "/" (C0 AF), a UTF-16 surrogate (ED A0 80), above U+10FFFF (F4 90 80 80): each byte replaced.
  co2e::append_json_string(out, "\xC0\xAF");
  CHECK(out == "\"" + fffd + fffd + "\"");
  out.clear();
  co2e::append_json_string(out, "\xED\xA0\x80");
  CHECK(out == "\"" + fffd + fffd + fffd + "\"");
  CHECK(co2e::utf8_sequence_length("\xF4\x90\x80\x80", 0) == 0);
  CHECK(co2e::utf8_sequence_length("\xF4\x8F\xBF\xBF", 0) == 4);  // U+10FFFF itself
  // The result parses as JSON.
  out.clear();
  co2e::append_json_string(out, "\xFF\xFE job \xC3(");
  CHECK(nlohmann::json::parse(out).get<std::string>() == fffd + fffd + " job " + fffd + "(");
}
