#pragma once
// What a query never reads, decided from its text alone (variable_uses.cc): the same for every
// run of one parsed query, so a cached parse carries it (engine.cc QueryCache) and each run
// starts from it instead of walking the tree again. Keys point into the Query they came from.

#include <map>
#include <memory>
#include <set>
#include <string>
#include <vector>

#include "ast.h"

namespace kg::query {

struct QueryAnalysis {
  // Path variables used only through nodes(p) / length(p).
  std::set<const PatternPart*> paths_without_rel_records;
  // Evidence UNWINDs whose maps are read only through these keys.
  std::map<const Clause*, std::set<std::string>> evidence_keys;
  // Evidence UNWINDs whose rows the following projection consumes as they are made.
  std::set<const Clause*> fused_unwinds;
  // Node patterns whose variable is read only for these properties.
  std::map<const NodePattern*, std::vector<std::string>> property_only_nodes;
  // Relationship patterns whose variable never needs the relationship record.
  std::set<const RelPattern*> record_free_rels;
};

// The analysis of a parsed and bound query. Empty for queries that change the graph: the reads
// that skip decoding records do not know DELETE, SET, REMOVE and MERGE.
std::shared_ptr<const QueryAnalysis> Analyze(const Query& query);

}  // namespace kg::query
