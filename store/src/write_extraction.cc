// WriteExtraction: one document's extraction through one GraphBatch, committed atomically.

#include <chrono>

#include "graph_batch_impl.h"
#include "key_format.h"
#include "store_impl.h"
#include "values.h"

namespace kg::store::internal {
namespace {

bool IsSentenceEnd(const std::string& text, size_t i) {
  char c = text[i];
  if (c == '\n') return true;
  if (c != '.' && c != '!' && c != '?') return false;
  return i + 1 >= text.size() || text[i + 1] == ' ' || text[i + 1] == '\n';
}

// The approximate sentence around [start, end) in `text` (entities carry mentions, not
// sentences): from after the previous terminator to the next one, at most ~300 bytes each way.
std::pair<uint32_t, uint32_t> SentenceAround(const std::string& text, uint32_t start,
                                             uint32_t end) {
  constexpr size_t kReach = 300;
  size_t s = std::min<size_t>(start, text.size());
  size_t e = std::min<size_t>(std::max(start, end), text.size());
  size_t lo = s;
  while (lo > 0 && s - lo < kReach && !IsSentenceEnd(text, lo - 1)) --lo;
  while (lo < s && (text[lo] == ' ' || text[lo] == '\n')) ++lo;
  size_t hi = e;
  while (hi < text.size() && hi - e < kReach && !IsSentenceEnd(text, hi)) ++hi;
  if (hi < text.size() && text[hi] != '\n') ++hi;
  // Never cut inside a UTF-8 sequence.
  while (lo > 0 && lo < text.size() && (static_cast<unsigned char>(text[lo]) & 0xC0) == 0x80) --lo;
  while (hi < text.size() && (static_cast<unsigned char>(text[hi]) & 0xC0) == 0x80) ++hi;
  return {static_cast<uint32_t>(lo), static_cast<uint32_t>(hi)};
}

}  // namespace

Result<WriteSummary> StoreImpl::WriteExtraction(const kg::Extraction& extraction) {
  const auto& info = extraction.doc;
  if (info.content_hash.empty()) {
    return Status::InvalidArgument("document '" + info.id + "' has no content hash");
  }
  for (size_t i = 0; i < extraction.relations.size(); ++i) {
    const auto& r = extraction.relations[i];
    if (r.source >= extraction.entities.size() || r.target >= extraction.entities.size()) {
      return Status::InvalidArgument("document '" + info.id + "': relation " + std::to_string(i) +
                                     " names an entity index out of range");
    }
  }
  auto batch = NewBatch();
  auto& impl = *batch->impl_;
  WriteSummary summary;
  {
    std::string value;
    auto s = db_->Get(rocksdb::ReadOptions(), cf_[kDocIndex],
                      DocIndexKey(kDocHashTag, info.content_hash), &value);
    if (s.ok() && value.size() == 8) {
      summary.duplicate = true;
      summary.doc = GetU64(value.data());
      return summary;
    }
    if (!s.ok() && !s.IsNotFound()) return FromRocks(s, "cannot read " + path_);
  }

  Document doc;
  doc.id = next_doc_++;
  doc.external_id = info.id;
  doc.source = info.source;
  doc.title = info.title;
  doc.date = info.date;
  doc.content_hash = info.content_hash;
  doc.ingest_time = std::chrono::duration_cast<std::chrono::seconds>(
                        std::chrono::system_clock::now().time_since_epoch())
                        .count();
  doc.text = info.text;
  summary.doc = doc.id;
  impl.wb.Put(cf_[kDocs], U64Key(doc.id), EncodeDocument(doc));
  impl.wb.Put(cf_[kDocIndex], DocIndexKey(kDocHashTag, doc.content_hash), U64Key(doc.id));
  if (!doc.external_id.empty()) {
    impl.wb.Put(cf_[kDocIndex], DocIndexKey(kDocExternalTag, doc.external_id), U64Key(doc.id));
  }
  impl.AddCounter(CounterKey(CounterTag::kDocuments), 1);

  summary.entity_nodes.assign(extraction.entities.size(), kNoId);
  for (size_t i = 0; i < extraction.entities.size(); ++i) {
    const auto& e = extraction.entities[i];
    EntityUpsert upsert{e.name, e.label, e.aliases, e.properties, 1};
    bool created = false;
    auto node = batch->UpsertEntity(upsert, &created);
    if (!node) {
      if (node.error().code() == Status::Code::kInvalidArgument) continue;  // nameless entity
      return node.error();
    }
    summary.entity_nodes[i] = *node;
    ++(created ? summary.nodes_created : summary.nodes_merged);
    if (e.mentions.empty()) continue;
    const auto& m = e.mentions.front();
    auto [lo, hi] = SentenceAround(info.text, m.start, m.end);
    Evidence ev;
    ev.on_node = true;
    ev.edge_or_node = *node;
    ev.doc = doc.id;
    ev.sentence = info.text.substr(lo, hi - lo);
    ev.start = lo;
    ev.end = hi;
    ev.rule = "mention";
    ev.properties = {{"mentions", e.mentions.size()},
                     {"mention_start", m.start},
                     {"mention_end", m.end},
                     {"surface", m.text}};
    KG_RETURN_IF_ERROR(batch->AddEvidence(ev));
    ++summary.evidence_added;
  }

  for (const auto& r : extraction.relations) {
    NodeId src = summary.entity_nodes[r.source];
    NodeId dst = summary.entity_nodes[r.target];
    if (src == kNoId || dst == kNoId || r.type.empty()) continue;
    bool created = false;
    auto edge = batch->MergeEdge(src, r.type, dst, r.properties, &created);
    if (!edge) return edge.error();
    ++(created ? summary.edges_created : summary.edges_merged);
    for (const auto& span : r.evidence) {
      Evidence ev;
      ev.edge_or_node = *edge;
      ev.doc = doc.id;
      ev.sentence = span.sentence;
      ev.start = span.start;
      ev.end = span.end;
      ev.rule = span.rule;
      ev.confidence = span.confidence;
      ev.properties = span.properties.is_object() ? span.properties : EmptyProperties();
      KG_RETURN_IF_ERROR(batch->AddEvidence(ev));
      ++summary.evidence_added;
    }
  }
  KG_RETURN_IF_ERROR(Commit(*batch));
  return summary;
}

}  // namespace kg::store::internal
