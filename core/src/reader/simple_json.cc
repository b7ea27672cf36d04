#include "reader/simple_json.h"

#include <cstring>

#include "kg/core/utf8.h"

namespace kg::reader {
namespace {

// More top-level fields than this go to nlohmann: the repeated-key check is quadratic.
constexpr size_t kMaxFields = 64;
// Integers of up to 18 digits fit nlohmann's int64/uint64 whatever they are; longer ones may
// turn into doubles, printed differently.
constexpr size_t kMaxIntegerDigits = 18;
// Containers are checked recursively; deeper ones (only reachable with a raised
// --max-json-depth) go to nlohmann, whose parser keeps its own stack.
constexpr int kMaxRecursion = 128;

int HexValue(char c) {
  if (c >= '0' && c <= '9') return c - '0';
  if (c >= 'a' && c <= 'f') return c - 'a' + 10;
  if (c >= 'A' && c <= 'F') return c - 'A' + 10;
  return -1;
}

// The four hex digits at s[pos], or -1.
int32_t Hex4(std::string_view s, size_t pos) {
  if (pos + 4 > s.size()) return -1;
  int32_t value = 0;
  for (size_t i = 0; i < 4; ++i) {
    int digit = HexValue(s[pos + i]);
    if (digit < 0) return -1;
    value = value * 16 + digit;
  }
  return value;
}

// True when one of the 8 bytes of `v` is '"', '\\' or below 0x20: the bytes a string scan must
// stop at. (The classic "has a zero byte" test, exact for whether any byte matches.)
inline bool HasSpecialByte(uint64_t v) {
  constexpr uint64_t kOnes = 0x0101010101010101ULL;
  constexpr uint64_t kHigh = 0x8080808080808080ULL;
  auto has_zero = [](uint64_t x) { return (x - kOnes) & ~x & kHigh; };
  const uint64_t below_space = (v - kOnes * 0x20) & ~v & kHigh;
  return (has_zero(v ^ (kOnes * '"')) | has_zero(v ^ (kOnes * '\\')) | below_space) != 0;
}

// Decodes the escape at s[pos] (s[pos] == '\\') into `out` (may be null: check only). Returns
// the position after it, or 0 when nlohmann would reject it.
size_t Escape(std::string_view s, size_t pos, std::string* out) {
  if (pos + 1 >= s.size()) return 0;
  char c = s[pos + 1];
  char plain = 0;
  switch (c) {
    case '"': plain = '"'; break;
    case '\\': plain = '\\'; break;
    case '/': plain = '/'; break;
    case 'b': plain = '\b'; break;
    case 'f': plain = '\f'; break;
    case 'n': plain = '\n'; break;
    case 'r': plain = '\r'; break;
    case 't': plain = '\t'; break;
    case 'u': break;
    default: return 0;
  }
  if (c != 'u') {
    if (out != nullptr) out->push_back(plain);
    return pos + 2;
  }
  int32_t cp = Hex4(s, pos + 2);
  if (cp < 0) return 0;
  size_t next = pos + 6;
  if (cp >= 0xDC00 && cp <= 0xDFFF) return 0;  // a low surrogate alone
  if (cp >= 0xD800 && cp <= 0xDBFF) {
    // A high surrogate must be followed by an escaped low one.
    if (next + 1 >= s.size() || s[next] != '\\' || s[next + 1] != 'u') return 0;
    int32_t low = Hex4(s, next + 2);
    if (low < 0xDC00 || low > 0xDFFF) return 0;
    cp = 0x10000 + ((cp - 0xD800) << 10) + (low - 0xDC00);
    next += 6;
  }
  if (out != nullptr) AppendUtf8(static_cast<uint32_t>(cp), out);
  return next;
}

class Parser {
 public:
  Parser(std::string_view line, int max_depth) : s_(line), max_depth_(max_depth) {}

  std::optional<SimpleJsonObject> Run() {
    SkipSpace();
    if (!Peek('{') || max_depth_ < 1) return std::nullopt;
    ++pos_;
    SimpleJsonObject object;
    SkipSpace();
    if (Peek('}')) {
      ++pos_;
    } else {
      while (true) {
        SkipSpace();
        SimpleJsonField field;
        bool escaped = false;
        if (!String(&field.key, &escaped) || escaped) return std::nullopt;
        for (const SimpleJsonField& seen : object.fields) {
          if (seen.key == field.key) return std::nullopt;  // nlohmann keeps the last one
        }
        if (object.fields.size() == kMaxFields) return std::nullopt;
        SkipSpace();
        if (!Peek(':')) return std::nullopt;
        ++pos_;
        SkipSpace();
        if (!Value(/*depth=*/1, &field)) return std::nullopt;
        object.fields.push_back(field);
        SkipSpace();
        if (Peek(',')) {
          ++pos_;
          continue;
        }
        if (!Peek('}')) return std::nullopt;
        ++pos_;
        break;
      }
    }
    SkipSpace();
    if (pos_ != s_.size()) return std::nullopt;
    return object;
  }

 private:
  bool Peek(char c) const { return pos_ < s_.size() && s_[pos_] == c; }

  void SkipSpace() {
    while (pos_ < s_.size() &&
           (s_[pos_] == ' ' || s_[pos_] == '\t' || s_[pos_] == '\n' || s_[pos_] == '\r')) {
      ++pos_;
    }
  }

  // A string at pos_; `raw` gets the bytes between its quotes.
  bool String(std::string_view* raw, bool* escaped) {
    if (!Peek('"')) return false;
    const size_t begin = ++pos_;
    while (true) {
      while (pos_ + 8 <= s_.size()) {
        uint64_t v;
        std::memcpy(&v, s_.data() + pos_, 8);
        if (HasSpecialByte(v)) break;
        pos_ += 8;
      }
      if (pos_ >= s_.size()) return false;
      const auto c = static_cast<unsigned char>(s_[pos_]);
      if (c == '"') {
        *raw = s_.substr(begin, pos_ - begin);
        ++pos_;
        return true;
      }
      if (c < 0x20) return false;  // nlohmann rejects control characters inside strings
      if (c == '\\') {
        *escaped = true;
        pos_ = Escape(s_, pos_, nullptr);
        if (pos_ == 0) return false;
        continue;
      }
      ++pos_;
    }
  }

  // An integer of the plain form nlohmann reads as int64/uint64 and prints back unchanged.
  bool Integer(std::string_view* raw) {
    const size_t begin = pos_;
    if (Peek('-')) ++pos_;
    const size_t digits = pos_;
    while (pos_ < s_.size() && s_[pos_] >= '0' && s_[pos_] <= '9') ++pos_;
    const size_t n = pos_ - digits;
    if (n == 0 || n > kMaxIntegerDigits) return false;
    if (s_[digits] == '0' && (n > 1 || digits > begin)) return false;  // "01", "-0"
    if (Peek('.') || Peek('e') || Peek('E')) return false;  // a double: left to nlohmann
    *raw = s_.substr(begin, pos_ - begin);
    return true;
  }

  bool Literal(std::string_view word) {
    if (s_.substr(pos_, word.size()) != word) return false;
    pos_ += word.size();
    return true;
  }

  // A value at pos_ nested `depth` deep (the top-level object is depth 1); fills `field`.
  bool Value(int depth, SimpleJsonField* field) {
    if (pos_ >= s_.size()) return false;
    const char c = s_[pos_];
    if (c == '"') {
      field->kind = SimpleJsonKind::kString;
      return String(&field->raw, &field->escaped);
    }
    if (c == '-' || (c >= '0' && c <= '9')) {
      field->kind = SimpleJsonKind::kInteger;
      return Integer(&field->raw);
    }
    if (c == 't' || c == 'f') {
      field->kind = SimpleJsonKind::kBool;
      return Literal(c == 't' ? "true" : "false");
    }
    if (c == 'n') {
      field->kind = SimpleJsonKind::kNull;
      return Literal("null");
    }
    if (c == '[' || c == '{') {
      field->kind = SimpleJsonKind::kContainer;
      return Container(depth + 1);
    }
    return false;
  }

  // An array or object at pos_, itself nested `depth` deep; its contents are checked, not kept.
  bool Container(int depth) {
    if (depth > max_depth_ || depth > kMaxRecursion) return false;
    const bool is_object = s_[pos_] == '{';
    const char close = is_object ? '}' : ']';
    ++pos_;
    SkipSpace();
    if (Peek(close)) {
      ++pos_;
      return true;
    }
    while (true) {
      SkipSpace();
      SimpleJsonField item;
      if (is_object) {
        bool escaped = false;
        std::string_view key;
        if (!String(&key, &escaped)) return false;
        SkipSpace();
        if (!Peek(':')) return false;
        ++pos_;
        SkipSpace();
      }
      if (!Value(depth, &item)) return false;
      SkipSpace();
      if (Peek(',')) {
        ++pos_;
        continue;
      }
      if (!Peek(close)) return false;
      ++pos_;
      return true;
    }
  }

  std::string_view s_;
  size_t pos_ = 0;
  int max_depth_;
};

}  // namespace

std::string SimpleJsonField::DecodedString() const {
  if (!escaped) return std::string(raw);
  std::string out;
  out.reserve(raw.size());
  size_t pos = 0;
  while (pos < raw.size()) {
    const size_t backslash = raw.find('\\', pos);
    if (backslash == std::string_view::npos) {
      out.append(raw.substr(pos));
      break;
    }
    out.append(raw.substr(pos, backslash - pos));
    // Checked when the line was parsed: every escape is one Escape accepts.
    pos = Escape(raw, backslash, &out);
  }
  return out;
}

const SimpleJsonField* SimpleJsonObject::Find(std::string_view key) const {
  for (const SimpleJsonField& field : fields) {
    if (field.key == key) return &field;
  }
  return nullptr;
}

std::optional<SimpleJsonObject> ParseSimpleJsonObject(std::string_view line, int max_depth) {
  return Parser(line, max_depth).Run();
}

}  // namespace kg::reader
