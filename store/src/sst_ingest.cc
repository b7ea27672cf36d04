#include "sst_ingest.h"

#include <rocksdb/options.h>
#include <unistd.h>

#include <filesystem>

namespace kg::store::internal {

SstIngest::~SstIngest() {
  files_.clear();  // closes writers still open before their files are removed
  std::error_code ec;
  for (const auto& path : to_remove_) std::filesystem::remove(path, ec);
}

Result<SstIngest::File*> SstIngest::Add(Cf cf) {
  for (const auto& f : files_) {
    if (f->cf_ == cf) return Status::Internal("SstIngest::Add: a column family twice");
  }
  auto* handle = store_->cf(cf);
  rocksdb::Options options = store_->db()->GetOptions(handle);
  auto file = std::make_unique<File>();
  file->cf_ = cf;
  file->path_ = store_->path() + "/bulk-" + std::to_string(::getpid()) + "-" +
                handle->GetName() + ".sst";
  rocksdb::Status s = rocksdb::Status::NotSupported();
  if (cf == kCounters || cf == kEdges || cf == kOutAdj || cf == kInAdj) {
    // Fixed-width ids and counts, which LZ4 barely shrinks and ZSTD at its fastest level cuts
    // by a third to a half: 86 MB -> 66 MB for the store of 1M CSV rows, at no measurable cost
    // in import or query time (docs/BENCHMARKS.md). These files land on the bottom level, which
    // compactions seldom rewrite; text-heavy families keep the family's LZ4.
    rocksdb::Options zstd = options;
    zstd.compression = rocksdb::kZSTD;
    zstd.compression_opts.level = 1;
    file->writer_ = std::make_unique<rocksdb::SstFileWriter>(rocksdb::EnvOptions(), zstd, handle);
    s = file->writer_->Open(file->path_);
  }
  if (!s.ok()) {  // not one of those, or a RocksDB built without ZSTD
    file->writer_ =
        std::make_unique<rocksdb::SstFileWriter>(rocksdb::EnvOptions(), options, handle);
    s = file->writer_->Open(file->path_);
  }
  if (!s.ok()) return FromRocks(s, "cannot write " + file->path_);
  to_remove_.push_back(file->path_);
  files_.push_back(std::move(file));
  return files_.back().get();
}

Status SstIngest::File::Put(std::string_view key, std::string_view value) {
  auto s = writer_->Put(rocksdb::Slice(key.data(), key.size()),
                        rocksdb::Slice(value.data(), value.size()));
  if (!s.ok()) return FromRocks(s, "bulk write failed");
  ++keys_;
  return Status::Ok();
}

Status SstIngest::File::Finish() {
  if (finished_) return Status::Internal("SstIngest::File::Finish twice");
  finished_ = true;
  if (keys_ == 0) {
    writer_.reset();  // an SST file must hold a key; leave the family untouched
    return Status::Ok();
  }
  auto s = writer_->Finish();
  writer_.reset();
  return FromRocks(s, "cannot finish " + path_);
}

Status SstIngest::Ingest() {
  std::vector<rocksdb::IngestExternalFileArg> args;
  for (const auto& f : files_) {
    if (!f->finished_) return Status::Internal("SstIngest::Ingest before every file finished");
    if (f->keys_ == 0) continue;
    rocksdb::IngestExternalFileArg arg;
    arg.column_family = store_->cf(f->cf_);
    arg.external_files = {f->path_};
    arg.options.move_files = true;  // a hard link in the same directory: no copy
    args.push_back(std::move(arg));
  }
  if (args.empty()) return Status::Ok();
  store_->writer_cache_.Clear();  // the files bypass the batches that keep it current
  auto s = store_->db()->IngestExternalFiles(args);
  if (!s.ok()) return FromRocks(s, "cannot ingest the bulk files into " + store_->path());
  files_.clear();
  return Status::Ok();
}

}  // namespace kg::store::internal
