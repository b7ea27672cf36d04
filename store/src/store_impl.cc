#include "store_impl.h"

#include <rocksdb/filter_policy.h>
#include <rocksdb/merge_operator.h>
#include <rocksdb/slice_transform.h>
#include <rocksdb/table.h>
#include <stdlib.h>
#include <unistd.h>

#include <filesystem>
#include <system_error>

#include "key_format.h"

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
    uint64_t base = existing_value ? DecodeCounter(existing_value->ToStringView()) : 0;
    *new_value = CounterValue(base + DecodeCounter(value.ToStringView()));
    return true;
  }
  const char* Name() const override { return "kg.U64Add"; }
};

const char* const kCfNames[kNumCfs] = {
    rocksdb::kDefaultColumnFamilyName.c_str(), kMetaCf, kNodesCf, kEdgesCf, kOutAdjCf,
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
    if (i == kCounters) cf.merge_operator = merge;
    cf.table_factory.reset(rocksdb::NewBlockBasedTableFactory(table));
    cfs.emplace_back(kCfNames[i], cf);
  }
  return cfs;
}

bool IsLockError(const rocksdb::Status& s) {
  auto msg = s.ToString();
  return s.IsIOError() && (msg.find("lock") != std::string::npos ||
                           msg.find("Resource temporarily unavailable") != std::string::npos);
}

}  // namespace

static Status CreateEmpty(const std::string& dir, const OpenOptions& options) {
  rocksdb::DBOptions db_options;
  db_options.create_if_missing = true;
  db_options.create_missing_column_families = true;
  std::vector<rocksdb::ColumnFamilyHandle*> handles;
  rocksdb::DB* db = nullptr;
  auto s = rocksdb::DB::Open(db_options, dir, Descriptors(options), &handles, &db);
  if (!s.ok()) return FromRocks(s, "cannot create " + dir);
  rocksdb::WriteOptions wo;
  wo.sync = true;
  s = db->Put(wo, handles[kMeta], kSchemaKey, U32Value(kSchemaVersion));
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

StoreImpl::~StoreImpl() {
  for (auto* handle : cf_) {
    if (handle != nullptr) db_->DestroyColumnFamilyHandle(handle);
  }
  delete db_;
  if (!secondary_path_.empty()) {
    std::error_code ec;
    fs::remove_all(secondary_path_, ec);
  }
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
  rocksdb::DBOptions db_options;
  db_options.create_if_missing = !read_only;
  db_options.create_missing_column_families = !read_only;
  db_options.max_background_jobs = 2;
  db_options.keep_log_file_num = 3;
  auto descriptors = Descriptors(options);
  rocksdb::Status s;
  if (read_only) {
    char tmpl[] = "/tmp/kg-secondary-XXXXXX";
    if (mkdtemp(tmpl) == nullptr) return Status::IOError("cannot create a temporary directory");
    store->secondary_path_ = tmpl;
    db_options.max_open_files = -1;
    s = rocksdb::DB::OpenAsSecondary(db_options, path, store->secondary_path_, descriptors,
                                     &store->cf_, &store->db_);
  } else {
    s = rocksdb::DB::Open(db_options, path, descriptors, &store->cf_, &store->db_);
  }
  if (!s.ok()) {
    store->cf_.clear();
    if (IsLockError(s)) return Status::Busy(path + " is in use by another kg process");
    return FromRocks(s, "cannot open " + path);
  }
  if (read_only) {
    s = store->db_->TryCatchUpWithPrimary();
    if (!s.ok()) return FromRocks(s, "cannot read " + path);
  }
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
  auto load = [&](std::string_view key, uint64_t* out) -> Status {
    std::string v;
    auto gs = db_->Get(rocksdb::ReadOptions(), cf_[kMeta], key, &v);
    if (gs.IsNotFound()) return Status::Ok();
    if (!gs.ok()) return FromRocks(gs, "cannot read " + path_);
    if (v.size() != 8) return Status::Corruption(path_ + ": malformed counter " + std::string(key));
    *out = GetU64(v.data());
    return Status::Ok();
  };
  KG_RETURN_IF_ERROR(load(kNextNodeKey, &next_node_));
  KG_RETURN_IF_ERROR(load(kNextEdgeKey, &next_edge_));
  KG_RETURN_IF_ERROR(load(kNextDocKey, &next_doc_));
  KG_RETURN_IF_ERROR(load(kNextEvidenceKey, &next_evidence_));
  uint64_t next_type = 1;
  KG_RETURN_IF_ERROR(load(kNextTypeKey, &next_type));
  next_type_ = static_cast<uint32_t>(next_type);
  return ReloadTypes();
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
  std::unique_ptr<rocksdb::Iterator> it(db_->NewIterator(rocksdb::ReadOptions(), cf_[kMeta]));
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

Status StoreImpl::CatchUp() {
  if (!read_only_) return Status::Ok();
  KG_RETURN_IF_ERROR(FromRocks(db_->TryCatchUpWithPrimary(), "cannot read " + path_));
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
