#pragma once
// The CSV import into a store nothing was ever written to: every id, key and counter is
// computed in memory in the order ImportCsv's batches would allocate them, then written as
// sorted SST files ingested in one atomic step (no memtable, no WAL, no read-modify-write, no
// per-row reads). The store ends up with exactly what the batch path writes (counters as plain
// values instead of merge operands).

#include <optional>
#include <string>

#include "kg/store/csv_import.h"
#include "store_impl.h"

namespace kg::store::internal {

// nullopt: not applicable (the store is read-only or not fresh, two node names normalise to the
// same text, which the batch path resolves by merging, or the graph exceeds the compact tables'
// 2^32 rows): nothing was read or written, use the batch path.
std::optional<Result<CsvImportSummary>> BulkImport(StoreImpl& store, const std::string& nodes_path,
                                                   const std::string& edges_path,
                                                   const CsvImportOptions& options);

}  // namespace kg::store::internal
