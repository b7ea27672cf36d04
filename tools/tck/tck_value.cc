#include "tck_value.h"

#include <algorithm>
#include <cctype>
#include <cmath>
#include <limits>
#include <stdexcept>

namespace kg::tck {
namespace {

using query::List;
using query::Map;
using query::Value;

class Reader {
 public:
  explicit Reader(const std::string& s) : s_(s) {}

  Value ParseAll() {
    Value v = ParseValue();
    Skip();
    if (i_ != s_.size()) Fail("trailing text");
    return v;
  }

 private:
  [[noreturn]] void Fail(const std::string& msg) {
    throw std::runtime_error(msg + " at column " + std::to_string(i_ + 1) + " of: " + s_);
  }
  void Skip() {
    while (i_ < s_.size() && std::isspace(static_cast<unsigned char>(s_[i_]))) ++i_;
  }
  bool Eat(char c) {
    Skip();
    if (i_ < s_.size() && s_[i_] == c) {
      ++i_;
      return true;
    }
    return false;
  }
  void Expect(char c) {
    if (!Eat(c)) Fail(std::string("expected '") + c + "'");
  }
  bool Word(const char* w) {
    Skip();
    size_t n = std::char_traits<char>::length(w);
    if (s_.compare(i_, n, w) == 0 &&
        (i_ + n == s_.size() || !(std::isalnum(static_cast<unsigned char>(s_[i_ + n])) ||
                                  s_[i_ + n] == '_'))) {
      i_ += n;
      return true;
    }
    return false;
  }
  std::string Name() {
    Skip();
    if (i_ < s_.size() && s_[i_] == '`') {
      size_t close = s_.find('`', i_ + 1);
      if (close == std::string::npos) Fail("unterminated `name`");
      std::string n = s_.substr(i_ + 1, close - i_ - 1);
      i_ = close + 1;
      return n;
    }
    size_t b = i_;
    while (i_ < s_.size() && (std::isalnum(static_cast<unsigned char>(s_[i_])) || s_[i_] == '_'))
      ++i_;
    if (b == i_) Fail("expected a name");
    return s_.substr(b, i_ - b);
  }

  Properties ParseProps() {
    Properties props = EmptyProperties();
    Skip();
    if (i_ < s_.size() && s_[i_] == '{') {
      Value m = ParseValue();
      for (const auto& [k, v] : m.as_map()) props[k] = query::ToJson(v);
    }
    return props;
  }

  query::NodeRef ParseNode() {
    Expect('(');
    auto n = std::make_shared<query::NodeData>();
    while (Eat(':')) n->labels.push_back(Name());
    n->props = ParseProps();
    Expect(')');
    return n;
  }

  query::RelRef ParseRel() {
    Expect('[');
    Expect(':');
    auto r = std::make_shared<query::RelData>();
    r->type = Name();
    r->props = ParseProps();
    Expect(']');
    return r;
  }

  Value ParseValue() {
    Skip();
    if (i_ >= s_.size()) Fail("expected a value");
    char c = s_[i_];
    if (Word("null")) return Value();
    if (Word("true")) return Value(true);
    if (Word("false")) return Value(false);
    if (Word("NaN")) return Value(std::numeric_limits<double>::quiet_NaN());
    if (Word("Inf") || Word("Infinity")) return Value(std::numeric_limits<double>::infinity());
    if (c == '\'') {
      ++i_;
      std::string out;
      while (true) {
        if (i_ >= s_.size()) Fail("unterminated string");
        char d = s_[i_++];
        if (d == '\\' && i_ < s_.size()) {
          char e = s_[i_++];
          switch (e) {
            case 'n': out += '\n'; break;
            case 't': out += '\t'; break;
            default: out += e;
          }
          continue;
        }
        if (d == '\'') break;
        out += d;
      }
      return Value(out);
    }
    if (c == '-' || c == '+' || c == '.' || std::isdigit(static_cast<unsigned char>(c))) {
      if (s_.compare(i_, 4, "-Inf") == 0) {
        i_ += s_.compare(i_, 9, "-Infinity") == 0 ? 9 : 4;
        return Value(-std::numeric_limits<double>::infinity());
      }
      size_t b = i_;
      ++i_;
      while (i_ < s_.size() && (std::isalnum(static_cast<unsigned char>(s_[i_])) ||
                                s_[i_] == '.' || ((s_[i_] == '-' || s_[i_] == '+') &&
                                                  (s_[i_ - 1] == 'e' || s_[i_ - 1] == 'E')))) {
        ++i_;
      }
      std::string num = s_.substr(b, i_ - b);
      if (num.find_first_of(".eE") != std::string::npos) return Value(std::stod(num));
      return Value(static_cast<int64_t>(std::stoll(num)));
    }
    if (c == '[') {
      if (i_ + 1 < s_.size() && s_[i_ + 1] == ':') return Value(ParseRel());
      ++i_;
      List l;
      if (!Eat(']')) {
        do {
          l.push_back(ParseValue());
        } while (Eat(','));
        Expect(']');
      }
      return Value(std::move(l));
    }
    if (c == '{') {
      ++i_;
      Map m;
      if (!Eat('}')) {
        do {
          std::string k = Name();
          Expect(':');
          m[k] = ParseValue();
        } while (Eat(','));
        Expect('}');
      }
      return Value(std::move(m));
    }
    if (c == '(') return Value(ParseNode());
    if (c == '<') {
      ++i_;
      auto path = std::make_shared<query::PathData>();
      auto first = ParseNode();
      path->nodes.push_back(first);
      uint64_t next_id = 1;
      std::const_pointer_cast<query::NodeData>(first)->id = next_id++;
      while (true) {
        Skip();
        if (Eat('>')) break;
        bool left = Eat('<');
        Expect('-');
        auto rel = std::const_pointer_cast<query::RelData>(ParseRel());
        Expect('-');
        bool right = Eat('>');
        auto node = ParseNode();
        std::const_pointer_cast<query::NodeData>(node)->id = next_id++;
        uint64_t prev = path->nodes.back()->id;
        rel->src = left && !right ? node->id : prev;
        rel->dst = left && !right ? prev : node->id;
        path->rels.push_back(rel);
        path->nodes.push_back(node);
      }
      return Value(query::PathRef(path));
    }
    Fail("unexpected character");
  }

  const std::string& s_;
  size_t i_ = 0;
};

}  // namespace

Result<query::Value> ParseTckValue(const std::string& text) {
  try {
    Reader reader(text);
    return reader.ParseAll();
  } catch (const std::exception& e) {
    return Status::ParseError(e.what());
  }
}

std::string Canonical(const query::Value& value, bool sort_lists) {
  if (!sort_lists || value.type() != Value::Type::kList) {
    if (sort_lists && value.type() == Value::Type::kMap) {
      std::string out = "{";
      bool first = true;
      for (const auto& [k, v] : value.as_map()) {
        out += (first ? "" : ", ") + k + ": " + Canonical(v, true);
        first = false;
      }
      return out + "}";
    }
    return query::ToCypherString(value);
  }
  std::vector<std::string> items;
  for (const auto& v : value.as_list()) items.push_back(Canonical(v, true));
  std::sort(items.begin(), items.end());
  std::string out = "[";
  for (size_t i = 0; i < items.size(); ++i) out += (i ? ", " : "") + items[i];
  return out + "]";
}

}  // namespace kg::tck
