// ReadView's counter reads: degrees, top nodes by degree, per-node mention totals, store
// statistics and labels (read_view_impl.h).

#include "read_view_impl.h"

namespace kg::store::internal {

using json = nlohmann::json;

uint64_t ReadViewImpl::Degree(NodeId node, Direction direction, std::string_view type) {
  if (direction == Direction::kBoth) {
    return Degree(node, Direction::kOut, type) + Degree(node, Direction::kIn, type);
  }
  auto dir = static_cast<uint8_t>(direction);
  if (type.empty()) return Counter(TotalDegreeKey(node, dir));
  auto id = store_->TypeId(type);
  return id ? Counter(DegreeKey(node, dir, *id)) : 0;
}

std::vector<ReadView::DegreeEntry> ReadViewImpl::TopByDegree(size_t k, Direction direction) {
  std::vector<DegreeEntry> top;
  if (k == 0) return top;
  auto better = [](const DegreeEntry& a, const DegreeEntry& b) {
    return a.degree != b.degree ? a.degree > b.degree : a.node < b.node;
  };
  // Total-degree keys of one node are adjacent (node | direction): sum per node on the fly.
  DegreeEntry current{kNoId, 0};
  auto flush = [&] {
    if (current.node == kNoId || current.degree == 0) return;
    if (top.size() < k) {
      top.push_back(current);
      std::push_heap(top.begin(), top.end(), better);
    } else if (better(current, top.front())) {
      std::pop_heap(top.begin(), top.end(), better);
      top.back() = current;
      std::push_heap(top.begin(), top.end(), better);
    }
  };
  std::string prefix(1, static_cast<char>(CounterTag::kTotalDegree));
  Scan(kCounters, prefix, [&](std::string_view key, std::string_view value) {
    if (key.size() != 10) return true;
    NodeId node = GetU64(key.data() + 1);
    auto dir = static_cast<uint8_t>(key[9]);
    if (direction != Direction::kBoth && dir != static_cast<uint8_t>(direction)) return true;
    if (node != current.node) {
      flush();
      current = DegreeEntry{node, 0};
    }
    current.degree += DecodeCounter(value);
    return true;
  });
  flush();
  std::sort_heap(top.begin(), top.end(), better);
  return top;
}

bool ReadViewImpl::ForEachNodeMentions(Direction direction,
                                     const std::function<bool(const NodeMentions&)>& fn) {
  std::string version;
  if (!Get(kMeta, std::string(kSchemaKey), &version) || version.size() != 4 ||
      GetU32(version.data()) < kMentionsSchema) {
    return false;  // a schema-1 store read-only: no mention counters yet
  }
  // One key per node that has (or had) relationships.
  std::string prefix(1, static_cast<char>(CounterTag::kMentions));
  Scan(kCounters, prefix, [&](std::string_view key, std::string_view value) {
    if (key.size() != 9) return true;
    MentionLanes m = DecodeMentions(value);
    NodeMentions entry;
    entry.node = GetU64(key.data() + 1);
    switch (direction) {
      case Direction::kOut:
        entry.relationships = m[kOutEdges];
        entry.evidence = m[kOutEvidence];
        break;
      case Direction::kIn:
        entry.relationships = m[kInEdges];
        entry.evidence = m[kInEvidence];
        break;
      case Direction::kBoth:
        entry.relationships = m[kOutEdges] + m[kInEdges] - m[kLoops];
        entry.evidence = m[kOutEvidence] + m[kInEvidence] - m[kLoopEvidence];
        break;
    }
    return entry.relationships == 0 || fn(entry);
  });
  return true;
}

StoreStats ReadViewImpl::Stats() {
  StoreStats stats;
  stats.nodes = Counter(CounterKey(CounterTag::kNodes));
  stats.edges = Counter(CounterKey(CounterTag::kEdges));
  stats.documents = Counter(CounterKey(CounterTag::kDocuments));
  stats.evidence = Counter(CounterKey(CounterTag::kEvidence));
  ScanNamed(CounterTag::kLabel, &stats.labels);
  ScanNamed(CounterTag::kType, &stats.types);
  for (size_t i = 1; i < kNumCfs; ++i) {
    auto* handle = cf_handle(static_cast<Cf>(i));
    uint64_t sst = 0, mem = 0;
    db()->GetIntProperty(handle, rocksdb::DB::Properties::kTotalSstFilesSize, &sst);
    db()->GetIntProperty(handle, rocksdb::DB::Properties::kCurSizeAllMemTables, &mem);
    stats.bytes[handle->GetName()] = sst + mem;
  }
  return stats;
}

std::vector<std::string> ReadViewImpl::Labels() {
  std::map<std::string, uint64_t> labels;
  ScanNamed(CounterTag::kLabel, &labels, /*keep_zero=*/true);
  std::vector<std::string> out;
  for (auto& [l, n] : labels) out.push_back(l);
  return out;
}

void ReadViewImpl::ScanNamed(CounterTag tag, std::map<std::string, uint64_t>* out, bool keep_zero) {
  std::string prefix(1, static_cast<char>(tag));
  Scan(kCounters, prefix, [&](std::string_view key, std::string_view value) {
    uint64_t n = DecodeCounter(value);
    if (n != 0 || keep_zero) (*out)[std::string(key.substr(1))] = n;
    return true;
  });
}

}  // namespace kg::store::internal
