#include "line_input.h"

#include <fcntl.h>
#include <unistd.h>
#include <zlib.h>

#include <cerrno>
#include <cstring>

namespace kg::exporting {
namespace {
constexpr size_t kChunk = 1 << 18;
}  // namespace

Result<std::unique_ptr<LineInput>> LineInput::Open(const std::string& path) {
  int fd = path == "-" ? ::dup(0) : ::open(path.c_str(), O_RDONLY | O_CLOEXEC);
  std::string name = path == "-" ? "standard input" : path;
  if (fd < 0) return Status::IOError(name + ": cannot open: " + std::strerror(errno));
  gzFile file = gzdopen(fd, "rb");
  if (file == nullptr) {
    ::close(fd);
    return Status::IOError(name + ": cannot open: out of memory");
  }
  gzbuffer(file, 1 << 17);
  return std::unique_ptr<LineInput>(new LineInput(name, file));
}

LineInput::LineInput(std::string path, void* file) : path_(std::move(path)), file_(file) {}

LineInput::~LineInput() { gzclose(static_cast<gzFile>(file_)); }

uint64_t LineInput::raw_offset() const {
  z_off_t offset = gzoffset(static_cast<gzFile>(file_));
  return offset < 0 ? 0 : static_cast<uint64_t>(offset);
}

Result<bool> LineInput::Fill() {
  if (eof_) return false;
  buffer_.erase(0, pos_);
  pos_ = 0;
  size_t old = buffer_.size();
  buffer_.resize(old + kChunk);
  auto* file = static_cast<gzFile>(file_);
  int n = gzread(file, buffer_.data() + old, static_cast<unsigned>(kChunk));
  if (n < 0) {
    buffer_.resize(old);
    int errnum = 0;
    const char* message = gzerror(file, &errnum);
    std::string where = path_ + ":" + std::to_string(line_number_ + 1) + ": ";
    if (errnum == Z_ERRNO) return Status::IOError(where + "read error: " + std::strerror(errno));
    return Status::InvalidArgument(where + "corrupt compressed data: " + message);
  }
  buffer_.resize(old + static_cast<size_t>(n));
  if (n == 0) {
    eof_ = true;
    int errnum = 0;
    const char* message = gzerror(file, &errnum);
    if (errnum != Z_OK && errnum != Z_STREAM_END) {
      return Status::InvalidArgument(path_ + ":" + std::to_string(line_number_ + 1) +
                                     ": corrupt compressed data: " + message);
    }
    return false;
  }
  return true;
}

Result<bool> LineInput::Next(std::string* line) {
  size_t scanned = pos_;
  while (true) {
    auto nl = buffer_.find('\n', scanned);
    if (nl != std::string::npos) {
      size_t end = nl > pos_ && buffer_[nl - 1] == '\r' ? nl - 1 : nl;
      line->assign(buffer_, pos_, end - pos_);
      pos_ = nl + 1;
      ++line_number_;
      return true;
    }
    scanned = buffer_.size() - pos_;  // relative: Fill() moves the unread rest to the front
    Result<bool> more = Fill();
    if (!more) return more.error();
    if (!*more) break;
  }
  if (pos_ >= buffer_.size()) return false;
  line->assign(buffer_, pos_, buffer_.size() - pos_);  // last line without '\n'
  if (!line->empty() && line->back() == '\r') line->pop_back();
  pos_ = buffer_.size();
  ++line_number_;
  return true;
}

}  // namespace kg::exporting
