#include <catch2/catch.hpp>

#include <string>

#include "kg/core/utf8.h"

TEST_CASE("valid UTF-8 is kept byte for byte", "[core][utf8]") {
  std::string text = "Putin\xE2\x80\x99s \xC2\xA3" "5 \xF0\x9F\x98\x80 ok";
  kg::EncodingInfo info;
  CHECK(kg::RepairUtf8(text, &info) == text);
  CHECK(info.valid_utf8());
  CHECK(std::string(info.Name()) == "utf-8");
}

TEST_CASE("invalid bytes are read as Windows-1252", "[core][utf8]") {
  kg::EncodingInfo info;
  // Latin-1 pound sign, cp1252 curly quotes and euro sign.
  CHECK(kg::RepairUtf8("\xA3" "100 \x93quoted\x94 \x80", &info) ==
        "\xC2\xA3" "100 \xE2\x80\x9Cquoted\xE2\x80\x9D \xE2\x82\xAC");
  CHECK(info.windows1252_bytes == 4);
  CHECK(info.replaced_bytes == 0);
  CHECK(std::string(info.Name()) == "windows-1252");
}

TEST_CASE("bytes that fit neither become U+FFFD and are counted", "[core][utf8]") {
  kg::EncodingInfo info;
  std::string repaired = kg::RepairUtf8("a\x81" "b\x8D", &info);
  CHECK(repaired == "a\xEF\xBF\xBD" "b\xEF\xBF\xBD");
  CHECK(info.replaced_bytes == 2);
  CHECK(kg::IsValidUtf8(repaired));
}

TEST_CASE("mixed valid and invalid sequences repair only the invalid bytes", "[core][utf8]") {
  kg::EncodingInfo info;
  CHECK(kg::RepairUtf8("caf\xC3\xA9 caf\xE9", &info) == "caf\xC3\xA9 caf\xC3\xA9");
  CHECK(info.windows1252_bytes == 1);
}

TEST_CASE("overlong forms, surrogates and truncated sequences are invalid", "[core][utf8]") {
  CHECK_FALSE(kg::IsValidUtf8("\xC0\xAF"));
  CHECK_FALSE(kg::IsValidUtf8("\xE0\x80\xAF"));
  CHECK_FALSE(kg::IsValidUtf8("\xED\xA0\x80"));
  CHECK_FALSE(kg::IsValidUtf8("\xF4\x90\x80\x80"));
  CHECK_FALSE(kg::IsValidUtf8("abc\xE2\x80"));
  CHECK(kg::IsValidUtf8(""));
  CHECK(kg::IsValidUtf8("plain ascii text that is longer than eight bytes"));
}

TEST_CASE("a byte-order mark is dropped and noted", "[core][utf8]") {
  kg::EncodingInfo info;
  CHECK(kg::RepairUtf8("\xEF\xBB\xBFHello", &info) == "Hello");
  CHECK(info.had_bom);
}
