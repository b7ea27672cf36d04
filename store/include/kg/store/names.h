#pragma once
// How names are compared: entity resolution and the names index both use NormalizeName, so
// "Shinzo  ABE", "shinzo abe" and "Ｓｈｉｎｚｏ Abe" are the same key.

#include <cstddef>
#include <string>
#include <string_view>

namespace kg::store {

// Unicode NFKC + case fold (utf8proc), every run of white space collapsed to one ASCII space,
// leading and trailing space removed. Invalid UTF-8 is normalised byte-wise (ASCII lower-case,
// other bytes kept) instead of failing, so any input yields a key. Thread-safe.
std::string NormalizeName(std::string_view text);

// Whether two normalised names (NormalizeName) can name one thing when all they share is an
// alias: the words of one, full stops and leading honorifics dropped, appear in order among
// the other's ("abe" and "shinzo abe", "mr. abe" and "shinzo abe", "george bush" and "george
// w. bush"). "barry ferguson" and "alex ferguson", which share the alias "ferguson", cannot:
// two given names, two people.
bool NamesMayCorefer(std::string_view a, std::string_view b);

// The words NamesMayCorefer compares: "mr. shinzo abe" has 2.
size_t NameWordCount(std::string_view name);

}  // namespace kg::store
