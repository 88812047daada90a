// Unit tests of the message-quoting helpers (include/co2e/quote.hpp) and of the JSON error text
// (src/core/util/json_error.hpp).
#include <catch2/catch.hpp>
#include <nlohmann/json.hpp>

#include "co2e/quote.hpp"
#include "util/json_error.hpp"

TEST_CASE("quote_for_message", "[unit]") {
  using co2e::quote_for_message;
  CHECK(quote_for_message("12x") == "\"12x\"");
  CHECK(quote_for_message("Xéon µWh") == "\"Xéon µWh\"");  // valid UTF-8 is kept
  CHECK(quote_for_message("a\x1b[31mb") == "\"a\\x1b[31mb\"");
  CHECK(quote_for_message(std::string("a\0b", 3)) == "\"a\\x00b\"");
  CHECK(quote_for_message("\x7f") == "\"\\x7f\"");
  CHECK(quote_for_message("\xff\xfe") == "\"\\xff\\xfe\"");  // invalid UTF-8
  CHECK(quote_for_message("\xc2\x9b"
                          "31m") == "\"\\xc2\\x9b31m\"");  // U+009B, the C1 CSI
  CHECK(quote_for_message("\xe2\x80\xae"
                          "abc") == "\"\\xe2\\x80\\xaeabc\"");        // U+202E right-to-left override
  CHECK(quote_for_message("\xc0\xaf") == "\"\\xc0\\xaf\"");           // an overlong '/'
  CHECK(quote_for_message("\xed\xa0\x80") == "\"\\xed\\xa0\\x80\"");  // a UTF-16 surrogate
  CHECK(quote_for_message("\xe2\x82") == "\"\\xe2\\x82\"");           // a truncated sequence
  SECTION("length is capped, never inside a character") {
    CHECK(quote_for_message(std::string(100, 'a'), 10) == "\"aaaaaaaaaa...\"");
    CHECK(quote_for_message("aaaaaaaaaé", 10) == "\"aaaaaaaaa...\"");  // é is 2 bytes: it does not fit
    CHECK(quote_for_message("abc", 3) == "\"abc\"");
  }
  CHECK(co2e::looks_binary(std::string("a\0", 2)));
  CHECK(co2e::looks_binary("\xff"));
  CHECK_FALSE(co2e::looks_binary("plain, µ and é"));
}

TEST_CASE("describe_json_error", "[unit]") {
  auto problem = [](const std::string& text) {
    try {
      const auto parsed = nlohmann::json::parse(text);
      FAIL("parsed: " << parsed.dump());
    } catch (const nlohmann::json::exception& e) {
      return co2e::describe_json_error(e, text);
    }
    FAIL("parsed: " << text);
    return co2e::JsonProblem{};
  };
  SECTION("position: line and column of the byte that could not be read") {
    const auto p = problem("{\n  \"a\": 1,\n  \"b\": x\n}");  // the x: line 3, column 8
    CHECK(p.line == 3);
    CHECK(p.column == 8);
    CHECK(p.reason == "syntax error while parsing value - invalid literal");
  }
  SECTION("binary: no library tag, no raw bytes") {
    const auto p = problem(
        "\x7f"
        "ELF\xff\x1b[2J");
    CHECK(p.line == 1);
    CHECK(p.column == 1);
    CHECK(p.reason.find("json.exception") == std::string::npos);
    CHECK(p.reason.find('\x1b') == std::string::npos);
    CHECK(p.reason.find('\x7f') == std::string::npos);
    CHECK_THAT(p.reason, Catch::Matchers::EndsWith("(binary data, not JSON text?)"));
  }
  SECTION("what was expected is kept") {
    const auto p = problem("{\"a\" 1}");
    CHECK(p.column == 6);
    CHECK_THAT(p.reason, Catch::Matchers::Contains("expected ':'"));
    CHECK(p.reason.find("last read") == std::string::npos);
  }
  SECTION("a number too large for a double") {
    const auto p = problem("[1e999]");
    CHECK(p.line == 0);
    CHECK(p.reason == "number overflow parsing '1e999'");
  }
  SECTION("json_error_message") {
    const std::string text = "[1,\n2,]";
    try {
      const auto parsed = nlohmann::json::parse(text);
      FAIL("parsed: " << parsed.dump());
    } catch (const nlohmann::json::exception& e) {
      CHECK_THAT(co2e::json_error_message("f.json", e, text),
                 Catch::Matchers::StartsWith("f.json: not valid JSON at line 2, column 3: syntax error"));
    }
  }
}
