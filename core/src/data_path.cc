#include "kg/core/data_path.h"

#include <unistd.h>

#include <array>
#include <cstdlib>
#include <system_error>

namespace kg {
namespace {

std::filesystem::path ExecutableDir() {
  std::error_code ec;
  auto exe = std::filesystem::read_symlink("/proc/self/exe", ec);
  return ec ? std::filesystem::path() : exe.parent_path();
}

}  // namespace

std::filesystem::path DataPath(std::string_view relative) {
  std::array<std::filesystem::path, 3> roots;
  if (const char* env = std::getenv("KG_DATA_DIR"); env != nullptr && *env != '\0') roots[0] = env;
  roots[1] = KG_DEFAULT_DATA_DIR;
  if (auto exe_dir = ExecutableDir(); !exe_dir.empty()) roots[2] = exe_dir / ".." / "share" / "kg";
  for (const auto& root : roots) {
    if (root.empty()) continue;
    std::error_code ec;
    auto candidate = root / relative;
    if (std::filesystem::exists(candidate, ec)) return candidate;
  }
  return (roots[0].empty() ? roots[1] : roots[0]) / relative;
}

}  // namespace kg
