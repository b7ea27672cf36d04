#pragma once
// The JSON Lines reader's fast path: one pass over a line that holds the common shape of an
// article record (an object of strings, integers, booleans, nulls, and arrays or objects of the
// same), keeping each top-level field as a view into the line. nlohmann's DOM parser, which
// builds every string byte by byte and every field as a tree node, cost more than all other
// reading and cleaning together.
//
// Anything outside that shape (a float or a very long integer, "-0", an escaped or repeated key,
// an escape nlohmann rejects, a control character, trailing bytes, nesting deeper than the
// limit, any syntax error) returns nullopt and the caller parses the line with nlohmann, so
// results and error messages stay nlohmann's. Whatever this accepts, nlohmann accepts with the
// same values (tests/core/simple_json_test.cc compares both on tricky input).
//
// The line must be valid UTF-8 (the reader repairs it first), as nlohmann requires.

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

namespace kg::reader {

enum class SimpleJsonKind { kString, kInteger, kBool, kNull, kContainer };

struct SimpleJsonField {
  std::string_view key;  // as written: keys with escapes are left to nlohmann
  SimpleJsonKind kind = SimpleJsonKind::kNull;
  // kString: the bytes between the quotes, still escaped; kInteger: the digits, with any '-'.
  std::string_view raw;
  bool escaped = false;  // kString: `raw` holds a backslash

  // The string's value (escapes decoded). kString only.
  std::string DecodedString() const;
};

struct SimpleJsonObject {
  std::vector<SimpleJsonField> fields;  // in line order; keys are distinct

  const SimpleJsonField* Find(std::string_view key) const;
};

// `line` parsed as one JSON object nested at most `max_depth` deep, or nullopt when it is not
// of the simple shape above (including every malformed line).
std::optional<SimpleJsonObject> ParseSimpleJsonObject(std::string_view line, int max_depth);

}  // namespace kg::reader
