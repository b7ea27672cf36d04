#include "import_tables.h"

namespace kg::store::internal {

void NodeTable::Add(std::string_view name, std::string_view label, std::string_view norm) {
  size_t chunk = 0, offset = 0;
  std::string& c = bytes_.Reserve(20 + name.size() + norm.size(), &chunk, &offset);
  starts_.push_back(static_cast<uint64_t>(chunk) << 32 | offset);
  PutVarint(&c, name.size());
  c.append(name);
  PutVarint(&c, norm.size());
  c.append(norm);
  auto it = label_ids_.find(label);
  if (it == label_ids_.end()) {
    it = label_ids_.emplace(std::string(label), static_cast<uint32_t>(label_names_.size())).first;
    label_names_.push_back(std::string(label));
  }
  labels_.push_back(it->second);
  ++size_;
}

void NodeTable::Release() {
  bytes_.Clear();
  std::vector<uint64_t>().swap(starts_);
  std::vector<uint32_t>().swap(labels_);
}

std::string_view NodeTable::Text(size_t i, bool norm) const {
  const std::string& c = bytes_.chunk(starts_[i] >> 32);
  size_t pos = starts_[i] & 0xFFFFFFFF;
  uint64_t len = GetVarint(c, &pos);
  if (norm) {
    pos += len;
    len = GetVarint(c, &pos);
  }
  return std::string_view(c).substr(pos, len);
}

namespace {

size_t HashCsvId(int64_t key) {
  uint64_t h = static_cast<uint64_t>(key) * 0x9E3779B97F4A7C15ull;
  return static_cast<size_t>(h ^ (h >> 32));
}

}  // namespace

bool CsvIdTable::Insert(int64_t key, uint32_t value) {
  if ((size_ + 1) * 2 > slots_.size()) Grow();
  Slot& slot = slots_[Locate(key)];
  if (slot.value != 0) return false;
  slot = Slot{key, value};
  ++size_;
  return true;
}

uint32_t CsvIdTable::Find(int64_t key) const {
  return slots_.empty() ? 0 : slots_[Locate(key)].value;
}

// The slot holding `key`, or the empty slot where it would go.
size_t CsvIdTable::Locate(int64_t key) const {
  size_t mask = slots_.size() - 1;
  for (size_t i = HashCsvId(key) & mask;; i = (i + 1) & mask) {
    if (slots_[i].value == 0 || slots_[i].key == key) return i;
  }
}

void CsvIdTable::Grow() {
  std::vector<Slot> old = std::move(slots_);
  slots_.assign(std::max<size_t>(1024, old.size() * 2), Slot{});
  for (const auto& slot : old) {
    if (slot.value != 0) slots_[Locate(slot.key)] = slot;
  }
}

void EvidenceRows::Add(std::string_view doc_id, double weight, int64_t polarity) {
  size_t chunk = 0, offset = 0;
  std::string& c = bytes_.Reserve(10 + doc_id.size() + 8 + 10, &chunk, &offset);
  if (count_ % kStride == 0) marks_.push_back(Position{chunk, offset});
  PutVarint(&c, doc_id.size());
  c.append(doc_id);
  uint64_t bits = 0;
  std::memcpy(&bits, &weight, sizeof(bits));
  c.append(reinterpret_cast<const char*>(&bits), sizeof(bits));
  PutVarint(&c, (static_cast<uint64_t>(polarity) << 1) ^ static_cast<uint64_t>(polarity >> 63));
  ++count_;
}

std::string_view EvidenceRows::Get(size_t i, std::string* scratch) const {
  Position at = marks_[i / kStride];
  std::string_view doc;
  double weight = 0;
  int64_t polarity = 0;
  for (size_t k = i % kStride;; --k) {
    if (at.offset == bytes_.chunk(at.chunk).size()) at = Position{at.chunk + 1, 0};
    const std::string& c = bytes_.chunk(at.chunk);
    size_t pos = at.offset;
    uint64_t len = GetVarint(c, &pos);
    doc = std::string_view(c).substr(pos, len);
    pos += len;
    uint64_t bits = 0;
    std::memcpy(&bits, c.data() + pos, sizeof(bits));
    std::memcpy(&weight, &bits, sizeof(weight));
    pos += sizeof(bits);
    uint64_t zigzag = GetVarint(c, &pos);
    polarity = static_cast<int64_t>(zigzag >> 1) ^ -static_cast<int64_t>(zigzag & 1);
    at.offset = pos;
    if (k == 0) break;
  }
  scratch->clear();
  AppendImportEvidence(scratch, doc, weight, polarity);
  return *scratch;
}

void EvidenceRows::Release() {
  bytes_.Clear();
  std::vector<Position>().swap(marks_);
}

}  // namespace kg::store::internal
