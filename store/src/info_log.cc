#include "info_log.h"

#include <fcntl.h>
#include <pthread.h>
#include <sys/time.h>
#include <unistd.h>

#include <algorithm>
#include <cstdarg>
#include <cstdio>
#include <ctime>
#include <filesystem>
#include <system_error>
#include <vector>

namespace kg::store::internal {

namespace fs = std::filesystem;

std::shared_ptr<InfoLog> InfoLog::Open(const std::string& file) {
  int fd = ::open(file.c_str(), O_WRONLY | O_CREAT | O_APPEND | O_CLOEXEC, 0644);
  if (fd < 0) return nullptr;
  return std::shared_ptr<InfoLog>(new InfoLog(fd));
}

std::shared_ptr<InfoLog> InfoLog::OpenInDbDir(const std::string& dir, size_t keep_old) {
  std::error_code ec;
  const fs::path log = fs::path(dir) / "LOG";
  if (fs::exists(log, ec)) {
    struct timeval now;
    ::gettimeofday(&now, nullptr);
    auto micros = static_cast<uint64_t>(now.tv_sec) * 1000000 + now.tv_usec;
    fs::rename(log, fs::path(dir) / ("LOG.old." + std::to_string(micros)), ec);
  }
  // Names of equal length (the same number of digits) sort by time.
  std::vector<std::string> old;
  for (const auto& entry : fs::directory_iterator(dir, ec)) {
    auto name = entry.path().filename().string();
    if (name.starts_with("LOG.old.")) old.push_back(name);
  }
  std::sort(old.begin(), old.end(), [](const std::string& a, const std::string& b) {
    return a.size() != b.size() ? a.size() < b.size() : a < b;
  });
  for (size_t i = 0; i + keep_old < old.size(); ++i) fs::remove(fs::path(dir) / old[i], ec);
  return Open(log.string());
}

InfoLog::~InfoLog() {
  if (!closed_) {
    closed_ = true;
    CloseImpl().PermitUncheckedError();
  }
}

rocksdb::Status InfoLog::CloseImpl() {
  if (fd_ >= 0) ::close(fd_);
  fd_ = -1;
  return rocksdb::Status::OK();
}

void InfoLog::Logv(const char* format, va_list ap) {
  char buffer[512];
  struct timeval now;
  ::gettimeofday(&now, nullptr);
  struct tm t;
  ::localtime_r(&now.tv_sec, &t);
  int prefix = std::snprintf(buffer, sizeof buffer, "%04d/%02d/%02d-%02d:%02d:%02d.%06ld %lx ",
                             t.tm_year + 1900, t.tm_mon + 1, t.tm_mday, t.tm_hour, t.tm_min,
                             t.tm_sec, static_cast<long>(now.tv_usec),
                             static_cast<unsigned long>(::pthread_self()));
  va_list copy;
  va_copy(copy, ap);
  int body = std::vsnprintf(buffer + prefix, sizeof buffer - prefix, format, copy);
  va_end(copy);
  if (body < 0) body = 0;
  std::string line;
  const char* data = buffer;
  size_t size = prefix + static_cast<size_t>(body);
  if (size + 1 >= sizeof buffer) {  // longer than the buffer: format again into a string
    line.assign(buffer, prefix);
    line.resize(size + 1);
    std::vsnprintf(line.data() + prefix, body + 1, format, ap);
    line.resize(size);
    if (line.back() != '\n') line.push_back('\n');
    data = line.data();
    size = line.size();
  } else if (buffer[size - 1] != '\n') {
    buffer[size++] = '\n';
  }
  // One write per line: with O_APPEND, lines from RocksDB's threads do not interleave.
  if (::write(fd_, data, size) != static_cast<ssize_t>(size)) {
    dropped_.fetch_add(1, std::memory_order_relaxed);
  }
}

namespace {

class DiscardingLog : public rocksdb::Logger {
 public:
  DiscardingLog() : rocksdb::Logger(rocksdb::InfoLogLevel::HEADER_LEVEL) {}
  using rocksdb::Logger::Logv;
  void Logv(const char* /*format*/, va_list /*ap*/) override {}
};

}  // namespace

std::shared_ptr<rocksdb::Logger> DiscardingInfoLog() { return std::make_shared<DiscardingLog>(); }

}  // namespace kg::store::internal
