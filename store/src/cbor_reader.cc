// CborReader (cbor_reader.h): the in-place CBOR reader of node and evidence records.

#include "cbor_reader.h"

#include <algorithm>
#include <cmath>
#include <cstddef>
#include <cstring>
#include <limits>

namespace kg::store::internal {

using json = nlohmann::json;

bool CborReader::ReadObjectKeys(const std::vector<std::string>& keys, json* out) {
  if (p_ == end_ || (*p_ >> 5) != 5) return false;
  uint64_t n = 0;
  if (!Arg(*p_++ & 31, &n) || n > static_cast<uint64_t>(end_ - p_)) return false;
  *out = json::object();
  auto& obj = out->get_ref<json::object_t&>();
  std::string_view name;
  for (uint64_t i = 0; i < n; ++i) {
    if (p_ == end_ || (*p_ >> 5) != 3) return false;
    uint64_t len = 0;
    if (!Arg(*p_++ & 31, &len) || !TextView(len, &name)) return false;
    if (std::find(keys.begin(), keys.end(), name) == keys.end()) {
      if (!Skip(1)) return false;
      continue;
    }
    json value;
    if (!Read(&value, 1)) return false;
    obj.insert_or_assign(std::string(name), std::move(value));
  }
  return p_ == end_;
}

bool CborReader::ReadObjectValues(const std::vector<std::string>& keys,
                                  ReadView::PropertyRef* values, json* scratch) {
  for (size_t k = 0; k < keys.size(); ++k) values[k] = ReadView::PropertyRef{};
  if (p_ == end_ || (*p_ >> 5) != 5) return false;
  uint64_t n = 0;
  if (!Arg(*p_++ & 31, &n) || n > static_cast<uint64_t>(end_ - p_)) return false;
  std::string_view name;
  for (uint64_t i = 0; i < n; ++i) {
    if (p_ == end_ || (*p_ >> 5) != 3) return false;
    uint64_t len = 0;
    if (!Arg(*p_++ & 31, &len) || !TextView(len, &name)) return false;
    // Length and first byte before memcmp: most entries are not asked for (evidence records
    // are read for one or two of their properties).
    size_t k = 0;
    while (k < keys.size() &&
           (keys[k].size() != name.size() || (!name.empty() && keys[k][0] != name[0]) ||
            std::memcmp(keys[k].data(), name.data(), name.size()) != 0)) {
      ++k;
    }
    if (k == keys.size()) {
      if (!Skip(1)) return false;
      continue;
    }
    if (!ReadValue(&values[k], &scratch[k])) return false;
  }
  return p_ == end_;
}

CborReader::NodeResult CborReader::ReadNode(NodeRecord* node) {
  if (p_ == end_ || (*p_ >> 5) != 5) return NodeResult::kUnreadable;
  uint64_t n = 0;
  if (!Arg(*p_++ & 31, &n) || n > static_cast<uint64_t>(end_ - p_)) {
    return NodeResult::kUnreadable;
  }
  bool have_labels = false, labels_ok = false, have_props = false;
  std::string key;
  for (uint64_t i = 0; i < n; ++i) {
    if (p_ == end_ || (*p_ >> 5) != 3) return NodeResult::kUnreadable;
    uint64_t len = 0;
    if (!Arg(*p_++ & 31, &len) || !Text(len, &key)) return NodeResult::kUnreadable;
    if (have_labels && key == "l") return NodeResult::kUnreadable;  // repeated keys: rare
    if (key == "l" && p_ != end_ && (*p_ >> 5) == 4) {
      have_labels = labels_ok = true;
      uint64_t count = 0;
      if (!Arg(*p_++ & 31, &count) || count > static_cast<uint64_t>(end_ - p_)) {
        return NodeResult::kUnreadable;
      }
      node->labels.clear();
      node->labels.reserve(count);
      for (uint64_t j = 0; j < count; ++j) {
        if (p_ != end_ && (*p_ >> 5) == 3) {
          uint64_t label_len = 0;
          std::string label;
          if (!Arg(*p_++ & 31, &label_len) || !Text(label_len, &label)) {
            return NodeResult::kUnreadable;
          }
          node->labels.push_back(std::move(label));
        } else {
          json other;
          if (!Read(&other, 1)) return NodeResult::kUnreadable;
          labels_ok = false;  // a label that is not a string
        }
      }
      continue;
    }
    if (key == "w") {
      // The label votes only the writer weighs (it decodes with DecodeNode): stepped over.
      if (!Skip(1)) return NodeResult::kUnreadable;
      continue;
    }
    json value;
    if (!Read(&value, 1)) return NodeResult::kUnreadable;
    if (key == "l") {
      have_labels = true;
      labels_ok = false;  // not an array
    } else if (key == "p") {
      if (have_props) return NodeResult::kUnreadable;
      have_props = true;
      if (!value.is_object()) return NodeResult::kInvalid;
      node->properties = std::move(value);
    }
  }
  if (p_ != end_) return NodeResult::kUnreadable;
  if (!have_labels || !labels_ok || !have_props) return NodeResult::kInvalid;
  return NodeResult::kOk;
}

template <typename ReadWanted>
CborReader::NodeResult CborReader::WalkNodeRecord(const std::vector<std::string>& keys,
                                                  ReadWanted&& read_wanted) {
  if (p_ == end_ || (*p_ >> 5) != 5) return NodeResult::kUnreadable;
  uint64_t n = 0;
  if (!Arg(*p_++ & 31, &n) || n > static_cast<uint64_t>(end_ - p_)) {
    return NodeResult::kUnreadable;
  }
  bool have_labels = false, labels_ok = false, have_props = false;
  std::string_view key;
  for (uint64_t i = 0; i < n; ++i) {
    if (p_ == end_ || (*p_ >> 5) != 3) return NodeResult::kUnreadable;
    uint64_t len = 0;
    if (!Arg(*p_++ & 31, &len) || !TextView(len, &key)) return NodeResult::kUnreadable;
    if (key == "l") {
      if (have_labels) return NodeResult::kUnreadable;  // repeated keys: rare
      have_labels = true;
      labels_ok = p_ != end_ && (*p_ >> 5) == 4;
      if (!labels_ok) {
        if (!Skip(1)) return NodeResult::kUnreadable;
        continue;
      }
      uint64_t count = 0;
      if (!Arg(*p_++ & 31, &count) || count > static_cast<uint64_t>(end_ - p_)) {
        return NodeResult::kUnreadable;
      }
      for (uint64_t j = 0; j < count; ++j) {
        if (p_ == end_ || (*p_ >> 5) != 3) labels_ok = false;  // a label that is not a string
        if (!Skip(2)) return NodeResult::kUnreadable;
      }
    } else if (key == "p") {
      if (have_props) return NodeResult::kUnreadable;
      have_props = true;
      // Not an object: DecodeNode judges the record.
      if (p_ == end_ || (*p_ >> 5) != 5) return NodeResult::kUnreadable;
      uint64_t count = 0;
      if (!Arg(*p_++ & 31, &count) || count > static_cast<uint64_t>(end_ - p_)) {
        return NodeResult::kUnreadable;
      }
      std::string_view name;
      for (uint64_t j = 0; j < count; ++j) {
        if (p_ == end_ || (*p_ >> 5) != 3) return NodeResult::kUnreadable;
        uint64_t name_len = 0;
        if (!Arg(*p_++ & 31, &name_len) || !TextView(name_len, &name)) {
          return NodeResult::kUnreadable;
        }
        auto it = std::find(keys.begin(), keys.end(), name);
        if (it == keys.end()) {
          if (!Skip(2)) return NodeResult::kUnreadable;
          continue;
        }
        if (!read_wanted(static_cast<size_t>(it - keys.begin()), name)) {
          return NodeResult::kUnreadable;
        }
      }
    } else if (!Skip(1)) {
      return NodeResult::kUnreadable;
    }
  }
  if (p_ != end_) return NodeResult::kUnreadable;
  if (!have_labels || !labels_ok || !have_props) return NodeResult::kInvalid;
  return NodeResult::kOk;
}

CborReader::NodeResult CborReader::ReadNodeProperties(const std::vector<std::string>& keys,
                                                      json* props) {
  *props = json::object();
  auto& obj = props->get_ref<json::object_t&>();
  return WalkNodeRecord(keys, [&](size_t, std::string_view name) {
    json value;
    if (!Read(&value, 2)) return false;
    obj.insert_or_assign(std::string(name), std::move(value));
    return true;
  });
}

CborReader::NodeResult CborReader::ReadNodeValues(const std::vector<std::string>& keys,
                                                  ReadView::PropertyRef* out, json* scratch) {
  for (size_t k = 0; k < keys.size(); ++k) out[k] = ReadView::PropertyRef{};
  return WalkNodeRecord(keys, [&](size_t k, std::string_view) {
    return ReadValue(&out[k], &scratch[k]);
  });
}

bool CborReader::ReadValue(ReadView::PropertyRef* out, json* scratch) {
  using Kind = ReadView::PropertyRef::Kind;
  if (p_ == end_) return false;
  unsigned major = *p_ >> 5, info = *p_ & 31;
  if (major == 7 && info >= 25 && info <= 27) {
    // In place: through a json in `scratch` this was a third of reading a record's weight.
    ++p_;
    *out = ReadView::PropertyRef{};
    out->kind = Kind::kDouble;
    return Float(info, &out->number);
  }
  if (major == 4 || major == 5) {
    if (!Read(scratch, 1)) return false;
    *out = ReadView::PropertyRef{};
    out->kind = Kind::kJson;
    out->json = scratch;
    return true;
  }
  ++p_;
  uint64_t n = 0;
  *out = ReadView::PropertyRef{};
  if (major == 7) {
    if (info == 20 || info == 21) {
      out->kind = Kind::kBool;
      out->boolean = info == 21;
      return true;
    }
    if (info == 22) {
      out->kind = Kind::kNull;
      return true;
    }
    return false;
  }
  if (!Arg(info, &n)) return false;
  switch (major) {
    case 0:
      out->kind = Kind::kUint;
      out->uinteger = n;
      return true;
    case 1:
      if (n > static_cast<uint64_t>(std::numeric_limits<int64_t>::max())) return false;
      out->kind = Kind::kInt;
      out->integer = static_cast<int64_t>(-1) - static_cast<int64_t>(n);
      return true;
    case 3:
      out->kind = Kind::kText;
      return TextView(n, &out->text);
    default: return false;
  }
}

bool CborReader::Skip(int depth) {
  if (p_ == end_ || depth > 256) return false;
  unsigned char b = *p_++;
  unsigned major = b >> 5, info = b & 31;
  uint64_t n = 0;
  if (major == 7) {
    if (info >= 20 && info <= 22) return true;
    if (info < 25 || info > 27) return false;
    return Arg(info, &n);
  }
  if (!Arg(info, &n)) return false;
  switch (major) {
    case 0: return true;
    case 1: return n <= static_cast<uint64_t>(std::numeric_limits<int64_t>::max());
    case 3:
      if (static_cast<uint64_t>(end_ - p_) < n) return false;
      p_ += n;
      return true;
    case 4:
      if (n > static_cast<uint64_t>(end_ - p_)) return false;
      for (uint64_t i = 0; i < n; ++i) {
        if (!Skip(depth + 1)) return false;
      }
      return true;
    case 5:
      if (n > static_cast<uint64_t>(end_ - p_)) return false;
      for (uint64_t i = 0; i < n; ++i) {
        if (p_ == end_ || (*p_ >> 5) != 3) return false;  // text keys only, as Read
        if (!Skip(depth + 1) || !Skip(depth + 1)) return false;
      }
      return true;
    default: return false;
  }
}

namespace {

// The big-endian unsigned of sizeof(U) bytes at *p, loaded whole (every float64 of a record, an
// evidence weight, comes this way); false when fewer bytes remain.
template <typename U>
bool LoadBigEndian(const unsigned char*& p, const unsigned char* end, uint64_t* n) {
  if (end - p < static_cast<std::ptrdiff_t>(sizeof(U))) return false;
  U v;
  std::memcpy(&v, p, sizeof(U));
  p += sizeof(U);
  if constexpr (sizeof(U) == 1) *n = v;
  else if constexpr (sizeof(U) == 2) *n = __builtin_bswap16(v);
  else if constexpr (sizeof(U) == 4) *n = __builtin_bswap32(v);
  else *n = __builtin_bswap64(v);
  return true;
}

}  // namespace

bool CborReader::LongArg(unsigned info, uint64_t* n) {
  switch (info) {
    case 24: return LoadBigEndian<uint8_t>(p_, end_, n);
    case 25: return LoadBigEndian<uint16_t>(p_, end_, n);
    case 26: return LoadBigEndian<uint32_t>(p_, end_, n);
    case 27: return LoadBigEndian<uint64_t>(p_, end_, n);
    default: return false;
  }
}

bool CborReader::Float(unsigned info, double* v) {
  uint64_t n = 0;
  if (!Arg(info, &n)) return false;
  if (info == 25) {
    // IEEE half precision, as from_cbor decodes it.
    unsigned exp = (n >> 10) & 0x1f, mant = n & 0x3ff;
    double h = exp == 0    ? std::ldexp(mant, -24)
               : exp != 31 ? std::ldexp(mant + 1024, static_cast<int>(exp) - 25)
               : mant == 0 ? std::numeric_limits<double>::infinity()
                           : std::numeric_limits<double>::quiet_NaN();
    *v = (n & 0x8000) ? -h : h;
  } else if (info == 26) {
    auto bits = static_cast<uint32_t>(n);
    float f;
    std::memcpy(&f, &bits, sizeof(f));
    *v = static_cast<double>(f);
  } else {
    std::memcpy(v, &n, sizeof(*v));
  }
  return true;
}

bool CborReader::Text(uint64_t len, std::string* out) {
  if (static_cast<uint64_t>(end_ - p_) < len) return false;
  out->assign(reinterpret_cast<const char*>(p_), len);
  p_ += len;
  return true;
}

bool CborReader::Read(json* out, int depth) {
  if (p_ == end_ || depth > 256) return false;
  unsigned char b = *p_++;
  unsigned major = b >> 5, info = b & 31;
  uint64_t n = 0;
  if (major == 7) {
    switch (info) {
      case 20: *out = false; return true;
      case 21: *out = true; return true;
      case 22: *out = nullptr; return true;
      case 25:
      case 26:
      case 27: {
        double v = 0;
        if (!Float(info, &v)) return false;
        *out = v;
        return true;
      }
      default: return false;
    }
  }
  if (!Arg(info, &n)) return false;
  switch (major) {
    case 0: *out = static_cast<uint64_t>(n); return true;
    case 1:
      if (n > static_cast<uint64_t>(std::numeric_limits<int64_t>::max())) return false;
      *out = static_cast<int64_t>(-1) - static_cast<int64_t>(n);
      return true;
    case 3: {
      std::string s;
      if (!Text(n, &s)) return false;
      *out = std::move(s);
      return true;
    }
    case 4: {
      if (n > static_cast<uint64_t>(end_ - p_)) return false;  // each item is >= 1 byte
      *out = json::array();
      auto& arr = out->get_ref<json::array_t&>();
      arr.resize(n);
      for (auto& item : arr) {
        if (!Read(&item, depth + 1)) return false;
      }
      return true;
    }
    case 5: {
      if (n > static_cast<uint64_t>(end_ - p_)) return false;
      *out = json::object();
      auto& obj = out->get_ref<json::object_t&>();
      std::string key;
      for (uint64_t i = 0; i < n; ++i) {
        if (p_ == end_ || (*p_ >> 5) != 3) return false;  // text keys only
        uint64_t len = 0;
        unsigned key_info = *p_++ & 31;
        if (!Arg(key_info, &len) || !Text(len, &key)) return false;
        json value;
        if (!Read(&value, depth + 1)) return false;
        obj.insert_or_assign(obj.end(), key, std::move(value));
      }
      return true;
    }
    default: return false;
  }
}

}  // namespace kg::store::internal
