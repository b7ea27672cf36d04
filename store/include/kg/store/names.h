#pragma once
// How names are compared: entity resolution and the names index both use NormalizeName, so
// "Shinzo  ABE", "shinzo abe" and "Ｓｈｉｎｚｏ Abe" are the same key.

#include <string>
#include <string_view>

namespace kg::store {

// Unicode NFKC + case fold (utf8proc), every run of white space collapsed to one ASCII space,
// leading and trailing space removed. Invalid UTF-8 is normalised byte-wise (ASCII lower-case,
// other bytes kept) instead of failing, so any input yields a key. Thread-safe.
std::string NormalizeName(std::string_view text);

}  // namespace kg::store
