// Fuzzes the plain-text dump reader: any bytes as one article file in a folder dump (UTF-8 repair,
// boilerplate stripping, title and date lines; gzip when the bytes start with its magic).
// Checks: dump_check.h.

#include <cstdint>
#include <filesystem>

#include "dump_check.h"
#include "fuzz_support.h"

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  auto dir = kg::fuzz::ScratchDir() / "folder";
  std::filesystem::create_directories(dir);
  kg::fuzz::WriteScratchFile("folder/article.txt", kg::fuzz::AsText(data, size));
  kg::fuzz::CheckDumpReads(dir.string());
  return 0;
}
