// Fuzzes the JSON Lines dump reader: any bytes as a .jsonl file (the reader rejects deep nesting
// before nlohmann's parser sees it). Checks: dump_check.h, and that the reader's fast JSON path
// agrees with nlohmann.

#include <cstdint>

#include "dump_check.h"
#include "fuzz_support.h"

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  auto path = kg::fuzz::WriteScratchFile("dump.jsonl", kg::fuzz::AsText(data, size));
  kg::fuzz::CheckDumpReads(path.string());
  kg::fuzz::CheckJsonFastPathAgrees(path.string());
  return 0;
}
