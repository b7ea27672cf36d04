#pragma once
// What the dump-reader fuzz targets check, whatever the bytes: the reader, in lenient mode, turns
// every record into an article or a reported problem (with a reason, and counted in its stats),
// never fails, and yields only valid UTF-8.

#include <string>

namespace kg::fuzz {

// Reads the dump at `path` (a .jsonl file or a folder of articles) to the end; Fail()s on any
// broken property.
void CheckDumpReads(const std::string& path);

// Reads the JSON Lines dump at `path` with the reader's own fast JSON path and with nlohmann
// alone; Fail()s unless both give the same articles and the same problems.
void CheckJsonFastPathAgrees(const std::string& path);

}  // namespace kg::fuzz
