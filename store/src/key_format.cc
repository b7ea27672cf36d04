#include "key_format.h"

#include <algorithm>

namespace kg::store::internal {

void PutU32(std::string* dst, uint32_t v) {
  char buf[4] = {static_cast<char>(v >> 24), static_cast<char>(v >> 16),
                 static_cast<char>(v >> 8), static_cast<char>(v)};
  dst->append(buf, 4);
}

void PutU64(std::string* dst, uint64_t v) {
  PutU32(dst, static_cast<uint32_t>(v >> 32));
  PutU32(dst, static_cast<uint32_t>(v));
}

uint32_t GetU32(const char* p) {
  auto b = reinterpret_cast<const unsigned char*>(p);
  return (uint32_t{b[0]} << 24) | (uint32_t{b[1]} << 16) | (uint32_t{b[2]} << 8) | b[3];
}

uint64_t GetU64(const char* p) { return (uint64_t{GetU32(p)} << 32) | GetU32(p + 4); }

std::string U64Key(uint64_t v) {
  std::string s;
  PutU64(&s, v);
  return s;
}

std::string U32Value(uint32_t v) {
  std::string s;
  PutU32(&s, v);
  return s;
}

std::string CounterValue(uint64_t v) {
  std::string s(8, '\0');
  for (int i = 0; i < 8; ++i) s[i] = static_cast<char>(v >> (8 * i));
  return s;
}

uint64_t DecodeCounter(std::string_view v) {
  if (v.size() != 8) return 0;
  uint64_t r = 0;
  for (int i = 7; i >= 0; --i) r = (r << 8) | static_cast<unsigned char>(v[i]);
  return r;
}

void PutVarint64(std::string* dst, uint64_t v) {
  while (v >= 0x80) {
    dst->push_back(static_cast<char>((v & 0x7f) | 0x80));
    v >>= 7;
  }
  dst->push_back(static_cast<char>(v));
}

bool GetVarint64Long(std::string_view* in, uint64_t* v) {
  uint64_t result = 0;
  for (int shift = 0; shift <= 63 && !in->empty(); shift += 7) {
    auto byte = static_cast<unsigned char>(in->front());
    in->remove_prefix(1);
    result |= uint64_t{byte & 0x7fu} << shift;
    if ((byte & 0x80) == 0) {
      *v = result;
      return true;
    }
  }
  return false;
}

void PutLengthPrefixed(std::string* dst, std::string_view s) {
  PutVarint64(dst, s.size());
  dst->append(s);
}

std::string EncodeAdjKey(const AdjKey& k) {
  std::string s;
  s.reserve(kAdjKeySize);
  PutU64(&s, k.node);
  PutU32(&s, k.type);
  PutU64(&s, k.other);
  PutU64(&s, k.edge);
  return s;
}

std::optional<AdjKey> DecodeAdjKey(std::string_view key) {
  if (key.size() != kAdjKeySize) return std::nullopt;
  return AdjKey{GetU64(key.data()), GetU32(key.data() + 8), GetU64(key.data() + 12),
                GetU64(key.data() + 20)};
}

std::string AdjPrefix(uint64_t node) { return U64Key(node); }

std::string AdjPrefix(uint64_t node, uint32_t type) {
  std::string s = U64Key(node);
  PutU32(&s, type);
  return s;
}

std::string AdjPrefix(uint64_t node, uint32_t type, uint64_t other) {
  std::string s = AdjPrefix(node, type);
  PutU64(&s, other);
  return s;
}

std::string IndexKey(std::string_view text, uint64_t node) {
  std::string s(text);
  s.push_back('\0');
  PutU64(&s, node);
  return s;
}

std::optional<std::pair<std::string_view, uint64_t>> DecodeIndexKey(std::string_view key) {
  if (key.size() < 9 || key[key.size() - 9] != '\0') return std::nullopt;
  return std::make_pair(key.substr(0, key.size() - 9), GetU64(key.data() + key.size() - 8));
}

std::string EvidencePrefix(EvidenceKind kind, uint64_t owner) {
  std::string s(1, static_cast<char>(kind));
  PutU64(&s, owner);
  return s;
}

std::string EvidenceKey(EvidenceKind kind, uint64_t owner, uint64_t evidence_id) {
  std::string s = EvidencePrefix(kind, owner);
  PutU64(&s, evidence_id);
  return s;
}

std::string EvidencePackPrefix(EvidenceKind kind, uint64_t owner) {
  std::string s(1, PackTag(kind));
  PutU64(&s, owner);
  return s;
}

std::string EvidencePackKey(EvidenceKind kind, uint64_t owner, uint64_t first_id) {
  std::string s = EvidencePackPrefix(kind, owner);
  PutU64(&s, first_id);
  return s;
}

std::string CounterKey(CounterTag tag) { return std::string(1, static_cast<char>(tag)); }

std::string CounterKey(CounterTag tag, std::string_view name) {
  std::string s(1, static_cast<char>(tag));
  s.append(name);
  return s;
}

std::string DegreePrefix(uint64_t node) {
  std::string s(1, static_cast<char>(CounterTag::kDegree));
  PutU64(&s, node);
  return s;
}

std::string DegreeKey(uint64_t node, uint8_t direction, uint32_t type) {
  std::string s = DegreePrefix(node);
  s.push_back(static_cast<char>(direction));
  PutU32(&s, type);
  return s;
}

std::string TotalDegreeKey(uint64_t node, uint8_t direction) {
  std::string s(1, static_cast<char>(CounterTag::kTotalDegree));
  PutU64(&s, node);
  s.push_back(static_cast<char>(direction));
  return s;
}

std::string OwnerCounterKey(CounterTag tag, uint64_t id) {
  std::string s(1, static_cast<char>(tag));
  PutU64(&s, id);
  return s;
}

std::string MentionKey(uint64_t node) { return OwnerCounterKey(CounterTag::kMentions, node); }

std::string MentionValue(const MentionLanes& lanes) {
  std::string s;
  s.reserve(8 * kMentionLanes);
  for (uint64_t v : lanes) s += CounterValue(v);
  return s;
}

MentionLanes DecodeMentions(std::string_view value) {
  MentionLanes lanes{};
  if (value.size() % 8 != 0) return lanes;
  for (size_t i = 0; i < kMentionLanes && 8 * i < value.size(); ++i) {
    lanes[i] = DecodeCounter(value.substr(8 * i, 8));
  }
  return lanes;
}

std::string AddCounterValues(std::string_view a, std::string_view b) {
  if (a.size() % 8 != 0) a = {};
  if (b.size() % 8 != 0) b = {};
  size_t lanes = std::max<size_t>({a.size(), b.size(), 8}) / 8;
  std::string out;
  out.reserve(8 * lanes);
  for (size_t i = 0; i < lanes; ++i) {
    uint64_t x = 8 * i < a.size() ? DecodeCounter(a.substr(8 * i, 8)) : 0;
    uint64_t y = 8 * i < b.size() ? DecodeCounter(b.substr(8 * i, 8)) : 0;
    out += CounterValue(x + y);
  }
  return out;
}

std::string DocIndexKey(char tag, std::string_view text) {
  std::string s(1, tag);
  s.append(text);
  return s;
}

std::string PrefixSuccessor(std::string prefix) {
  while (!prefix.empty()) {
    auto& last = prefix.back();
    if (static_cast<unsigned char>(last) != 0xff) {
      last = static_cast<char>(static_cast<unsigned char>(last) + 1);
      return prefix;
    }
    prefix.pop_back();
  }
  return prefix;
}

}  // namespace kg::store::internal
