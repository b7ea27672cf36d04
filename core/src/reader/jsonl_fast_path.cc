#include "reader/jsonl_fast_path.h"

#include <simdjson.h>

#include <algorithm>

namespace kg::reader {
namespace {

// simdjson keeps a stack entry per level it may open; deeper limits gain nothing for news
// records, so lines nested deeper than this go to nlohmann, whose parser keeps its own stack.
constexpr int kMaxFastDepth = 1024;
// The parser grows its buffers to the longest line seen; start at a typical article's size.
constexpr size_t kInitialCapacity = 64u << 10;

}  // namespace

struct JsonlFastPath::Parser {
  simdjson::dom::parser dom;
};

std::string JsonFieldView::Text() const {
  switch (kind) {
    case JsonFieldKind::kString: return std::string(string);
    case JsonFieldKind::kInteger: return std::to_string(integer);
    default: return std::string();
  }
}

const JsonFieldView* JsonObjectView::Find(std::string_view key) const {
  const JsonFieldView* found = nullptr;
  for (const JsonFieldView& field : fields) {
    if (field.key == key) found = &field;
  }
  return found;
}

JsonlFastPath::JsonlFastPath(int max_depth) {
  // simdjson given a limit of N accepts only lines nested less than N deep in non-empty
  // containers (plus, at most, one level of empty ones): never deeper than N. A limit below 1
  // would still let "{}" through, which the reader must refuse: no fast path then.
  if (max_depth < 1) return;
  parser_ = std::make_unique<Parser>();
  if (parser_->dom.allocate(kInitialCapacity, std::min(max_depth, kMaxFastDepth)) !=
      simdjson::SUCCESS) {
    parser_.reset();
  }
}

JsonlFastPath::~JsonlFastPath() = default;

const JsonObjectView* JsonlFastPath::Parse(std::string* line) {
  if (parser_ == nullptr || line->size() > kMaxFastLineBytes) return nullptr;
  // simdjson reads up to SIMDJSON_PADDING bytes past the end: give it real, initialised ones.
  const size_t length = line->size();
  line->append(simdjson::SIMDJSON_PADDING, ' ');
  simdjson::dom::element root;
  const simdjson::error_code error =
      parser_->dom.parse(simdjson::padded_string_view(line->data(), length, line->size()))
          .get(root);
  line->resize(length);
  simdjson::dom::object object;
  if (error != simdjson::SUCCESS || root.get_object().get(object) != simdjson::SUCCESS) {
    return nullptr;
  }
  object_.fields.clear();
  for (const simdjson::dom::key_value_pair& member : object) {
    JsonFieldView field;
    field.key = member.key;
    const simdjson::dom::element& value = member.value;
    switch (value.type()) {
      case simdjson::dom::element_type::STRING:
        field.kind = JsonFieldKind::kString;
        field.string = value.get_string().value_unsafe();
        break;
      case simdjson::dom::element_type::INT64:
        field.kind = JsonFieldKind::kInteger;
        field.integer = value.get_int64().value_unsafe();
        break;
      case simdjson::dom::element_type::BOOL: field.kind = JsonFieldKind::kBool; break;
      case simdjson::dom::element_type::NULL_VALUE: field.kind = JsonFieldKind::kNull; break;
      case simdjson::dom::element_type::ARRAY:
      case simdjson::dom::element_type::OBJECT: field.kind = JsonFieldKind::kContainer; break;
      case simdjson::dom::element_type::UINT64:  // above INT64_MAX
      case simdjson::dom::element_type::DOUBLE: return nullptr;  // printed as the reader does
    }
    object_.fields.push_back(field);
  }
  return &object_;
}

}  // namespace kg::reader
