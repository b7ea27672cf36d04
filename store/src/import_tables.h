#pragma once
// The compact in-memory tables of the bulk import (bulk_import.cc), which holds a whole graph
// in memory before writing it: rows live in 1 MB chunks that are never reallocated (a growing
// string or vector holds its old and its new buffer at once while it doubles), and look-ups go
// through flat open-addressing arrays (node-based maps spent the import's time in cache misses
// and left megabytes of small freed blocks behind). The import needs fewer than 2^32 nodes,
// edges and evidence rows; BulkImport leaves bigger graphs to the batch path.

#include <cstdint>
#include <cstring>
#include <functional>
#include <map>
#include <string>
#include <string_view>
#include <vector>

#include "import_values.h"
#include "kg/store/graph_store.h"

namespace kg::store::internal {

inline void PutVarint(std::string* out, uint64_t v) {
  while (v >= 0x80) {
    out->push_back(static_cast<char>(v | 0x80));
    v >>= 7;
  }
  out->push_back(static_cast<char>(v));
}

inline uint64_t GetVarint(const std::string& in, size_t* pos) {
  uint64_t v = 0;
  for (int shift = 0;; shift += 7) {
    auto b = static_cast<unsigned char>(in[(*pos)++]);
    v |= static_cast<uint64_t>(b & 0x7F) << shift;
    if (b < 0x80) return v;
  }
}

// Appends to 1 MB chunks; an entry never spans two chunks.
class ChunkedBytes {
 public:
  // The chunk `need` more bytes go to, and the position they will start at.
  std::string& Reserve(size_t need, size_t* chunk, size_t* offset) {
    if (chunks_.empty() || chunks_.back().capacity() - chunks_.back().size() < need) {
      chunks_.emplace_back();
      chunks_.back().reserve(std::max(kChunk, need));
    }
    *chunk = chunks_.size() - 1;
    *offset = chunks_.back().size();
    return chunks_.back();
  }
  const std::string& chunk(size_t i) const { return chunks_[i]; }
  void Clear() { std::vector<std::string>().swap(chunks_); }

 private:
  static constexpr size_t kChunk = 1 << 20;
  std::vector<std::string> chunks_;
};

// A set of rows (numbered from 1, below 2^32) of a table kept elsewhere, found by their key.
// A slot is 8 bytes: the row in the low half, the high half of its key's hash in the other, so
// keys are compared only when those agree (a slot holding the key itself took 64 MB at 1M rows).
class RowIndex {
 public:
  // The row already indexed whose key equals the one that hashes to `hash` (`same_key(row)`
  // says whether a row's key is it); when there is none, indexes `row` and returns it.
  // `hash_of(row)` hashes an indexed row's key again when the array grows.
  template <typename SameKey, typename HashOf>
  uint32_t FindOrInsert(uint64_t hash, uint32_t row, SameKey same_key, HashOf hash_of) {
    if ((size_ + 1) * 2 > slots_.size()) Grow(hash_of);
    uint64_t tag = hash & kTagMask;
    size_t mask = slots_.size() - 1;
    for (size_t i = hash & mask;; i = (i + 1) & mask) {
      uint64_t& slot = slots_[i];
      if (slot == 0) {
        slot = tag | row;
        ++size_;
        return row;
      }
      auto other = static_cast<uint32_t>(slot);
      if ((slot & kTagMask) == tag && same_key(other)) return other;
    }
  }

 private:
  static constexpr uint64_t kTagMask = ~uint64_t{0xFFFFFFFF};
  template <typename HashOf>
  void Grow(HashOf hash_of) {
    std::vector<uint64_t> old = std::move(slots_);
    slots_.assign(std::max<size_t>(1024, old.size() * 2), 0);
    size_t mask = slots_.size() - 1;
    for (uint64_t slot : old) {
      if (slot == 0) continue;
      size_t i = hash_of(static_cast<uint32_t>(slot)) & mask;
      while (slots_[i] != 0) i = (i + 1) & mask;
      slots_[i] = slot;
    }
  }
  std::vector<uint64_t> slots_;
  size_t size_ = 0;
};

// An edge of the bulk import, 12 bytes. Edge id = position + 1.
struct EdgeRec {
  uint32_t src, dst, type;
  bool operator==(const EdgeRec&) const = default;
};

inline uint64_t HashEdgeRec(const EdgeRec& e) {
  uint64_t h = e.src * 0x9E3779B97F4A7C15ull;
  h ^= (e.dst + 0x632BE59BD9B4E019ull + (h << 6) + (h >> 2));
  h ^= (e.type * 0xC2B2AE3D27D4EB4Full + (h << 6) + (h >> 2));
  h ^= h >> 33;  // murmur3 finalizer: the table masks the low bits
  h *= 0xFF51AFD7ED558CCDull;
  h ^= h >> 33;
  return h;
}

// (src, dst, type) -> edge id, asked once per CSV edge row.
class EdgeIdTable {
 public:
  explicit EdgeIdTable(const std::vector<EdgeRec>& edges) : edges_(edges) {}

  // Returns the id of the edge, or `id` after indexing it when it is new (`*inserted` says
  // which); the caller then appends the edge to `edges` as edge `id`.
  EdgeId FindOrInsert(const EdgeRec& edge, uint32_t id, bool* inserted) {
    uint32_t found = index_.FindOrInsert(
        HashEdgeRec(edge), id, [&](uint32_t other) { return edges_[other - 1] == edge; },
        [&](uint32_t other) { return HashEdgeRec(edges_[other - 1]); });
    *inserted = found == id;
    return found;
  }

 private:
  const std::vector<EdgeRec>& edges_;
  RowIndex index_;
};

// The rows of nodes.csv: name and normalised name in chunks, the label as an index into the
// distinct labels (three std::strings a node took 96 bytes, 25 MB at 200k nodes).
class NodeTable {
 public:
  void Add(std::string_view name, std::string_view label, std::string_view norm);
  // Rows so far (also after Release).
  size_t size() const { return size_; }
  std::string_view name(size_t i) const { return Text(i, false); }
  std::string_view norm(size_t i) const { return Text(i, true); }
  std::string_view label(size_t i) const { return label_names_[labels_[i]]; }
  uint32_t label_id(size_t i) const { return labels_[i]; }
  const std::vector<std::string>& label_names() const { return label_names_; }
  // Frees the rows once their files are written; size() and label_names() stay.
  void Release();

 private:
  std::string_view Text(size_t i, bool norm) const;
  ChunkedBytes bytes_;
  std::vector<uint64_t> starts_;  // chunk << 32 | offset
  std::vector<uint32_t> labels_;
  std::vector<std::string> label_names_;
  std::map<std::string, uint32_t, std::less<>> label_ids_;
  size_t size_ = 0;
};

// The normalised names of a NodeTable's rows, to find two that are equal.
class NormSet {
 public:
  explicit NormSet(const NodeTable& nodes) : nodes_(nodes) {}
  // Adds row `row` of the table; false when an earlier row has the same normalised name.
  bool Insert(size_t row) {
    std::string_view text = nodes_.norm(row);
    auto id = static_cast<uint32_t>(row + 1);
    return index_.FindOrInsert(
               Hash(text), id, [&](uint32_t other) { return nodes_.norm(other - 1) == text; },
               [&](uint32_t other) { return Hash(nodes_.norm(other - 1)); }) == id;
  }

 private:
  static uint64_t Hash(std::string_view text) { return std::hash<std::string_view>()(text); }
  const NodeTable& nodes_;
  RowIndex index_;
};

// CSV node id -> node id (32 bits, 0 = none): the CSV ids are arbitrary 64-bit integers.
class CsvIdTable {
 public:
  // False when the key is there already.
  bool Insert(int64_t key, uint32_t value);
  uint32_t Find(int64_t key) const;
  size_t size() const { return size_; }
  template <typename Fn>
  void ForEach(Fn fn) const {
    for (const auto& slot : slots_) {
      if (slot.value != 0) fn(slot.key, slot.value);
    }
  }
  void Clear() {
    std::vector<Slot>().swap(slots_);
    size_ = 0;
  }

 private:
  struct Slot {
    int64_t key = 0;
    uint32_t value = 0;
  };
  size_t Locate(int64_t key) const;
  void Grow();
  std::vector<Slot> slots_;
  size_t size_ = 0;
};

// The evidence rows of an import in a compact form (doc_id, weight, polarity), each encoded
// into its full record only when its file is written: the records share ~50 constant bytes, so
// keeping them encoded took 68 bytes a row and, through the buffer's doubling, up to twice that.
// Every 16th row's position is kept: Get(i) steps over at most 15 rows.
class EvidenceRows {
 public:
  void Add(std::string_view doc_id, double weight, int64_t polarity);
  size_t size() const { return count_; }
  // The encoded evidence record of row i (AppendImportEvidence), in `*scratch`.
  std::string_view Get(size_t i, std::string* scratch) const;
  // Frees the rows once their file is written.
  void Release();

 private:
  static constexpr size_t kStride = 16;
  struct Position {
    size_t chunk, offset;
  };
  ChunkedBytes bytes_;
  std::vector<Position> marks_;  // of rows 0, kStride, 2 kStride, ...
  size_t count_ = 0;
};

}  // namespace kg::store::internal
