#include "kg/store/csv_import.h"

#include <algorithm>
#include <memory>
#include <string>
#include <string_view>
#include <unordered_map>
#include <unordered_set>
#include <vector>

#include "bulk_import.h"
#include "csv_reader.h"
#include "store_impl.h"

// The batch path: rows go through GraphBatch like extraction's writes (entities resolved by
// name, edges merged by (src, type, dst)), committed every `batch_rows` rows. Into a fresh store
// the bulk path (bulk_import.cc) writes the same keys far faster.
namespace kg::store {
namespace {

struct EdgeKey {
  NodeId src;
  NodeId dst;
  std::string type;
  bool operator==(const EdgeKey& o) const {
    return src == o.src && dst == o.dst && type == o.type;
  }
};
struct EdgeKeyHash {
  size_t operator()(const EdgeKey& k) const {
    return std::hash<uint64_t>()(k.src * 0x9E3779B97F4A7C15ull ^ k.dst) ^
           std::hash<std::string>()(k.type);
  }
};

// One phase's batches: committed every `batch_rows` rows, progress reported after each commit.
class RowBatches {
 public:
  RowBatches(GraphStore& store, const CsvImportOptions& options, std::string_view phase)
      : store_(store),
        options_(options),
        phase_(phase),
        batch_rows_(std::max<size_t>(options.batch_rows, 1)),
        batch_(store.NewBatch()) {}
  GraphBatch& batch() { return *batch_; }
  // After row number `rows` (1-based): commits when the batch is full.
  Status RowDone(uint64_t rows) {
    if (rows % batch_rows_ != 0) return Status::Ok();
    KG_RETURN_IF_ERROR(store_.Commit(*batch_));
    batch_ = store_.NewBatch();
    if (options_.progress) options_.progress(phase_, rows);
    return Status::Ok();
  }
  // Commits the rest.
  Status Finish(uint64_t rows) {
    KG_RETURN_IF_ERROR(store_.Commit(*batch_));
    if (options_.progress) options_.progress(phase_, rows);
    return Status::Ok();
  }

 private:
  GraphStore& store_;
  const CsvImportOptions& options_;
  std::string_view phase_;
  size_t batch_rows_;
  std::unique_ptr<GraphBatch> batch_;
};

// CSV node id -> node. `preexisting`: nodes that existed before this import; only their edges
// need a look-up in the store (an edge between nodes new to this import is certainly new).
struct ImportedNodes {
  std::unordered_map<int64_t, NodeId> ids;
  std::unordered_set<NodeId> preexisting;
};

Status ImportNodes(GraphStore& store, internal::CsvReader& reader, const CsvImportOptions& options,
                   ImportedNodes* nodes, CsvImportSummary* summary) {
  auto cols = internal::Columns(reader, {"id", "name", "type"});
  if (!cols) return cols.error();
  RowBatches batches(store, options, "nodes");
  std::vector<std::string> row;
  Status error;
  while (reader.Next(&row, &error)) {
    if (internal::IsBlankRecord(row)) continue;
    internal::CsvNodeRow parsed;
    KG_RETURN_IF_ERROR(internal::ParseNodeRow(reader, row, *cols, &parsed));
    if (nodes->ids.count(parsed.csv_id)) {
      return reader.Err(reader.record_line(), "duplicate id " + std::to_string(parsed.csv_id));
    }
    EntityUpsert upsert;
    upsert.name = *parsed.name;
    upsert.label = *parsed.label;
    bool created = false;
    auto node = batches.batch().UpsertEntity(upsert, &created);
    if (!node) {
      if (node.error().code() == Status::Code::kInvalidArgument) {
        return reader.Err(reader.record_line(), node.error().message());
      }
      return node.error();
    }
    nodes->ids[parsed.csv_id] = *node;
    if (!created) nodes->preexisting.insert(*node);
    ++(created ? summary->nodes_created : summary->nodes_merged);
    KG_RETURN_IF_ERROR(batches.RowDone(++summary->node_rows));
  }
  KG_RETURN_IF_ERROR(error);
  return batches.Finish(summary->node_rows);
}

Status ImportEdges(GraphStore& store, internal::CsvReader& reader, const std::string& nodes_path,
                   const CsvImportOptions& options, const ImportedNodes& nodes,
                   CsvImportSummary* summary) {
  auto cols = internal::Columns(reader, {"src", "dst", "type", "polarity", "weight", "doc_id"});
  if (!cols) return cols.error();
  std::unordered_map<EdgeKey, EdgeId, EdgeKeyHash> edge_ids;
  RowBatches batches(store, options, "edges");
  std::vector<std::string> row;
  Status error;
  while (reader.Next(&row, &error)) {
    if (internal::IsBlankRecord(row)) continue;
    internal::CsvEdgeRow parsed;
    KG_RETURN_IF_ERROR(internal::ParseEdgeRow(reader, row, *cols, &parsed));
    NodeId ends[2] = {kNoId, kNoId};
    for (int end = 0; end < 2; ++end) {
      auto it = nodes.ids.find(end == 0 ? parsed.src : parsed.dst);
      if (it == nodes.ids.end()) {
        return reader.Err(reader.record_line(),
                          "unknown node id " + row[(*cols)[end]] + " (not in " + nodes_path + ")");
      }
      ends[end] = it->second;
    }
    const auto [src, dst] = ends;
    const std::string& type = *parsed.type;
    EdgeKey key{src, dst, type};
    auto it = edge_ids.find(key);
    EdgeId edge = kNoId;
    if (it != edge_ids.end()) {
      edge = it->second;
      ++summary->edges_merged;
    } else {
      bool created = true;
      auto merged = nodes.preexisting.count(src)
                        ? batches.batch().MergeEdge(src, type, dst, EmptyProperties(), &created)
                        : batches.batch().CreateEdge(src, type, dst, EmptyProperties());
      if (!merged) return merged.error();
      edge = *merged;
      edge_ids.emplace(std::move(key), edge);
      ++(created ? summary->edges_created : summary->edges_merged);
    }
    Evidence ev;
    ev.edge_or_node = edge;
    ev.rule = "import";
    ev.confidence = parsed.weight;
    ev.properties = {
        {"doc_id", *parsed.doc_id}, {"weight", parsed.weight}, {"polarity", parsed.polarity}};
    KG_RETURN_IF_ERROR(batches.batch().AddEvidence(ev));
    ++summary->evidence;
    KG_RETURN_IF_ERROR(batches.RowDone(++summary->edge_rows));
  }
  KG_RETURN_IF_ERROR(error);
  return batches.Finish(summary->edge_rows);
}

}  // namespace

Result<CsvImportSummary> ImportCsv(GraphStore& store, const std::string& nodes_path,
                                   const std::string& edges_path,
                                   const CsvImportOptions& options) {
  if (options.bulk) {
    if (auto* impl = dynamic_cast<internal::StoreImpl*>(&store)) {
      if (auto done = internal::BulkImport(*impl, nodes_path, edges_path, options)) return *done;
    }
  }
  auto nodes_reader = internal::CsvReader::Open(nodes_path);
  if (!nodes_reader) return nodes_reader.error();
  auto edges_reader = internal::CsvReader::Open(edges_path);
  if (!edges_reader) return edges_reader.error();
  CsvImportSummary summary;
  ImportedNodes nodes;
  KG_RETURN_IF_ERROR(ImportNodes(store, **nodes_reader, options, &nodes, &summary));
  KG_RETURN_IF_ERROR(
      ImportEdges(store, **edges_reader, nodes_path, options, nodes, &summary));
  return summary;
}

}  // namespace kg::store
