#pragma once
// Bulk import of the peers' CSV graph format (nodes.csv id,name,type; edges.csv
// src,dst,type,polarity,weight,doc_id; RFC 4180 quoting, one header row; see docs/STORAGE.md).
// Each node row is an entity (resolved by name like extraction, so importing into a non-empty
// store merges); each edge row is one mention: rows with the same (src, type, dst) make one
// edge, each row one evidence record (rule "import", confidence = weight, properties doc_id,
// weight, polarity).

#include <cstdint>
#include <functional>
#include <string>

#include "kg/store/graph_store.h"

namespace kg::store {

struct CsvImportOptions {
  // Rows per committed batch. Each batch is atomic; an import that fails midway leaves the
  // batches before it (so the CSV ids of those rows are not re-resolvable: re-import from a
  // fresh store).
  size_t batch_rows = 250000;
  // Into a store nothing was ever written to: build sorted SST files in memory and ingest them
  // in one atomic step (all or nothing; much faster; same store contents). Falls back to batches
  // when the store is not fresh or two node names normalise to the same text.
  bool bulk = true;
  // Called after each committed batch with the rows done so far (nodes then edges).
  std::function<void(std::string_view phase, uint64_t rows)> progress;
};

struct CsvImportSummary {
  uint64_t node_rows = 0, edge_rows = 0;
  uint64_t nodes_created = 0, nodes_merged = 0;
  uint64_t edges_created = 0, edges_merged = 0;
  uint64_t evidence = 0;
  bool bulk = false;  // written as SST files in one atomic step (else in batches)
};

// ParseError "<file>:<line>: <what>" for malformed CSV, a missing column, a bad number or an
// unknown node id; NotFound when a file cannot be opened.
Result<CsvImportSummary> ImportCsv(GraphStore& store, const std::string& nodes_path,
                                   const std::string& edges_path,
                                   const CsvImportOptions& options = {});

}  // namespace kg::store
