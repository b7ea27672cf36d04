// The read-only graph endpoints: /health, /stats, /entities..., /edges/..., /documents/...
// (docs/HTTP.md). Each request reads one ReadView (a snapshot) made by ServerState::NewView().

#include "graph_routes.h"

#include <algorithm>
#include <map>
#include <unordered_map>
#include <unordered_set>

#include <fmt/format.h>

#include "params.h"
#include "records_json.h"
#include "responses.h"

namespace kg::http::internal {
namespace {

using nlohmann::json;
using kg::store::Direction;
using kg::store::ReadView;

constexpr size_t kDefaultLimit = 20;
constexpr size_t kDefaultNeighbors = 50;
constexpr size_t kDefaultEvidence = 100;
constexpr size_t kEntityMentions = 5;
// Neighbours are ranked by evidence over at most this many adjacency entries: a hub with a
// million edges answers in milliseconds, ranked over its first kRankWindow edges in key order.
constexpr size_t kRankWindow = 5000;
// /entities/{id} counts a node's edges per type by scanning its adjacency (one seek) when it has
// at most this many edges, else by reading one degree counter per edge type and direction.
constexpr uint64_t kMaxDegreeForScan = 256;
// ... unless there are more edge types than this: then it scans anyway.
constexpr size_t kMaxTypesForCounters = 64;

// Sends 500 and returns true when the view met an I/O or corruption error.
bool FailedRead(ReadView& view, httplib::Response& res) {
  if (view.status().ok()) return false;
  SendStatus(res, view.status());
  return true;
}

// Reads the id captured by the route's first group; answers 404 when it cannot be an id.
std::optional<uint64_t> PathId(const httplib::Request& req, httplib::Response& res,
                               std::string_view what) {
  auto id = ParseId(req.matches[1].str());
  if (!id) SendError(res, 404, "NotFound", fmt::format("no {} with that id", what));
  return id;
}

// Document summaries for evidence, each document read once per request.
class DocumentCache {
 public:
  explicit DocumentCache(ReadView& view) : view_(view) {}
  json Get(kg::store::DocId id) {
    if (id == kg::store::kNoId) return nullptr;
    auto it = cache_.find(id);
    if (it != cache_.end()) return it->second;
    auto document = view_.GetDocument(id);
    json out = document ? DocumentJson(*document, /*full=*/false) : json(nullptr);
    cache_.emplace(id, out);
    return out;
  }

 private:
  ReadView& view_;
  std::unordered_map<kg::store::DocId, json> cache_;
};

json EntityListItem(ReadView& view, const kg::store::Node& node) {
  json item = NodeBriefJson(node);
  item["aliases"] = node.aliases();
  item["degree"] = view.Degree(node.id, Direction::kBoth);
  return item;
}

void GetHealth(ServerState& state, httplib::Response& res) {
  SendJson(res, 200,
           {{"status", "ok"},
            {"read_only", state.store().read_only()},
            {"features", {{"query", state.query_enabled}, {"ingest", state.ingest_enabled}}}});
}

void GetStats(ServerState& state, httplib::Response& res) {
  auto view = state.NewView();
  kg::store::StoreStats stats = view->Stats();
  std::vector<std::string> edge_types = view->EdgeTypes();
  std::vector<std::string> labels = view->Labels();
  if (FailedRead(*view, res)) return;
  SendJson(res, 200,
           {{"nodes", stats.nodes},
            {"edges", stats.edges},
            {"documents", stats.documents},
            {"evidence", stats.evidence},
            {"nodes_per_label", stats.labels},
            {"edges_per_type", stats.types},
            {"bytes", stats.bytes},
            {"edge_types", edge_types},
            {"labels", labels},
            {"read_only", state.store().read_only()}});
}

// GET /entities?q=TEXT&label=L&limit=N. With q: name/alias prefix search ranked by evidence and
// degree. Without q but with label: nodes of that label by id. With neither: the best-connected
// nodes (the explorer's starting points).
void GetEntities(ServerState& state, const httplib::Request& req, httplib::Response& res) {
  auto q = Param(req, "q");
  if (!q) return SendStatus(res, q.error());
  auto label = Param(req, "label");
  if (!label) return SendStatus(res, label.error());
  auto limit = LimitParam(req, kDefaultLimit, state.options().max_limit);
  if (!limit) return SendStatus(res, limit.error());
  std::string wanted_label = label->value_or("");

  auto view = state.NewView();
  json entities = json::array();
  if (q->has_value() && !(*q)->empty()) {
    // A label filter drops matches after ranking, so ask for more than `limit`.
    size_t ask = wanted_label.empty() ? *limit : std::min<size_t>(*limit * 20, 10000);
    for (const auto& match : view->SearchNames(**q, ask)) {
      auto node = view->GetNode(match.node);
      if (!node || (!wanted_label.empty() && !node->HasLabel(wanted_label))) continue;
      json item = EntityListItem(*view, *node);
      item["score"] = match.score;
      item["matched"] = match.key;
      entities.push_back(std::move(item));
      if (entities.size() >= *limit) break;
    }
  } else if (!wanted_label.empty()) {
    view->ForEachNodeWithLabel(wanted_label, [&](const kg::store::Node& node) {
      entities.push_back(EntityListItem(*view, node));
      return entities.size() < *limit;
    });
  } else {
    for (const auto& entry : view->TopByDegree(*limit, Direction::kBoth)) {
      auto node = view->GetNode(entry.node);
      if (node) entities.push_back(EntityListItem(*view, *node));
    }
  }
  if (FailedRead(*view, res)) return;
  SendJson(res, 200, {{"entities", std::move(entities)}});
}

// Edges of `node` per type and direction: {"out": {"MEMBER_OF": 3}, "in": {...}}.
json EdgeCounts(ReadView& view, kg::store::NodeId node, uint64_t degree) {
  json counts = {{"out", json::object()}, {"in", json::object()}};
  std::vector<std::string> types;
  if (degree > kMaxDegreeForScan) types = view.EdgeTypes();
  if (degree > kMaxDegreeForScan && types.size() <= kMaxTypesForCounters) {
    for (const std::string& type : types) {
      if (uint64_t n = view.Degree(node, Direction::kOut, type)) counts["out"][type] = n;
      if (uint64_t n = view.Degree(node, Direction::kIn, type)) counts["in"][type] = n;
    }
    return counts;
  }
  std::map<std::string, uint64_t> out, in;
  view.ForEachEdgeRef(node, Direction::kBoth, {}, [&](const kg::store::EdgeRef& ref) {
    ++(ref.direction == Direction::kOut ? out : in)[std::string(ref.type)];
    return true;
  });
  counts["out"] = out;
  counts["in"] = in;
  return counts;
}

void GetEntity(ServerState& state, const httplib::Request& req, httplib::Response& res) {
  auto id = PathId(req, res, "entity");
  if (!id) return;
  auto view = state.NewView();
  auto node = view->GetNode(*id);
  if (!node) {
    if (FailedRead(*view, res)) return;
    return SendError(res, 404, "NotFound", fmt::format("no entity {}", *id));
  }
  json out = NodeJson(*node);
  uint64_t out_degree = view->Degree(*id, Direction::kOut);
  uint64_t in_degree = view->Degree(*id, Direction::kIn);
  out["degree"] = {{"out", out_degree}, {"in", in_degree}};
  out["edges"] = EdgeCounts(*view, *id, out_degree + in_degree);
  DocumentCache documents(*view);
  json mentions = json::array();
  for (const auto& evidence : view->NodeEvidence(*id, kEntityMentions)) {
    mentions.push_back(EvidenceJson(evidence, documents.Get(evidence.doc)));
  }
  out["mentions"] = std::move(mentions);
  if (FailedRead(*view, res)) return;
  SendJson(res, 200, out);
}

// GET /entities/{id}/neighbors?type=T&direction=out|in|both&limit=N: the edges of the entity
// with the node at the other end, most evidence first.
void GetNeighbors(ServerState& state, const httplib::Request& req, httplib::Response& res) {
  auto id = PathId(req, res, "entity");
  if (!id) return;
  auto type = Param(req, "type");
  if (!type) return SendStatus(res, type.error());
  auto direction = DirectionParam(req);
  if (!direction) return SendStatus(res, direction.error());
  auto limit = LimitParam(req, kDefaultNeighbors, state.options().max_limit);
  if (!limit) return SendStatus(res, limit.error());
  std::string edge_type = type->value_or("");

  auto view = state.NewView();
  auto center = view->GetNode(*id);
  if (!center) {
    if (FailedRead(*view, res)) return;
    return SendError(res, 404, "NotFound", fmt::format("no entity {}", *id));
  }
  // Rank by evidence from the adjacency keys and one batched read of the evidence counters;
  // only the edges shown are read whole.
  struct Candidate {
    kg::store::EdgeId edge;
    Direction direction;
    uint64_t evidence = 0;
  };
  std::vector<Candidate> candidates;
  std::unordered_set<kg::store::EdgeId> seen;  // a self-loop appears as out- and in-edge
  bool window_full = false;
  view->ForEachEdgeRef(*id, *direction, edge_type, [&](const kg::store::EdgeRef& ref) {
    if (candidates.size() >= kRankWindow) {
      window_full = true;
      return false;
    }
    if (seen.insert(ref.edge).second) candidates.push_back({ref.edge, ref.direction});
    return true;
  });
  std::vector<kg::store::EdgeId> edge_ids;
  edge_ids.reserve(candidates.size());
  for (const Candidate& candidate : candidates) edge_ids.push_back(candidate.edge);
  std::vector<uint64_t> evidence = view->EdgeEvidenceCounts(edge_ids);
  for (size_t i = 0; i < candidates.size(); ++i) candidates[i].evidence = evidence[i];
  auto by_evidence = [](const Candidate& a, const Candidate& b) {
    if (a.evidence != b.evidence) return a.evidence > b.evidence;
    return a.edge < b.edge;
  };
  if (candidates.size() > *limit) {
    std::partial_sort(candidates.begin(), candidates.begin() + *limit, candidates.end(),
                      by_evidence);
    candidates.resize(*limit);
  } else {
    std::sort(candidates.begin(), candidates.end(), by_evidence);
  }

  std::vector<kg::store::Edge> edges;
  std::vector<Direction> directions;
  std::vector<kg::store::NodeId> others;
  for (const Candidate& candidate : candidates) {
    auto edge = view->GetEdge(candidate.edge);
    if (!edge) continue;
    others.push_back(candidate.direction == Direction::kOut ? edge->target : edge->source);
    directions.push_back(candidate.direction);
    edges.push_back(std::move(*edge));
  }
  auto other_nodes = view->GetNodes(others);
  json neighbors = json::array();
  for (size_t i = 0; i < edges.size(); ++i) {
    if (!other_nodes[i]) continue;
    neighbors.push_back({{"edge", EdgeJson(edges[i])},
                         {"direction", DirectionName(directions[i])},
                         {"node", NodeBriefJson(*other_nodes[i])}});
  }
  uint64_t total = edge_type.empty() ? view->Degree(*id, *direction)
                                     : view->Degree(*id, *direction, edge_type);
  if (FailedRead(*view, res)) return;
  SendJson(res, 200,
           {{"node", NodeBriefJson(*center)},
            {"direction", DirectionName(*direction)},
            {"type", edge_type.empty() ? json(nullptr) : json(edge_type)},
            {"total", total},
            {"ranked_by_evidence", !window_full},
            {"neighbors", std::move(neighbors)}});
}

void GetEdge(ServerState& state, const httplib::Request& req, httplib::Response& res) {
  auto id = PathId(req, res, "edge");
  if (!id) return;
  auto view = state.NewView();
  auto edge = view->GetEdge(*id);
  if (!edge) {
    if (FailedRead(*view, res)) return;
    return SendError(res, 404, "NotFound", fmt::format("no edge {}", *id));
  }
  json out = EdgeJson(*edge);
  auto source = view->GetNode(edge->source);
  auto target = view->GetNode(edge->target);
  out["source_node"] = source ? NodeBriefJson(*source) : json(nullptr);
  out["target_node"] = target ? NodeBriefJson(*target) : json(nullptr);
  if (FailedRead(*view, res)) return;
  SendJson(res, 200, out);
}

void GetEdgeEvidence(ServerState& state, const httplib::Request& req, httplib::Response& res) {
  auto id = PathId(req, res, "edge");
  if (!id) return;
  auto limit = LimitParam(req, kDefaultEvidence, state.options().max_limit);
  if (!limit) return SendStatus(res, limit.error());
  auto view = state.NewView();
  auto edge = view->GetEdge(*id);
  if (!edge) {
    if (FailedRead(*view, res)) return;
    return SendError(res, 404, "NotFound", fmt::format("no edge {}", *id));
  }
  DocumentCache documents(*view);
  json evidence = json::array();
  for (const auto& record : view->EdgeEvidence(*id, *limit)) {
    evidence.push_back(EvidenceJson(record, documents.Get(record.doc)));
  }
  json out = {{"edge", EdgeJson(*edge)}, {"total", edge->evidence_count}};
  out["evidence"] = std::move(evidence);
  if (FailedRead(*view, res)) return;
  SendJson(res, 200, out);
}

void GetDocument(ServerState& state, const httplib::Request& req, httplib::Response& res) {
  auto id = PathId(req, res, "document");
  if (!id) return;
  auto view = state.NewView();
  auto document = view->GetDocument(*id);
  if (!document) {
    if (FailedRead(*view, res)) return;
    return SendError(res, 404, "NotFound", fmt::format("no document {}", *id));
  }
  SendJson(res, 200, DocumentJson(*document, /*full=*/true));
}

}  // namespace

void RegisterGraphRoutes(httplib::Server& server, ServerState& state) {
  ServerState* s = &state;
  // Each route with the parameters it takes; any other is a 400 naming it (CheckKnownParams).
  auto get = [&server](const char* pattern, std::string_view route,
                       std::vector<std::string_view> known, auto handler) {
    server.Get(pattern, [route, known = std::move(known), handler](const httplib::Request& req,
                                                                   httplib::Response& res) {
      if (auto status = CheckKnownParams(req, route, known); !status.ok()) {
        return SendStatus(res, status);
      }
      handler(req, res);
    });
  };
  get("/health", "/health", {},
      [s](const httplib::Request&, httplib::Response& res) { GetHealth(*s, res); });
  get("/stats", "/stats", {},
      [s](const httplib::Request&, httplib::Response& res) { GetStats(*s, res); });
  get("/entities", "/entities", {"q", "label", "limit"},
      [s](const httplib::Request& req, httplib::Response& res) { GetEntities(*s, req, res); });
  get(R"(/entities/([^/]+))", "/entities/{id}", {},
      [s](const httplib::Request& req, httplib::Response& res) { GetEntity(*s, req, res); });
  get(R"(/entities/([^/]+)/neighbors)", "/entities/{id}/neighbors",
      {"type", "direction", "limit"},
      [s](const httplib::Request& req, httplib::Response& res) { GetNeighbors(*s, req, res); });
  get(R"(/edges/([^/]+))", "/edges/{id}", {},
      [s](const httplib::Request& req, httplib::Response& res) { GetEdge(*s, req, res); });
  get(R"(/edges/([^/]+)/evidence)", "/edges/{id}/evidence", {"limit"},
      [s](const httplib::Request& req, httplib::Response& res) { GetEdgeEvidence(*s, req, res); });
  get(R"(/documents/([^/]+))", "/documents/{id}", {},
      [s](const httplib::Request& req, httplib::Response& res) { GetDocument(*s, req, res); });
}

}  // namespace kg::http::internal
