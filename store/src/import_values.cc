#include "import_values.h"

#include <cmath>
#include <cstring>
#include <limits>

#include "key_format.h"

namespace kg::store::internal {
namespace {

// A CBOR head (RFC 8949 3.1) in its shortest form, the form nlohmann::json::to_cbor writes for
// string lengths, array and map sizes and integers.
void PutCborHead(std::string* out, uint8_t major, uint64_t n) {
  const auto type = static_cast<char>(major << 5);
  if (n <= 0x17) {
    out->push_back(static_cast<char>(type | static_cast<char>(n)));
  } else if (n <= 0xFF) {
    out->push_back(static_cast<char>(type | 0x18));
    out->push_back(static_cast<char>(n));
  } else if (n <= 0xFFFF) {
    out->push_back(static_cast<char>(type | 0x19));
    out->push_back(static_cast<char>(n >> 8));
    out->push_back(static_cast<char>(n));
  } else if (n <= 0xFFFFFFFFull) {
    out->push_back(static_cast<char>(type | 0x1A));
    PutU32(out, static_cast<uint32_t>(n));
  } else {
    out->push_back(static_cast<char>(type | 0x1B));
    PutU64(out, n);
  }
}

void PutCborText(std::string* out, std::string_view s) {
  PutCborHead(out, 3, s.size());
  out->append(s);
}

void PutCborInt(std::string* out, int64_t v) {
  if (v >= 0) {
    PutCborHead(out, 0, static_cast<uint64_t>(v));
  } else {
    PutCborHead(out, 1, static_cast<uint64_t>(-1 - v));
  }
}

// nlohmann's choice: NaN and infinities as half floats, a value a float holds exactly as a
// float, anything else as a double.
void PutCborDouble(std::string* out, double v) {
  if (std::isnan(v)) {
    out->append("\xF9\x7E\x00", 3);
  } else if (std::isinf(v)) {
    out->append(v > 0 ? std::string_view("\xF9\x7C\x00", 3) : std::string_view("\xF9\xFC\x00", 3));
  } else if (v >= static_cast<double>(std::numeric_limits<float>::lowest()) &&
             v <= static_cast<double>(std::numeric_limits<float>::max()) &&
             static_cast<double>(static_cast<float>(v)) == v) {
    auto f = static_cast<float>(v);
    uint32_t bits = 0;
    std::memcpy(&bits, &f, sizeof(bits));
    out->push_back(static_cast<char>(0xFA));
    PutU32(out, bits);
  } else {
    uint64_t bits = 0;
    std::memcpy(&bits, &v, sizeof(bits));
    out->push_back(static_cast<char>(0xFB));
    PutU64(out, bits);
  }
}

}  // namespace

void AppendImportEvidence(std::string* out, std::string_view doc_id, double weight,
                          int64_t polarity) {
  out->push_back('\0');               // doc: varint of kNoId
  out->append(8, '\0');               // start, end
  uint64_t bits = 0;
  std::memcpy(&bits, &weight, sizeof(bits));
  PutU64(out, bits);                  // confidence
  out->push_back('\0');               // sentence: empty
  out->append("\x06import", 7);       // rule
  // properties: a map of 3, keys in std::map order (doc_id < polarity < weight)
  out->push_back(static_cast<char>(0xA3));
  out->append("\x66" "doc_id", 7);
  PutCborText(out, doc_id);
  out->append("\x68" "polarity", 9);
  PutCborInt(out, polarity);
  out->append("\x66" "weight", 7);
  PutCborDouble(out, weight);
}

std::string EncodeImportNode(std::string_view name, std::string_view label) {
  std::string out;
  out.reserve(32 + name.size() + 2 * label.size());
  out.append("\xA3\x61l\x81", 4);  // {"l": [label],
  PutCborText(&out, label);
  out.append("\x61p\xA2\x67" "aliases\x80\x64name", 17);  // "p": {"aliases": [], "name": name},
  PutCborText(&out, name);
  out.append("\x61w\xA1", 3);  // "w": {label: 1}}
  PutCborText(&out, label);
  out.push_back('\x01');
  return out;
}

}  // namespace kg::store::internal
