#pragma once
// ReadViewImpl: the ReadView over one RocksDB snapshot. Its methods live by job in
// read_view.cc (construction; node, edge and document point reads), read_view_scans.cc
// (whole-family scans), read_view_index.cc (names, labels, adjacency, types),
// read_view_evidence.cc (evidence lists) and read_view_counters.cc (degrees, mentions, stats).
// The scan and batched-read helpers every one of them uses are templates, defined here.
// Every iterator is a local destroyed before the function returns, or one of the view's reused
// iterators, destroyed before its snapshot (or, on a read-only store, given back to the
// instance that owns it), so nothing outlives its RocksDB instance (Debian's RocksDB asserts on
// that misuse).

#include <algorithm>
#include <array>
#include <functional>
#include <map>
#include <memory>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "key_format.h"
#include "store_impl.h"
#include "values.h"

namespace kg::store::internal {

class ReadViewImpl final : public ReadView {
 public:
  // A secondary instance cannot make snapshots (its iterators fail with "not supported"), but
  // its state only moves on CatchUp(), which stands in for the snapshot.
  // The view pins the RocksDB instance it starts on: a read-only store's CatchUp may replace it.
  explicit ReadViewImpl(StoreImpl* store);
  ~ReadViewImpl() override;

  std::optional<Node> GetNode(NodeId id) override;

  std::optional<Edge> GetEdge(EdgeId id) override;

  std::vector<std::optional<Node>> GetNodes(const std::vector<NodeId>& ids) override;

  // Calls decode(id, record) for each id of `ids` (ascending, distinct) that has a node
  // record, in that order.
  template <typename Fn>
  void ReadNodeRecords(const std::vector<NodeId>& ids, Fn&& decode);

  void NodeProperties(const std::vector<NodeId>& ids, const std::vector<std::string>& keys,
                      const std::function<void(NodeId, Properties&&)>& fn) override;

  void NodePropertyValues(const std::vector<NodeId>& ids, const std::vector<std::string>& keys,
                          const std::function<void(NodeId, const PropertyRef*)>& fn) override;

  std::vector<uint64_t> EdgeEvidenceCounts(const std::vector<EdgeId>& ids) override;

  std::vector<NodeId> NodeIds() override;

  void ForEachEdgeSummary(const std::function<bool(const EdgeSummary&)>& fn) override;

  std::optional<Document> GetDocument(DocId id) override;

  std::optional<Document> GetDocumentByExternalId(std::string_view external_id) override;
  std::optional<Document> GetDocumentByHash(std::string_view content_hash) override;

  std::vector<NodeId> FindByName(std::string_view name) override;

  std::vector<NameMatch> SearchNames(std::string_view prefix, size_t limit,
                                     size_t scan_limit) override;

  void ForEachNode(const std::function<bool(const Node&)>& fn) override;

  void ForEachNodeWithLabel(std::string_view label,
                            const std::function<bool(const Node&)>& fn) override;

  std::vector<NodeId> NodesWithLabel(std::string_view label) override;

  void ForEachEdge(const std::function<bool(const Edge&)>& fn) override;

  void ForEachDocument(const std::function<bool(const Document&)>& fn) override;

  void ForEachEvidence(const std::function<bool(const Evidence&)>& fn) override;

  void ForEachEdgeRef(NodeId node, Direction direction, std::string_view type,
                      const std::function<bool(const EdgeRef&)>& fn) override;

  std::vector<EdgeRef> EdgeRefs(NodeId node, Direction direction,
                                std::string_view type) override;

  std::vector<Edge> Edges(NodeId node, Direction direction, std::string_view type) override;

  std::vector<EdgeId> EdgesBetween(NodeId source, NodeId target, std::string_view type) override;

  std::vector<Evidence> EdgeEvidence(EdgeId edge, size_t limit) override;
  std::vector<Evidence> NodeEvidence(NodeId node, size_t limit) override;
  std::vector<Properties> EdgeEvidenceProperties(EdgeId edge,
                                                 const std::vector<std::string>& keys) override;
  void ForEachEdgeEvidenceValues(EdgeId edge, const std::vector<std::string>& keys,
                                 const std::function<void(const PropertyRef*)>& fn) override;
  void ForEachEdgeEvidence(EdgeId edge, const std::function<bool(const Evidence&)>& fn) override;

  uint64_t Degree(NodeId node, Direction direction, std::string_view type) override;

  std::vector<DegreeEntry> TopByDegree(size_t k, Direction direction) override;

  // ---- Per-node mention totals (schema 2 counters; docs/STORAGE.md "Counters")
  bool ForEachNodeMentions(Direction direction,
                           const std::function<bool(const NodeMentions&)>& fn) override;

  StoreStats Stats() override;

  std::vector<std::string> EdgeTypes() override;

  std::vector<std::string> Labels() override;

  const Status& status() const override { return status_; }

 private:
  template <typename T>
  std::optional<T> Corrupt(const std::string& what) {
    if (status_.ok()) status_ = Status::Corruption("malformed record: " + what);
    return std::nullopt;
  }

  bool Get(Cf cf, const std::string& key, std::string* value) {
    auto s = db()->Get(ro_, cf_handle(cf), key, value);
    if (s.ok()) return true;
    if (!s.IsNotFound() && status_.ok()) status_ = FromRocks(s, "read failed");
    return false;
  }

  // One batched read of the keys make_key(ids[i]); calls found(i, value) for each key present.
  // MultiGet wants sorted keys for its fast path, so the keys are sorted and mapped back.
  template <typename MakeKey, typename Found>
  void MultiGet(Cf cf, const std::vector<uint64_t>& ids, MakeKey&& make_key, Found&& found) {
    if (ids.empty()) return;
    std::vector<std::string> keys(ids.size());
    for (size_t i = 0; i < ids.size(); ++i) keys[i] = make_key(ids[i]);
    std::vector<size_t> order(ids.size());
    for (size_t i = 0; i < order.size(); ++i) order[i] = i;
    std::sort(order.begin(), order.end(), [&](size_t a, size_t b) { return keys[a] < keys[b]; });
    std::vector<rocksdb::Slice> slices(ids.size());
    for (size_t i = 0; i < order.size(); ++i) slices[i] = rocksdb::Slice(keys[order[i]]);
    std::vector<rocksdb::PinnableSlice> values(ids.size());
    std::vector<rocksdb::Status> statuses(ids.size());
    db()->MultiGet(ro_, cf_handle(cf), slices.size(), slices.data(), values.data(),
                   statuses.data(), /*sorted_input=*/true);
    for (size_t i = 0; i < order.size(); ++i) {
      if (statuses[i].IsNotFound()) continue;
      if (!statuses[i].ok()) {
        if (status_.ok()) status_ = FromRocks(statuses[i], "read failed");
        continue;
      }
      found(order[i], values[i].ToStringView());
    }
  }

  uint64_t Counter(const std::string& key) {
    std::string value;
    return Get(kCounters, key, &value) ? DecodeCounter(value) : 0;
  }

  // Calls fn(key, value) for every key starting with `prefix` ("" = the whole family).
  template <typename Fn>
  void Scan(Cf cf, std::string_view prefix, Fn&& fn) {
    bool prefix_cf = cf == kOutAdj || cf == kInAdj || cf == kEvidence;
    size_t extractor = cf == kEvidence ? kEvidencePrefixSize : kAdjPrefixSize;
    // Seeks at least as long as the family's prefix extractor's prefix use its bloom filter
    // (prefix_same_as_start stands in for the upper bound); shorter ones, whole-family scans
    // and the families without an extractor seek in total order. Either way the view reuses
    // one iterator per family and mode (a query seeks many times: creating an iterator costs
    // about as much as the seek); not while a callback of an outer scan of the same family
    // runs (it is positioned there).
    SeekMode mode = prefix_cf && prefix.size() >= extractor ? SeekMode::kPrefix
                                                            : SeekMode::kTotalOrder;
    auto& reused = reused_[static_cast<size_t>(mode)][cf];
    if (!reused.busy) {
      if (!reused.it) reused.it = TakeIterator(cf, mode);
      reused.busy = true;
      ScanFrom(reused.it.get(), prefix, fn);
      reused.busy = false;
      return;
    }
    rocksdb::ReadOptions ro = ro_;
    std::string upper = PrefixSuccessor(std::string(prefix));
    rocksdb::Slice upper_slice(upper);
    if (!upper.empty()) ro.iterate_upper_bound = &upper_slice;
    // Shorter-than-prefix-extractor seeks (or whole-family scans) must not use the bloom.
    if (prefix_cf && prefix.size() < extractor) ro.total_order_seek = true;
    std::unique_ptr<rocksdb::Iterator> it(db()->NewIterator(ro, cf_handle(cf)));
    ScanFrom(it.get(), prefix, fn);
  }

  // An iterator for Scan to reuse: one the instance kept from an earlier view (read-only
  // stores, iterator_pool.h), else a new one.
  std::unique_ptr<rocksdb::Iterator> TakeIterator(Cf cf, SeekMode mode);

  template <typename Fn>
  void ScanFrom(rocksdb::Iterator* it, std::string_view prefix, Fn& fn) {
    for (it->Seek(rocksdb::Slice(prefix.data(), prefix.size())); it->Valid(); it->Next()) {
      auto key = it->key().ToStringView();
      if (!key.starts_with(prefix)) break;
      if (!fn(key, it->value().ToStringView())) break;
    }
    if (!it->status().ok() && status_.ok()) status_ = FromRocks(it->status(), "scan failed");
  }

  void ScanNamed(CounterTag tag, std::map<std::string, uint64_t>* out, bool keep_zero = false);

  // Decodes one evidence record of `owner` (its bytes `record`) into *ev; false (and the view's
  // status Corruption) when malformed.
  bool ParseEvidence(EvidenceKind kind, uint64_t owner, uint64_t id, std::string_view record,
                     Evidence* ev);

  // fn(id, record bytes) -> bool (false stops) for each evidence record of the owner in id
  // order: its single-record keys (older stores), then its packs. `record` lives until fn
  // returns (it points into the iterator's value). Defined in read_view_evidence.cc.
  template <typename Fn>
  void ForEachRecord(EvidenceKind kind, uint64_t owner, Fn&& fn);

  // ForEachEvidence for one owner kind; false when fn stopped the walk.
  bool ForEachEvidenceOf(EvidenceKind kind, const std::function<bool(const Evidence&)>& fn);

  std::vector<Evidence> EvidenceOf(EvidenceKind kind, uint64_t owner, size_t limit);

  std::optional<Document> DocByIndex(char tag, std::string_view text);

  Edge ToEdge(EdgeId id, EdgeRecord rec);

  // StoreImpl::TypeName by id, remembered for the view's life: TypeName takes the store's type
  // lock, once per relationship of an adjacency walk otherwise (a hub's: ~2 % of hop1_hub).
  std::string_view CachedTypeName(uint32_t type_id) {
    if (type_id >= 4096) return store_->TypeName(type_id);
    if (type_id >= type_names_.size()) type_names_.resize(type_id + 1);
    if (!type_names_[type_id]) type_names_[type_id] = store_->TypeName(type_id);
    return *type_names_[type_id];
  }

  rocksdb::DB* db() const { return instance_->db; }
  rocksdb::ColumnFamilyHandle* cf_handle(Cf c) const { return instance_->cf[c]; }

  StoreImpl* store_;
  std::shared_ptr<const DbInstance> instance_;
  const rocksdb::Snapshot* snapshot_;
  rocksdb::ReadOptions ro_;
  // CachedTypeName's names by type id; each lives as long as the store (StoreImpl::TypeName).
  std::vector<std::optional<std::string_view>> type_names_;
  Status status_;
  // Scan's reused iterators by seek mode and family; the destructor gives them back to the
  // instance (read-only stores) or destroys them before the snapshot.
  struct ReusedIterator {
    std::unique_ptr<rocksdb::Iterator> it;
    bool busy = false;
  };
  std::array<std::array<ReusedIterator, kNumCfs>, 2> reused_;
};

}  // namespace kg::store::internal
