#pragma once
// The identity of an article for idempotent ingest: a 128-bit hash of its cleaned text, written
// as 32 lowercase hex digits. Stable across runs, machines and versions of kg (it is persisted in
// stores): changing the function changes which articles a store thinks it already has.

#include <string>
#include <string_view>

namespace kg {

// Not cryptographic; fast (several GB/s). Thread-safe.
std::string ContentHash(std::string_view text);

}  // namespace kg
