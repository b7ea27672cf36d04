#pragma once
// SstIngest: bulk writes that bypass the memtable. Each column family's keys are written in
// ascending order straight into one SST file (rocksdb::SstFileWriter, with that family's table
// options: bloom filters, prefix extractor, compression), and Ingest() adds every file to the
// store in one atomic step (DB::IngestExternalFiles): after a crash either all of them are in the
// store or none. Files not ingested are removed by the destructor.
//
// Used by the CSV import into an empty store, where every key is new and known up front.
// Not thread-safe; the caller holds the store's writer lock for the whole life of the object.

#include <rocksdb/sst_file_writer.h>

#include <memory>
#include <string>
#include <string_view>
#include <vector>

#include "kg/core/status.h"
#include "store_impl.h"

namespace kg::store::internal {

class SstIngest {
 public:
  explicit SstIngest(StoreImpl* store) : store_(store) {}
  ~SstIngest();
  SstIngest(const SstIngest&) = delete;
  SstIngest& operator=(const SstIngest&) = delete;

  // Starts the file of `cf` (each family at most once). Keys must then come strictly ascending
  // in bytewise order (SstFileWriter fails otherwise).
  Status Begin(Cf cf);
  Status Put(std::string_view key, std::string_view value);
  // Finishes the current file; a file with no key is dropped.
  Status End();
  // Ingests every finished file, atomically across column families.
  Status Ingest();

 private:
  struct File {
    Cf cf;
    std::string path;
  };
  StoreImpl* store_;
  std::unique_ptr<rocksdb::SstFileWriter> writer_;
  Cf current_ = kDefault;
  size_t keys_ = 0;
  std::vector<File> files_;
  std::vector<std::string> to_remove_;
};

}  // namespace kg::store::internal
