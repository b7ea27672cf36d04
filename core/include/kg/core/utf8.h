#pragma once
// UTF-8 validation and repair. kg keeps every text as valid UTF-8: bytes that are not valid UTF-8
// are read as Windows-1252 (a superset of Latin-1 in the printable range, which is what old news
// files use for "£" or "é"), and the five bytes Windows-1252 leaves undefined become U+FFFD.
// All functions are pure and thread-safe.

#include <cstdint>
#include <string>
#include <string_view>

namespace kg {

// What RepairUtf8 had to do to one text.
struct EncodingInfo {
  bool had_bom = false;             // a leading UTF-8 byte-order mark was dropped
  uint32_t windows1252_bytes = 0;   // invalid UTF-8 bytes decoded as Windows-1252
  uint32_t replaced_bytes = 0;      // bytes that fit neither, now U+FFFD
  bool valid_utf8() const { return windows1252_bytes == 0 && replaced_bytes == 0; }
  // "utf-8", "windows-1252" (some bytes repaired) or "binary-garbage" (some replaced).
  const char* Name() const;
};

// Returns the length of the valid UTF-8 sequence starting at text[pos], or 0 when the bytes
// there are not one (overlong forms, surrogates and code points above U+10FFFF are invalid).
size_t Utf8SequenceLength(std::string_view text, size_t pos);

bool IsValidUtf8(std::string_view text);

// Returns `text` as valid UTF-8, dropping a leading BOM; valid sequences are kept byte for byte.
// Fills `info` when not null.
std::string RepairUtf8(std::string_view text, EncodingInfo* info = nullptr);

// Appends the UTF-8 encoding of `code_point` (REQUIRES: a Unicode scalar value).
void AppendUtf8(uint32_t code_point, std::string* out);

}  // namespace kg
