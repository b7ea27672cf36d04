#include "ingest_sink.h"

#include <nlohmann/json.hpp>

#include <fmt/format.h>

#include "kg/core/extraction_json.h"

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

Result<SinkWriteResult> PrintSink::Write(const Extraction& extraction) {
  if (format_ == Format::kJson) {
    std::string line = kg::ExtractionToJson(extraction);  // kg/core/extraction_json.h
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
