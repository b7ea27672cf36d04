#pragma once
// Shared by the query tests: run a query and compare its rows as text.

#include <catch2/catch.hpp>

#include <filesystem>
#include <functional>
#include <memory>
#include <string>
#include <vector>

#include "kg/query/engine.h"
#include "kg/query/graph.h"
#include "kg/query/memory_graph.h"
#include "kg/query/store_graph.h"
#include "kg/store/csv_import.h"
#include "kg/store/graph_store.h"
#include "kg/store/verify.h"
#include "test_support.h"

namespace kg::testing {

// Runs `query` on `graph`, failing the test case on an error, and gives each row as its values
// in Cypher form, each followed by "|" ("1|'a'|").
inline std::vector<std::string> RowStrings(kg::query::GraphAccess& graph, const std::string& query,
                                           const kg::query::Map& params = {},
                                           const kg::query::QueryOptions& options = {}) {
  auto result = kg::query::Execute(graph, query, params, options);
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

// The same on an empty in-memory graph (queries that bring their own data with UNWIND).
inline std::vector<std::string> RowStrings(const std::string& query) {
  kg::query::MemoryGraph graph;
  return RowStrings(graph, query);
}

// A new store at `dir`/`name` holding the peers' CSV graph `dir`/`nodes`, `dir`/`edges`, loaded
// by the bulk import (what the benchmark stores are made with).
inline std::unique_ptr<kg::store::GraphStore> ImportedStore(const std::filesystem::path& dir,
                                                            const std::string& nodes = "nodes.csv",
                                                            const std::string& edges = "edges.csv",
                                                            const std::string& name = "kg.db") {
  auto opened = kg::store::GraphStore::Open((dir / name).string());
  INFO((opened ? std::string("ok") : opened.error().message()));
  REQUIRE(opened.has_value());
  auto imported = kg::store::ImportCsv(**opened, (dir / nodes).string(), (dir / edges).string());
  INFO((imported ? std::string("ok") : imported.error().message()));
  REQUIRE(imported.has_value());
  return std::move(*opened);
}

// Runs `query` on `graph`, failing the test case on an error.
inline kg::query::QueryResult RunQuery(kg::query::GraphAccess& graph, const std::string& query) {
  auto result = kg::query::Execute(graph, query, {});
  INFO(query);
  INFO((result ? std::string("ok") : result.error().message()));
  REQUIRE(result.has_value());
  return *result;
}

// "ErrorType/ErrorDetail" of the error `query` must fail with.
inline std::string QueryErrorOf(kg::query::GraphAccess& graph, const std::string& query) {
  auto result = kg::query::Execute(graph, query, {});
  INFO(query);
  REQUIRE_FALSE(result.has_value());
  return kg::query::ErrorType(result.error()) + "/" + kg::query::ErrorDetail(result.error());
}

// The one value of the one row of `query`, as an integer (count(*) and the like).
inline int64_t CountOf(kg::query::GraphAccess& graph, const std::string& query) {
  auto rows = RowStrings(graph, query);
  REQUIRE(rows.size() == 1);
  return std::stoll(rows[0]);
}

// Runs `scenario` on a MemoryGraph and on a StoreGraph over a new store, each first given the
// query `seed`, then checks the store with VerifyStore (the write clauses must keep its indexes
// and counters consistent).
inline void OnMemoryAndStore(const std::string& seed,
                             const std::function<void(kg::query::GraphAccess&)>& scenario) {
  SECTION("in memory") {
    kg::query::MemoryGraph graph;
    RowStrings(graph, seed);
    scenario(graph);
  }
  SECTION("in a store") {
    TempDir dir;
    auto opened = kg::store::GraphStore::Open((dir.path() / "kg.db").string());
    REQUIRE(opened.has_value());
    {
      kg::query::StoreGraph graph(**opened);
      RowStrings(graph, seed);
      scenario(graph);
    }
    auto report = kg::store::VerifyStore(**opened);
    REQUIRE(report.has_value());
    std::string problems;
    for (const auto& problem : report->problems) problems += problem + "\n";
    INFO(problems);
    CHECK(report->ok());
  }
}

}  // namespace kg::testing
