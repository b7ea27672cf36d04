// DISTINCT and grouping keys are hashed; the classes must stay those of OrderCompare: 1 and 1.0
// alike, -0.0 and 0.0 alike, every NaN alike, lists and maps by their elements.
#include <catch2/catch.hpp>

#include <string>
#include <vector>

#include "kg/query/engine.h"
#include "kg/query/memory_graph.h"

namespace {

std::vector<std::string> DistinctRows(const std::string& query) {
  kg::query::MemoryGraph graph;
  auto result = kg::query::Execute(graph, query, {});
  INFO(query);
  INFO((result ? std::string("ok") : result.error().message()));
  REQUIRE(result.has_value());
  std::vector<std::string> rows;
  for (const auto& row : result->rows) {
    std::string line;
    for (const auto& v : row) line += kg::query::ToCypherString(v) + "|";
    rows.push_back(line);
  }
  return rows;
}

const char* kDistinctValues =
    "UNWIND [1, 1.0, 0, -0.0, 0.0, 0.0 / 0.0, 0.0 / 0.0, 'a', 'a', [1], [1.0], [1, 2], "
    "{k: 1}, {k: 1.0}, {k: 2}, null, null, true, true, false, 9007199254740993, "
    "9007199254740992] AS x ";

}  // namespace

TEST_CASE("DISTINCT keeps the first value of each OrderCompare class, in input order",
          "[query][distinct]") {
  CHECK(DistinctRows(std::string(kDistinctValues) + "RETURN DISTINCT x") ==
        std::vector<std::string>{"1|", "0|", "NaN|", "'a'|", "[1]|", "[1, 2]|", "{k: 1}|",
                                 "{k: 2}|", "null|", "true|", "false|", "9007199254740993|",
                                 "9007199254740992|"});
}

TEST_CASE("grouping keys fall into the same classes as DISTINCT", "[query][distinct]") {
  CHECK(DistinctRows(std::string(kDistinctValues) + "RETURN x, count(*) AS n") ==
        std::vector<std::string>{"1|2|", "0|3|", "NaN|2|", "'a'|2|", "[1]|2|", "[1, 2]|1|",
                                 "{k: 1}|2|", "{k: 2}|1|", "null|2|", "true|2|", "false|1|",
                                 "9007199254740993|1|", "9007199254740992|1|"});
}
