// Long left-deep chains (found by the sanitizer suite: 10,000 `+ 1` overflowed the stack of an
// ASan build, 200,000 that of a release build) are refused as NestingTooDeep by the parser,
// before the binder, Eval or the tree's destructors recurse on them.
#include <catch2/catch.hpp>

#include <string>

#include "kg/query/engine.h"
#include "kg/query/memory_graph.h"

namespace kg::query {
namespace {

std::string Chain(const std::string& head, const std::string& link, int links) {
  std::string q = head;
  q.reserve(q.size() + link.size() * links);
  for (int i = 0; i < links; ++i) q += link;
  return q;
}

}  // namespace

TEST_CASE("200,000-link operator chains are refused as too deep, not a stack overflow",
          "[query][parser]") {
  MemoryGraph graph;
  const std::pair<const char*, const char*> chains[] = {
      {"RETURN 1", " + 1"},          {"RETURN 1", " * 1"},
      {"RETURN 1", " ^ 1"},          {"RETURN true", " AND true"},
      {"RETURN true", " OR false"},  {"RETURN true", " XOR false"},
      {"RETURN 1", " < 2"},          {"RETURN 'a'", " CONTAINS 'a'"},
      {"RETURN {a: 1}", ".a"},       {"RETURN [[1]]", "[0]"},
  };
  for (const auto& [head, link] : chains) {
    INFO(head << link << " x 200000");
    auto r = Execute(graph, Chain(head, link, 200'000), {});
    REQUIRE_FALSE(r.has_value());
    CHECK(ErrorDetail(r.error()) == "NestingTooDeep");
  }
}

TEST_CASE("operator chains within the nesting limit still evaluate", "[query][parser]") {
  MemoryGraph graph;
  auto sum = Execute(graph, Chain("RETURN 1", " + 1", 300), {});
  REQUIRE(sum.has_value());
  CHECK(sum->rows[0][0].as_int() == 301);
  auto all = Execute(graph, Chain("RETURN true", " AND true", 300), {});
  REQUIRE(all.has_value());
  CHECK(all->rows[0][0].as_bool());
}

}  // namespace kg::query
