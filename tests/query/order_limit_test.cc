// ORDER BY with LIMIT selects the top rows instead of sorting them all; the rows must be exactly
// the first SKIP + LIMIT rows of the full (stable) sort, ties in input order.
#include <catch2/catch.hpp>

#include <string>
#include <vector>

#include "kg/query/engine.h"
#include "kg/query/memory_graph.h"
#include "query_test_util.h"

namespace {

using kg::testing::RowStrings;

}  // namespace

TEST_CASE("ORDER BY .. LIMIT gives the prefix of the full stable sort", "[query][order]") {
  const std::string input =
      "UNWIND [3, 1, 2, 3, 1, null, 2, 3, 1, 'x'] AS k UNWIND ['b', 'a', 'c'] AS s ";
  for (const std::string order : {"k", "k DESC", "k, s DESC", "s, k"}) {
    auto all = RowStrings(input + "RETURN k, s ORDER BY " + order);
    REQUIRE(all.size() == 30);
    for (int skip : {0, 2, 29, 31}) {
      for (int limit : {0, 1, 5, 12, 40}) {
        auto part = RowStrings(input + "RETURN k, s ORDER BY " + order + " SKIP " +
                         std::to_string(skip) + " LIMIT " + std::to_string(limit));
        std::vector<std::string> want;
        for (int i = skip; i < skip + limit && i < 30; ++i) want.push_back(all[i]);
        INFO(order << " SKIP " << skip << " LIMIT " << limit);
        CHECK(part == want);
      }
    }
  }
  // Ties keep input order (strings sort before numbers).
  CHECK(RowStrings(input + "WITH k, s ORDER BY k LIMIT 4 RETURN k, s") ==
        std::vector<std::string>{"'x'|'b'|", "'x'|'a'|", "'x'|'c'|", "1|'b'|"});
}
