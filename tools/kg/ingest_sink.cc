#include "ingest_sink.h"

#include <nlohmann/json.hpp>

#include <fmt/format.h>

namespace kg::cli {

Result<bool> StoreSink::Contains(const std::string& content_hash) {
  return store_.HasDocument(content_hash);
}

Result<SinkWriteResult> StoreSink::Write(const Extraction& extraction) {
  Result<store::WriteSummary> written = store_.WriteExtraction(extraction);
  if (!written) return written.error();
  SinkWriteResult result;
  result.already_present = written->duplicate;
  result.entities_added = written->nodes_created;
  result.entities_merged = written->nodes_merged;
  result.edges_added = written->edges_created;
  result.evidence_added = written->evidence_added;
  return result;
}

std::string ExtractionToJson(const Extraction& extraction) {
  using Json = nlohmann::ordered_json;
  Json out;
  const DocumentInfo& doc = extraction.doc;
  out["doc"] = Json{{"id", doc.id},
                    {"title", doc.title},
                    {"date", doc.date},
                    {"source", doc.source},
                    {"content_hash", doc.content_hash}};
  Json entities = Json::array();
  for (size_t i = 0; i < extraction.entities.size(); ++i) {
    const ExtractedEntity& entity = extraction.entities[i];
    Json mentions = Json::array();
    for (const Mention& mention : entity.mentions) {
      mentions.push_back(Json{{"start", mention.start}, {"end", mention.end},
                              {"text", mention.text}});
    }
    Json e{{"id", i}, {"name", entity.name}, {"label", entity.label},
           {"aliases", entity.aliases}, {"mentions", std::move(mentions)}};
    if (!entity.properties.empty()) e["properties"] = Json::parse(entity.properties.dump());
    entities.push_back(std::move(e));
  }
  out["entities"] = std::move(entities);
  Json relations = Json::array();
  for (const ExtractedRelation& relation : extraction.relations) {
    Json evidence = Json::array();
    for (const EvidenceSpan& span : relation.evidence) {
      Json ev{{"sentence", span.sentence}, {"start", span.start},   {"end", span.end},
              {"rule", span.rule},         {"confidence", span.confidence}};
      if (!span.properties.empty()) ev["properties"] = Json::parse(span.properties.dump());
      evidence.push_back(std::move(ev));
    }
    relations.push_back(Json{{"type", relation.type},
                             {"source", relation.source},
                             {"target", relation.target},
                             {"properties", Json::parse(relation.properties.dump())},
                             {"evidence", std::move(evidence)}});
  }
  out["relations"] = std::move(relations);
  // Invalid UTF-8 cannot occur (readers repair it); replace rather than throw all the same.
  return out.dump(-1, ' ', false, Json::error_handler_t::replace);
}

Result<SinkWriteResult> PrintSink::Write(const Extraction& extraction) {
  if (format_ == Format::kJson) {
    std::string line = ExtractionToJson(extraction);
    std::fprintf(out_, "%s\n", line.c_str());
  } else {
    const DocumentInfo& doc = extraction.doc;
    std::string text = fmt::format("== {}  {}{}\n", doc.id, doc.title,
                                   doc.date.empty() ? "" : "  (" + doc.date + ")");
    for (size_t i = 0; i < extraction.entities.size(); ++i) {
      const ExtractedEntity& entity = extraction.entities[i];
      text += fmt::format("  [{}] {} :{}  ({} mention{})", i, entity.name, entity.label,
                          entity.mentions.size(), entity.mentions.size() == 1 ? "" : "s");
      if (!entity.aliases.empty()) text += "  aka " + fmt::format("{}", fmt::join(entity.aliases, ", "));
      text += "\n";
    }
    for (const ExtractedRelation& relation : extraction.relations) {
      const std::string& source = relation.source < extraction.entities.size()
                                      ? extraction.entities[relation.source].name
                                      : std::string("?");
      const std::string& target = relation.target < extraction.entities.size()
                                      ? extraction.entities[relation.target].name
                                      : std::string("?");
      text += fmt::format("  {} -[{}]-> {}", source, relation.type, target);
      if (!relation.properties.empty()) text += " " + relation.properties.dump();
      text += "\n";
      for (const EvidenceSpan& span : relation.evidence) {
        text += fmt::format("      {} {:.2f} [{},{}) \"{}\"\n", span.rule, span.confidence,
                            span.start, span.end, span.sentence);
      }
    }
    std::fputs(text.c_str(), out_);
  }
  if (std::ferror(out_)) return Status::IOError("cannot write to standard output");
  return SinkWriteResult{};
}

}  // namespace kg::cli
