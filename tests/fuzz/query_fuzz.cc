// Fuzzes the query layer: any bytes as a query (lexer, parser, binder, executor) against a small
// in-memory graph, with tight row, hop and time limits. Must return rows or an error: never
// crash, hang or grow memory without bound. Writes are allowed (the graph is rebuilt per input).

#include <cstdint>
#include <string>

#include "fuzz_support.h"
#include "kg/query/engine.h"
#include "kg/query/memory_graph.h"

namespace {

// Five nodes and six relationships (a cycle, a hub and a self loop) so that patterns, variable
// lengths and aggregations have something to match.
void BuildGraph(kg::query::MemoryGraph* graph) {
  using kg::Properties;
  auto node = [&](const char* label, Properties props) {
    return graph->CreateNode({label}, props)->get()->id;
  };
  uint64_t abe = node("Person", {{"name", "Shinzo Abe"}, {"age", 67}});
  uint64_t putin = node("Person", {{"name", "Vladimir Putin"}, {"tags", {"a", "b"}}});
  uint64_t japan = node("Country", {{"name", "Japan"}, {"score", 1.5}});
  uint64_t russia = node("Country", {{"name", "Russia"}});
  uint64_t g7 = node("Group", {{"name", "G-7"}});
  (void)graph->CreateRel(abe, japan, "HOLDS_POSITION", {{"title", "Prime Minister"}});
  (void)graph->CreateRel(abe, putin, "MEETS", {{"date", "2016-12-15"}});
  (void)graph->CreateRel(japan, russia, "STANCE", {{"polarity", "negative"}});
  (void)graph->CreateRel(japan, g7, "MEMBER_OF", {});
  (void)graph->CreateRel(russia, japan, "STANCE", {{"polarity", "neutral"}});
  (void)graph->CreateRel(g7, g7, "PART_OF", {});
  (void)graph->Commit();
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  kg::query::MemoryGraph graph;
  BuildGraph(&graph);
  kg::query::QueryOptions options;
  options.default_max_hops = 6;
  options.timeout_ms = 2000;
  options.max_result_rows = 10'000;
  options.max_intermediate_rows = 100'000;
  kg::query::Map params = {{"name", kg::query::Value("Japan")},
                           {"n", kg::query::Value(int64_t{2})}};
  auto result = kg::query::Execute(graph, kg::fuzz::AsText(data, size), params, options);
  if (result) {
    if (static_cast<int64_t>(result->rows.size()) > options.max_result_rows) {
      kg::fuzz::Fail("more rows than max_result_rows");
    }
    for (const auto& row : result->rows) {
      if (row.size() != result->columns.size()) kg::fuzz::Fail("row width != column count");
    }
    if (result->explain || result->profile) (void)kg::query::FormatPlan(*result);
  } else {
    // Every error names its openCypher type, as clients rely on it (docs/QUERY.md).
    (void)kg::query::ErrorType(result.error());
    (void)kg::query::ErrorDetail(result.error());
  }
  return 0;
}
