#include "fuzz_support.h"

#include <unistd.h>

#include <cstdio>
#include <cstdlib>
#include <fstream>

namespace kg::fuzz {
namespace {

struct Scratch {
  std::filesystem::path path;
  Scratch() {
    const char* tmp = std::getenv("TMPDIR");
    path = std::filesystem::path(tmp && *tmp ? tmp : "/tmp") /
           ("kg-fuzz-" + std::to_string(::getpid()));
    std::filesystem::create_directories(path);
  }
  ~Scratch() {
    std::error_code ec;
    std::filesystem::remove_all(path, ec);
  }
};

}  // namespace

const std::filesystem::path& ScratchDir() {
  static Scratch scratch;
  return scratch.path;
}

std::filesystem::path WriteScratchFile(const std::string& name, std::string_view bytes) {
  std::filesystem::path path = ScratchDir() / name;
  std::ofstream out(path, std::ios::binary | std::ios::trunc);
  out.write(bytes.data(), static_cast<std::streamsize>(bytes.size()));
  out.close();
  if (!out) Fail("cannot write " + path.string());
  return path;
}

void Fail(const std::string& what) {
  std::fprintf(stderr, "kg fuzz target: %s\n", what.c_str());
  std::abort();
}

}  // namespace kg::fuzz
