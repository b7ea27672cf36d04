#pragma once
// SstIngest: bulk writes that bypass the memtable. Each column family's keys are written in
// ascending order straight into one SST file (rocksdb::SstFileWriter, with that family's table
// options: bloom filters, prefix extractor, compression), and Ingest() adds every file to the
// store in one atomic step (DB::IngestExternalFiles): after a crash either all of them are in the
// store or none. Files not ingested are removed by the destructor.
//
// Used by the CSV import into an empty store, where every key is new and known up front.
// The SstIngest object belongs to one thread, which holds the store's writer lock for its whole
// life; the files it hands out may be filled on other threads, one thread per file.

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
  // The file of one column family. Keys must come strictly ascending in bytewise order
  // (SstFileWriter fails otherwise). Owned by the SstIngest that made it.
  class File {
   public:
    Status Put(std::string_view key, std::string_view value);
    // Completes the file (synced to disk); a file with no key is dropped. Once per file.
    Status Finish();

   private:
    friend class SstIngest;
    Cf cf_ = kDefault;
    std::string path_;
    std::unique_ptr<rocksdb::SstFileWriter> writer_;
    size_t keys_ = 0;
    bool finished_ = false;
  };

  explicit SstIngest(StoreImpl* store) : store_(store) {}
  ~SstIngest();
  SstIngest(const SstIngest&) = delete;
  SstIngest& operator=(const SstIngest&) = delete;

  // Creates the file of `cf` (each family at most once). The pointer lives as long as *this.
  Result<File*> Add(Cf cf);
  // Ingests every file (all must be finished; dropped ones are skipped), atomically across
  // column families.
  Status Ingest();

 private:
  StoreImpl* store_;
  std::vector<std::unique_ptr<File>> files_;
  std::vector<std::string> to_remove_;
};

}  // namespace kg::store::internal
