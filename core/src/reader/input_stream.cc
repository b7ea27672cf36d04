#include "reader/input_stream.h"

#include <fcntl.h>
#include <unistd.h>

#include <cerrno>
#include <cstring>

namespace kg::reader {

Result<std::unique_ptr<InputStream>> InputStream::Open(const std::string& path) {
  gzFile file = nullptr;
  if (path == "-") {
    int fd = dup(0);
    if (fd < 0) return Status::IOError(std::string("cannot read standard input: ") + strerror(errno));
    file = gzdopen(fd, "rb");
  } else {
    int fd = ::open(path.c_str(), O_RDONLY | O_CLOEXEC);
    if (fd < 0) return Status::IOError(path + ": cannot open: " + strerror(errno));
    file = gzdopen(fd, "rb");
    if (file == nullptr) ::close(fd);
  }
  if (file == nullptr) return Status::IOError(path + ": cannot open: out of memory");
  gzbuffer(file, 1 << 17);
  return std::unique_ptr<InputStream>(new InputStream(file));
}

InputStream::~InputStream() { gzclose(file_); }

uint64_t InputStream::raw_offset() const {
  z_off_t offset = gzoffset(file_);
  return offset < 0 ? 0 : static_cast<uint64_t>(offset);
}

Result<bool> InputStream::Fill() {
  if (eof_) return false;
  int n = gzread(file_, buffer_.data(), static_cast<unsigned>(buffer_.size()));
  if (n < 0) {
    int errnum = 0;
    const char* message = gzerror(file_, &errnum);
    if (errnum == Z_ERRNO) return Status::IOError(std::string("read error: ") + strerror(errno));
    return Status::InvalidArgument(std::string("corrupt compressed data: ") + message);
  }
  pos_ = 0;
  len_ = static_cast<size_t>(n);
  if (n == 0) {
    eof_ = true;
    // A truncated gzip stream reads as a short file; gzerror says so.
    int errnum = 0;
    const char* message = gzerror(file_, &errnum);
    if (errnum != Z_OK && errnum != Z_STREAM_END) {
      return Status::InvalidArgument(std::string("corrupt compressed data: ") + message);
    }
    return false;
  }
  return true;
}

Result<InputStream::LineResult> InputStream::ReadLine(std::string* line, uint64_t max_bytes,
                                                       uint64_t* length) {
  line->clear();
  uint64_t total = 0;
  bool any = false;
  while (true) {
    if (pos_ == len_) {
      Result<bool> more = Fill();
      if (!more) return more.error();
      if (!*more) break;
    }
    any = true;
    const char* start = buffer_.data() + pos_;
    const void* nl = std::memchr(start, '\n', len_ - pos_);
    size_t chunk = nl ? static_cast<size_t>(static_cast<const char*>(nl) - start) : len_ - pos_;
    total += chunk;
    if (total <= max_bytes) line->append(start, chunk);
    pos_ += chunk;
    if (nl) {
      ++pos_;
      break;
    }
  }
  if (length) *length = total;
  if (!any) return LineResult::kEof;
  if (total > max_bytes) {
    line->clear();
    line->shrink_to_fit();
    return LineResult::kTooLong;
  }
  return LineResult::kLine;
}

Result<std::string> InputStream::ReadAll(uint64_t max_bytes, bool* too_long) {
  std::string out;
  *too_long = false;
  while (true) {
    if (pos_ == len_) {
      Result<bool> more = Fill();
      if (!more) return more.error();
      if (!*more) break;
    }
    size_t chunk = len_ - pos_;
    if (out.size() + chunk > max_bytes) {
      *too_long = true;
      return std::string();
    }
    out.append(buffer_.data() + pos_, chunk);
    pos_ = len_;
  }
  return out;
}

Result<int> InputStream::PeekFirstNonSpace() {
  while (true) {
    if (pos_ == len_) {
      Result<bool> more = Fill();
      if (!more) return more.error();
      if (!*more) return -1;
    }
    // Only look inside the current buffer; skipping blanks would consume them, and the
    // readers treat leading blank lines the same either way.
    for (size_t i = pos_; i < len_; ++i) {
      auto c = static_cast<unsigned char>(buffer_[i]);
      if (c != ' ' && c != '\n' && c != '\r' && c != '\t') return c;
    }
    pos_ = len_;  // all blank: dropping it changes nothing for either format
  }
}

}  // namespace kg::reader
