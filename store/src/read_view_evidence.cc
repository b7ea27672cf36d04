// ReadView's evidence reads: the evidence lists of edges and nodes, whole or only the wanted
// properties, and their counts (read_view_impl.h). An owner's records are its single-record keys
// (stores of schema <= 2; ids below every pack's) followed by its packs (schema 3,
// evidence_pack.h), so each list comes out in ascending id order.

#include "evidence_pack.h"
#include "read_view_impl.h"
#include "record_readers.h"

namespace kg::store::internal {

using json = nlohmann::json;

std::vector<uint64_t> ReadViewImpl::EdgeEvidenceCounts(const std::vector<EdgeId>& ids) {
  std::vector<uint64_t> out(ids.size(), 0);
  MultiGet(kCounters, ids,
           [](uint64_t id) { return OwnerCounterKey(CounterTag::kEdgeEvidence, id); },
           [&](size_t i, std::string_view value) { out[i] = DecodeCounter(value); });
  return out;
}

template <typename Fn>
void ReadViewImpl::ForEachRecord(EvidenceKind kind, uint64_t owner, Fn&& fn) {
  bool go_on = true;
  if (store_->may_hold_evidence_singles()) {
    Scan(kEvidence, EvidencePrefix(kind, owner),
         [&](std::string_view key, std::string_view value) {
           if (key.size() != kEvidencePrefixSize + 8) {
             Corrupt<Evidence>("evidence record");
             return true;
           }
           return go_on = fn(GetU64(key.data() + kEvidencePrefixSize), value);
         });
    if (!go_on) return;
  }
  Scan(kEvidence, EvidencePackPrefix(kind, owner),
       [&](std::string_view key, std::string_view value) {
         if (key.size() != kEvidencePrefixSize + 8) {
           Corrupt<Evidence>("evidence pack");
           return true;
         }
         PackReader pack(GetU64(key.data() + kEvidencePrefixSize), value);
         uint64_t id = 0;
         std::string_view record;
         while (pack.Next(&id, &record)) {
           if (!fn(id, record)) return false;
         }
         if (!pack.ok()) Corrupt<Evidence>("evidence pack");
         return true;
       });
}

bool ReadViewImpl::ParseEvidence(EvidenceKind kind, uint64_t owner, uint64_t id,
                                 std::string_view record, Evidence* ev) {
  if (!DecodeEvidenceFast(record, ev)) {
    Corrupt<Evidence>("evidence record");
    return false;
  }
  ev->on_node = kind == EvidenceKind::kNode;
  ev->edge_or_node = owner;
  ev->id = id;
  return true;
}

void ReadViewImpl::ForEachEvidence(const std::function<bool(const Evidence&)>& fn) {
  for (auto kind : {EvidenceKind::kEdge, EvidenceKind::kNode}) {
    if (!ForEachEvidenceOf(kind, fn)) return;
  }
}

// The single-record keys and the packs of `kind` are two key ranges ('e' and 'E'); they are
// walked side by side, merged by owner and first id, so the records come out as one list by
// owner then id (what `kg-inspect dump` and the export print, whatever the store's schema).
bool ReadViewImpl::ForEachEvidenceOf(EvidenceKind kind,
                                     const std::function<bool(const Evidence&)>& fn) {
  std::string single_from(1, static_cast<char>(kind)), pack_from(1, PackTag(kind));
  std::string single_to = PrefixSuccessor(single_from), pack_to = PrefixSuccessor(pack_from);
  rocksdb::Slice single_bound(single_to), pack_bound(pack_to);
  rocksdb::ReadOptions single_ro = ro_, pack_ro = ro_;
  single_ro.total_order_seek = pack_ro.total_order_seek = true;
  single_ro.iterate_upper_bound = &single_bound;
  pack_ro.iterate_upper_bound = &pack_bound;
  std::unique_ptr<rocksdb::Iterator> singles(db()->NewIterator(single_ro, cf_handle(kEvidence)));
  std::unique_ptr<rocksdb::Iterator> packs(db()->NewIterator(pack_ro, cf_handle(kEvidence)));
  singles->Seek(single_from);
  packs->Seek(pack_from);
  bool go_on = true;
  while (go_on && (singles->Valid() || packs->Valid())) {
    bool single = singles->Valid() &&
                  (!packs->Valid() ||
                   singles->key().ToStringView().substr(1) < packs->key().ToStringView().substr(1));
    rocksdb::Iterator* it = single ? singles.get() : packs.get();
    auto key = it->key().ToStringView();
    auto value = it->value().ToStringView();
    if (key.size() != kEvidencePrefixSize + 8) {
      Corrupt<Evidence>(single ? "evidence record" : "evidence pack");
    } else if (single) {
      Evidence ev;
      if (ParseEvidence(kind, GetU64(key.data() + 1), GetU64(key.data() + 9), value, &ev)) {
        go_on = fn(ev);
      }
    } else {
      PackReader pack(GetU64(key.data() + 9), value);
      uint64_t owner = GetU64(key.data() + 1), id = 0;
      std::string_view record;
      while (go_on && pack.Next(&id, &record)) {
        Evidence ev;
        if (ParseEvidence(kind, owner, id, record, &ev)) go_on = fn(ev);
      }
      if (!pack.ok()) Corrupt<Evidence>("evidence pack");
    }
    it->Next();
  }
  for (auto* it : {singles.get(), packs.get()}) {
    if (!it->status().ok() && status_.ok()) status_ = FromRocks(it->status(), "scan failed");
  }
  return go_on;
}

std::vector<Evidence> ReadViewImpl::EdgeEvidence(EdgeId edge, size_t limit) {
  return EvidenceOf(EvidenceKind::kEdge, edge, limit);
}

std::vector<Evidence> ReadViewImpl::NodeEvidence(NodeId node, size_t limit) {
  return EvidenceOf(EvidenceKind::kNode, node, limit);
}

std::vector<Properties> ReadViewImpl::EdgeEvidenceProperties(EdgeId edge,
                                                           const std::vector<std::string>& keys) {
  std::vector<Properties> out;
  ForEachRecord(EvidenceKind::kEdge, edge, [&](uint64_t, std::string_view record) {
    std::optional<Properties> props = DecodeEvidenceProperties(record, keys);
    if (!props) {
      Corrupt<Evidence>("evidence record");
      return true;
    }
    out.push_back(std::move(*props));
    return true;
  });
  return out;
}

void ReadViewImpl::ForEachEdgeEvidenceValues(EdgeId edge, const std::vector<std::string>& keys,
                                           const std::function<void(const PropertyRef*)>& fn) {
  std::vector<PropertyRef> values(keys.size());
  std::vector<json> scratch(keys.size());
  // Each record is read where it lies, inside the pack the iterator holds: no copy.
  ForEachRecord(EvidenceKind::kEdge, edge, [&](uint64_t, std::string_view record) {
    if (ReadEvidenceValues(record, keys, values.data(), scratch.data())) {
      fn(values.data());
      return true;
    }
    std::optional<Properties> props = DecodeEvidenceProperties(record, keys);
    if (!props) {
      Corrupt<Evidence>("evidence record");
      return true;
    }
    RefsFromJson(std::move(*props), keys, values.data(), scratch.data());
    fn(values.data());
    return true;
  });
}

void ReadViewImpl::ForEachEdgeEvidence(EdgeId edge,
                                       const std::function<bool(const Evidence&)>& fn) {
  ForEachRecord(EvidenceKind::kEdge, edge, [&](uint64_t id, std::string_view record) {
    Evidence ev;
    if (!ParseEvidence(EvidenceKind::kEdge, edge, id, record, &ev)) return true;
    return fn(ev);
  });
}

std::vector<Evidence> ReadViewImpl::EvidenceOf(EvidenceKind kind, uint64_t owner, size_t limit) {
  std::vector<Evidence> out;
  ForEachRecord(kind, owner, [&](uint64_t id, std::string_view record) {
    Evidence ev;
    if (ParseEvidence(kind, owner, id, record, &ev)) out.push_back(std::move(ev));
    return limit == 0 || out.size() < limit;
  });
  return out;
}

}  // namespace kg::store::internal
