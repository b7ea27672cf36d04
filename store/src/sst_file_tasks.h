#pragma once
// Filling the SST files of a bulk ingestion (SstIngest) on several threads: each file is one
// task that writes its column family's keys in order. The first error wins; the files are
// ingested (or removed) by their SstIngest.

#include <functional>
#include <thread>
#include <utility>
#include <vector>

#include "kg/core/status.h"
#include "sst_ingest.h"

namespace kg::store::internal {

// A column family's file and what writes it. A task reads only what was computed before the
// files are filled, never another task's output.
using FileTask = std::pair<Cf, std::function<Status(SstIngest::File&)>>;

// Creates each task's file, then fills and finishes them on up to four threads (the caller's
// included), the tasks taken in the order given: put the largest first.
Status WriteFiles(SstIngest& sst, const std::vector<FileTask>& tasks);

// Files written on a thread of their own while the caller goes on (the nodes' files while the
// edges are parsed). Declare it after its SstIngest, so it is joined before the files are
// removed.
class BackgroundFiles {
 public:
  BackgroundFiles(SstIngest& sst, std::vector<FileTask> tasks);
  ~BackgroundFiles() { (void)Wait(); }  // an early return: the status no longer matters
  BackgroundFiles(const BackgroundFiles&) = delete;
  BackgroundFiles& operator=(const BackgroundFiles&) = delete;

  Status Wait();

 private:
  std::vector<FileTask> tasks_;
  std::vector<SstIngest::File*> files_;
  Status status_;
  std::thread thread_;
};

}  // namespace kg::store::internal
