#pragma once
// The JSON Lines reader's fast path: simdjson's DOM parser reads a line and hands back its
// top-level fields as views. nlohmann's DOM parser, which builds every string byte by byte and
// every field as a tree node, cost more than all other reading and cleaning together.
//
// Whatever simdjson rejects, and whatever it accepts but nlohmann might read differently, is
// left to the caller's nlohmann parse, so results and error messages stay nlohmann's (simdjson's
// own error text never reaches the user):
//   - a top-level value that is not an object ("expected a JSON object" is nlohmann's to say);
//   - a top-level double, or integer above INT64_MAX: the reader prints nlohmann's doubles its
//     own way, and its unsigned integers as signed ones (18446744073709551615 as "-1"); int64
//     values are the same in both (longer integers: simdjson rejects them, nlohmann turns them
//     into doubles);
//   - nesting at the depth limit: simdjson counts only non-empty containers and stops one
//     level short of the limit it is given, so a line it accepts is never deeper than the
//     limit; lines right at the limit go to nlohmann, which reads them;
//   - lines longer than kMaxFastLineBytes, so the buffers simdjson keeps between lines (about
//     14 bytes per byte of the longest line) stay small.
// Both parsers decode escaped keys, reject lone surrogates, control characters in strings,
// numbers that overflow a double and trailing bytes, and accept "\u0000"
// (tests/core/jsonl_fast_path_test.cc compares them on tricky and randomly damaged lines).
//
// The line must be valid UTF-8 (the reader repairs it first), as both parsers require.

#include <cstddef>
#include <cstdint>
#include <memory>
#include <string>
#include <string_view>
#include <vector>

namespace kg::reader {

enum class JsonFieldKind { kString, kInteger, kBool, kNull, kContainer };

struct JsonFieldView {
  std::string_view key;  // escapes decoded
  JsonFieldKind kind = JsonFieldKind::kNull;
  std::string_view string;  // kString: the value, escapes decoded
  int64_t integer = 0;      // kInteger

  // The value as the reader keeps it: a string's text, an integer's digits, "" otherwise.
  std::string Text() const;
};

struct JsonObjectView {
  std::vector<JsonFieldView> fields;  // in line order, repeated keys included

  // The field named `key`; the last one when the key repeats, as nlohmann keeps it.
  const JsonFieldView* Find(std::string_view key) const;
};

class JsonlFastPath {
 public:
  static constexpr size_t kMaxFastLineBytes = 1u << 20;

  // `max_depth`: the reader's --max-json-depth (the top-level object is 1 deep).
  explicit JsonlFastPath(int max_depth);
  ~JsonlFastPath();
  JsonlFastPath(const JsonlFastPath&) = delete;
  JsonlFastPath& operator=(const JsonlFastPath&) = delete;

  // The top-level fields of `line`, or null when the line is left to nlohmann (see above).
  // `line` is padded while simdjson reads it and given back unchanged. The views stay valid
  // until the next call.
  const JsonObjectView* Parse(std::string* line);

 private:
  struct Parser;  // keeps simdjson.h out of the reader
  std::unique_ptr<Parser> parser_;
  JsonObjectView object_;
};

}  // namespace kg::reader
