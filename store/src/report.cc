#include "kg/store/report.h"

#include <fmt/format.h>

namespace kg::store {

nlohmann::json StatsToJson(const StoreStats& stats) {
  nlohmann::json j = {{"nodes", stats.nodes},
                      {"edges", stats.edges},
                      {"documents", stats.documents},
                      {"evidence", stats.evidence},
                      {"labels", nlohmann::json::object()},
                      {"types", nlohmann::json::object()},
                      {"bytes", nlohmann::json::object()}};
  for (const auto& [k, v] : stats.labels) j["labels"][k] = v;
  for (const auto& [k, v] : stats.types) j["types"][k] = v;
  for (const auto& [k, v] : stats.bytes) j["bytes"][k] = v;
  return j;
}

std::string StatsToText(const StoreStats& stats) {
  std::string out;
  out += fmt::format("nodes      {:>12}\n", stats.nodes);
  out += fmt::format("edges      {:>12}\n", stats.edges);
  out += fmt::format("documents  {:>12}\n", stats.documents);
  out += fmt::format("evidence   {:>12}\n", stats.evidence);
  if (!stats.labels.empty()) out += "\nnodes by label\n";
  for (const auto& [k, v] : stats.labels) out += fmt::format("  {:<24} {:>12}\n", k, v);
  if (!stats.types.empty()) out += "\nedges by type\n";
  for (const auto& [k, v] : stats.types) out += fmt::format("  {:<24} {:>12}\n", k, v);
  uint64_t total = 0;
  for (const auto& [k, v] : stats.bytes) total += v;
  out += fmt::format("\nbytes by column family (SST + memtable), total {}\n", total);
  for (const auto& [k, v] : stats.bytes) out += fmt::format("  {:<24} {:>12}\n", k, v);
  return out;
}

nlohmann::json NodeToJson(const Node& node) {
  return {{"kind", "node"}, {"id", node.id}, {"labels", node.labels},
          {"properties", node.properties}};
}

nlohmann::json EdgeToJson(const Edge& edge) {
  return {{"kind", "edge"},         {"id", edge.id},
          {"type", edge.type},      {"source", edge.source},
          {"target", edge.target},  {"properties", edge.properties},
          {"evidence_count", edge.evidence_count}};
}

nlohmann::json EvidenceToJson(const Evidence& ev) {
  nlohmann::json j = {{"kind", "evidence"},
                      {"id", ev.id},
                      {ev.on_node ? "node" : "edge", ev.edge_or_node},
                      {"sentence", ev.sentence},
                      {"start", ev.start},
                      {"end", ev.end},
                      {"rule", ev.rule},
                      {"confidence", ev.confidence},
                      {"properties", ev.properties}};
  j["doc"] = ev.doc == kNoId ? nlohmann::json(nullptr) : nlohmann::json(ev.doc);
  return j;
}

nlohmann::json DocumentToJson(const Document& doc, bool with_text) {
  nlohmann::json j = {{"kind", "document"},       {"id", doc.id},
                      {"external_id", doc.external_id}, {"source", doc.source},
                      {"title", doc.title},       {"date", doc.date},
                      {"content_hash", doc.content_hash}, {"ingest_time", doc.ingest_time}};
  if (with_text) {
    j["text"] = doc.text;
  } else {
    j["text_bytes"] = doc.text.size();
  }
  return j;
}

}  // namespace kg::store
