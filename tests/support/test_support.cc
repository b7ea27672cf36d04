#include "test_support.h"

#include <unistd.h>

#include <atomic>
#include <fstream>
#include <iostream>
#include <random>
#include <sstream>
#include <stdexcept>

namespace kg::testing {

TempDir::TempDir() {
  static std::atomic<int> counter{0};
  std::random_device rd;
  auto name = "kg-test-" + std::to_string(::getpid()) + "-" + std::to_string(counter++) + "-" +
              std::to_string(rd());
  path_ = std::filesystem::temp_directory_path() / name;
  std::filesystem::create_directories(path_);
}

TempDir::~TempDir() {
  std::error_code ec;
  std::filesystem::permissions(path_, std::filesystem::perms::owner_all,
                               std::filesystem::perm_options::add, ec);
  std::filesystem::remove_all(path_, ec);
}

std::optional<std::filesystem::path> SharedData(const std::string& relative) {
  auto path = std::filesystem::path(KG_SHARED_DIR) / "data" / relative;
  std::error_code ec;
  if (std::filesystem::exists(path, ec)) return path;
  std::cout << "SKIPPED: " << path.string()
            << " is absent (../shared/data is only beside CI's clone)\n";
  return std::nullopt;
}

std::filesystem::path SourceDir() { return KG_SOURCE_DIR; }
std::filesystem::path BinaryDir() { return KG_BINARY_DIR; }

std::string ReadFile(const std::filesystem::path& path) {
  std::ifstream in(path, std::ios::binary);
  if (!in) throw std::runtime_error("cannot read " + path.string());
  std::ostringstream out;
  out << in.rdbuf();
  return out.str();
}

void WriteFile(const std::filesystem::path& path, const std::string& content) {
  std::filesystem::create_directories(path.parent_path());
  std::ofstream out(path, std::ios::binary | std::ios::trunc);
  out << content;
  if (!out) throw std::runtime_error("cannot write " + path.string());
}

}  // namespace kg::testing
