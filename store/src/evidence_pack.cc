// Evidence packs (evidence_pack.h).

#include "evidence_pack.h"

namespace kg::store::internal {

void PackBuilder::Add(uint64_t id, std::string_view record) {
  if (count_ == 0) {
    first_id_ = id;
    last_id_ = id;
  }
  PutVarint64(&body_, id - last_id_);
  PutLengthPrefixed(&body_, record);
  last_id_ = id;
  ++count_;
}

std::string PackBuilder::Finish() {
  body_[0] = static_cast<char>(count_ >> 8);
  body_[1] = static_cast<char>(count_ & 0xff);
  std::string value = std::move(body_);
  body_.assign(kPackCountSize, '\0');
  count_ = 0;
  return value;
}

PackReader::PackReader(uint64_t first_id, std::string_view value) : rest_(value), id_(first_id) {
  if (rest_.size() < kPackCountSize) {
    Fail();
    return;
  }
  count_ = (uint64_t{static_cast<unsigned char>(rest_[0])} << 8) |
           static_cast<unsigned char>(rest_[1]);
  rest_.remove_prefix(kPackCountSize);
  // A record takes at least two bytes (its delta and its length), which bounds a sane count.
  if (count_ == 0 || count_ > rest_.size() / 2) {
    Fail();
    return;
  }
  left_ = count_;
}

bool PackReader::Next(uint64_t* id, std::string_view* record) {
  if (left_ == 0) {
    if (ok_ && !rest_.empty()) return Fail();  // bytes after the last record
    return false;
  }
  uint64_t delta = 0;
  if (!GetVarint64(&rest_, &delta) || !GetLengthPrefixed(&rest_, record)) return Fail();
  if (first_ ? delta != 0 : (delta == 0 || id_ + delta < id_)) return Fail();
  first_ = false;
  id_ += delta;
  *id = id_;
  --left_;
  return true;
}

}  // namespace kg::store::internal
