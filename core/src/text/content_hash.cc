#include "kg/core/content_hash.h"

#include <cstdint>
#include <cstring>

namespace kg {
namespace {

constexpr uint64_t kPrime1 = 0x9E3779B185EBCA87ULL;
constexpr uint64_t kPrime2 = 0xC2B2AE3D27D4EB4FULL;
constexpr uint64_t kPrime3 = 0x165667B19E3779F9ULL;

inline uint64_t Rotl(uint64_t x, int r) { return (x << r) | (x >> (64 - r)); }

// The finaliser of MurmurHash3 (fmix64): every input bit affects every output bit.
inline uint64_t Mix(uint64_t k) {
  k ^= k >> 33;
  k *= 0xFF51AFD7ED558CCDULL;
  k ^= k >> 33;
  k *= 0xC4CEB9FE1A85EC53ULL;
  k ^= k >> 33;
  return k;
}

// Reads 8 bytes little-endian whatever the host order, so hashes are the same everywhere.
inline uint64_t Load64(const unsigned char* p) {
  uint64_t v = 0;
  for (int i = 7; i >= 0; --i) v = (v << 8) | p[i];
  return v;
}

}  // namespace

std::string ContentHash(std::string_view text) {
  const auto* p = reinterpret_cast<const unsigned char*>(text.data());
  size_t n = text.size();
  // Two lanes with different seeds and rotations give 128 bits.
  uint64_t h1 = kPrime1 ^ n;
  uint64_t h2 = kPrime2 ^ (n * kPrime3);
  size_t pos = 0;
  for (; pos + 8 <= n; pos += 8) {
    uint64_t k = Load64(p + pos);
    h1 = Rotl(h1 ^ (k * kPrime1), 31) * kPrime2;
    h2 = Rotl(h2 ^ (k * kPrime2), 27) * kPrime3 + h1;
  }
  uint64_t tail = 0;
  for (size_t i = n; i > pos; --i) tail = (tail << 8) | p[i - 1];
  h1 = Mix(h1 ^ (tail * kPrime3) ^ h2);
  h2 = Mix(h2 ^ Rotl(tail, 17) ^ h1);
  static constexpr char kHex[] = "0123456789abcdef";
  std::string out(32, '0');
  for (int i = 0; i < 16; ++i) {
    out[i] = kHex[(h1 >> (60 - 4 * i)) & 0xF];
    out[16 + i] = kHex[(h2 >> (60 - 4 * i)) & 0xF];
  }
  return out;
}

}  // namespace kg
