#include "sst_file_tasks.h"

#include <algorithm>
#include <atomic>
#include <exception>
#include <mutex>
#include <string>
#include <system_error>

namespace kg::store::internal {
namespace {

Result<std::vector<SstIngest::File*>> AddFiles(SstIngest& sst,
                                               const std::vector<FileTask>& tasks) {
  std::vector<SstIngest::File*> files;
  for (const auto& [cf, task] : tasks) {
    auto file = sst.Add(cf);
    if (!file) return file.error();
    files.push_back(*file);
  }
  return files;
}

// Runs tasks[i] on files[i] and finishes it, on `threads` threads (the caller's included).
Status FillFiles(const std::vector<FileTask>& tasks, const std::vector<SstIngest::File*>& files,
                 size_t threads) {
  std::atomic<size_t> next{0};
  std::atomic<bool> failed{false};
  std::mutex error_mu;
  Status first_error;
  auto worker = [&] {
    for (size_t i; !failed && (i = next++) < tasks.size();) {
      Status s;
      try {
        s = tasks[i].second(*files[i]);
        if (s.ok()) s = files[i]->Finish();
      } catch (const std::exception& e) {  // std::bad_alloc from a sort buffer
        s = Status::Internal(std::string("bulk import: ") + e.what());
      }
      if (!s.ok()) {
        std::lock_guard<std::mutex> lock(error_mu);
        if (!failed) first_error = s;
        failed = true;
      }
    }
  };
  std::vector<std::thread> pool;
  try {
    for (size_t t = 1; t < threads; ++t) pool.emplace_back(worker);
  } catch (const std::system_error&) {  // no thread to be had: fewer helpers
  }
  worker();
  for (auto& t : pool) t.join();
  return first_error;
}

}  // namespace

Status WriteFiles(SstIngest& sst, const std::vector<FileTask>& tasks) {
  auto files = AddFiles(sst, tasks);
  if (!files) return files.error();
  return FillFiles(tasks, *files, std::clamp<size_t>(std::thread::hardware_concurrency(), 1, 4));
}

BackgroundFiles::BackgroundFiles(SstIngest& sst, std::vector<FileTask> tasks)
    : tasks_(std::move(tasks)) {
  auto files = AddFiles(sst, tasks_);
  if (!files) {
    status_ = files.error();
    return;
  }
  files_ = std::move(*files);
  try {
    thread_ = std::thread([this] { status_ = FillFiles(tasks_, files_, 1); });
  } catch (const std::system_error&) {
    status_ = FillFiles(tasks_, files_, 1);
  }
}

Status BackgroundFiles::Wait() {
  if (thread_.joinable()) thread_.join();
  return status_;
}

}  // namespace kg::store::internal
