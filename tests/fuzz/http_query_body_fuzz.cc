// Fuzzes the body of POST /query as the route reads it (kg::http::ParseQueryRequest: JSON,
// "query", "parameters" turned into query values), then runs what it accepts on a small
// in-memory graph with tight limits, as the route would on the store.

#include <cstdint>
#include <string>

#include "fuzz_support.h"
#include "kg/http/query_request.h"
#include "kg/query/engine.h"
#include "kg/query/memory_graph.h"

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  std::string query;
  kg::query::Map params;
  kg::Status status = kg::http::ParseQueryRequest(kg::fuzz::AsText(data, size), &query, &params);
  if (!status.ok()) {
    if (status.message().rfind("request body: ", 0) != 0) {
      kg::fuzz::Fail("a refusal that does not name the request body: " + status.message());
    }
    return 0;
  }
  kg::query::MemoryGraph graph;
  auto a = graph.CreateNode({"Person"}, {{"name", "Shinzo Abe"}});
  auto b = graph.CreateNode({"Country"}, {{"name", "Japan"}});
  (void)graph.CreateRel(a->get()->id, b->get()->id, "HOLDS_POSITION", {{"title", "PM"}});
  (void)graph.Commit();
  kg::query::QueryOptions options;
  options.default_max_hops = 4;
  options.timeout_ms = 2000;
  options.max_result_rows = 10'000;
  options.max_intermediate_rows = 100'000;
  auto result = kg::query::Execute(graph, query, params, options);
  if (result) {
    for (const auto& row : result->rows) {
      for (const auto& value : row) (void)kg::query::ToJson(value);
    }
  }
  return 0;
}
