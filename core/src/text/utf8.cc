#include "kg/core/utf8.h"

namespace kg {
namespace {

// Windows-1252 0x80..0x9F; 0 marks the five undefined bytes.
constexpr uint16_t kWindows1252High[32] = {
    0x20AC, 0,      0x201A, 0x0192, 0x201E, 0x2026, 0x2020, 0x2021, 0x02C6, 0x2030, 0x0160,
    0x2039, 0x0152, 0,      0x017D, 0,      0,      0x2018, 0x2019, 0x201C, 0x201D, 0x2022,
    0x2013, 0x2014, 0x02DC, 0x2122, 0x0161, 0x203A, 0x0153, 0,      0x017E, 0x0178};

}  // namespace

const char* EncodingInfo::Name() const {
  if (replaced_bytes > 0) return "binary-garbage";
  if (windows1252_bytes > 0) return "windows-1252";
  return "utf-8";
}

size_t Utf8SequenceLength(std::string_view text, size_t pos) {
  const auto* s = reinterpret_cast<const unsigned char*>(text.data());
  size_t n = text.size();
  unsigned char c = s[pos];
  if (c < 0x80) return 1;
  if (c < 0xC2) return 0;  // continuation byte or overlong 2-byte lead
  if (c < 0xE0) {
    return (pos + 1 < n && (s[pos + 1] & 0xC0) == 0x80) ? 2 : 0;
  }
  if (c < 0xF0) {
    if (pos + 2 >= n) return 0;
    unsigned char c1 = s[pos + 1];
    if ((c1 & 0xC0) != 0x80 || (s[pos + 2] & 0xC0) != 0x80) return 0;
    if (c == 0xE0 && c1 < 0xA0) return 0;   // overlong
    if (c == 0xED && c1 >= 0xA0) return 0;  // surrogate
    return 3;
  }
  if (c < 0xF5) {
    if (pos + 3 >= n) return 0;
    unsigned char c1 = s[pos + 1];
    if ((c1 & 0xC0) != 0x80 || (s[pos + 2] & 0xC0) != 0x80 || (s[pos + 3] & 0xC0) != 0x80) {
      return 0;
    }
    if (c == 0xF0 && c1 < 0x90) return 0;   // overlong
    if (c == 0xF4 && c1 >= 0x90) return 0;  // above U+10FFFF
    return 4;
  }
  return 0;
}

bool IsValidUtf8(std::string_view text) {
  size_t pos = 0;
  while (pos < text.size()) {
    // ASCII fast path, 8 bytes at a time.
    while (pos + 8 <= text.size()) {
      uint64_t word;
      __builtin_memcpy(&word, text.data() + pos, 8);
      if (word & 0x8080808080808080ULL) break;
      pos += 8;
    }
    if (pos >= text.size()) break;
    size_t len = Utf8SequenceLength(text, pos);
    if (len == 0) return false;
    pos += len;
  }
  return true;
}

void AppendUtf8(uint32_t cp, std::string* out) {
  if (cp < 0x80) {
    out->push_back(static_cast<char>(cp));
  } else if (cp < 0x800) {
    out->push_back(static_cast<char>(0xC0 | (cp >> 6)));
    out->push_back(static_cast<char>(0x80 | (cp & 0x3F)));
  } else if (cp < 0x10000) {
    out->push_back(static_cast<char>(0xE0 | (cp >> 12)));
    out->push_back(static_cast<char>(0x80 | ((cp >> 6) & 0x3F)));
    out->push_back(static_cast<char>(0x80 | (cp & 0x3F)));
  } else {
    out->push_back(static_cast<char>(0xF0 | (cp >> 18)));
    out->push_back(static_cast<char>(0x80 | ((cp >> 12) & 0x3F)));
    out->push_back(static_cast<char>(0x80 | ((cp >> 6) & 0x3F)));
    out->push_back(static_cast<char>(0x80 | (cp & 0x3F)));
  }
}

std::string RepairUtf8(std::string_view text, EncodingInfo* info) {
  EncodingInfo local;
  if (text.size() >= 3 && text.substr(0, 3) == "\xEF\xBB\xBF") {
    text.remove_prefix(3);
    local.had_bom = true;
  }
  std::string out;
  if (IsValidUtf8(text)) {
    out.assign(text);
  } else {
    out.reserve(text.size() + text.size() / 8);
    size_t pos = 0;
    while (pos < text.size()) {
      size_t len = Utf8SequenceLength(text, pos);
      if (len > 0) {
        out.append(text.data() + pos, len);
        pos += len;
        continue;
      }
      auto byte = static_cast<unsigned char>(text[pos++]);
      uint32_t cp = byte;
      if (byte >= 0x80 && byte < 0xA0) cp = kWindows1252High[byte - 0x80];
      if (cp == 0) {
        AppendUtf8(0xFFFD, &out);
        ++local.replaced_bytes;
      } else {
        AppendUtf8(cp, &out);
        ++local.windows1252_bytes;
      }
    }
  }
  if (info != nullptr) *info = local;
  return out;
}

}  // namespace kg
