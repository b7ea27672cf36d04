// kg-inspect show NAME|ID: one entity with its aliases, properties and edges grouped by type and
// direction, each edge with its evidence sentences (document, rule, confidence).
#include <algorithm>
#include <charconv>
#include <iostream>
#include <map>
#include <memory>

#include <fmt/format.h>

#include "command.h"
#include "kg/store/graph_store.h"

namespace kg::cli {
namespace {

struct ShowOptions {
  std::string what;
  size_t edges_per_type = 10;
  size_t evidence_per_edge = 2;
};

std::string Describe(store::ReadView& view, store::NodeId id) {
  auto node = view.GetNode(id);
  if (!node) return fmt::format("#{} (missing)", id);
  std::string labels;
  for (const auto& l : node->labels) labels += ":" + l;
  auto name = node->name();
  return fmt::format("{} {} (#{})", name.empty() ? "<no name>" : name, labels, id);
}

void ShowEdges(store::ReadView& view, store::NodeId id, store::Direction direction,
               const ShowOptions& opt) {
  // Count per type first (one adjacency scan, no edge records), then read the first few.
  std::map<std::string, std::vector<store::EdgeRef>> shown;
  std::map<std::string, uint64_t> counts;
  view.ForEachEdgeRef(id, direction, {}, [&](const store::EdgeRef& ref) {
    std::string type(ref.type);
    if (++counts[type] <= opt.edges_per_type) shown[type].push_back(ref);
    return true;
  });
  bool out = direction == store::Direction::kOut;
  if (counts.empty()) return;
  std::cout << (out ? "\noutgoing\n" : "\nincoming\n");
  for (const auto& [type, n] : counts) {
    std::cout << fmt::format("  {} ({})\n", type, n);
    for (const auto& ref : shown[type]) {
      auto edge = view.GetEdge(ref.edge);
      uint64_t evidence = edge ? edge->evidence_count : 0;
      std::cout << fmt::format("    {} {}  [edge {}, {} evidence]\n", out ? "->" : "<-",
                               Describe(view, ref.other), ref.edge, evidence);
      for (const auto& ev : view.EdgeEvidence(ref.edge, opt.evidence_per_edge)) {
        std::string where = ev.doc != store::kNoId ? fmt::format("doc {}", ev.doc) : "no doc";
        if (ev.properties.is_object() && ev.properties.contains("doc_id")) {
          where = ev.properties["doc_id"].dump();
        }
        std::string sentence = ev.sentence.empty() ? "(no sentence)" : "\"" + ev.sentence + "\"";
        std::cout << fmt::format("       {}  ({}, {}, {:.2f})\n", sentence, where, ev.rule,
                                 ev.confidence);
      }
      if (evidence > opt.evidence_per_edge) {
        std::cout << fmt::format("       ... {} more\n", evidence - opt.evidence_per_edge);
      }
    }
    if (n > opt.edges_per_type) {
      std::cout << fmt::format("    ... {} more\n", n - opt.edges_per_type);
    }
  }
}

Status Run(const Context& ctx, const ShowOptions& opt) {
  store::OpenOptions open;
  open.mode = store::OpenMode::kReadOnly;
  auto opened = store::GraphStore::Open(ctx.db_path, open);
  if (!opened) return opened.error();
  auto view = (*opened)->NewReadView();
  std::vector<store::NodeId> ids = view->FindByName(opt.what);
  if (ids.empty()) {
    uint64_t id = 0;
    auto r = std::from_chars(opt.what.data(), opt.what.data() + opt.what.size(), id);
    if (r.ec == std::errc() && r.ptr == opt.what.data() + opt.what.size() && view->GetNode(id)) {
      ids.push_back(id);
    }
  }
  KG_RETURN_IF_ERROR(view->status());
  if (ids.empty()) return Status::NotFound("no entity named or numbered '" + opt.what + "'");
  for (size_t i = 0; i < ids.size(); ++i) {
    auto node = view->GetNode(ids[i]);
    if (!node) continue;
    if (i > 0) std::cout << "\n----\n";
    std::cout << Describe(*view, ids[i]) << "\n";
    auto aliases = node->aliases();
    if (!aliases.empty()) {
      std::string joined;
      for (const auto& a : aliases) joined += (joined.empty() ? "" : ", ") + a;
      std::cout << "  aliases: " << joined << "\n";
    }
    auto props = node->properties;
    props.erase("name");
    props.erase("aliases");
    if (!props.empty()) {
      std::cout << "  properties: "
                << props.dump(-1, ' ', false, nlohmann::json::error_handler_t::replace) << "\n";
    }
    std::cout << fmt::format("  degree: {} out, {} in; {} mention evidence record(s)\n",
                             view->Degree(ids[i], store::Direction::kOut),
                             view->Degree(ids[i], store::Direction::kIn),
                             view->NodeEvidence(ids[i]).size());
    ShowEdges(*view, ids[i], store::Direction::kOut, opt);
    ShowEdges(*view, ids[i], store::Direction::kIn, opt);
  }
  return view->status();
}

Registrar register_show("kg-inspect", "show", [](CLI::App& app, Context& ctx) {
  auto opt = std::make_shared<ShowOptions>();
  auto* sub = app.add_subcommand("show", "Show an entity (by name, alias or id) and its edges");
  sub->add_option("entity", opt->what, "name, alias or node id")->required();
  sub->add_option("--edges", opt->edges_per_type, "edges shown per type and direction")
      ->capture_default_str();
  sub->add_option("--evidence", opt->evidence_per_edge, "evidence sentences shown per edge")
      ->capture_default_str();
  sub->callback([&ctx, opt] { ctx.exit_code = Report(ctx, Run(ctx, *opt)); });
});

}  // namespace
}  // namespace kg::cli
