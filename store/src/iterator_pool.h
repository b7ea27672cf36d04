#pragma once
// IteratorPool: RocksDB iterators kept between the read views of one read-only (secondary)
// instance. Creating an iterator costs about as much as a seek (~4-6k instructions in Debian's
// RocksDB: a merging iterator over every level, a superversion reference), and a look-up query
// makes one per column family it reads. A secondary's state moves only when it catches up, and
// StoreImpl::CatchUp catches up only an instance no view pins, after Clear(): so an iterator
// kept here reads the same state as a new one would.
// Thread-safe; an iterator is used by one view at a time (taken, then given back).

#include <rocksdb/iterator.h>

#include <array>
#include <memory>
#include <mutex>
#include <vector>

namespace kg::store::internal {

// How a reused iterator seeks: within the family's prefix extractor's prefix (adjacency and
// evidence lists) or in total order (every other seek and whole-family scans).
enum class SeekMode : size_t { kPrefix = 0, kTotalOrder = 1 };

template <size_t kNumFamilies>
class IteratorPool {
 public:
  // Iterators kept per (family, mode): about the number of threads that read at once.
  static constexpr size_t kKeepPerSlot = 16;

  // A kept iterator for (cf, mode), or null when none is free.
  std::unique_ptr<rocksdb::Iterator> Take(size_t cf, SeekMode mode) {
    std::lock_guard<std::mutex> lock(mu_);
    auto& free = Slot(cf, mode);
    if (free.empty()) return nullptr;
    auto it = std::move(free.back());
    free.pop_back();
    return it;
  }

  // Keeps `it` for the next view, unless the slot is full or the iterator failed.
  void Give(size_t cf, SeekMode mode, std::unique_ptr<rocksdb::Iterator> it) {
    if (!it || !it->status().ok()) return;
    std::lock_guard<std::mutex> lock(mu_);
    auto& free = Slot(cf, mode);
    if (free.size() < kKeepPerSlot) free.push_back(std::move(it));
  }

  // Destroys every kept iterator: before the instance catches up or closes.
  void Clear() {
    std::lock_guard<std::mutex> lock(mu_);
    for (auto& by_cf : free_) by_cf.clear();
  }

 private:
  std::vector<std::unique_ptr<rocksdb::Iterator>>& Slot(size_t cf, SeekMode mode) {
    return free_[cf * 2 + static_cast<size_t>(mode)];
  }

  std::mutex mu_;
  std::array<std::vector<std::unique_ptr<rocksdb::Iterator>>, kNumFamilies * 2> free_;
};

}  // namespace kg::store::internal
