#include "bulk_import.h"

#include <algorithm>
#include <limits>
#include <map>
#include <string>
#include <tuple>
#include <vector>

#include "csv_reader.h"
#include "evidence_pack.h"
#include "import_tables.h"
#include "import_values.h"
#include "key_format.h"
#include "kg/store/names.h"
#include "sst_file_tasks.h"
#include "sst_ingest.h"
#include "values.h"

namespace kg::store::internal {
namespace {

// One import's tables and the files made from them. Node i + 1 is nodes.csv's row i; edge ids
// follow the first mention of each (src, type, dst); evidence id i + 1 is edges.csv's row i.
class BulkImporter {
 public:
  BulkImporter(StoreImpl& store, const CsvImportOptions& options)
      : store_(store), options_(options) {}

  // Each sets `not_applicable_` instead of failing when the batch path must do the import.
  Status ReadNodes(CsvReader& reader);
  Status ReadEdges(CsvReader& reader, const std::string& nodes_path);

  // The files of the nodes' column families (names, labels, node records).
  std::vector<FileTask> NodeFileTasks();
  // The other files, largest first; call after ReadEdges and once the nodes' files are written
  // (their rows are gone by then: counts only).
  std::vector<FileTask> EdgeFileTasks();
  void ReleaseNodeRows() { node_rows_.Release(); }
  // Once every file is ingested: the store's id counters and type dictionary follow.
  void UpdateStore();

  bool not_applicable() const { return not_applicable_; }
  const CsvImportSummary& summary() const { return summary_; }

 private:
  FileTask AdjacencyTask(Cf cf, bool outgoing);
  FileTask EvidenceTask();
  FileTask CounterTask();
  FileTask EdgeTask();
  FileTask MetaTask();
  // Counts computed before the files are filled in parallel.
  void PrepareCounts();

  StoreImpl& store_;
  const CsvImportOptions& options_;
  CsvImportSummary summary_;
  bool not_applicable_ = false;

  NodeTable node_rows_;
  CsvIdTable node_ids_;
  std::vector<EdgeRec> edges_;           // edge id - 1
  std::vector<uint32_t> evidence_edge_;  // evidence id - 1 -> edge
  EvidenceRows evidence_rows_;           // evidence id - 1 -> its row
  std::map<std::string, uint32_t, std::less<>> types_;
  std::vector<std::string> type_names_ = std::vector<std::string>(1);  // type id -> name

  std::map<std::string, uint64_t> label_counts_;
  uint64_t node_count_ = 0;
  // evidence of edge e: positions per_edge_[e] .. per_edge_[e + 1] - 1 of the grouped order
  std::vector<uint32_t> per_edge_;
};

Status BulkImporter::ReadNodes(CsvReader& reader) {
  auto cols = Columns(reader, {"id", "name", "type"});
  if (!cols) return cols.error();
  NormSet norms(node_rows_);
  const std::string kOther = "Other";
  std::vector<std::string> row;
  Status error;
  while (reader.Next(&row, &error)) {
    if (IsBlankRecord(row)) continue;
    CsvNodeRow node;
    KG_RETURN_IF_ERROR(ParseNodeRow(reader, row, *cols, &node));
    if (node_ids_.Find(node.csv_id) != 0) {
      return reader.Err(reader.record_line(), "duplicate id " + std::to_string(node.csv_id));
    }
    std::string norm = NormalizeName(*node.name);
    if (norm.empty()) return reader.Err(reader.record_line(), "an entity needs a non-empty name");
    if (node_rows_.size() >= std::numeric_limits<uint32_t>::max() - 1) {
      not_applicable_ = true;
      return Status::Ok();
    }
    node_rows_.Add(*node.name, node.label->empty() ? kOther : *node.label, norm);
    if (!norms.Insert(node_rows_.size() - 1)) {  // two names would merge
      not_applicable_ = true;
      return Status::Ok();
    }
    node_ids_.Insert(node.csv_id, static_cast<uint32_t>(node_rows_.size()));
    ++summary_.node_rows;
    ++summary_.nodes_created;
  }
  KG_RETURN_IF_ERROR(error);
  if (options_.progress) options_.progress("nodes", summary_.node_rows);
  return Status::Ok();
}

Status BulkImporter::ReadEdges(CsvReader& reader, const std::string& nodes_path) {
  auto cols = Columns(reader, {"src", "dst", "type", "polarity", "weight", "doc_id"});
  if (!cols) return cols.error();
  EdgeIdTable edge_ids(edges_);
  // CSV ids are usually dense from 0: then a vector replaces the hash table.
  std::vector<NodeId> dense_ids;
  int64_t max_id = -1;
  bool dense = true;
  node_ids_.ForEach([&](int64_t csv_id, uint32_t) {
    dense = dense && csv_id >= 0;
    max_id = std::max(max_id, csv_id);
  });
  if (dense && max_id < static_cast<int64_t>(4 * node_ids_.size() + 1024)) {
    dense_ids.assign(max_id + 1, kNoId);
    node_ids_.ForEach([&](int64_t csv_id, uint32_t id) { dense_ids[csv_id] = id; });
    node_ids_.Clear();  // every id is in dense_ids
  }
  auto node_of = [&](int64_t csv_id) -> NodeId {
    if (csv_id >= 0 && csv_id < static_cast<int64_t>(dense_ids.size())) return dense_ids[csv_id];
    return node_ids_.Find(csv_id);
  };
  const size_t batch_rows = std::max<size_t>(options_.batch_rows, 1);
  // The type of the previous row: rows often repeat it, and a map look-up per row costs.
  uint32_t last_type = 0;
  std::string last_type_name;
  std::vector<std::string> row;
  Status error;
  while (reader.Next(&row, &error)) {
    if (IsBlankRecord(row)) continue;
    CsvEdgeRow parsed;
    KG_RETURN_IF_ERROR(ParseEdgeRow(reader, row, *cols, &parsed));
    NodeId ends[2] = {node_of(parsed.src), node_of(parsed.dst)};
    for (int end = 0; end < 2; ++end) {
      if (ends[end] == kNoId) {
        return reader.Err(reader.record_line(),
                          "unknown node id " + row[(*cols)[end]] + " (not in " + nodes_path + ")");
      }
    }
    const std::string& type = *parsed.type;
    if (last_type == 0 || type != last_type_name) {
      auto type_it = types_.find(type);
      if (type_it == types_.end()) {
        type_it = types_.emplace(type, static_cast<uint32_t>(type_names_.size())).first;
        type_names_.push_back(type);
      }
      last_type = type_it->second;
      last_type_name = type;
    }
    if (edges_.size() >= std::numeric_limits<uint32_t>::max() - 1 ||
        evidence_edge_.size() >= std::numeric_limits<uint32_t>::max()) {
      not_applicable_ = true;  // more than the compact tables hold
      return Status::Ok();
    }
    EdgeRec edge{static_cast<uint32_t>(ends[0]), static_cast<uint32_t>(ends[1]), last_type};
    bool created = false;
    EdgeId id = edge_ids.FindOrInsert(edge, static_cast<uint32_t>(edges_.size() + 1), &created);
    if (created) {
      edges_.push_back(edge);
      ++summary_.edges_created;
    } else {
      ++summary_.edges_merged;
    }
    evidence_edge_.push_back(static_cast<uint32_t>(id));
    evidence_rows_.Add(*parsed.doc_id, parsed.weight, parsed.polarity);
    ++summary_.evidence;
    if (++summary_.edge_rows % batch_rows == 0 && options_.progress) {
      options_.progress("edges", summary_.edge_rows);
    }
  }
  KG_RETURN_IF_ERROR(error);
  if (options_.progress) options_.progress("edges", summary_.edge_rows);
  node_ids_.Clear();
  PrepareCounts();
  return Status::Ok();
}

void BulkImporter::PrepareCounts() {
  std::vector<uint64_t> per_label(node_rows_.label_names().size(), 0);
  for (size_t i = 0; i < node_rows_.size(); ++i) ++per_label[node_rows_.label_id(i)];
  for (size_t l = 0; l < per_label.size(); ++l) {
    label_counts_[node_rows_.label_names()[l]] = per_label[l];
  }
  node_count_ = node_rows_.size();
  per_edge_.assign(edges_.size() + 2, 0);  // < 2^32 rows (see ReadEdges)
  for (EdgeId e : evidence_edge_) ++per_edge_[e + 1];
  for (size_t i = 1; i < per_edge_.size(); ++i) per_edge_[i] += per_edge_[i - 1];
}

std::vector<FileTask> BulkImporter::NodeFileTasks() {
  std::vector<FileTask> tasks;
  tasks.emplace_back(kNodes, [this](SstIngest::File& f) {
    for (size_t i = 0; i < node_rows_.size(); ++i) {
      KG_RETURN_IF_ERROR(
          f.Put(U64Key(i + 1), EncodeImportNode(node_rows_.name(i), node_rows_.label(i))));
    }
    return Status::Ok();
  });
  for (Cf cf : {kNames, kLabels}) {
    // text | 0x00 | node, sorted by (text, node) = bytewise key order
    tasks.emplace_back(cf, [this, cf](SstIngest::File& f) {
      std::vector<std::pair<std::string_view, NodeId>> entries;
      entries.reserve(node_rows_.size());
      for (size_t i = 0; i < node_rows_.size(); ++i) {
        entries.emplace_back(cf == kNames ? node_rows_.norm(i) : node_rows_.label(i), i + 1);
      }
      std::sort(entries.begin(), entries.end());
      for (const auto& [text, id] : entries) KG_RETURN_IF_ERROR(f.Put(IndexKey(text, id), {}));
      return Status::Ok();
    });
  }
  return tasks;
}

std::vector<FileTask> BulkImporter::EdgeFileTasks() {
  std::vector<FileTask> tasks;
  tasks.push_back(AdjacencyTask(kOutAdj, true));
  tasks.push_back(AdjacencyTask(kInAdj, false));
  tasks.push_back(EvidenceTask());
  tasks.push_back(CounterTask());
  tasks.push_back(EdgeTask());
  tasks.push_back(MetaTask());
  return tasks;
}

// Adjacency keys (node, type, other, edge).
FileTask BulkImporter::AdjacencyTask(Cf cf, bool outgoing) {
  return {cf, [this, outgoing](SstIngest::File& f) {
            // Edge positions grouped by node with a counting sort (4 bytes an edge; a sorted
            // vector of 32-byte keys took 24 MB per direction at 1M rows), then each node's
            // group sorted by (type, other node); positions rise within a group, and so do ids.
            auto node_of = [&](uint32_t i) { return outgoing ? edges_[i].src : edges_[i].dst; };
            auto other_of = [&](uint32_t i) { return outgoing ? edges_[i].dst : edges_[i].src; };
            std::vector<uint32_t> start(node_count_ + 2, 0);
            for (uint32_t i = 0; i < edges_.size(); ++i) ++start[node_of(i) + 1];
            for (size_t n = 1; n < start.size(); ++n) start[n] += start[n - 1];
            std::vector<uint32_t> order(edges_.size());
            {
              std::vector<uint32_t> next(start.begin(), start.end() - 1);
              for (uint32_t i = 0; i < edges_.size(); ++i) order[next[node_of(i)]++] = i;
            }
            for (size_t node = 1; node <= node_count_; ++node) {
              auto first = order.begin() + start[node], last = order.begin() + start[node + 1];
              std::sort(first, last, [&](uint32_t a, uint32_t b) {
                return std::make_tuple(edges_[a].type, other_of(a), a) <
                       std::make_tuple(edges_[b].type, other_of(b), b);
              });
              for (auto it = first; it != last; ++it) {
                KG_RETURN_IF_ERROR(f.Put(
                    EncodeAdjKey(AdjKey{node, edges_[*it].type, other_of(*it), EdgeId{*it} + 1}),
                    {}));
              }
            }
            return Status::Ok();
          }};
}

// 'E' | edge | first evidence id: each edge's rows as packs (evidence_pack.h), grouped by edge
// with a counting sort (stable: ids ascend within an edge).
FileTask BulkImporter::EvidenceTask() {
  return {kEvidence, [this](SstIngest::File& f) {
            std::vector<uint32_t> order(evidence_edge_.size());
            {
              std::vector<uint32_t> next(per_edge_.begin(), per_edge_.end());
              for (size_t i = 0; i < evidence_edge_.size(); ++i) {
                order[next[evidence_edge_[i]]++] = static_cast<uint32_t>(i);
              }
            }
            std::string value;
            PackBuilder pack;
            uint64_t pack_edge = 0;
            auto flush = [&]() -> Status {
              if (pack.empty()) return Status::Ok();
              uint64_t first = pack.first_id();
              return f.Put(EvidencePackKey(EvidenceKind::kEdge, pack_edge, first), pack.Finish());
            };
            for (uint64_t i : order) {
              std::string_view record = evidence_rows_.Get(i, &value);
              if (evidence_edge_[i] != pack_edge || pack.Full(record.size())) {
                KG_RETURN_IF_ERROR(flush());
                pack_edge = evidence_edge_[i];
              }
              pack.Add(i + 1, record);
            }
            KG_RETURN_IF_ERROR(flush());
            evidence_rows_.Release();  // read by no other file
            return Status::Ok();
          }};
}

// Every counter the batch path keeps, as plain values, in key order (tags E G L N T V g m v).
FileTask BulkImporter::CounterTask() {
  return {kCounters, [this](SstIngest::File& f) {
            std::vector<std::tuple<NodeId, uint8_t, uint32_t>> ends;  // node, direction, type
            ends.reserve(edges_.size() * 2);
            std::vector<uint64_t> type_counts(type_names_.size(), 0);
            for (const auto& e : edges_) {
              ends.emplace_back(e.src, 0, e.type);
              ends.emplace_back(e.dst, 1, e.type);
              ++type_counts[e.type];
            }
            std::sort(ends.begin(), ends.end());
            auto put = [&](const std::string& key, uint64_t n) -> Status {
              if (n == 0) return Status::Ok();
              return f.Put(key, CounterValue(n));
            };
            KG_RETURN_IF_ERROR(put(CounterKey(CounterTag::kEdges), edges_.size()));
            for (size_t i = 0; i < ends.size();) {  // G: node | direction
              size_t j = i;
              while (j < ends.size() && std::get<0>(ends[j]) == std::get<0>(ends[i]) &&
                     std::get<1>(ends[j]) == std::get<1>(ends[i])) {
                ++j;
              }
              KG_RETURN_IF_ERROR(
                  put(TotalDegreeKey(std::get<0>(ends[i]), std::get<1>(ends[i])), j - i));
              i = j;
            }
            for (const auto& [label, n] : label_counts_) {
              KG_RETURN_IF_ERROR(put(CounterKey(CounterTag::kLabel, label), n));
            }
            KG_RETURN_IF_ERROR(put(CounterKey(CounterTag::kNodes), node_count_));
            for (const auto& [name, id] : types_) {
              KG_RETURN_IF_ERROR(put(CounterKey(CounterTag::kType, name), type_counts[id]));
            }
            KG_RETURN_IF_ERROR(put(CounterKey(CounterTag::kEvidence), evidence_edge_.size()));
            for (size_t i = 0; i < ends.size();) {  // g: node | direction | type
              size_t j = i;
              while (j < ends.size() && ends[j] == ends[i]) ++j;
              const auto& [node, dir, type] = ends[i];
              KG_RETURN_IF_ERROR(put(DegreeKey(node, dir, type), j - i));
              i = j;
            }
            {  // m: node, one value of lanes per node (key_format.h MentionLanes)
              std::vector<MentionLanes> mentions(node_count_ + 1, MentionLanes{});
              for (size_t i = 0; i < edges_.size(); ++i) {
                const auto& e = edges_[i];
                uint64_t n = per_edge_[i + 2] - per_edge_[i + 1];  // evidence of edge id i + 1
                auto& source = mentions[e.src];
                auto& target = mentions[e.dst];
                ++source[kOutEdges];
                source[kOutEvidence] += n;
                ++target[kInEdges];
                target[kInEvidence] += n;
                if (e.src == e.dst) {
                  ++source[kLoops];
                  source[kLoopEvidence] += n;
                }
              }
              for (NodeId node = 1; node < mentions.size(); ++node) {
                if (mentions[node][kOutEdges] + mentions[node][kInEdges] == 0) continue;
                KG_RETURN_IF_ERROR(f.Put(MentionKey(node), MentionValue(mentions[node])));
              }
            }
            for (size_t e = 1; e <= edges_.size(); ++e) {
              KG_RETURN_IF_ERROR(put(OwnerCounterKey(CounterTag::kEdgeEvidence, e),
                                     per_edge_[e + 1] - per_edge_[e]));
            }
            return Status::Ok();
          }};
}

FileTask BulkImporter::EdgeTask() {
  return {kEdges, [this](SstIngest::File& f) {
            for (size_t i = 0; i < edges_.size(); ++i) {
              EdgeRecord rec{edges_[i].type, edges_[i].src, edges_[i].dst, EmptyProperties()};
              KG_RETURN_IF_ERROR(f.Put(U64Key(i + 1), EncodeEdge(rec)));
            }
            return Status::Ok();
          }};
}

// The id counters and the type dictionary.
FileTask BulkImporter::MetaTask() {
  return {kMeta, [this](SstIngest::File& f) {
            std::vector<std::pair<std::string, std::string>> meta;
            meta.emplace_back(std::string(kNextNodeKey), U64Key(node_count_ + 1));
            meta.emplace_back(std::string(kNextEdgeKey), U64Key(edges_.size() + 1));
            meta.emplace_back(std::string(kNextDocKey), U64Key(store_.next_doc_));
            meta.emplace_back(std::string(kNextEvidenceKey), U64Key(evidence_edge_.size() + 1));
            meta.emplace_back(std::string(kNextTypeKey), U64Key(type_names_.size()));
            for (const auto& [name, id] : types_) {
              meta.emplace_back(std::string(kTypeByNamePrefix) + name, U32Value(id));
              std::string by_id(kTypeByIdPrefix);
              PutU32(&by_id, id);
              meta.emplace_back(std::move(by_id), name);
            }
            std::sort(meta.begin(), meta.end());
            for (const auto& [k, v] : meta) KG_RETURN_IF_ERROR(f.Put(k, v));
            return Status::Ok();
          }};
}

void BulkImporter::UpdateStore() {
  store_.next_node_ = node_count_ + 1;
  store_.next_edge_ = edges_.size() + 1;
  store_.next_evidence_ = evidence_edge_.size() + 1;
  store_.next_type_ = static_cast<uint32_t>(type_names_.size());
  // What the meta file (MetaTask) stored, so the next batch writes only the counters it moves.
  store_.stored_next_ = {store_.next_node_, store_.next_edge_, store_.next_doc_,
                         store_.next_evidence_, store_.next_type_};
  store_.AddTypes(types_);
}

}  // namespace

std::optional<Result<CsvImportSummary>> BulkImport(StoreImpl& store, const std::string& nodes_path,
                                                   const std::string& edges_path,
                                                   const CsvImportOptions& options) {
  using R = Result<CsvImportSummary>;
  if (store.read_only()) return std::nullopt;
  std::unique_lock<std::mutex> lock(store.writer_mu_);
  if (store.next_node_ != 1 || store.next_edge_ != 1 || store.next_doc_ != 1 ||
      store.next_evidence_ != 1 || store.next_type_ != 1) {
    return std::nullopt;
  }
  auto nodes_reader = CsvReader::Open(nodes_path);
  if (!nodes_reader) return R(nodes_reader.error());
  auto edges_reader = CsvReader::Open(edges_path);
  if (!edges_reader) return R(edges_reader.error());
  BulkImporter importer(store, options);
  Status s = importer.ReadNodes(**nodes_reader);
  if (!s.ok()) return R(s);
  if (importer.not_applicable()) return std::nullopt;

  // One SST file per column family, each a sorted run. Those of the nodes first, on a thread of
  // their own while the edges are parsed.
  SstIngest sst(&store);
  BackgroundFiles node_files(sst, importer.NodeFileTasks());
  s = importer.ReadEdges(**edges_reader, nodes_path);
  if (!s.ok()) return R(s);
  if (importer.not_applicable()) return std::nullopt;
  // The nodes' files were written while the edges were parsed: their rows can go.
  if (s = node_files.Wait(); !s.ok()) return R(s);
  importer.ReleaseNodeRows();
  if (s = WriteFiles(sst, importer.EdgeFileTasks()); !s.ok()) return R(s);
  if (s = sst.Ingest(); !s.ok()) return R(s);
  importer.UpdateStore();
  CsvImportSummary summary = importer.summary();
  summary.bulk = true;
  return R(summary);
}

}  // namespace kg::store::internal
