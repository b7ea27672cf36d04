#pragma once
// Whole-graph algorithms over a GraphAccess snapshot, computed with Boost.Graph on a compact
// copy (adjacency_list over dense indices). Memory: O(nodes + relationships).

#include <map>
#include <optional>
#include <utility>
#include <vector>

#include "kg/query/graph.h"

namespace kg::query {

// (node id, score), scores summing to ~1, highest first.
std::vector<std::pair<uint64_t, double>> PageRank(GraphAccess& graph, double damping,
                                                  int iterations);
// (node id, component number) of weakly connected components; components numbered from 0 in
// order of their smallest node id.
std::vector<std::pair<uint64_t, int64_t>> Components(GraphAccess& graph);
// Shortest path ignoring direction (breadth-first), nullopt when unreachable.
std::optional<PathRef> ShortestPath(GraphAccess& graph, uint64_t from, uint64_t to);

}  // namespace kg::query
