// Upgrades of a store written by an older kg, run by a writable Open() (docs/STORAGE.md
// "Upgrades"). Each step derives what the new version adds from the data already stored and
// writes it with the new schema version in one synced WriteBatch: a crash leaves the old
// version whole, and the next writable open upgrades again.

#include <algorithm>
#include <cstdio>
#include <memory>
#include <string>
#include <vector>

#include "key_format.h"
#include "store_impl.h"

namespace kg::store::internal {

// 1 -> 2: the per-node mention counters ('m' keys, key_format.h MentionLanes), from one pass
// over the edge records beside their evidence counters ('v' keys, both in edge id order).
Status StoreImpl::AddMentionCounters() {
  rocksdb::ReadOptions ro;
  std::string v_prefix(1, static_cast<char>(CounterTag::kEdgeEvidence));
  std::string v_upper = PrefixSuccessor(v_prefix);
  rocksdb::Slice v_upper_slice(v_upper);
  rocksdb::ReadOptions cro;
  cro.iterate_upper_bound = &v_upper_slice;
  std::unique_ptr<rocksdb::Iterator> counters(db_->NewIterator(cro, cf_[kCounters]));
  counters->Seek(v_prefix);
  std::vector<MentionLanes> sums(next_node_, MentionLanes{});
  std::unique_ptr<rocksdb::Iterator> edges(db_->NewIterator(ro, cf_[kEdges]));
  for (edges->SeekToFirst(); edges->Valid(); edges->Next()) {
    auto key = edges->key().ToStringView();
    auto value = edges->value().ToStringView();
    if (key.size() != 8 || value.size() < 20) {
      return Status::Corruption(path_ + ": malformed edge record while upgrading");
    }
    EdgeId id = GetU64(key.data());
    NodeId source = GetU64(value.data() + 4), target = GetU64(value.data() + 12);
    uint64_t evidence = 0;
    for (; counters->Valid(); counters->Next()) {
      auto ckey = counters->key().ToStringView();
      uint64_t owner = ckey.size() == 9 ? GetU64(ckey.data() + 1) : 0;
      if (owner > id) break;
      if (owner == id) evidence = DecodeCounter(counters->value().ToStringView());
    }
    // Ids at or past the node counter are damage; growing the table to them could ask for
    // any amount of memory.
    if (source == 0 || target == 0 || std::max(source, target) >= sums.size()) {
      return Status::Corruption(path_ + ": edge " + std::to_string(id) +
                                " names a node past the node counter while upgrading");
    }
    ++sums[source][kOutEdges];
    sums[source][kOutEvidence] += evidence;
    ++sums[target][kInEdges];
    sums[target][kInEvidence] += evidence;
    if (source == target) {
      ++sums[source][kLoops];
      sums[source][kLoopEvidence] += evidence;
    }
  }
  if (!edges->status().ok()) return FromRocks(edges->status(), "cannot upgrade " + path_);
  if (!counters->status().ok()) return FromRocks(counters->status(), "cannot upgrade " + path_);
  edges.reset();
  counters.reset();

  rocksdb::WriteBatch batch;
  uint64_t nodes = 0;
  for (NodeId node = 1; node < sums.size(); ++node) {
    if (sums[node][kOutEdges] + sums[node][kInEdges] == 0) continue;
    batch.Put(cf_[kCounters], MentionKey(node), MentionValue(sums[node]));
    ++nodes;
  }
  batch.Put(cf_[kMeta], kSchemaKey, U32Value(kMentionsSchema));
  rocksdb::WriteOptions wo;
  wo.sync = true;
  KG_RETURN_IF_ERROR(FromRocks(db_->Write(wo, &batch), "cannot upgrade " + path_));
  std::fprintf(stderr,
               "kg: upgraded %s from schema 1 to %u: added the mention counters of %llu nodes\n",
               path_.c_str(), kMentionsSchema, static_cast<unsigned long long>(nodes));
  return Status::Ok();
}

// 2 -> 3: evidence packs. Nothing is rewritten: the single-record keys stay and stay readable
// (their ids are all below the recorded next evidence id, so readers list them before the
// packs); from now on writers write packs only.
Status StoreImpl::StartPackedEvidence() {
  std::string total;
  auto s = db_->Get(rocksdb::ReadOptions(), cf_[kCounters], CounterKey(CounterTag::kEvidence),
                    &total);
  if (!s.ok() && !s.IsNotFound()) return FromRocks(s, "cannot upgrade " + path_);
  uint64_t records = s.ok() ? DecodeCounter(total) : 0;
  rocksdb::WriteBatch batch;
  batch.Put(cf_[kMeta], kSinglesBelowKey, U64Key(next_evidence_));
  batch.Put(cf_[kMeta], kSchemaKey, U32Value(kPackedEvidenceSchema));
  rocksdb::WriteOptions wo;
  wo.sync = true;
  KG_RETURN_IF_ERROR(FromRocks(db_->Write(wo, &batch), "cannot upgrade " + path_));
  std::fprintf(stderr,
               "kg: upgraded %s from schema 2 to %u: evidence is packed from now on (%llu "
               "records stay as they are)\n",
               path_.c_str(), kPackedEvidenceSchema, static_cast<unsigned long long>(records));
  return Status::Ok();
}

}  // namespace kg::store::internal
