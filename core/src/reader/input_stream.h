#pragma once
// A buffered byte source over a file or standard input, gzip-compressed or not (zlib's gz*
// functions read plain files transparently). Internal to the readers. Not thread-safe.

#include <zlib.h>

#include <cstdint>
#include <memory>
#include <string>
#include <vector>

#include "kg/core/status.h"

namespace kg::reader {

class InputStream {
 public:
  enum class LineResult { kLine, kTooLong, kEof };

  // `path` "-" is standard input.
  static Result<std::unique_ptr<InputStream>> Open(const std::string& path);
  ~InputStream();
  InputStream(const InputStream&) = delete;
  InputStream& operator=(const InputStream&) = delete;

  // Reads the next line without its '\n' into `line`. A line longer than `max_bytes` is consumed
  // but not kept: kTooLong, with its length in `*length`. Read errors become a Status.
  Result<LineResult> ReadLine(std::string* line, uint64_t max_bytes, uint64_t* length);

  // Reads everything left, up to `max_bytes`; sets `*too_long` when more remained (the rest is
  // not read).
  Result<std::string> ReadAll(uint64_t max_bytes, bool* too_long);

  // The first non-white-space byte still to be read, or -1 at the end; consumes nothing.
  Result<int> PeekFirstNonSpace();

  // Compressed bytes consumed so far (for progress).
  uint64_t raw_offset() const;

 private:
  explicit InputStream(gzFile file) : file_(file), buffer_(1 << 16) {}
  // Refills the buffer; false at the end of input.
  Result<bool> Fill();

  gzFile file_;
  std::vector<char> buffer_;
  size_t pos_ = 0;
  size_t len_ = 0;
  bool eof_ = false;
};

}  // namespace kg::reader
