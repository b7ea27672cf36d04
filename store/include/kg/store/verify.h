#pragma once
// Consistency check of a whole store (kg-inspect verify, the crash test): reads one snapshot and
// compares every record with its indexes and counters. Linear in the store size; holds per-node
// degree tallies in memory (about 50 bytes per node).

#include <string>
#include <vector>

#include "kg/store/graph_store.h"

namespace kg::store {

struct VerifyReport {
  std::vector<std::string> problems;  // one line each, e.g. "edge 7: in_adj twin missing"
  size_t problems_total = 0;          // can exceed problems.size() (capped at max_problems)
  // What was checked.
  uint64_t nodes = 0, edges = 0, documents = 0, evidence = 0, index_entries = 0;
  bool ok() const { return problems_total == 0; }
};

// Checks: every edge record has its out_adj and in_adj keys and both end nodes, and every
// adjacency key has its edge record; every evidence record's edge/node exists, and its document
// when it names one; every names/labels index entry resolves to a node that has that name/label,
// and every node's names and labels are indexed; doc_index entries point at documents with that
// hash/external id; the counters (nodes, edges, documents, evidence, per label, per type,
// per-edge evidence, degrees) equal what the scan counted. Fails only on I/O errors.
Result<VerifyReport> VerifyStore(GraphStore& store, size_t max_problems = 100);

}  // namespace kg::store
