// kg-inspect dump: the whole store as JSON Lines, streamed: every node, then every edge, then
// every evidence record, then every document ({"kind": "node"|"edge"|"evidence"|"document",
// ...}). Invalid UTF-8 in stored text is replaced by U+FFFD.
#include <cstdio>
#include <memory>

#include "command.h"
#include "kg/store/graph_store.h"
#include "kg/store/report.h"

namespace kg::cli {
namespace {

struct DumpOptions {
  bool no_text = false;
};

bool Emit(const nlohmann::json& j) {
  auto line = j.dump(-1, ' ', false, nlohmann::json::error_handler_t::replace);
  line.push_back('\n');
  return std::fwrite(line.data(), 1, line.size(), stdout) == line.size();
}

Status Run(const Context& ctx, const DumpOptions& opt) {
  store::OpenOptions open;
  open.mode = store::OpenMode::kReadOnly;
  auto opened = store::GraphStore::Open(ctx.db_path, open);
  if (!opened) return opened.error();
  auto view = (*opened)->NewReadView();
  bool ok = true;
  view->ForEachNode([&](const store::Node& n) { return ok = Emit(store::NodeToJson(n)); });
  if (ok) view->ForEachEdge([&](const store::Edge& e) { return ok = Emit(store::EdgeToJson(e)); });
  if (ok) {
    view->ForEachEvidence(
        [&](const store::Evidence& ev) { return ok = Emit(store::EvidenceToJson(ev)); });
  }
  if (ok) {
    view->ForEachDocument([&](const store::Document& d) {
      return ok = Emit(store::DocumentToJson(d, !opt.no_text));
    });
  }
  if (std::fflush(stdout) != 0) ok = false;
  if (!ok) return Status::IOError("cannot write to standard output");
  return view->status();
}

Registrar register_dump("kg-inspect", "dump", [](CLI::App& app, Context& ctx) {
  auto opt = std::make_shared<DumpOptions>();
  auto* sub = app.add_subcommand("dump", "Stream nodes, edges, evidence and documents as JSONL");
  sub->add_flag("--no-text", opt->no_text, "omit document texts (give their length)");
  sub->callback([&ctx, opt] { ctx.exit_code = Report(ctx, Run(ctx, *opt)); });
});

}  // namespace
}  // namespace kg::cli
