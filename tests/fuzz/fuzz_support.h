#pragma once
// Helpers shared by the libFuzzer targets (tests/fuzz/*_fuzz.cc). Each target defines
// LLVMFuzzerTestOneInput; with KG_FUZZ it links libFuzzer, otherwise replay_main.cc, which runs
// the committed corpus once as a ctest test (docs/RELIABILITY.md).

#include <cstddef>
#include <cstdint>
#include <filesystem>
#include <string>
#include <string_view>

namespace kg::fuzz {

inline std::string_view AsText(const uint8_t* data, size_t size) {
  return {reinterpret_cast<const char*>(data), size};
}

// A directory private to this process (under $TMPDIR, else /tmp), made on first use and removed
// at exit. The readers and the relation-model loader take paths, so inputs go through files.
const std::filesystem::path& ScratchDir();

// Writes `bytes` to ScratchDir()/name and returns the path.
std::filesystem::path WriteScratchFile(const std::string& name, std::string_view bytes);

// Aborts with `what` on stderr: the fuzzer reports it as a crash and saves the input. For
// properties the target checks itself (an invariant of the output broken).
[[noreturn]] void Fail(const std::string& what);

}  // namespace kg::fuzz
