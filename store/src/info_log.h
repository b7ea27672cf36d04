// RocksDB's diagnostic LOG file, written by kg instead of by RocksDB.
//
// RocksDB's own LOG writer (Debian builds RocksDB with assertions on) asserts when it is written
// again after a failed write. A full disk fails every file at once, and RocksDB logs a line as it
// reports the error: the process aborted in that assertion instead of returning the "No space
// left on device" that kg turns into a clear message (tests/e2e/hostile_storage_test.sh, about
// one full-disk ingest in ten under load). This LOG drops the line it cannot write and goes on.
#pragma once

#include <rocksdb/env.h>

#include <atomic>
#include <cstdint>
#include <memory>
#include <string>

namespace kg::store::internal {

class InfoLog : public rocksdb::Logger {
 public:
  // Appends to `file` (created if missing); nullptr when it cannot be opened, and RocksDB then
  // opens its own (and reports why it cannot either).
  static std::shared_ptr<InfoLog> Open(const std::string& file);
  // Opens `dir`/LOG the way RocksDB does: the previous LOG is kept as LOG.old.<microseconds>,
  // the oldest of those beyond `keep_old` removed.
  static std::shared_ptr<InfoLog> OpenInDbDir(const std::string& dir, size_t keep_old);
  ~InfoLog() override;

  using rocksdb::Logger::Logv;
  // One line: "2026/11/28-20:15:01.123456 7f3a2c1ff6c0 <message>", as RocksDB writes it.
  void Logv(const char* format, va_list ap) override;

  // Lines that could not be written (a full disk, an I/O error).
  uint64_t dropped_lines() const { return dropped_.load(std::memory_order_relaxed); }

 protected:
  rocksdb::Status CloseImpl() override;

 private:
  explicit InfoLog(int fd) : fd_(fd) {}
  int fd_;
  std::atomic<uint64_t> dropped_{0};
};

// A LOG that drops every line, for RocksDB secondary instances (the readers): see
// StoreImpl::OpenSecondaryOnce. Its level is HEADER_LEVEL, so RocksDB skips even formatting.
std::shared_ptr<rocksdb::Logger> DiscardingInfoLog();

// The `secondary_path` handed to OpenAsSecondary with DiscardingInfoLog: a path under a device
// file, which no one can create, so nothing can ever be written there.
inline constexpr const char* kUnusedSecondaryPath = "/dev/null/kg-secondary-unused";

}  // namespace kg::store::internal
