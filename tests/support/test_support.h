#pragma once
// Helpers shared by the Catch2 tests of every layer.

#include <filesystem>
#include <optional>
#include <string>

namespace kg::testing {

// A fresh directory under the system temp dir, removed with everything in it on destruction.
class TempDir {
 public:
  TempDir();
  ~TempDir();
  TempDir(const TempDir&) = delete;
  TempDir& operator=(const TempDir&) = delete;
  const std::filesystem::path& path() const { return path_; }

 private:
  std::filesystem::path path_;
};

// ../shared/data/<relative> when present. When absent, returns nullopt and prints one line
// saying the test is skipped and why, so a user without ../shared sees the reason.
std::optional<std::filesystem::path> SharedData(const std::string& relative);

// The source tree (for examples/, models/, tests/fixtures/) and the build tree (for binaries).
std::filesystem::path SourceDir();
std::filesystem::path BinaryDir();

std::string ReadFile(const std::filesystem::path& path);
void WriteFile(const std::filesystem::path& path, const std::string& content);

}  // namespace kg::testing
