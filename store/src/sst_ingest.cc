#include "sst_ingest.h"

#include <rocksdb/options.h>
#include <unistd.h>

#include <filesystem>

namespace kg::store::internal {

SstIngest::~SstIngest() {
  if (writer_) writer_.reset();
  std::error_code ec;
  for (const auto& path : to_remove_) std::filesystem::remove(path, ec);
}

Status SstIngest::Begin(Cf cf) {
  if (writer_) return Status::Internal("SstIngest::Begin while a file is open");
  auto* handle = store_->cf(cf);
  rocksdb::Options options = store_->db()->GetOptions(handle);
  writer_ = std::make_unique<rocksdb::SstFileWriter>(rocksdb::EnvOptions(), options, handle);
  std::string path = store_->path() + "/bulk-" + std::to_string(::getpid()) + "-" +
                     handle->GetName() + ".sst";
  auto s = writer_->Open(path);
  if (!s.ok()) {
    writer_.reset();
    return FromRocks(s, "cannot write " + path);
  }
  to_remove_.push_back(path);
  files_.push_back({cf, path});
  current_ = cf;
  keys_ = 0;
  return Status::Ok();
}

Status SstIngest::Put(std::string_view key, std::string_view value) {
  auto s = writer_->Put(rocksdb::Slice(key.data(), key.size()),
                        rocksdb::Slice(value.data(), value.size()));
  if (!s.ok()) return FromRocks(s, "bulk write failed");
  ++keys_;
  return Status::Ok();
}

Status SstIngest::End() {
  if (!writer_) return Status::Internal("SstIngest::End without Begin");
  if (keys_ == 0) {
    writer_.reset();  // an SST file must hold a key; leave the family untouched
    files_.pop_back();
    return Status::Ok();
  }
  auto s = writer_->Finish();
  writer_.reset();
  if (!s.ok()) return FromRocks(s, "cannot finish " + files_.back().path);
  return Status::Ok();
}

Status SstIngest::Ingest() {
  if (files_.empty()) return Status::Ok();
  std::vector<rocksdb::IngestExternalFileArg> args;
  for (const auto& f : files_) {
    rocksdb::IngestExternalFileArg arg;
    arg.column_family = store_->cf(f.cf);
    arg.external_files = {f.path};
    arg.options.move_files = true;  // a hard link in the same directory: no copy
    args.push_back(std::move(arg));
  }
  store_->writer_cache_.Clear();  // the files bypass the batches that keep it current
  auto s = store_->db()->IngestExternalFiles(args);
  if (!s.ok()) return FromRocks(s, "cannot ingest the bulk files into " + store_->path());
  files_.clear();
  return Status::Ok();
}

}  // namespace kg::store::internal
