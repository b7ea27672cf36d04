// Runs the golden files tests/query/cases/*.test, each against a fresh in-memory graph.
//
// Format (blocks separated by blank lines, '#' starts a comment line):
//   statement ok              the query (following lines) must succeed
//   query unordered|ordered   the query, then "----", then the column line and one line per
//                             row; cells are Cypher literals (ToCypherString) joined by " | "
//   query error <Type> [<Detail>]   the query must fail with that openCypher error
#include <catch2/catch.hpp>

#include <algorithm>
#include <filesystem>
#include <sstream>

#include "kg/query/engine.h"
#include "kg/query/memory_graph.h"
#include "test_support.h"

namespace kg::query {
namespace {

struct Block {
  std::string kind;  // "statement", "query", "error"
  std::string mode;  // ordered / unordered / error type
  std::string detail;
  std::string query;
  std::vector<std::string> expected;  // header line first
  int line = 0;
};

std::vector<Block> ReadBlocks(const std::string& text) {
  std::vector<Block> blocks;
  std::istringstream in(text);
  std::string line;
  int line_no = 0;
  Block* cur = nullptr;
  bool in_result = false;
  while (std::getline(in, line)) {
    ++line_no;
    if (!line.empty() && line[0] == '#') continue;
    if (line.empty()) {
      cur = nullptr;
      in_result = false;
      continue;
    }
    if (!cur) {
      blocks.emplace_back();
      cur = &blocks.back();
      cur->line = line_no;
      std::istringstream head(line);
      std::string word;
      head >> word;
      if (word == "statement") {
        cur->kind = "statement";
      } else {
        head >> cur->mode;
        cur->kind = cur->mode == "error" ? "error" : "query";
        if (cur->kind == "error") head >> cur->mode >> cur->detail;
      }
      continue;
    }
    if (line == "----") {
      in_result = true;
      continue;
    }
    if (in_result) {
      cur->expected.push_back(line);
    } else {
      cur->query += (cur->query.empty() ? "" : "\n") + line;
    }
  }
  return blocks;
}

std::string Join(const std::vector<std::string>& cells) {
  std::string s;
  for (size_t i = 0; i < cells.size(); ++i) s += (i ? " | " : "") + cells[i];
  return s;
}

TEST_CASE("golden query files give the expected rows and errors", "[query][golden]") {
  auto dir = testing::SourceDir() / "tests" / "query" / "cases";
  std::vector<std::filesystem::path> files;
  for (const auto& e : std::filesystem::directory_iterator(dir)) {
    if (e.path().extension() == ".test") files.push_back(e.path());
  }
  std::sort(files.begin(), files.end());
  REQUIRE(files.size() >= 3);
  for (const auto& file : files) {
    MemoryGraph graph;
    for (const auto& block : ReadBlocks(testing::ReadFile(file))) {
      {
        // Blocks of a file share one graph and run in order, so no SECTIONs (Catch2 reruns the
        // test case per section); INFO names the block of a failure.
        INFO(file.filename().string() << ":" << block.line << ": " << block.query);
        auto result = Execute(graph, block.query, {});
        if (block.kind == "statement") {
          INFO((result ? std::string() : result.error().message()));
          CHECK(result.has_value());
        } else if (block.kind == "error") {
          CHECK_FALSE(result.has_value());
          if (result) continue;
          CHECK(ErrorType(result.error()) == block.mode);
          if (!block.detail.empty()) CHECK(ErrorDetail(result.error()) == block.detail);
        } else {
          INFO((result ? std::string() : result.error().message()));
          CHECK(result.has_value());
          CHECK_FALSE(block.expected.empty());
          if (!result || block.expected.empty()) continue;
          CHECK(Join(result->columns) == block.expected[0]);
          std::vector<std::string> got, want(block.expected.begin() + 1, block.expected.end());
          for (const auto& row : result->rows) {
            std::vector<std::string> cells;
            for (const auto& v : row) cells.push_back(ToCypherString(v));
            got.push_back(Join(cells));
          }
          if (block.mode != "ordered") {
            std::sort(got.begin(), got.end());
            std::sort(want.begin(), want.end());
          }
          CHECK(got == want);
        }
      }
    }
  }
}

}  // namespace
}  // namespace kg::query
