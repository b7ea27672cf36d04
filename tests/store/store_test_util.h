#pragma once
// Builders and checks shared by the store tests.

#include <catch2/catch.hpp>

#include <filesystem>
#include <memory>
#include <string>
#include <vector>

#include "kg/core/extraction.h"
#include "kg/store/graph_store.h"
#include "kg/store/verify.h"
#include "../../store/src/evidence_pack.h"
#include "../../store/src/key_format.h"
#include "../../store/src/store_impl.h"

namespace kg::testing {

// Opens the store at `path` (created when missing, unless read-only) or fails the test case.
inline std::unique_ptr<kg::store::GraphStore> OpenStore(
    const std::filesystem::path& path, kg::store::OpenMode mode = kg::store::OpenMode::kReadWrite) {
  kg::store::OpenOptions options;
  options.mode = mode;
  auto store = kg::store::GraphStore::Open(path.string(), options);
  INFO((store ? std::string("ok") : store.error().message()));
  REQUIRE(store.has_value());
  return std::move(store.value());
}

// Fails the test case, listing the problems, unless `kg-inspect verify` would find the store
// consistent.
inline void RequireVerified(kg::store::GraphStore& store) {
  auto report = kg::store::VerifyStore(store);
  REQUIRE(report.has_value());
  for (const auto& p : report->problems) UNSCOPED_INFO(p);
  REQUIRE(report->ok());
}

// A document mentioning `a` (label_a) and `b` (label_b) with one relation a -type-> b whose
// evidence is one sentence. The content hash is derived from `external_id` unless given.
inline kg::Extraction MakeExtraction(const std::string& external_id, const std::string& a,
                                     const std::string& label_a, const std::string& b,
                                     const std::string& label_b, const std::string& type,
                                     std::string content_hash = {}) {
  kg::Extraction x;
  std::string sentence = a + " " + type + " " + b + ".";
  x.doc.id = external_id;
  x.doc.source = "test://" + external_id;
  x.doc.title = "Title of " + external_id;
  x.doc.date = "2024-01-02";
  x.doc.text = sentence + " Other text of " + external_id + ".";
  x.doc.content_hash = content_hash.empty() ? "hash-" + external_id : content_hash;
  kg::ExtractedEntity ea;
  ea.name = a;
  ea.label = label_a;
  ea.mentions.push_back({0, static_cast<uint32_t>(a.size()), a});
  kg::ExtractedEntity eb;
  eb.name = b;
  eb.label = label_b;
  auto b_start = static_cast<uint32_t>(sentence.find(b));
  eb.mentions.push_back({b_start, b_start + static_cast<uint32_t>(b.size()), b});
  x.entities = {ea, eb};
  kg::ExtractedRelation r;
  r.type = type;
  r.source = 0;
  r.target = 1;
  r.evidence.push_back({sentence, 0, static_cast<uint32_t>(sentence.size()), "test:rule", 0.9,
                        kg::EmptyProperties()});
  x.relations = {r};
  return x;
}

// Adds to `batch` what turns every evidence pack of the store into one single-record key per
// record (kind | owner | id, the layout of schema <= 2), the packs deleted; returns the records.
inline size_t UnpackEvidence(kg::store::internal::StoreImpl* impl, rocksdb::WriteBatch* batch) {
  namespace in = kg::store::internal;
  rocksdb::ReadOptions ro;
  ro.total_order_seek = true;
  std::unique_ptr<rocksdb::Iterator> it(impl->db()->NewIterator(ro, impl->cf(in::kEvidence)));
  size_t records = 0;
  for (it->SeekToFirst(); it->Valid(); it->Next()) {
    auto key = it->key().ToStringView();
    if (key[0] != in::kEdgePackTag && key[0] != in::kNodePackTag) continue;
    REQUIRE(key.size() == in::kEvidencePrefixSize + 8);
    auto kind = key[0] == in::kNodePackTag ? in::EvidenceKind::kNode : in::EvidenceKind::kEdge;
    uint64_t owner = in::GetU64(key.data() + 1);
    in::PackReader pack(in::GetU64(key.data() + 9), it->value().ToStringView());
    uint64_t id = 0;
    std::string_view record;
    while (pack.Next(&id, &record)) {
      REQUIRE(batch->Put(impl->cf(in::kEvidence), in::EvidenceKey(kind, owner, id), record).ok());
      ++records;
    }
    REQUIRE(pack.ok());
    REQUIRE(batch->Delete(impl->cf(in::kEvidence), key).ok());
  }
  REQUIRE(it->status().ok());
  return records;
}

// Turns the store at `path` (closed) into what a schema-2 kg wrote: evidence as single-record
// keys, schema_version 2 (no evidence_singles_below). Returns the evidence records.
inline size_t DowngradeToSchema2(const std::filesystem::path& path) {
  namespace in = kg::store::internal;
  auto store = OpenStore(path);
  auto* impl = dynamic_cast<in::StoreImpl*>(store.get());
  REQUIRE(impl != nullptr);
  rocksdb::WriteBatch batch;
  size_t records = UnpackEvidence(impl, &batch);
  REQUIRE(batch.Delete(impl->cf(in::kMeta), in::kSinglesBelowKey).ok());
  REQUIRE(batch.Put(impl->cf(in::kMeta), in::kSchemaKey, in::U32Value(2)).ok());
  REQUIRE(impl->db()->Write(rocksdb::WriteOptions(), &batch).ok());
  REQUIRE(store->Flush().ok());
  return records;
}

// Turns the store at `path` (closed) into what a schema-1 kg wrote: no mention counters ('m'
// keys), evidence as single-record keys, schema_version 1. For tests of the upgrade and of
// readers of old stores.
inline void DowngradeToSchema1(const std::filesystem::path& path) {
  namespace in = kg::store::internal;
  auto store = OpenStore(path);
  auto* impl = dynamic_cast<in::StoreImpl*>(store.get());
  REQUIRE(impl != nullptr);
  rocksdb::WriteBatch batch;
  UnpackEvidence(impl, &batch);
  REQUIRE(batch.Delete(impl->cf(in::kMeta), in::kSinglesBelowKey).ok());
  std::string from(1, static_cast<char>(in::CounterTag::kMentions));
  REQUIRE(batch.DeleteRange(impl->cf(in::kCounters), from, in::PrefixSuccessor(from)).ok());
  REQUIRE(batch.Put(impl->cf(in::kMeta), in::kSchemaKey, in::U32Value(1)).ok());
  REQUIRE(impl->db()->Write(rocksdb::WriteOptions(), &batch).ok());
  REQUIRE(store->Flush().ok());
}

}  // namespace kg::testing
