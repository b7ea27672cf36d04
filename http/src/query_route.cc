// POST /query: runs one openCypher query on one snapshot and answers JSON, or NDJSON when the
// client accepts application/x-ndjson (docs/HTTP.md, "POST /query").

#include "query_route.h"

#if KG_HTTP_HAVE_QUERY

#include <algorithm>
#include <chrono>
#include <cmath>
#include <cstdio>
#include <memory>
#include <string>

#include <fmt/format.h>
#include <nlohmann/json.hpp>

#include "auth.h"
#include "kg/http/query_request.h"
#include "kg/query/engine.h"
#include "kg/query/forwarding_graph.h"
#include "kg/query/store_graph.h"
#include "kg/query/value.h"
#include "responses.h"

namespace kg::http::internal {
namespace {

using nlohmann::json;
using kg::query::Value;

// Rows per chunk of an NDJSON stream.
constexpr size_t kRowsPerChunk = 256;

// GraphAccess that reads through `inner` and refuses writes unless `writes_allowed`; remembers a
// refusal so the route answers 403 instead of the executor's generic error.
class GuardedGraph : public kg::query::ForwardingGraph {
 public:
  GuardedGraph(kg::query::GraphAccess& inner, bool writes_allowed, std::string refusal)
      : ForwardingGraph(inner), writes_allowed_(writes_allowed), refusal_(std::move(refusal)) {}

  Result<kg::query::NodeRef> CreateNode(const std::vector<std::string>& labels,
                                        const Properties& props) override {
    if (!writes_allowed_) return Refuse();
    return ForwardingGraph::CreateNode(labels, props);
  }
  Result<kg::query::RelRef> CreateRel(uint64_t src, uint64_t dst, const std::string& type,
                                      const Properties& props) override {
    if (!writes_allowed_) return Refuse();
    return ForwardingGraph::CreateRel(src, dst, type, props);
  }

  Status DeleteNode(uint64_t id, bool detach) override {
    if (!writes_allowed_) return Refuse();
    return ForwardingGraph::DeleteNode(id, detach);
  }
  Status DeleteRel(uint64_t id) override {
    if (!writes_allowed_) return Refuse();
    return ForwardingGraph::DeleteRel(id);
  }
  Status SetNodeProperties(uint64_t id, const Properties& props) override {
    if (!writes_allowed_) return Refuse();
    return ForwardingGraph::SetNodeProperties(id, props);
  }
  Status SetNodeLabels(uint64_t id, const std::vector<std::string>& labels) override {
    if (!writes_allowed_) return Refuse();
    return ForwardingGraph::SetNodeLabels(id, labels);
  }
  Status SetRelProperties(uint64_t id, const Properties& props) override {
    if (!writes_allowed_) return Refuse();
    return ForwardingGraph::SetRelProperties(id, props);
  }

  bool refused() const { return refused_; }

 private:
  Status Refuse() {
    refused_ = true;
    return Status::InvalidArgument(refusal_);
  }

  bool writes_allowed_;
  std::string refusal_;
  bool refused_ = false;
};

json NodeValueJson(const kg::query::NodeData& node) {
  return {{"id", node.id},
          {"labels", node.labels},
          {"properties", node.props.is_object() ? node.props : json::object()}};
}

json RelValueJson(const kg::query::RelData& rel) {
  return {{"id", rel.id},
          {"type", rel.type},
          {"start", rel.src},
          {"end", rel.dst},
          {"properties", rel.props.is_object() ? rel.props : json::object()}};
}

json ValueJson(const Value& value) {
  switch (value.type()) {
    case Value::Type::kNull:
      return nullptr;
    case Value::Type::kBool:
      return value.as_bool();
    case Value::Type::kInt:
      return value.as_int();
    case Value::Type::kFloat:
      return value.as_float();
    case Value::Type::kString:
      return value.as_string();
    case Value::Type::kList: {
      json out = json::array();
      for (const Value& item : value.as_list()) out.push_back(ValueJson(item));
      return out;
    }
    case Value::Type::kMap: {
      json out = json::object();
      for (const auto& [key, item] : value.as_map()) out[key] = ValueJson(item);
      return out;
    }
    case Value::Type::kNode:
      return NodeValueJson(*value.as_node());
    case Value::Type::kRel:
      return RelValueJson(*value.as_rel());
    case Value::Type::kPath: {
      json nodes = json::array();
      json rels = json::array();
      for (const auto& node : value.as_path()->nodes) nodes.push_back(NodeValueJson(*node));
      for (const auto& rel : value.as_path()->rels) rels.push_back(RelValueJson(*rel));
      return {{"nodes", std::move(nodes)}, {"relationships", std::move(rels)}};
    }
  }
  return nullptr;
}

json RowJson(const std::vector<Value>& row) {
  json out = json::array();
  for (const Value& value : row) out.push_back(ValueJson(value));
  return out;
}

// The error body of a failed query: the openCypher error name as code, its detail, the message's
// first line, the position when the message has one ("SyntaxError at 2:7: ...").
void SendQueryError(httplib::Response& res, const Status& status) {
  std::string type = kg::query::ErrorType(status);
  std::string detail = kg::query::ErrorDetail(status);
  const std::string& message = status.message();
  size_t newline = message.find('\n');
  json error = {{"code", type.empty() ? std::string(CodeName(status.code())) : type},
                {"message", message.substr(0, newline)}};
  if (!detail.empty()) error["detail"] = detail;
  if (newline != std::string::npos) error["context"] = message.substr(newline + 1);
  unsigned line = 0, column = 0;
  std::string at = type + " at ";
  if (message.rfind(at, 0) == 0 &&
      std::sscanf(message.c_str() + at.size(), "%u:%u", &line, &column) == 2) {
    error["line"] = line;
    error["column"] = column;
  }
  int http_status = 400;
  if (status.code() == Status::Code::kTimeout) http_status = 503;
  if (status.code() == Status::Code::kBusy) http_status = 422;
  if (status.code() == Status::Code::kInternal || status.code() == Status::Code::kIOError ||
      status.code() == Status::Code::kCorruption) {
    http_status = 500;
  }
  SendJson(res, http_status, {{"error", std::move(error)}});
}

bool WantsNdjson(const httplib::Request& req) {
  return req.get_header_value("Accept").find("application/x-ndjson") != std::string::npos;
}

void PostQuery(ServerState& state, const httplib::Request& req, httplib::Response& res) {
  std::string query;
  kg::query::Map params;
  if (Status s = kg::http::ParseQueryRequest(req.body, &query, &params); !s.ok()) {
    return SendStatus(res, s);
  }

  WriteAccess access = CheckWriteAccess(req, state);

  kg::query::QueryOptions options;
  options.timeout_ms = state.options().query_timeout_ms;
  options.max_result_rows = state.options().query_max_rows;

  auto started = std::chrono::steady_clock::now();
  state.MaybeCatchUp();
  kg::query::StoreGraph graph(state.store());
  GuardedGraph guarded(graph, access.allowed, access.refusal);
  auto result = kg::query::Execute(guarded, query, params, options);
  double elapsed_ms =
      std::chrono::duration<double, std::milli>(std::chrono::steady_clock::now() - started)
          .count();
  if (guarded.refused()) return SendRefusal(res, access);
  if (!result) return SendQueryError(res, result.error());
  if (Status s = graph.status(); !s.ok()) return SendStatus(res, s);

  json stats = {{"rows", result->rows.size()},
                {"elapsed_ms", std::round(elapsed_ms * 1000) / 1000}};
  if (result->nodes_created || result->rels_created) {
    stats["nodes_created"] = result->nodes_created;
    stats["relationships_created"] = result->rels_created;
  }
  if (result->nodes_deleted || result->rels_deleted) {
    stats["nodes_deleted"] = result->nodes_deleted;
    stats["relationships_deleted"] = result->rels_deleted;
  }
  if (result->properties_set || result->labels_added || result->labels_removed) {
    stats["properties_set"] = result->properties_set;
    stats["labels_added"] = result->labels_added;
    stats["labels_removed"] = result->labels_removed;
  }
  if (result->explain || result->profile) stats["plan"] = kg::query::FormatPlan(*result);

  if (!WantsNdjson(req)) {
    json rows = json::array();
    for (const auto& row : result->rows) rows.push_back(RowJson(row));
    return SendJson(res, 200,
                    {{"columns", result->columns}, {"rows", std::move(rows)}, {"stats", stats}});
  }
  // NDJSON: {"columns": [...]}, then one {"row": [...]} per row, then {"stats": {...}}; rows are
  // serialised chunk by chunk, so a large result is never one big string.
  auto shared = std::make_shared<kg::query::QueryResult>(std::move(*result));
  auto next_row = std::make_shared<size_t>(0);
  auto header_sent = std::make_shared<bool>(false);
  res.status = 200;
  res.set_chunked_content_provider(
      "application/x-ndjson",
      [shared, next_row, header_sent, stats](size_t, httplib::DataSink& sink) {
        std::string chunk;
        if (!*header_sent) {
          chunk += DumpJson({{"columns", shared->columns}}) + "\n";
          *header_sent = true;
        }
        size_t end = std::min(shared->rows.size(), *next_row + kRowsPerChunk);
        for (; *next_row < end; ++*next_row) {
          chunk += DumpJson({{"row", RowJson(shared->rows[*next_row])}}) + "\n";
        }
        bool last = *next_row >= shared->rows.size();
        if (last) chunk += DumpJson({{"stats", stats}}) + "\n";
        if (!sink.write(chunk.data(), chunk.size())) return false;
        if (last) sink.done();
        return true;
      });
}

}  // namespace

void RegisterQueryRoutes(httplib::Server& server, ServerState& state) {
  ServerState* s = &state;
  server.Post("/query", [s](const httplib::Request& req, httplib::Response& res) {
    PostQuery(*s, req, res);
  });
  state.query_enabled = true;
}

}  // namespace kg::http::internal

#else  // !KG_HTTP_HAVE_QUERY

namespace kg::http::internal {

void RegisterQueryRoutes(httplib::Server& server, ServerState& state) {
  (void)server;
  (void)state;
}

}  // namespace kg::http::internal

#endif  // KG_HTTP_HAVE_QUERY
