// kg-inspect digest: a canonical, id-free text form of a store, so that two stores hold the same
// graph exactly when their digests are byte-identical. Internal ids depend on the order articles
// were written (resumed runs, shards merged in another order), so every record is named by what
// it is instead: documents by external id and content hash, nodes by label and name, edges by
// their end nodes and type. Lines are sorted; duplicates are kept (two nodes with the same label
// and name are a difference worth seeing).
//
// Memory: one line per record plus an id → "label:name" map of the nodes; meant for checking
// stores (tests, crash runs, shard merges), not for exporting large graphs (use dump/export).
#include <algorithm>
#include <cstdio>
#include <memory>
#include <string>
#include <unordered_map>
#include <vector>

#include <fmt/format.h>

#include "command.h"
#include "kg/store/graph_store.h"

namespace kg::cli {
namespace {

struct DigestOptions {
  bool evidence = false;    // one line per evidence record too
  bool properties = false;  // node and edge properties (aliases sorted) on their lines
};

std::string FirstLabel(const store::Node& n) {
  if (n.labels.empty()) return "";
  return *std::min_element(n.labels.begin(), n.labels.end());
}

// Aliases are a set whose order depends on which article came first: sort them so equal sets
// print equally.
std::string CanonicalProperties(Properties properties) {
  auto aliases = properties.find("aliases");
  if (aliases != properties.end() && aliases->is_array()) {
    std::sort(aliases->begin(), aliases->end());
  }
  return properties.dump(-1, ' ', false, nlohmann::json::error_handler_t::replace);
}

Status Run(const Context& ctx, const DigestOptions& opt) {
  store::OpenOptions open;
  open.mode = store::OpenMode::kReadOnly;
  auto opened = store::GraphStore::Open(ctx.db_path, open);
  if (!opened) return opened.error();
  auto view = (*opened)->NewReadView();

  std::vector<std::string> lines;
  std::unordered_map<store::NodeId, std::string> node_keys;
  std::unordered_map<store::DocId, std::string> doc_keys;
  std::unordered_map<uint64_t, uint64_t> node_evidence;
  std::unordered_map<store::EdgeId, std::string> edge_keys;

  view->ForEachDocument([&](const store::Document& d) {
    doc_keys[d.id] = d.external_id;
    lines.push_back(fmt::format("document\t{}\t{}\t{}\t{}\t{}", d.external_id, d.content_hash,
                                d.title, d.date, d.text.size()));
    return true;
  });
  view->ForEachEvidence([&](const store::Evidence& ev) {
    if (ev.on_node) ++node_evidence[ev.edge_or_node];
    return true;
  });
  view->ForEachNode([&](const store::Node& n) {
    auto key = fmt::format("{}:{}", FirstLabel(n), n.name());
    std::string line = fmt::format("node\t{}\t{}", key, node_evidence[n.id]);
    if (opt.properties) line += "\t" + CanonicalProperties(n.properties);
    lines.push_back(std::move(line));
    node_keys[n.id] = std::move(key);
    return true;
  });
  view->ForEachEdge([&](const store::Edge& e) {
    auto key = fmt::format("{}\t{}\t{}", node_keys[e.source], e.type, node_keys[e.target]);
    std::string line = fmt::format("edge\t{}\t{}", key, e.evidence_count);
    if (opt.properties) line += "\t" + CanonicalProperties(e.properties);
    lines.push_back(std::move(line));
    if (opt.evidence) edge_keys[e.id] = std::move(key);
    return true;
  });
  if (opt.evidence) {
    view->ForEachEvidence([&](const store::Evidence& ev) {
      const std::string& owner =
          ev.on_node ? node_keys[ev.edge_or_node] : edge_keys[ev.edge_or_node];
      lines.push_back(fmt::format("evidence\t{}\t{}\t{}\t{}\t{}\t{:.6g}", owner,
                                  ev.doc == store::kNoId ? "" : doc_keys[ev.doc], ev.start, ev.end,
                                  ev.rule, ev.confidence));
      return true;
    });
  }
  KG_RETURN_IF_ERROR(view->status());

  std::sort(lines.begin(), lines.end());
  for (const auto& line : lines) {
    if (std::fwrite(line.data(), 1, line.size(), stdout) != line.size() ||
        std::fputc('\n', stdout) == EOF) {
      return Status::IOError("cannot write to standard output");
    }
  }
  if (std::fflush(stdout) != 0) return Status::IOError("cannot write to standard output");
  return Status::Ok();
}

Registrar register_digest("kg-inspect", "digest", [](CLI::App& app, Context& ctx) {
  auto opt = std::make_shared<DigestOptions>();
  auto* sub = app.add_subcommand(
      "digest", "Canonical sorted id-free form of the graph: equal digests, equal graphs");
  sub->add_flag("--evidence", opt->evidence,
                "also one line per evidence record (owner, document, offsets, rule)");
  sub->add_flag("--properties", opt->properties, "also node and edge properties");
  sub->callback([&ctx, opt] { ctx.exit_code = Report(ctx, Run(ctx, *opt)); });
});

}  // namespace
}  // namespace kg::cli
