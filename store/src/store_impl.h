#pragma once
// The RocksDB-backed GraphStore. Internal: the public API is kg/store/graph_store.h.

#include <rocksdb/db.h>

#include <array>
#include <atomic>
#include <map>
#include <memory>
#include <mutex>
#include <optional>
#include <shared_mutex>
#include <string>
#include <vector>

#include "graph_batch_cache.h"
#include "iterator_pool.h"
#include "kg/store/graph_store.h"

namespace kg::store::internal {

// Column family indexes into StoreImpl::cf_.
enum Cf : size_t {
  kDefault = 0, kMeta, kNodes, kEdges, kOutAdj, kInAdj, kNames, kLabels, kEvidence, kDocs,
  kDocIndex, kCounters, kNumCfs
};

Status FromRocks(const rocksdb::Status& s, std::string_view what);

// One open RocksDB instance with its column family handles; closes both when destroyed.
struct DbInstance {
  ~DbInstance();
  rocksdb::DB* db = nullptr;
  std::vector<rocksdb::ColumnFamilyHandle*> cf;
  std::string files;           // secondary: the SST files on disk when it opened (CatchUp)
  std::string live_files;      // secondary: the SST files of the version it reads (CatchUp)
  bool caught_up_clean = true;  // secondary: its first catch-up left the version unchanged
  // secondary: opened while nothing moved (OpenSecondary's checks held on some attempt)
  bool settled = true;
  // secondary: iterators kept between views (iterator_pool.h); cleared before a catch-up.
  mutable IteratorPool<kNumCfs> iterators;
};

class StoreImpl final : public GraphStore {
 public:
  ~StoreImpl() override;

  static Result<std::unique_ptr<GraphStore>> OpenImpl(const std::string& path,
                                                      const OpenOptions& options);

  const std::string& path() const override { return path_; }
  bool read_only() const override { return read_only_; }
  Result<WriteSummary> WriteExtraction(const kg::Extraction& extraction) override;
  Result<bool> HasDocument(std::string_view content_hash) override;
  std::unique_ptr<GraphBatch> NewBatch() override;
  Status Commit(GraphBatch& batch) override;
  std::unique_ptr<ReadView> NewReadView() override;
  Status CatchUp() override;
  Status Flush() override;
  void TEST_FailNextCommit() override { fail_next_commit_ = true; }

  // The current instance. A read-only store replaces it in CatchUp(): code that may run beside
  // CatchUp (views, type reloads) pins one with Pin() instead of calling db()/cf().
  rocksdb::DB* db() const { return db_; }
  std::shared_ptr<const DbInstance> Pin() const {
    std::lock_guard<std::mutex> lock(instance_mu_);
    return instance_;
  }
  rocksdb::ColumnFamilyHandle* cf(Cf c) const { return cf_[c]; }
  // False when the store cannot hold single-record evidence keys (made at schema 3 or later:
  // key_format.h kSinglesBelowKey), so readers seek only for packs. Set at open.
  bool may_hold_evidence_singles() const { return may_hold_evidence_singles_; }
  // OpenOptions::read_threads resolved at open: at least 1.
  unsigned read_threads() const { return read_threads_; }

  // Type dictionary (append-only, so a cached entry is valid for every snapshot). Returns
  // nullopt when unknown (after one reload from the meta CF).
  std::optional<uint32_t> TypeId(std::string_view name);
  // REQUIRES: `id` was returned by TypeId or read from a stored record. The string lives as
  // long as the store.
  std::string_view TypeName(uint32_t id);
  // After a successful commit that created types.
  void AddTypes(const std::map<std::string, uint32_t, std::less<>>& types);

  // Id counters: only touched under writer_mu_.
  uint64_t next_node_ = 1, next_edge_ = 1, next_doc_ = 1, next_evidence_ = 1;
  uint32_t next_type_ = 1;
  // The id counters as `meta` holds them (LoadMeta, then each commit), in the order node, edge,
  // doc, evidence, type; 0 = not known (absent, or written some other way). A batch writes only
  // the counters that moved since (GraphBatch::Impl::Finish). Only under writer_mu_.
  std::array<uint64_t, 5> stored_next_{};
  std::mutex writer_mu_;
  bool fail_next_commit_ = false;
  // Committed names and nodes remembered by the writer (graph_batch_cache.h). Only under
  // writer_mu_; unused (empty) in a read-only store, whose state moves under it.
  GraphBatchCache writer_cache_;

 private:
  StoreImpl() = default;
  Status LoadMeta(bool fresh);
  // Schema 1 -> 2 on a writable open (schema_upgrade.cc). REQUIRES: LoadMeta's id counters.
  Status AddMentionCounters();
  // Schema 2 -> 3 (schema_upgrade.cc): records the next evidence id (kSinglesBelowKey) and the
  // version; writers write packs from then on. REQUIRES: LoadMeta's id counters.
  Status StartPackedEvidence();
  Status ReloadTypes();
  // True when no column family holds a key.
  bool IsEmpty();

  // Opens a secondary instance of path_ and catches it up.
  Result<std::shared_ptr<DbInstance>> OpenSecondary();
  Result<std::shared_ptr<DbInstance>> OpenSecondaryOnce();

  std::string path_;
  bool read_only_ = false;
  bool may_hold_evidence_singles_ = true;
  unsigned read_threads_ = 1;
  OpenOptions options_;
  // Owns db_ and cf_ (which mirror it for the writer's code). Replaced only by a read-only
  // store's CatchUp, under catch_up_mu_; the old instance lives on while a view pins it.
  std::shared_ptr<DbInstance> instance_;
  // Read-only store: the instance CatchUp swapped out, caught up in place at the next CatchUp
  // when no view holds it any more (views only ever pin instance_). Under catch_up_mu_.
  std::shared_ptr<DbInstance> spare_;
  mutable std::mutex instance_mu_;
  std::mutex catch_up_mu_;
  rocksdb::DB* db_ = nullptr;
  std::vector<rocksdb::ColumnFamilyHandle*> cf_;

  std::shared_mutex types_mu_;
  std::map<std::string, uint32_t, std::less<>> type_ids_;
  std::map<uint32_t, std::string> type_names_;
};

}  // namespace kg::store::internal
