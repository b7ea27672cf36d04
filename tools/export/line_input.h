#pragma once
// Reads text lines from a file, a .gz file, or standard input ("-"), for `kg load`. zlib's gz*
// functions read uncompressed files transparently, so one reader serves both. Not thread-safe.

#include <cstdint>
#include <memory>
#include <string>

#include "kg/core/status.h"

namespace kg::exporting {

class LineInput {
 public:
  // "-" is standard input. IOError "<path>: cannot open: <reason>".
  static Result<std::unique_ptr<LineInput>> Open(const std::string& path);
  ~LineInput();
  LineInput(const LineInput&) = delete;
  LineInput& operator=(const LineInput&) = delete;

  // The next line, without its '\n' (and a '\r' before it), in `line`; false at the end.
  // Errors name the file and line: "<path>:<line>: corrupt compressed data: ...".
  Result<bool> Next(std::string* line);

  const std::string& path() const { return path_; }
  uint64_t line_number() const { return line_number_; }
  // Bytes read from the file so far (compressed bytes for .gz).
  uint64_t raw_offset() const;

 private:
  LineInput(std::string path, void* file);
  Result<bool> Fill();

  std::string path_;
  void* file_;  // gzFile, kept opaque so this header does not include zlib.h
  std::string buffer_;
  size_t pos_ = 0;
  bool eof_ = false;
  uint64_t line_number_ = 0;
};

}  // namespace kg::exporting
