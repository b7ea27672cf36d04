// ReadView construction and the point reads of nodes, edges and documents
// (read_view_impl.h).

#include <exception>
#include <limits>
#include <span>
#include <system_error>
#include <thread>

#include <rocksdb/perf_level.h>

#include "read_view_impl.h"
#include "cbor_reader.h"
#include "record_readers.h"

namespace kg::store::internal {

using json = nlohmann::json;

ReadViewImpl::ReadViewImpl(StoreImpl* store)
    : store_(store),
      instance_(store->Pin()),
      snapshot_(store->read_only() ? nullptr : instance_->db->GetSnapshot()) {
  ro_.snapshot = snapshot_;
  // RocksDB's per-thread perf counters (on by default) cost a thread-local lookup per iterator
  // step, ~10 % of a whole-family scan; kg never reads them.
  rocksdb::SetPerfLevel(rocksdb::PerfLevel::kDisable);
}

ReadViewImpl::~ReadViewImpl() {
  for (size_t mode = 0; mode < reused_.size(); ++mode) {
    for (size_t cf = 0; cf < kNumCfs; ++cf) {
      auto& it = reused_[mode][cf].it;
      if (!it) continue;
      if (snapshot_ == nullptr) {
        instance_->iterators.Give(cf, static_cast<SeekMode>(mode), std::move(it));
      } else {
        it.reset();  // iterators go before their snapshot
      }
    }
  }
  if (snapshot_ != nullptr) db()->ReleaseSnapshot(snapshot_);
}

std::unique_ptr<rocksdb::Iterator> ReadViewImpl::TakeIterator(Cf cf, SeekMode mode) {
  // Only a read-only store's views read without a snapshot, and only they share iterators.
  if (snapshot_ == nullptr) {
    if (auto kept = instance_->iterators.Take(cf, mode)) return kept;
  }
  rocksdb::ReadOptions ro = ro_;
  if (mode == SeekMode::kPrefix) {
    ro.prefix_same_as_start = true;
  } else {
    ro.total_order_seek = true;
  }
  return std::unique_ptr<rocksdb::Iterator>(db()->NewIterator(ro, cf_handle(cf)));
}

std::optional<Node> ReadViewImpl::GetNode(NodeId id) {
  std::string value;
  if (!Get(kNodes, U64Key(id), &value)) return std::nullopt;
  auto rec = DecodeNodeFast(value);
  if (!rec) return Corrupt<Node>("node " + std::to_string(id));
  return Node{id, std::move(rec->labels), std::move(rec->properties)};
}

std::optional<Edge> ReadViewImpl::GetEdge(EdgeId id) {
  std::string value;
  if (!Get(kEdges, U64Key(id), &value)) return std::nullopt;
  auto rec = DecodeEdge(value);
  if (!rec) return Corrupt<Edge>("edge " + std::to_string(id));
  return ToEdge(id, std::move(*rec));
}

namespace {

// Below this many ids per thread, starting a thread costs more than it saves: a node read is
// ~5,000 instructions (one or two microseconds), starting and joining a thread tens of them.
constexpr size_t kIdsPerReadThread = 1024;

// Walks the node family forward over `ids` (ascending, distinct), calling found(id, record) for
// each id that has a record. It steps with Next across short gaps and seeks across longer ones
// (node ids are dense keys, so the gap in ids is the number of steps). Counted with callgrind on
// the 1M-edge graph's hub (17,385 ids among 200k nodes), a seek per id costs ~20 % fewer
// instructions than MultiGet and a scan of every key between them more; 4 steps is the measured
// best.
template <typename Found>
rocksdb::Status WalkNodeRecords(rocksdb::DB* db, rocksdb::ColumnFamilyHandle* nodes,
                                rocksdb::ReadOptions ro, std::span<const NodeId> ids,
                                Found&& found) {
  if (ids.empty()) return rocksdb::Status::OK();
  constexpr uint64_t kMaxSteps = 4;
  std::string upper = U64Key(ids.back() + 1);
  rocksdb::Slice upper_slice(upper);
  if (ids.back() != std::numeric_limits<uint64_t>::max()) ro.iterate_upper_bound = &upper_slice;
  std::unique_ptr<rocksdb::Iterator> it(db->NewIterator(ro, nodes));
  // The id under the iterator; a key that is not 8 bytes (none is written) reads as 0, below
  // every wanted id, so the walk steps over it.
  auto current = [&]() -> NodeId {
    auto key = it->key();
    return key.size() == 8 ? GetU64(key.data()) : 0;
  };
  it->Seek(U64Key(ids.front()));
  for (NodeId id : ids) {
    uint64_t steps = 0;
    while (it->Valid() && current() < id) {
      if (steps++ == kMaxSteps || id - current() > kMaxSteps) {
        it->Seek(U64Key(id));
        break;
      }
      it->Next();
    }
    if (!it->Valid()) break;
    if (current() == id && it->key().size() == 8) found(id, it->value().ToStringView());
  }
  return it->status();
}

// The records one helper thread read, copied out of its iterator for the calling thread to
// decode in order.
struct RecordCopies {
  std::vector<NodeId> ids;
  std::vector<size_t> ends;  // record i is bytes[ends[i-1], ends[i])
  std::string bytes;
  rocksdb::Status status;
  // What the helper threw (std::bad_alloc while copying): rethrown on the calling thread, where
  // the query engine turns it into its out-of-memory error instead of std::terminate.
  std::exception_ptr failure;

  void Add(NodeId id, std::string_view record) {
    ids.push_back(id);
    bytes.append(record);
    ends.push_back(bytes.size());
  }
};

}  // namespace

template <typename Fn>
void ReadViewImpl::ReadNodeRecords(const std::vector<NodeId>& ids, Fn&& decode) {
  if (ids.empty()) return;
  // A few ids: one batched point read.
  if (ids.size() < 16) {
    std::vector<std::pair<NodeId, std::string>> found;
    MultiGet(kNodes, ids, [](uint64_t id) { return U64Key(id); },
             [&](size_t i, std::string_view value) { found.emplace_back(ids[i], value); });
    std::sort(found.begin(), found.end(),
              [](const auto& a, const auto& b) { return a.first < b.first; });
    for (const auto& [id, value] : found) decode(id, value);
    return;
  }
  // More: forward walks. A large batch is cut into consecutive slices, one per thread: the
  // helpers copy their records out, this thread walks the first slice and decodes as it goes,
  // then decodes the copies, so `decode` sees every id in order on this thread only. RocksDB's
  // seeks and steps are most of a node read; the copies and the decoding stay here.
  size_t parts = std::min<size_t>(store_->read_threads(), ids.size() / kIdsPerReadThread);
  parts = std::max<size_t>(parts, 1);
  std::span<const NodeId> all(ids);
  size_t per = (ids.size() + parts - 1) / parts;
  auto slice = [&](size_t p) { return all.subspan(p * per, std::min(per, ids.size() - p * per)); };
  std::vector<RecordCopies> copies(parts - 1);
  // Declared after `copies`, so they are joined before it goes, also when `decode` throws on
  // this thread (a std::thread still running at its destruction is std::terminate).
  std::vector<std::jthread> helpers;
  for (size_t p = 1; p < parts; ++p) {
    RecordCopies* out = &copies[p - 1];
    auto read = [this, out, ids = slice(p)] {
      try {
        out->status = WalkNodeRecords(db(), cf_handle(kNodes), ro_, ids,
                                      [out](NodeId id, std::string_view v) { out->Add(id, v); });
      } catch (...) {
        out->failure = std::current_exception();
      }
    };
    try {
      helpers.emplace_back(read);
    } catch (const std::system_error&) {
      read();  // no thread to be had: read that slice here
    }
  }
  rocksdb::Status first = WalkNodeRecords(db(), cf_handle(kNodes), ro_, slice(0), decode);
  helpers.clear();  // joins
  if (!first.ok() && status_.ok()) status_ = FromRocks(first, "scan failed");
  for (const RecordCopies& c : copies) {
    if (c.failure) std::rethrow_exception(c.failure);
    if (!c.status.ok() && status_.ok()) status_ = FromRocks(c.status, "scan failed");
    for (size_t i = 0; i < c.ids.size(); ++i) {
      size_t begin = i == 0 ? 0 : c.ends[i - 1];
      decode(c.ids[i], std::string_view(c.bytes).substr(begin, c.ends[i] - begin));
    }
  }
}

std::vector<std::optional<Node>> ReadViewImpl::GetNodes(const std::vector<NodeId>& ids) {
  // ReadNodeRecords wants ascending distinct ids; its forward walks cost ~25 % fewer
  // instructions than MultiGet on one thread (the nodes of the 1M graph's three-hop paths).
  std::vector<NodeId> sorted(ids);
  std::sort(sorted.begin(), sorted.end());
  sorted.erase(std::unique(sorted.begin(), sorted.end()), sorted.end());
  std::vector<std::optional<Node>> found(sorted.size());
  size_t cursor = 0;  // records come in id order
  ReadNodeRecords(sorted, [&](NodeId id, std::string_view value) {
    while (sorted[cursor] < id) ++cursor;
    auto rec = DecodeNodeFast(value);
    if (!rec) {
      Corrupt<Node>("node " + std::to_string(id));
      return;
    }
    found[cursor] = Node{id, std::move(rec->labels), std::move(rec->properties)};
  });
  if (sorted == ids) return found;
  std::vector<std::optional<Node>> out(ids.size());
  for (size_t i = 0; i < ids.size(); ++i) {
    auto at = std::lower_bound(sorted.begin(), sorted.end(), ids[i]) - sorted.begin();
    out[i] = found[at];
  }
  return out;
}

void ReadViewImpl::NodeProperties(const std::vector<NodeId>& ids,
                                  const std::vector<std::string>& keys,
                                  const std::function<void(NodeId, Properties&&)>& fn) {
  ReadNodeRecords(ids, [&](NodeId id, std::string_view value) {
    auto props = DecodeNodeProperties(value, keys);
    if (!props) {
      Corrupt<Node>("node " + std::to_string(id));
      return;
    }
    fn(id, std::move(*props));
  });
}

void ReadViewImpl::NodePropertyValues(const std::vector<NodeId>& ids,
                                      const std::vector<std::string>& keys,
                                      const std::function<void(NodeId, const PropertyRef*)>& fn) {
  std::vector<PropertyRef> values(keys.size());
  std::vector<json> scratch(keys.size());
  ReadNodeRecords(ids, [&](NodeId id, std::string_view value) {
    switch (CborReader(value).ReadNodeValues(keys, values.data(), scratch.data())) {
      case CborReader::NodeResult::kOk:
        fn(id, values.data());
        return;
      case CborReader::NodeResult::kInvalid:
        Corrupt<Node>("node " + std::to_string(id));
        return;
      case CborReader::NodeResult::kUnreadable: break;
    }
    // What the reader does not take, DecodeNode judges (as NodeProperties does).
    auto props = DecodeNodeProperties(value, keys);
    if (!props) {
      Corrupt<Node>("node " + std::to_string(id));
      return;
    }
    RefsFromJson(std::move(*props), keys, values.data(), scratch.data());
    fn(id, values.data());
  });
}

std::optional<Document> ReadViewImpl::GetDocument(DocId id) {
  std::string value;
  if (!Get(kDocs, U64Key(id), &value)) return std::nullopt;
  auto doc = DecodeDocument(value);
  if (!doc) return Corrupt<Document>("document " + std::to_string(id));
  doc->id = id;
  return doc;
}

std::optional<Document> ReadViewImpl::GetDocumentByExternalId(std::string_view external_id) {
  return DocByIndex(kDocExternalTag, external_id);
}

std::optional<Document> ReadViewImpl::GetDocumentByHash(std::string_view content_hash) {
  return DocByIndex(kDocHashTag, content_hash);
}

std::optional<Document> ReadViewImpl::DocByIndex(char tag, std::string_view text) {
  std::string value;
  if (!Get(kDocIndex, DocIndexKey(tag, text), &value)) return std::nullopt;
  if (value.size() != 8) return Corrupt<Document>("document index entry");
  return GetDocument(GetU64(value.data()));
}

Edge ReadViewImpl::ToEdge(EdgeId id, EdgeRecord rec) {
  return Edge{id,
              std::string(store_->TypeName(rec.type_id)),
              rec.source,
              rec.target,
              std::move(rec.properties),
              Counter(OwnerCounterKey(CounterTag::kEdgeEvidence, id))};
}

std::unique_ptr<ReadView> StoreImpl::NewReadView() {
  return std::make_unique<ReadViewImpl>(this);
}

}  // namespace kg::store::internal
