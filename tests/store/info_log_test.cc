// The LOG kg writes for RocksDB (store/src/info_log.h): a full disk drops lines instead of
// aborting the process, long lines are whole, and the previous LOGs rotate as RocksDB's do.
#include "../../store/src/info_log.h"

#include <catch2/catch.hpp>

#include <filesystem>
#include <fstream>
#include <sstream>
#include <string>

#include "kg/store/graph_store.h"
#include "test_support.h"

namespace {

using kg::store::internal::InfoLog;
using kg::testing::TempDir;
namespace fs = std::filesystem;

std::string ReadAll(const fs::path& file) {
  std::ifstream in(file);
  std::stringstream s;
  s << in.rdbuf();
  return s.str();
}

TEST_CASE("the RocksDB LOG drops what a full disk refuses and goes on", "[store][hostile]") {
  // /dev/full fails every write with ENOSPC, as a full disk does: RocksDB's own writer asserted
  // on the second line after a failed one.
  if (!fs::exists("/dev/full")) {
    WARN("SKIPPED: /dev/full is absent");
    return;
  }
  auto log = InfoLog::Open("/dev/full");
  REQUIRE(log);
  for (int i = 0; i < 100; ++i) {
    rocksdb::Log(rocksdb::InfoLogLevel::ERROR_LEVEL, log, "write %d failed: %s", i, "no space");
  }
  CHECK(log->dropped_lines() == 100);
  CHECK(log->Close().ok());
}

TEST_CASE("the RocksDB LOG writes whole lines, long ones too", "[store]") {
  TempDir dir;
  auto file = dir.path() / "LOG";
  auto log = InfoLog::Open(file.string());
  REQUIRE(log);
  std::string long_text(3000, 'x');
  rocksdb::Log(rocksdb::InfoLogLevel::INFO_LEVEL, log, "short %d", 7);
  rocksdb::Log(rocksdb::InfoLogLevel::WARN_LEVEL, log, "long %s end", long_text.c_str());
  rocksdb::Log(rocksdb::InfoLogLevel::DEBUG_LEVEL, log, "below the level: not written");
  log.reset();
  auto text = ReadAll(file);
  std::istringstream lines(text);
  std::string first, second, third;
  REQUIRE(std::getline(lines, first));
  REQUIRE(std::getline(lines, second));
  CHECK_FALSE(std::getline(lines, third));
  // "2026/11/28-20:15:01.123456 7f3a2c1ff6c0 short 7"
  CHECK(first.size() > 27);
  CHECK(first[4] == '/');
  CHECK(first[10] == '-');
  CHECK(first.ends_with(" short 7"));
  CHECK(second.ends_with("[WARN] long " + long_text + " end"));
}

TEST_CASE("a store keeps three LOG files: the current one and the last two", "[store]") {
  TempDir dir;
  auto path = dir.path() / "db";
  for (int i = 0; i < 6; ++i) {
    auto store = kg::store::GraphStore::Open(path.string());
    REQUIRE(store);
  }
  int current = 0, old = 0;
  for (const auto& entry : fs::directory_iterator(path)) {
    auto name = entry.path().filename().string();
    current += name == "LOG";
    old += name.starts_with("LOG.old.");
  }
  CHECK(current == 1);
  CHECK(old == 2);
  CHECK(ReadAll(path / "LOG").find("DB pointer") != std::string::npos);
}

}  // namespace
