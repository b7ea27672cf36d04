#include "store_impl.h"

#include <rocksdb/filter_policy.h>
#include <rocksdb/merge_operator.h>
#include <rocksdb/slice_transform.h>
#include <rocksdb/table.h>
#include <stdlib.h>
#include <unistd.h>

#include <algorithm>
#include <cerrno>
#include <chrono>
#include <cstring>
#include <filesystem>
#include <set>
#include <thread>
#include <system_error>

#include "info_log.h"
#include "key_format.h"
#include "memtable_rep.h"

namespace kg::store {

Result<std::unique_ptr<GraphStore>> GraphStore::Open(const std::string& path,
                                                     const OpenOptions& options) {
  return internal::StoreImpl::OpenImpl(path, options);
}

namespace internal {
namespace {

namespace fs = std::filesystem;

// Counters: u64 little-endian, added with wrap-around (adding 2^64-1 subtracts one).
class U64AddOperator : public rocksdb::AssociativeMergeOperator {
 public:
  bool Merge(const rocksdb::Slice&, const rocksdb::Slice* existing_value,
             const rocksdb::Slice& value, std::string* new_value,
             rocksdb::Logger*) const override {
    // Lane by lane (mention counters have six, key_format.h MentionLanes; others one).
    *new_value = AddCounterValues(existing_value ? existing_value->ToStringView() : "",
                                  value.ToStringView());
    return true;
  }
  const char* Name() const override { return "kg.U64Add"; }
};

// "default" spelled out: rocksdb::kDefaultColumnFamilyName is a global std::string, and with a
// static librocksdb.a nothing orders its construction before this array's.
const char* const kCfNames[kNumCfs] = {
    "default", kMetaCf, kNodesCf, kEdgesCf, kOutAdjCf,
    kInAdjCf, kNamesCf, kLabelsCf, kEvidenceCf, kDocsCf, kDocIndexCf, kCountersCf};

std::vector<rocksdb::ColumnFamilyDescriptor> Descriptors(const OpenOptions& options) {
  auto cache = rocksdb::NewLRUCache(options.block_cache_bytes);
  std::shared_ptr<const rocksdb::FilterPolicy> bloom(rocksdb::NewBloomFilterPolicy(10, false));
  auto merge = std::make_shared<U64AddOperator>();
  std::vector<rocksdb::ColumnFamilyDescriptor> cfs;
  for (size_t i = 0; i < kNumCfs; ++i) {
    rocksdb::ColumnFamilyOptions cf;
    cf.write_buffer_size = options.write_buffer_bytes;
    cf.compression = rocksdb::kLZ4Compression;
    rocksdb::BlockBasedTableOptions table;
    table.block_cache = cache;
    table.filter_policy = bloom;
    if (i == kOutAdj || i == kInAdj) {
      // Adjacency keys start with the node id: one bloom probe per "edges of N" seek.
      cf.prefix_extractor.reset(rocksdb::NewFixedPrefixTransform(kAdjPrefixSize));
      table.whole_key_filtering = false;
    } else if (i == kEvidence) {
      cf.prefix_extractor.reset(rocksdb::NewFixedPrefixTransform(kEvidencePrefixSize));
      table.whole_key_filtering = false;
    }
    if (i == kNodes) {
      // Node reads are point seeks by id (a hub's neighbours: thousands per query, stepping with
      // Next across short gaps). Larger blocks shorten the index and let more of those steps
      // stay in one block; restarts every 4 keys instead of 16 end each seek's binary search
      // nearer its key. Counted with callgrind on a fresh 1M-edge import (docs/BENCHMARKS.md
      // "Session 7: store point reads"): hop1_hub -8 %, 0.3 % more bytes on disk.
      table.block_size = 16 * 1024;
      table.block_restart_interval = 4;
    } else if (i == kNames) {
      // Name look-ups are one seek each: restarts every 4 keys (names share prefixes, so this
      // costs few bytes) shorten the linear part of the seek; lookup_name -6 %.
      table.block_restart_interval = 4;
    }
    if (i == kCounters) cf.merge_operator = merge;
    cf.table_factory.reset(rocksdb::NewBlockBasedTableFactory(table));
    cfs.emplace_back(kCfNames[i], cf);
  }
  return cfs;
}

// What every open of the store shares. RocksDB opens the table files of each column family on
// max_file_opening_threads new threads (16 by default, made and joined even for a family of one
// file): a `kg query` on the 1M-edge store started 542 threads. One thread opens the store's
// few dozen files inline: that call 51-65 -> 41 ms idle, 210 -> 132 ms on a loaded machine
// (docs/BENCHMARKS.md "Session 8: what one command-line call pays to open the store").
rocksdb::DBOptions BaseDbOptions() {
  rocksdb::DBOptions db_options;
  db_options.max_file_opening_threads = 1;
  return db_options;
}

bool IsLockError(const rocksdb::Status& s) {
  auto msg = s.ToString();
  return s.IsIOError() && (msg.find("lock") != std::string::npos ||
                           msg.find("Resource temporarily unavailable") != std::string::npos);
}

}  // namespace

static Status CreateEmpty(const std::string& dir, const OpenOptions& options) {
  rocksdb::DBOptions db_options = BaseDbOptions();
  db_options.create_if_missing = true;
  std::error_code ec;
  fs::create_directories(dir, ec);
  db_options.info_log = InfoLog::OpenInDbDir(dir, /*keep_old=*/0);
  // The families are created in one call after the open: RocksDB rewrites (and syncs and
  // re-reads) its OPTIONS file once per call, and one family at a time that was most of the
  // time of creating a store (a fixed cost of every `kg import`).
  auto descriptors = Descriptors(options);
  std::vector<rocksdb::ColumnFamilyDescriptor> rest(descriptors.begin() + 1, descriptors.end());
  descriptors.resize(1);
  std::vector<rocksdb::ColumnFamilyHandle*> handles;
  rocksdb::DB* db = nullptr;
  auto s = rocksdb::DB::Open(db_options, dir, descriptors, &handles, &db);
  if (!s.ok()) return FromRocks(s, "cannot create " + dir);
  std::vector<rocksdb::ColumnFamilyHandle*> created;
  s = db->CreateColumnFamilies(rest, &created);
  handles.insert(handles.end(), created.begin(), created.end());
  rocksdb::WriteOptions wo;
  wo.sync = true;
  if (s.ok() && handles.size() == kNumCfs) {
    s = db->Put(wo, handles[kMeta], kSchemaKey, U32Value(kSchemaVersion));
  } else if (s.ok()) {
    s = rocksdb::Status::Corruption("not every column family was created");
  }
  for (auto* h : handles) db->DestroyColumnFamilyHandle(h);
  delete db;
  return FromRocks(s, "cannot initialise " + dir);
}

Status FromRocks(const rocksdb::Status& s, std::string_view what) {
  if (s.ok()) return Status::Ok();
  std::string msg = std::string(what) + ": " + s.ToString();
  if (s.IsCorruption()) return Status::Corruption(msg);
  if (s.IsNotFound()) return Status::NotFound(msg);
  if (s.IsBusy() || s.IsTryAgain()) return Status::Busy(msg);
  return Status::IOError(msg);
}

DbInstance::~DbInstance() {
  iterators.Clear();  // iterators go before their handles and database
  for (auto* handle : cf) {
    if (handle != nullptr && db != nullptr) db->DestroyColumnFamilyHandle(handle);
  }
  delete db;
}

StoreImpl::~StoreImpl() = default;

namespace {

// The SST files in the store's directory, sorted: they change when the writer flushes (also the
// recovery flush of a restarted writer) or compacts. Read from the directory, not from the
// instance, so a catch-up is not needed to see the change (see CatchUp).
std::string SstFilesOnDisk(const std::string& path) {
  std::vector<std::string> names;
  std::error_code ec;
  for (const auto& entry : fs::directory_iterator(path, ec)) {
    auto name = entry.path().filename().string();
    if (name.ends_with(".sst")) names.push_back(std::move(name));
  }
  std::sort(names.begin(), names.end());
  std::string out;
  for (const auto& n : names) out += n + "\n";
  return out;
}

// The SST files of the version `db` reads, one name a line, sorted: what SstFilesOnDisk lists
// once no flush or compaction is in flight.
std::string LiveSstFiles(rocksdb::DB* db) {
  std::vector<rocksdb::LiveFileMetaData> live;
  db->GetLiveFilesMetaData(&live);
  std::vector<std::string> names;
  names.reserve(live.size());
  for (const auto& f : live) names.push_back(fs::path(f.name).filename().string());
  std::sort(names.begin(), names.end());
  std::string out;
  for (const auto& n : names) out += n + "\n";
  return out;
}

}  // namespace

// A secondary instance recovers to the last point in time whose SST files all open: a truncated
// or missing file makes it silently show the store as it was before that file was written (a
// whole column family can look empty). A read-only instance loads every table the MANIFEST
// lists and fails on such a file, naming it. Checked when the store is opened (`always`: a
// deleted file leaves no trace in the directory), and on later catch-ups when the directory
// holds SST files the secondary does not use (normally none, or a compaction's obsolete ones).
static Status CheckTableFiles(const std::string& path, rocksdb::DB* secondary,
                              const OpenOptions& options, bool always) {
  if (!always) {
    std::vector<rocksdb::LiveFileMetaData> live;
    secondary->GetLiveFilesMetaData(&live);
    std::set<std::string> used;
    for (const auto& f : live) used.insert(fs::path(f.name).filename().string());
    std::error_code ec;
    bool unused = false;
    for (const auto& entry : fs::directory_iterator(path, ec)) {
      auto name = entry.path().filename().string();
      if (name.ends_with(".sst") && !used.count(name)) unused = true;
    }
    if (!unused) return Status::Ok();
  }
  rocksdb::DBOptions db_options = BaseDbOptions();
  db_options.max_open_files = -1;  // open every table now
  db_options.paranoid_checks = true;
  rocksdb::Status s;
  // A running writer may replace the MANIFEST or delete a compacted file between our reads:
  // only damage that persists over a few attempts is reported.
  for (int attempt = 0; attempt < 3; ++attempt) {
    if (attempt > 0) std::this_thread::sleep_for(std::chrono::milliseconds(100));
    std::vector<rocksdb::ColumnFamilyHandle*> handles;
    rocksdb::DB* db = nullptr;
    s = rocksdb::DB::OpenForReadOnly(db_options, path, Descriptors(options), &handles, &db);
    if (s.ok()) {
      for (auto* h : handles) db->DestroyColumnFamilyHandle(h);
      delete db;
      return Status::Ok();
    }
    if (!s.IsCorruption()) return Status::Ok();  // not damage (e.g. the writer holds a file)
  }
  return FromRocks(s, "cannot open " + path);
}

// A secondary opened while the writer flushes or recovers (after a kill) can miss a WAL the
// writer just retired and show an older state than the instance it replaces: the files are
// listed before and after, and the open retried while they moved.
// The same race without a change in the listing: a flush's SST is on disk but not yet in the
// MANIFEST when the secondary reads it, and the WAL it replaces is deleted before the secondary
// replays it. Then the directory holds an SST the opened version does not have: retried too, as
// is an open whose first catch-up changed the version (it may count that flush twice).
Result<std::shared_ptr<DbInstance>> StoreImpl::OpenSecondary() {
  Result<std::shared_ptr<DbInstance>> instance = Status::Internal("not opened");
  for (int attempt = 0; attempt < 8; ++attempt) {
    if (attempt > 0) std::this_thread::sleep_for(std::chrono::milliseconds(50));
    std::string before = SstFilesOnDisk(path_);
    instance = OpenSecondaryOnce();
    if (!instance) break;
    std::string after = SstFilesOnDisk(path_);
    if ((*instance)->caught_up_clean && after == before && after == (*instance)->live_files) {
      break;
    }
    (*instance)->settled = false;  // unless a later attempt settles
  }
  return instance;
}

Result<std::shared_ptr<DbInstance>> StoreImpl::OpenSecondaryOnce() {
  auto instance = std::make_shared<DbInstance>();
  // Listed before opening: a flush while we open shows up as a change at the next CatchUp.
  instance->files = SstFilesOnDisk(path_);
  rocksdb::DBOptions db_options = BaseDbOptions();
  db_options.max_open_files = -1;
  // A secondary writes nothing but its diagnostic LOG, and only into `secondary_path` when
  // info_log is unset. Its LOG is discarded instead: a per-process scratch directory for it
  // outlived every reader that was killed (one per SIGKILLed `kg query` or `kg serve`), and
  // what goes wrong in a reader comes back as a Status anyway. The path given cannot be
  // created, so a RocksDB that wanted to write there after all would fail loudly, not litter.
  db_options.info_log = DiscardingInfoLog();
  db_options.info_log_level = rocksdb::InfoLogLevel::HEADER_LEVEL;
  auto s = rocksdb::DB::OpenAsSecondary(db_options, path_, kUnusedSecondaryPath,
                                        Descriptors(options_), &instance->cf, &instance->db);
  if (!s.ok()) {
    instance->cf.clear();
    return FromRocks(s, "cannot open " + path_);
  }
  // The catch-up after the open is where a flush that finished during the open shows: the
  // version gains its SST while the memtables keep the WAL it replaced (counted twice).
  std::string opened_with = LiveSstFiles(instance->db);
  s = instance->db->TryCatchUpWithPrimary();
  if (!s.ok()) return FromRocks(s, "cannot read " + path_);
  instance->live_files = LiveSstFiles(instance->db);
  instance->caught_up_clean = instance->live_files == opened_with;
  KG_RETURN_IF_ERROR(CheckTableFiles(path_, instance->db, options_, /*always=*/!instance_));
  return instance;
}

Result<std::unique_ptr<GraphStore>> StoreImpl::OpenImpl(const std::string& path,
                                                        const OpenOptions& options) {
  if (path.empty()) return Status::InvalidArgument("the store path is empty");
  std::error_code ec;
  auto st = fs::status(path, ec);
  bool exists = fs::exists(st);
  bool fresh = false;
  const bool read_only = options.mode == OpenMode::kReadOnly;
  if (exists && !fs::is_directory(st)) {
    return Status::InvalidArgument(path + " is not a kg store (it is a file)");
  }
  if (exists && fs::exists(fs::path(path) / "CURRENT", ec)) {
    std::vector<std::string> names;
    auto s = rocksdb::DB::ListColumnFamilies(rocksdb::DBOptions(), path, &names);
    if (!s.ok()) return FromRocks(s, path);
    bool has_meta = false;
    for (const auto& n : names) has_meta = has_meta || n == kMetaCf;
    if (!has_meta) {
      return Status::InvalidArgument(path + " is not a kg store (a RocksDB directory without "
                                     "kg's meta column family)");
    }
  } else if (exists) {
    if (!fs::is_empty(path, ec)) {
      return Status::InvalidArgument(path + " is not a kg store (a non-empty directory)");
    }
    if (read_only) return Status::NotFound(path + " is not a kg store (an empty directory)");
    fresh = true;
  } else {
    if (read_only || !options.create_if_missing) return Status::NotFound(path + " does not exist");
    auto parent = fs::absolute(fs::path(path), ec).parent_path();
    if (!parent.empty() && !fs::is_directory(parent, ec)) {
      return Status::InvalidArgument(path + ": parent directory " + parent.string() +
                                     " does not exist");
    }
    fresh = true;
  }

  if (fresh && !read_only) {
    // Create in a sibling directory and rename it into place, so a process killed while
    // creating leaves either no store or a whole empty one (plus, at worst, a stray
    // "<path>.creating-<pid>" directory), never a half-made store that Open would refuse.
    auto tmp = path + ".creating-" + std::to_string(::getpid());
    fs::remove_all(tmp, ec);
    KG_RETURN_IF_ERROR(CreateEmpty(tmp, options));
    fs::rename(tmp, path, ec);
    if (ec) {
      fs::remove_all(tmp, ec);
      return Status::IOError("cannot create " + path + ": " + ec.message());
    }
  }

  std::unique_ptr<StoreImpl> store(new StoreImpl());
  store->path_ = path;
  store->read_only_ = read_only;
  store->options_ = options;
  store->read_threads_ = options.read_threads != 0
                             ? options.read_threads
                             : std::clamp(std::thread::hardware_concurrency(), 1u, 4u);
  if (read_only) {
    auto instance = store->OpenSecondary();
    if (!instance) return instance.error();
    store->instance_ = std::move(*instance);
  } else {
    rocksdb::DBOptions db_options = BaseDbOptions();
    db_options.create_if_missing = true;
    db_options.create_missing_column_families = true;
    db_options.max_background_jobs = 2;
    db_options.keep_log_file_num = 3;
    // RocksDB's count includes the current LOG (and its purge keeps to it too).
    db_options.info_log = InfoLog::OpenInDbDir(path, db_options.keep_log_file_num - 1);
    // The writer's memtable (memtable_rep.h): inserts without RocksDB's assertion-enabled
    // skip list; it takes one writer thread at a time.
    auto descriptors = Descriptors(options);
    auto memtable = NewWriterMemTableFactory();
    for (auto& d : descriptors) d.options.memtable_factory = memtable;
    db_options.allow_concurrent_memtable_write = false;
    auto instance = std::make_shared<DbInstance>();
    auto s = rocksdb::DB::Open(db_options, path, descriptors, &instance->cf, &instance->db);
    if (!s.ok()) {
      instance->cf.clear();
      if (IsLockError(s)) return Status::Busy(path + " is in use by another kg process");
      return FromRocks(s, "cannot open " + path);
    }
    store->instance_ = std::move(instance);
  }
  store->db_ = store->instance_->db;
  store->cf_ = store->instance_->cf;
  KG_RETURN_IF_ERROR(store->LoadMeta(fresh));
  return std::unique_ptr<GraphStore>(std::move(store));
}

Status StoreImpl::LoadMeta(bool fresh) {
  std::string value;
  auto s = db_->Get(rocksdb::ReadOptions(), cf_[kMeta], kSchemaKey, &value);
  if (s.IsNotFound()) {
    // A store whose creator died before writing the version (it is written right after the
    // directory is made) has kg's column families and nothing in them: finish creating it.
    if (!fresh && !read_only_) fresh = IsEmpty();
    if (!fresh || read_only_) {
      return Status::InvalidArgument(path_ + " is not a kg store (no schema version)");
    }
    may_hold_evidence_singles_ = false;
    rocksdb::WriteBatch batch;
    batch.Put(cf_[kMeta], kSchemaKey, U32Value(kSchemaVersion));
    rocksdb::WriteOptions wo;
    wo.sync = true;
    return FromRocks(db_->Write(wo, &batch), "cannot initialise " + path_);
  }
  if (!s.ok()) return FromRocks(s, "cannot read " + path_);
  if (value.size() != 4) return Status::Corruption(path_ + ": malformed schema version");
  uint32_t version = GetU32(value.data());
  if (version > kSchemaVersion) {
    return Status::InvalidArgument(path_ + " was written by a newer kg (schema " +
                                   std::to_string(version) + ", this kg reads up to " +
                                   std::to_string(kSchemaVersion) + ")");
  }
  auto load = [&](std::string_view key, uint64_t* out, uint64_t* stored) -> Status {
    std::string v;
    auto gs = db_->Get(rocksdb::ReadOptions(), cf_[kMeta], key, &v);
    if (gs.IsNotFound()) return Status::Ok();
    if (!gs.ok()) return FromRocks(gs, "cannot read " + path_);
    if (v.size() != 8) return Status::Corruption(path_ + ": malformed counter " + std::string(key));
    *out = GetU64(v.data());
    *stored = *out;
    return Status::Ok();
  };
  stored_next_ = {};
  KG_RETURN_IF_ERROR(load(kNextNodeKey, &next_node_, &stored_next_[0]));
  KG_RETURN_IF_ERROR(load(kNextEdgeKey, &next_edge_, &stored_next_[1]));
  KG_RETURN_IF_ERROR(load(kNextDocKey, &next_doc_, &stored_next_[2]));
  KG_RETURN_IF_ERROR(load(kNextEvidenceKey, &next_evidence_, &stored_next_[3]));
  uint64_t next_type = 1;
  KG_RETURN_IF_ERROR(load(kNextTypeKey, &next_type, &stored_next_[4]));
  next_type_ = static_cast<uint32_t>(next_type);
  KG_RETURN_IF_ERROR(ReloadTypes());
  // An older store opened read-only stays as it is (readers fall back where counters are
  // missing); a writable open upgrades it, version written with what it adds.
  if (version < kMentionsSchema && !read_only_) KG_RETURN_IF_ERROR(AddMentionCounters());
  if (version < kPackedEvidenceSchema && !read_only_) KG_RETURN_IF_ERROR(StartPackedEvidence());
  if (version >= kPackedEvidenceSchema) {
    std::string below;
    auto bs = db_->Get(rocksdb::ReadOptions(), cf_[kMeta], kSinglesBelowKey, &below);
    if (!bs.ok() && !bs.IsNotFound()) return FromRocks(bs, "cannot read " + path_);
    may_hold_evidence_singles_ = bs.ok();
  }
  return Status::Ok();
}

bool StoreImpl::IsEmpty() {
  for (size_t i = 0; i < kNumCfs; ++i) {
    std::unique_ptr<rocksdb::Iterator> it(db_->NewIterator(rocksdb::ReadOptions(), cf_[i]));
    it->SeekToFirst();
    if (it->Valid() || !it->status().ok()) return false;
  }
  return true;
}

Status StoreImpl::ReloadTypes() {
  auto instance = Pin();  // request threads reload beside CatchUp
  std::unique_ptr<rocksdb::Iterator> it(
      instance->db->NewIterator(rocksdb::ReadOptions(), instance->cf[kMeta]));
  std::map<std::string, uint32_t, std::less<>> ids;
  std::map<uint32_t, std::string> names;
  for (it->Seek(kTypeByNamePrefix); it->Valid(); it->Next()) {
    auto key = it->key().ToStringView();
    if (!key.starts_with(kTypeByNamePrefix)) break;
    if (it->value().size() != 4) return Status::Corruption(path_ + ": malformed type entry");
    uint32_t id = GetU32(it->value().data());
    std::string name(key.substr(kTypeByNamePrefix.size()));
    ids[name] = id;
    names[id] = name;
  }
  if (!it->status().ok()) return FromRocks(it->status(), "cannot read " + path_);
  it.reset();
  std::unique_lock lock(types_mu_);
  for (auto& [name, id] : ids) {
    if (!type_names_.count(id)) {
      type_ids_[name] = id;
      type_names_[id] = name;
    }
  }
  return Status::Ok();
}

std::optional<uint32_t> StoreImpl::TypeId(std::string_view name) {
  {
    std::shared_lock lock(types_mu_);
    auto it = type_ids_.find(name);
    if (it != type_ids_.end()) return it->second;
  }
  if (!read_only_) return std::nullopt;  // the writer's cache is complete
  if (!ReloadTypes().ok()) return std::nullopt;
  std::shared_lock lock(types_mu_);
  auto it = type_ids_.find(name);
  if (it != type_ids_.end()) return it->second;
  return std::nullopt;
}

std::string_view StoreImpl::TypeName(uint32_t id) {
  {
    std::shared_lock lock(types_mu_);
    auto it = type_names_.find(id);
    if (it != type_names_.end()) return it->second;
  }
  (void)ReloadTypes();
  std::shared_lock lock(types_mu_);
  auto it = type_names_.find(id);
  if (it != type_names_.end()) return it->second;
  static const std::string kUnknown = "?";
  return kUnknown;
}

void StoreImpl::AddTypes(const std::map<std::string, uint32_t, std::less<>>& types) {
  std::unique_lock lock(types_mu_);
  for (const auto& [name, id] : types) {
    type_ids_[name] = id;
    type_names_[id] = name;
  }
}

Result<bool> StoreImpl::HasDocument(std::string_view content_hash) {
  std::string value;
  auto s = db_->Get(rocksdb::ReadOptions(), cf_[kDocIndex], DocIndexKey(kDocHashTag, content_hash),
                    &value);
  if (s.IsNotFound()) return false;
  if (!s.ok()) return FromRocks(s, "cannot read " + path_);
  return true;
}

// RocksDB 7.8's secondary keeps memtables it replayed from the writer's WAL after the writer
// flushed them to an SST (a flush during the run, or the recovery flush of the next run): reads
// then see both, so counters (merge operands) count twice and point reads can be stale
// (facebook/rocksdb#14444; found by scripts/crash-test.sh: a server beside resumed ingests
// reported 3,668 documents of 2,092). So once the SST files change, a fresh secondary replaces
// the instance.
// A secondary cannot make snapshots, so views read their instance as it is: an instance a view
// may hold is never caught up in place (the view would see documents arrive mid-query, and a
// flush counted twice). New views pin instance_; the previous instance is kept as spare_, which
// no new view can pin, and is caught up once the views that held it have ended, then swapped in.
Status StoreImpl::CatchUp() {
  if (!read_only_) return Status::Ok();
  std::lock_guard<std::mutex> catch_up_lock(catch_up_mu_);
  std::shared_ptr<DbInstance> next = std::move(spare_);
  // Nobody can pin the spare any more, so its count only falls: once it is 1 no view reads it.
  // The fence pairs with the release in the views' shared_ptr decrements.
  if (next && next.use_count() != 1) next.reset();  // a long view still reads it: let it go
  std::atomic_thread_fence(std::memory_order_acquire);
  // Kept iterators read the state before the catch-up.
  if (next) next->iterators.Clear();
  // Once the files changed the instance is not caught up at all (that is when it would count
  // twice); a failed catch-up (the writer deleted a WAL or MANIFEST it was reading) also calls
  // for a fresh instance. After the catch-up, the version it reads is compared with the one it
  // opened with: a flush whose SST was already on disk when the instance opened (so the listing
  // does not change) makes it count twice just the same.
  if (!next || SstFilesOnDisk(path_) != next->files || !next->db->TryCatchUpWithPrimary().ok() ||
      LiveSstFiles(next->db) != next->live_files || SstFilesOnDisk(path_) != next->files) {
    auto fresh = OpenSecondary();
    if (!fresh) return fresh.error();  // keep reading the current instance
    // The files kept moving over every attempt: it may miss a WAL or count a flush twice. Keep
    // reading the current instance; the next catch-up tries again.
    if (!(*fresh)->settled) return Status::Ok();
    next = std::move(*fresh);
  }
  // Never step back: an instance that missed a WAL the writer retired while it opened reads an
  // older sequence number than the one it would replace (the writer's sequence only grows).
  if (instance_ &&
      next->db->GetLatestSequenceNumber() < instance_->db->GetLatestSequenceNumber()) {
    return Status::Ok();
  }
  {
    std::lock_guard<std::mutex> lock(instance_mu_);
    spare_ = std::move(instance_);
    instance_ = std::move(next);
    db_ = instance_->db;
    cf_ = instance_->cf;
  }
  return ReloadTypes();
}

Status StoreImpl::Flush() {
  if (read_only_) return Status::Ok();
  rocksdb::FlushOptions fo;
  std::vector<rocksdb::ColumnFamilyHandle*> handles(cf_.begin(), cf_.end());
  return FromRocks(db_->Flush(fo, handles), "cannot flush " + path_);
}

}  // namespace internal
}  // namespace kg::store
