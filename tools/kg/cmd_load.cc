// kg load FILE...: the merge step. Reads what `kg extract --format json` printed (one extraction
// per line; files, .gz, or - for standard input) and writes each article through
// GraphStore::WriteExtraction, the same path as `kg ingest`, so resolution and deduplication are
// the same and articles whose content hash is stored already are skipped. Loading the outputs
// of shards in the order of the shards gives the store one `kg ingest` of the whole would give
// (docs/SCALING.md).
//
// It also reads kg's lossless JSON Lines (`kg export --format jsonl`, `kg-inspect dump`) back
// into an empty store: nodes, edges, evidence and documents with new ids.
#include <unistd.h>

#include <chrono>
#include <condition_variable>
#include <cstdio>
#include <deque>
#include <memory>
#include <mutex>
#include <optional>
#include <thread>
#include <unordered_map>

#include <nlohmann/json.hpp>

#include "command.h"
#include "kg/core/extraction_json.h"
#include "kg/store/graph_store.h"
#include "line_input.h"

namespace kg::cli {
namespace {

struct LoadArgs {
  std::vector<std::string> files;
  bool strict = false;
  bool quiet = false;
};

struct LoadCounters {
  uint64_t lines = 0;
  uint64_t loaded = 0;
  uint64_t already_stored = 0;
  uint64_t bad = 0;
  uint64_t bytes = 0;
  uint64_t nodes_created = 0, nodes_merged = 0, edges_created = 0, evidence = 0;
};

std::string Where(const exporting::LineInput& in) {
  return in.path() + ":" + std::to_string(in.line_number());
}

// What the first non-blank line of a file is: an extraction ("doc") or a dump record ("kind").
enum class FileKind { kExtraction, kDump, kEmpty };

Result<FileKind> Sniff(const std::string& path) {
  if (path == "-") return FileKind::kExtraction;  // standard input cannot be read twice
  auto in = exporting::LineInput::Open(path);
  if (!in) return in.error();
  std::string line;
  while (true) {
    auto more = (*in)->Next(&line);
    if (!more) return more.error();
    if (!*more) return FileKind::kEmpty;
    if (line.find_first_not_of(" \t") == std::string::npos) continue;
    auto j = nlohmann::json::parse(line, nullptr, false);
    if (j.is_object() && j.contains("kind")) return FileKind::kDump;
    return FileKind::kExtraction;
  }
}

// Parses lines on one thread while the caller writes on another: JSON parsing is about as
// costly as the store write, so the two overlap. Items come out in file order.
class ParseAhead {
 public:
  struct Item {
    std::string where;
    Result<Extraction> extraction = Status::Internal("unset");
    uint64_t bytes = 0;
  };

  explicit ParseAhead(exporting::LineInput& in) : in_(in), thread_([this] { Run(); }) {}
  ~ParseAhead() {
    {
      std::lock_guard<std::mutex> lock(mu_);
      stop_ = true;
    }
    cv_.notify_all();
    thread_.join();
  }

  // The next item; nullopt at the end or after a read error (then status() says which).
  std::optional<Item> Next() {
    std::unique_lock<std::mutex> lock(mu_);
    cv_.wait(lock, [this] { return !queue_.empty() || done_; });
    if (queue_.empty()) return std::nullopt;
    Item item = std::move(queue_.front());
    queue_.pop_front();
    cv_.notify_all();
    return item;
  }
  Status status() {
    std::lock_guard<std::mutex> lock(mu_);
    return status_;
  }

 private:
  static constexpr size_t kMaxQueued = 256;

  void Run() {
    std::string line;
    Status status = Status::Ok();
    while (true) {
      auto more = in_.Next(&line);
      if (!more) {
        status = more.error();
        break;
      }
      if (!*more) break;
      if (line.find_first_not_of(" \t") == std::string::npos) continue;
      Item item;
      item.where = Where(in_);
      item.bytes = line.size() + 1;
      item.extraction = ExtractionFromJson(line);
      std::unique_lock<std::mutex> lock(mu_);
      cv_.wait(lock, [this] { return queue_.size() < kMaxQueued || stop_; });
      if (stop_) break;
      queue_.push_back(std::move(item));
      cv_.notify_all();
    }
    std::lock_guard<std::mutex> lock(mu_);
    status_ = status;
    done_ = true;
    cv_.notify_all();
  }

  exporting::LineInput& in_;
  std::mutex mu_;
  std::condition_variable cv_;
  std::deque<Item> queue_;
  bool done_ = false;
  bool stop_ = false;
  Status status_ = Status::Ok();
  std::thread thread_;  // last: started once the members above exist
};

Status LoadExtractions(const Context& ctx, const LoadArgs& args, const std::string& path,
                       store::GraphStore& graph, LoadCounters& c) {
  auto in = exporting::LineInput::Open(path);
  if (!in) return in.error();
  ParseAhead parser(**in);
  while (auto item = parser.Next()) {
    ++c.lines;
    c.bytes += item->bytes;
    if (!item->extraction) {
      std::string message = item->where + ": " + item->extraction.error().message();
      if (args.strict) return Status::InvalidArgument(message);
      ++c.bad;
      if (!args.quiet) std::fprintf(stderr, "%s: skipped %s\n", ctx.program.c_str(), message.c_str());
      continue;
    }
    auto written = graph.WriteExtraction(*item->extraction);
    if (!written) {
      const Status& error = written.error();
      std::string message = item->where + ": " + error.message();
      return error.code() == Status::Code::kInvalidArgument ? Status::InvalidArgument(message)
                                                            : Status::IOError(message);
    }
    if (written->duplicate) {
      ++c.already_stored;
      continue;
    }
    ++c.loaded;
    c.nodes_created += written->nodes_created;
    c.nodes_merged += written->nodes_merged;
    c.edges_created += written->edges_created;
    c.evidence += written->evidence_added;
  }
  return parser.status();
}

// A dump record's field, or InvalidArgument naming it.
template <typename T>
T Get(const nlohmann::json& j, const char* key) {
  auto it = j.find(key);
  if (it == j.end()) throw std::invalid_argument(std::string("no \"") + key + "\" field");
  return it->get<T>();
}

// kg's JSON Lines (nodes, edges, evidence, documents, as `kg-inspect dump` writes them) into an
// empty store. Two passes over the file: documents first (evidence refers to them, and they come
// last), then nodes, edges and evidence in large batches. Memory: an old -> new id map of the
// nodes, edges and documents. Label votes are not in the dump: each node restarts with one vote
// for each of its labels.
Status LoadDump(const Context& ctx, const std::string& path,
                store::GraphStore& graph, LoadCounters& c) {
  {
    auto view = graph.NewReadView();
    auto stats = view->Stats();
    if (stats.nodes > 0 || stats.edges > 0 || stats.documents > 0) {
      return Status::InvalidArgument(path + " is a kg dump: it loads only into an empty store (" +
                                     ctx.db_path + " has " + std::to_string(stats.nodes) +
                                     " nodes, " + std::to_string(stats.documents) +
                                     " documents)");
    }
  }
  std::unordered_map<uint64_t, uint64_t> docs, nodes, edges;
  std::string line;
  auto bad = [&](const exporting::LineInput& in, const std::string& reason) -> Status {
    return Status::InvalidArgument(Where(in) + ": " + reason);
  };

  // Pass 1: documents.
  {
    auto in = exporting::LineInput::Open(path);
    if (!in) return in.error();
    while (true) {
      auto more = (*in)->Next(&line);
      if (!more) return more.error();
      if (!*more) break;
      if (line.find("\"document\"") == std::string::npos) continue;
      auto j = nlohmann::json::parse(line, nullptr, false);
      if (!j.is_object() || j.value("kind", "") != "document") continue;
      Extraction e;
      uint64_t old_id = 0;
      try {
        old_id = Get<uint64_t>(j, "id");
        e.doc.id = Get<std::string>(j, "external_id");
        e.doc.source = Get<std::string>(j, "source");
        e.doc.title = Get<std::string>(j, "title");
        e.doc.date = Get<std::string>(j, "date");
        e.doc.content_hash = Get<std::string>(j, "content_hash");
        if (!j.contains("text")) {
          return bad(**in, "document without text (dumped with --no-text?): cannot be loaded");
        }
        e.doc.text = Get<std::string>(j, "text");
      } catch (const std::exception& ex) {
        return bad(**in, std::string("document: ") + ex.what());
      }
      auto written = graph.WriteExtraction(e);
      if (!written) return bad(**in, written.error().message());
      docs[old_id] = written->doc;
      ++c.loaded;
    }
  }

  // Pass 2: nodes, then edges, then evidence.
  auto in = exporting::LineInput::Open(path);
  if (!in) return in.error();
  auto batch = graph.NewBatch();
  int phase = 0;  // 0 nodes, 1 edges, 2 evidence
  constexpr size_t kBatchOperations = 50000;
  while (true) {
    auto more = (*in)->Next(&line);
    if (!more) return more.error();
    if (!*more) break;
    ++c.lines;
    c.bytes += line.size() + 1;
    if (line.find_first_not_of(" \t") == std::string::npos) continue;
    auto j = nlohmann::json::parse(line, nullptr, false);
    if (!j.is_object()) return bad(**in, "not a JSON object");
    std::string kind = j.value("kind", "");
    if (kind == "document") continue;
    int record_phase = kind == "node" ? 0 : kind == "edge" ? 1 : kind == "evidence" ? 2 : -1;
    if (record_phase < 0) return bad(**in, "unknown record kind '" + kind + "'");
    if (record_phase < phase) {
      return bad(**in, "a " + kind + " after " + (phase == 1 ? "edges" : "evidence") +
                           " (records must come in dump order: nodes, edges, evidence)");
    }
    phase = record_phase;
    try {
      if (kind == "node") {
        auto labels = Get<std::vector<std::string>>(j, "labels");
        Properties properties = Get<nlohmann::json>(j, "properties");
        nodes[Get<uint64_t>(j, "id")] = batch->CreateNode(std::move(labels), std::move(properties));
        ++c.nodes_created;
      } else if (kind == "edge") {
        auto source = nodes.find(Get<uint64_t>(j, "source"));
        auto target = nodes.find(Get<uint64_t>(j, "target"));
        if (source == nodes.end() || target == nodes.end()) {
          return bad(**in, "edge names a node that is not in the dump");
        }
        auto edge = batch->CreateEdge(source->second, Get<std::string>(j, "type"), target->second,
                                      Get<nlohmann::json>(j, "properties"));
        if (!edge) return bad(**in, edge.error().message());
        edges[Get<uint64_t>(j, "id")] = *edge;
        ++c.edges_created;
      } else {
        store::Evidence ev;
        ev.on_node = j.contains("node");
        uint64_t owner = Get<uint64_t>(j, ev.on_node ? "node" : "edge");
        auto& map = ev.on_node ? nodes : edges;
        auto it = map.find(owner);
        if (it == map.end()) return bad(**in, "evidence of a node or edge not in the dump");
        ev.edge_or_node = it->second;
        auto doc = j.find("doc");
        if (doc != j.end() && !doc->is_null()) {
          auto d = docs.find(doc->get<uint64_t>());
          if (d == docs.end()) return bad(**in, "evidence cites a document not in the dump");
          ev.doc = d->second;
        }
        ev.sentence = Get<std::string>(j, "sentence");
        ev.start = Get<uint32_t>(j, "start");
        ev.end = Get<uint32_t>(j, "end");
        ev.rule = Get<std::string>(j, "rule");
        ev.confidence = Get<double>(j, "confidence");
        ev.properties = Get<nlohmann::json>(j, "properties");
        if (!ev.properties.is_object()) ev.properties = EmptyProperties();
        auto st = batch->AddEvidence(ev);
        if (!st.ok()) return bad(**in, st.message());
        ++c.evidence;
      }
    } catch (const std::exception& ex) {
      return bad(**in, kind + ": " + ex.what());
    }
    if (batch->pending_operations() >= kBatchOperations) {
      KG_RETURN_IF_ERROR(graph.Commit(*batch));
      batch = graph.NewBatch();
    }
  }
  KG_RETURN_IF_ERROR(graph.Commit(*batch));
  return Status::Ok();
}

Status Run(const Context& ctx, const LoadArgs& args) {
  auto start = std::chrono::steady_clock::now();
  std::vector<FileKind> kinds;
  for (const auto& path : args.files) {
    auto kind = Sniff(path);
    if (!kind) return kind.error();
    kinds.push_back(*kind);
  }
  for (size_t i = 0; i < kinds.size(); ++i) {
    if (kinds[i] == FileKind::kDump && args.files.size() > 1) {
      return Status::InvalidArgument(args.files[i] +
                                     " is a kg dump: load it alone, into an empty store");
    }
  }
  store::OpenOptions open;
  open.write_buffer_bytes = 128u << 20;  // fewer, larger flushes for a bulk load
  auto opened = store::GraphStore::Open(ctx.db_path, open);
  if (!opened) return opened.error();
  auto& graph = **opened;
  LoadCounters c;
  for (size_t i = 0; i < args.files.size(); ++i) {
    if (kinds[i] == FileKind::kEmpty) continue;
    if (kinds[i] == FileKind::kDump) {
      KG_RETURN_IF_ERROR(LoadDump(ctx, args.files[i], graph, c));
    } else {
      KG_RETURN_IF_ERROR(LoadExtractions(ctx, args, args.files[i], graph, c));
    }
  }
  KG_RETURN_IF_ERROR(graph.Flush());
  double seconds =
      std::chrono::duration<double>(std::chrono::steady_clock::now() - start).count();
  if (!args.quiet) {
    std::fprintf(stderr,
                 "%s: loaded %llu documents (%llu already stored, %llu bad lines skipped): "
                 "%llu nodes created, %llu merged, %llu edges created, %llu evidence records; "
                 "%.1f MB in %.2f s (%.1f MB/s)\n",
                 ctx.program.c_str(), static_cast<unsigned long long>(c.loaded),
                 static_cast<unsigned long long>(c.already_stored),
                 static_cast<unsigned long long>(c.bad),
                 static_cast<unsigned long long>(c.nodes_created),
                 static_cast<unsigned long long>(c.nodes_merged),
                 static_cast<unsigned long long>(c.edges_created),
                 static_cast<unsigned long long>(c.evidence), c.bytes / 1e6, seconds,
                 seconds > 0 ? c.bytes / 1e6 / seconds : 0.0);
  }
  return Status::Ok();
}

Registrar register_load("kg", "load", [](CLI::App& app, Context& ctx) {
  auto args = std::make_shared<LoadArgs>();
  auto* sub = app.add_subcommand(
      "load", "Merge `kg extract --format json` outputs into the store (as `kg ingest` would "
              "write them), or load a `kg export --format jsonl` dump into an empty store");
  sub->add_option("FILE", args->files, "JSON Lines files, .gz of them, or - for standard input")
      ->required();
  sub->add_flag("--strict", args->strict, "Stop at the first bad line instead of skipping it");
  sub->add_flag("--quiet,-q", args->quiet, "No summary and no skipped-line reports on stderr");
  sub->callback([&ctx, args] { ctx.exit_code = Report(ctx, Run(ctx, *args)); });
});

}  // namespace
}  // namespace kg::cli
