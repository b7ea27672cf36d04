#pragma once
// Evidence packs (schema 3, docs/STORAGE.md "Evidence packs"): one `evidence` key holds a run of
// one owner's records, so that reading an edge's evidence costs one iterator step per pack
// instead of one per record.
//
//   key:   kind ('E' edge / 'N' node) | owner u64BE | id of the pack's first record u64BE
//   value: count u16BE | count x { id delta varint | record length varint | record bytes }
//
// The first delta is from the key's id (always 0 as written), each later one from the previous
// record's id (>= 1: ids strictly increase). Record bytes are EncodeEvidence's (values.h), so a
// reader skips a record by its length without decoding it. Writers close a pack at
// kPackMaxRecords records or when the next record would take it past kPackMaxBytes (a larger
// record gets a pack of its own), so one value never grows huge.

#include <cstddef>
#include <cstdint>
#include <string>
#include <string_view>

#include "key_format.h"

namespace kg::store::internal {

inline constexpr size_t kPackMaxRecords = 256;
inline constexpr size_t kPackMaxBytes = 32 * 1024;
// The count is a fixed-width field (it fits: kPackMaxRecords < 2^16), written last into the
// bytes reserved for it, so a finished pack is the builder's buffer, never copied.
inline constexpr size_t kPackCountSize = 2;

// Builds the packs of one owner from its records in ascending id order.
class PackBuilder {
 public:
  PackBuilder() : body_(kPackCountSize, '\0') {}
  bool empty() const { return count_ == 0; }
  uint64_t first_id() const { return first_id_; }
  // True when a record of `size` bytes should start a new pack (this one is full).
  bool Full(size_t size) const {
    return count_ > 0 && (count_ >= kPackMaxRecords ||
                          body_.size() - kPackCountSize + size > kPackMaxBytes);
  }
  // REQUIRES: `id` above the previous record's id.
  void Add(uint64_t id, std::string_view record);
  // The pack value of the records added since the last Finish; empties the builder.
  std::string Finish();

 private:
  std::string body_;  // the count's bytes (filled by Finish), then the records
  size_t count_ = 0;
  uint64_t first_id_ = 0;
  uint64_t last_id_ = 0;
};

// Walks the records of one pack value without copying them. Next() returns false at the end
// and when the pack is malformed (then ok() is false): a truncated record, a zero count, an id
// that does not increase or overflows, bytes after the last record.
class PackReader {
 public:
  PackReader(uint64_t first_id, std::string_view value);
  bool Next(uint64_t* id, std::string_view* record);
  bool ok() const { return ok_; }
  uint64_t count() const { return count_; }

 private:
  bool Fail() {
    ok_ = false;
    left_ = 0;
    return false;
  }

  std::string_view rest_;
  uint64_t id_ = 0;
  uint64_t count_ = 0;
  uint64_t left_ = 0;
  bool first_ = true;
  bool ok_ = true;
};

}  // namespace kg::store::internal
