#pragma once
// A fixed set of short words (string literals) asked about for nearly every word of an article:
// open addressing over FNV-1a hashes, with a 256-bit filter on the hash that turns most
// non-members away before any memory beyond the set object is touched. Exact membership, like
// the std::unordered_set it replaces, without the bucket modulo and list walk per look-up.

#include <cstdint>
#include <initializer_list>
#include <string_view>
#include <vector>

namespace kg::extract {

class WordSet {
 public:
  // Borrows the words' bytes: pass string literals (or storage that outlives the set). The
  // words must not be empty.
  WordSet(std::initializer_list<std::string_view> words) {
    size_t capacity = 16;
    while (capacity < 4 * words.size()) capacity *= 2;
    slots_.assign(capacity, std::string_view());
    mask_ = capacity - 1;
    for (std::string_view w : words) {
      const uint64_t h = Hash(w);
      filter_[(h >> 56) & 3] |= uint64_t{1} << ((h >> 58) & 63);
      size_t i = h & mask_;
      while (slots_[i].data() != nullptr && slots_[i] != w) i = (i + 1) & mask_;
      slots_[i] = w;
    }
  }

  // 1 when `word` is in the set, else 0 (std::unordered_set::count's contract).
  size_t count(std::string_view word) const {
    const uint64_t h = Hash(word);
    if (!(filter_[(h >> 56) & 3] & (uint64_t{1} << ((h >> 58) & 63)))) return 0;
    for (size_t i = h & mask_; slots_[i].data() != nullptr; i = (i + 1) & mask_) {
      if (slots_[i] == word) return 1;
    }
    return 0;
  }

 private:
  static uint64_t Hash(std::string_view word) {
    uint64_t h = 0xcbf29ce484222325ull;
    for (char c : word) h = (h ^ static_cast<unsigned char>(c)) * 0x100000001b3ull;
    // FNV's low bits mix poorly for short words: fold the high half in.
    return h ^ (h >> 29);
  }

  uint64_t filter_[4] = {};
  std::vector<std::string_view> slots_;  // data() == nullptr: empty
  size_t mask_ = 0;
};

}  // namespace kg::extract
