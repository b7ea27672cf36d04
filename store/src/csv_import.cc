#include "kg/store/csv_import.h"

#include <algorithm>
#include <charconv>
#include <cstdio>
#include <memory>
#include <unordered_map>
#include <unordered_set>
#include <vector>

namespace kg::store {
namespace {

// Streams RFC 4180 records: fields separated by ',', a field wrapped in '"' may hold ',', '"'
// (doubled) and newlines. Accepts \n and \r\n line ends. Tracks the line a record starts on.
class CsvReader {
 public:
  static Result<std::unique_ptr<CsvReader>> Open(const std::string& path) {
    FILE* f = std::fopen(path.c_str(), "rb");
    if (f == nullptr) return Status::NotFound("cannot open " + path);
    return std::unique_ptr<CsvReader>(new CsvReader(path, f));
  }
  ~CsvReader() { std::fclose(file_); }

  // Reads the next record into `fields`; false at end of file. On malformed input sets `error`.
  bool Next(std::vector<std::string>* fields, Status* error) {
    fields->clear();
    int c = Get();
    if (c == EOF) return false;
    record_line_ = line_;
    std::string field;
    bool quoted = false, after_quote = false;
    while (true) {
      if (quoted) {
        if (c == EOF) {
          *error = Err(record_line_, "unterminated quoted field");
          return false;
        }
        if (c == '"') {
          int next = Get();
          if (next == '"') {
            field.push_back('"');
          } else {
            quoted = false;
            after_quote = true;
            c = next;
            continue;
          }
        } else {
          if (c == '\n') ++line_;
          field.push_back(static_cast<char>(c));
        }
      } else if (c == ',') {
        fields->push_back(std::move(field));
        field.clear();
        after_quote = false;
      } else if (c == '\n' || c == EOF) {
        ++line_;
        fields->push_back(std::move(field));
        return true;
      } else if (c == '\r') {
        int next = Get();
        if (next != '\n') {
          *error = Err(record_line_, "stray carriage return");
          return false;
        }
        c = next;
        continue;
      } else if (c == '"' && field.empty() && !after_quote) {
        quoted = true;
      } else if (after_quote) {
        *error = Err(record_line_, "text after a closing quote");
        return false;
      } else if (c == '"') {
        *error = Err(record_line_, "a quote inside an unquoted field");
        return false;
      } else {
        field.push_back(static_cast<char>(c));
      }
      c = Get();
    }
  }

  Status Err(uint64_t line, const std::string& what) const {
    return Status::ParseError(path_ + ":" + std::to_string(line) + ": " + what);
  }
  uint64_t record_line() const { return record_line_; }
  const std::string& path() const { return path_; }

 private:
  CsvReader(std::string path, FILE* f) : path_(std::move(path)), file_(f) {
    buffer_.resize(1 << 20);
  }
  int Get() {
    if (pos_ == len_) {
      len_ = std::fread(buffer_.data(), 1, buffer_.size(), file_);
      pos_ = 0;
      if (len_ == 0) return EOF;
    }
    return static_cast<unsigned char>(buffer_[pos_++]);
  }

  std::string path_;
  FILE* file_;
  std::vector<char> buffer_;
  size_t pos_ = 0, len_ = 0;
  uint64_t line_ = 1, record_line_ = 1;
};

// Maps header names to positions; ParseError naming the file when a column is missing.
Result<std::vector<size_t>> Columns(CsvReader& reader, const std::vector<std::string>& wanted) {
  std::vector<std::string> header;
  Status error;
  if (!reader.Next(&header, &error)) {
    return error.ok() ? reader.Err(1, "empty file (expected a header row)") : error;
  }
  if (!header.empty() && header[0].starts_with("\xEF\xBB\xBF")) header[0].erase(0, 3);
  std::vector<size_t> positions;
  for (const auto& name : wanted) {
    size_t pos = 0;
    while (pos < header.size() && header[pos] != name) ++pos;
    if (pos == header.size()) return reader.Err(1, "missing column '" + name + "'");
    positions.push_back(pos);
  }
  return positions;
}

template <typename T>
bool ParseNumber(const std::string& s, T* out) {
  auto r = std::from_chars(s.data(), s.data() + s.size(), *out);
  return r.ec == std::errc() && r.ptr == s.data() + s.size();
}

bool ParseDouble(const std::string& s, double* out) {
  if (s.empty()) return false;
  char* end = nullptr;
  *out = std::strtod(s.c_str(), &end);
  return end == s.c_str() + s.size();
}

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

}  // namespace

Result<CsvImportSummary> ImportCsv(GraphStore& store, const std::string& nodes_path,
                                   const std::string& edges_path,
                                   const CsvImportOptions& options) {
  CsvImportSummary summary;
  const size_t batch_rows = std::max<size_t>(options.batch_rows, 1);
  auto nodes_reader = CsvReader::Open(nodes_path);
  if (!nodes_reader) return nodes_reader.error();
  auto edges_reader = CsvReader::Open(edges_path);
  if (!edges_reader) return edges_reader.error();

  std::unordered_map<int64_t, NodeId> node_ids;
  // Nodes that existed before this import: only their edges need a look-up in the store; an
  // edge key missing from `edge_ids` between nodes new to this import is certainly new.
  std::unordered_set<NodeId> preexisting;
  {
    auto& reader = **nodes_reader;
    auto cols = Columns(reader, {"id", "name", "type"});
    if (!cols) return cols.error();
    auto batch = store.NewBatch();
    std::vector<std::string> row;
    Status error;
    while (reader.Next(&row, &error)) {
      if (row.size() == 1 && row[0].empty()) continue;  // blank line
      for (size_t c : *cols) {
        if (c >= row.size()) return reader.Err(reader.record_line(), "too few fields");
      }
      int64_t csv_id = 0;
      if (!ParseNumber(row[(*cols)[0]], &csv_id)) {
        return reader.Err(reader.record_line(), "id '" + row[(*cols)[0]] + "' is not an integer");
      }
      if (node_ids.count(csv_id)) {
        return reader.Err(reader.record_line(), "duplicate id " + std::to_string(csv_id));
      }
      EntityUpsert upsert;
      upsert.name = row[(*cols)[1]];
      upsert.label = row[(*cols)[2]];
      bool created = false;
      auto node = batch->UpsertEntity(upsert, &created);
      if (!node) {
        if (node.error().code() == Status::Code::kInvalidArgument) {
          return reader.Err(reader.record_line(), node.error().message());
        }
        return node.error();
      }
      node_ids[csv_id] = *node;
      if (!created) preexisting.insert(*node);
      ++(created ? summary.nodes_created : summary.nodes_merged);
      if (++summary.node_rows % batch_rows == 0) {
        KG_RETURN_IF_ERROR(store.Commit(*batch));
        batch = store.NewBatch();
        if (options.progress) options.progress("nodes", summary.node_rows);
      }
    }
    KG_RETURN_IF_ERROR(error);
    KG_RETURN_IF_ERROR(store.Commit(*batch));
    if (options.progress) options.progress("nodes", summary.node_rows);
  }

  {
    auto& reader = **edges_reader;
    auto cols = Columns(reader, {"src", "dst", "type", "polarity", "weight", "doc_id"});
    if (!cols) return cols.error();
    std::unordered_map<EdgeKey, EdgeId, EdgeKeyHash> edge_ids;
    auto batch = store.NewBatch();
    std::vector<std::string> row;
    Status error;
    auto node_of = [&](const std::string& field, NodeId* out) -> Status {
      int64_t csv_id = 0;
      if (!ParseNumber(field, &csv_id)) {
        return reader.Err(reader.record_line(), "node id '" + field + "' is not an integer");
      }
      auto it = node_ids.find(csv_id);
      if (it == node_ids.end()) {
        return reader.Err(reader.record_line(), "unknown node id " + field + " (not in " +
                                                    nodes_path + ")");
      }
      *out = it->second;
      return Status::Ok();
    };
    while (reader.Next(&row, &error)) {
      if (row.size() == 1 && row[0].empty()) continue;
      for (size_t c : *cols) {
        if (c >= row.size()) return reader.Err(reader.record_line(), "too few fields");
      }
      NodeId src = kNoId, dst = kNoId;
      KG_RETURN_IF_ERROR(node_of(row[(*cols)[0]], &src));
      KG_RETURN_IF_ERROR(node_of(row[(*cols)[1]], &dst));
      const auto& type = row[(*cols)[2]];
      if (type.empty()) return reader.Err(reader.record_line(), "empty relationship type");
      int64_t polarity = 0;
      if (!ParseNumber(row[(*cols)[3]], &polarity)) {
        return reader.Err(reader.record_line(),
                          "polarity '" + row[(*cols)[3]] + "' is not an integer");
      }
      double weight = 0;
      if (!ParseDouble(row[(*cols)[4]], &weight)) {
        return reader.Err(reader.record_line(), "weight '" + row[(*cols)[4]] + "' is not a number");
      }
      EdgeKey key{src, dst, type};
      auto it = edge_ids.find(key);
      EdgeId edge = kNoId;
      if (it != edge_ids.end()) {
        edge = it->second;
        ++summary.edges_merged;
      } else {
        bool created = true;
        auto merged = preexisting.count(src)
                          ? batch->MergeEdge(src, type, dst, EmptyProperties(), &created)
                          : batch->CreateEdge(src, type, dst, EmptyProperties());
        if (!merged) return merged.error();
        edge = *merged;
        edge_ids.emplace(std::move(key), edge);
        ++(created ? summary.edges_created : summary.edges_merged);
      }
      Evidence ev;
      ev.edge_or_node = edge;
      ev.rule = "import";
      ev.confidence = weight;
      ev.properties = {{"doc_id", row[(*cols)[5]]}, {"weight", weight}, {"polarity", polarity}};
      KG_RETURN_IF_ERROR(batch->AddEvidence(ev));
      ++summary.evidence;
      if (++summary.edge_rows % batch_rows == 0) {
        KG_RETURN_IF_ERROR(store.Commit(*batch));
        batch = store.NewBatch();
        if (options.progress) options.progress("edges", summary.edge_rows);
      }
    }
    KG_RETURN_IF_ERROR(error);
    KG_RETURN_IF_ERROR(store.Commit(*batch));
    if (options.progress) options.progress("edges", summary.edge_rows);
  }
  return summary;
}

}  // namespace kg::store
