// DISTINCT and grouping keys are hashed; the classes must stay those of OrderCompare: 1 and 1.0
// alike, -0.0 and 0.0 alike, every NaN alike, lists and maps by their elements.
#include <catch2/catch.hpp>

#include <string>
#include <vector>

#include "kg/query/engine.h"
#include "kg/query/memory_graph.h"
#include "query_test_util.h"

namespace {

using kg::testing::RowStrings;

const char* kDistinctValues =
    "UNWIND [1, 1.0, 0, -0.0, 0.0, 0.0 / 0.0, 0.0 / 0.0, 'a', 'a', [1], [1.0], [1, 2], "
    "{k: 1}, {k: 1.0}, {k: 2}, null, null, true, true, false, 9007199254740993, "
    "9007199254740992] AS x ";

}  // namespace

TEST_CASE("DISTINCT keeps the first value of each OrderCompare class, in input order",
          "[query][distinct]") {
  CHECK(RowStrings(std::string(kDistinctValues) + "RETURN DISTINCT x") ==
        std::vector<std::string>{"1|", "0|", "NaN|", "'a'|", "[1]|", "[1, 2]|", "{k: 1}|",
                                 "{k: 2}|", "null|", "true|", "false|", "9007199254740993|",
                                 "9007199254740992|"});
}

TEST_CASE("grouping keys fall into the same classes as DISTINCT", "[query][distinct]") {
  CHECK(RowStrings(std::string(kDistinctValues) + "RETURN x, count(*) AS n") ==
        std::vector<std::string>{"1|2|", "0|3|", "NaN|2|", "'a'|2|", "[1]|2|", "[1, 2]|1|",
                                 "{k: 1}|2|", "{k: 2}|1|", "null|2|", "true|2|", "false|1|",
                                 "9007199254740993|1|", "9007199254740992|1|"});
}
