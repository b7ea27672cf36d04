#pragma once
// The writable store's memtable: a skip list like RocksDB's own (one writer, readers without
// locks), minus what made RocksDB's insert cost ~6,800 instructions per key in kg ingest.
// Debian builds RocksDB with assertions on, and its skip list checks the order of the nodes on
// either side at every step of every search (two extra key comparisons per step: more than
// half of MemTable::Add), and each comparison goes through two virtual calls and a perf-context
// counter. This one compares keys inline, bytewise as RocksDB's default comparator and internal
// key order do (checked against the comparator RocksDB hands it: it falls back to that one
// when they disagree), and reuses the previous insert's search path when keys arrive in order,
// as a batch built in memtable order does (batch_ops.h).
//
// Only the memtable changes: the WAL, the SST files and every key and value stay as they were,
// and a store written with it is read by any kg. Concurrent inserts are not supported, so the
// store opens with allow_concurrent_memtable_write off (it has one writer thread anyway).

#include <rocksdb/memtablerep.h>

#include <memory>

namespace kg::store::internal {

std::shared_ptr<rocksdb::MemTableRepFactory> NewWriterMemTableFactory();

}  // namespace kg::store::internal
