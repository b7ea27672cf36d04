// Evidence packs (schema 3, store/src/evidence_pack.h, docs/STORAGE.md "Evidence packs"): a
// batch writes an owner's records as packs; every reader gives them back in id order with all
// fields, also beside the single-record keys a schema-2 store holds; verify counts records.
#include <catch2/catch.hpp>

#include <filesystem>
#include <sstream>
#include <string>
#include <vector>

#include "kg/store/csv_import.h"
#include "kg/store/graph_store.h"
#include "kg/store/verify.h"
#include "store_test_util.h"
#include "test_support.h"

namespace {

namespace in = kg::store::internal;
using json = nlohmann::json;
using kg::store::EdgeId;
using kg::store::Evidence;
using kg::store::GraphStore;
using kg::store::NodeId;
using kg::testing::OpenStore;
using kg::testing::RequireVerified;
using kg::testing::TempDir;

// The evidence CF's keys by first byte ('e', 'n': single records; 'E', 'N': packs), and the
// records each pack holds.
struct PackKeyCounts {
  size_t singles = 0, packs = 0;
  std::vector<uint64_t> pack_sizes;  // in key order
};

PackKeyCounts CountPackKeys(GraphStore& store) {
  auto* impl = dynamic_cast<in::StoreImpl*>(&store);
  REQUIRE(impl != nullptr);
  rocksdb::ReadOptions ro;
  ro.total_order_seek = true;
  std::unique_ptr<rocksdb::Iterator> it(impl->db()->NewIterator(ro, impl->cf(in::kEvidence)));
  PackKeyCounts out;
  for (it->SeekToFirst(); it->Valid(); it->Next()) {
    auto key = it->key().ToStringView();
    if (key[0] == in::kEdgePackTag || key[0] == in::kNodePackTag) {
      ++out.packs;
      in::PackReader pack(in::GetU64(key.data() + 9), it->value().ToStringView());
      out.pack_sizes.push_back(pack.count());
    } else {
      ++out.singles;
    }
  }
  REQUIRE(it->status().ok());
  return out;
}

// An edge A -KNOWS-> B, committed, with nothing else.
EdgeId PackEdge(GraphStore& store, NodeId* a_out = nullptr, NodeId* b_out = nullptr) {
  auto batch = store.NewBatch();
  NodeId a = batch->CreateNode({"Person"}, {{"name", "A"}});
  NodeId b = batch->CreateNode({"Person"}, {{"name", "B"}});
  auto edge = batch->CreateEdge(a, "KNOWS", b, json::object());
  REQUIRE(edge.has_value());
  REQUIRE(store.Commit(*batch).ok());
  if (a_out) *a_out = a;
  if (b_out) *b_out = b;
  return *edge;
}

// Record `i` of a test: every field derived from i.
Evidence PackRecord(uint64_t owner, int i, bool on_node = false) {
  Evidence ev;
  ev.on_node = on_node;
  ev.edge_or_node = owner;
  ev.sentence = "sentence " + std::to_string(i);
  ev.start = static_cast<uint32_t>(i);
  ev.end = static_cast<uint32_t>(i + 5);
  ev.rule = i % 2 ? "rule:odd" : "rule:even";
  ev.confidence = 1.0 / (i + 2);
  ev.properties = {{"i", i}, {"tag", "t" + std::to_string(i % 3)}};
  return ev;
}

void AddPackRecords(GraphStore& store, uint64_t owner, int from, int to, bool on_node = false) {
  auto batch = store.NewBatch();
  for (int i = from; i < to; ++i) REQUIRE(batch->AddEvidence(PackRecord(owner, i, on_node)).ok());
  REQUIRE(store.Commit(*batch).ok());
}

// The records read back are PackRecord(owner, from..to-1) in that order, ids ascending.
void RequirePackRecords(const std::vector<Evidence>& got, uint64_t owner, int from, int to,
                        bool on_node = false) {
  REQUIRE(got.size() == static_cast<size_t>(to - from));
  for (int i = from; i < to; ++i) {
    const Evidence& ev = got[static_cast<size_t>(i - from)];
    Evidence want = PackRecord(owner, i, on_node);
    INFO("record " << i);
    CHECK(ev.on_node == on_node);
    CHECK(ev.edge_or_node == owner);
    CHECK(ev.sentence == want.sentence);
    CHECK(ev.start == want.start);
    CHECK(ev.end == want.end);
    CHECK(ev.rule == want.rule);
    CHECK(ev.confidence == want.confidence);
    CHECK(ev.properties == want.properties);
    if (i > from) CHECK(ev.id > got[static_cast<size_t>(i - from - 1)].id);
  }
}

std::vector<Evidence> AllEvidence(GraphStore& store) {
  std::vector<Evidence> out;
  auto view = store.NewReadView();
  view->ForEachEvidence([&](const Evidence& ev) {
    out.push_back(ev);
    return true;
  });
  REQUIRE(view->status().ok());
  return out;
}

uint32_t StoredSchema(GraphStore& store) {
  auto* impl = dynamic_cast<in::StoreImpl*>(&store);
  REQUIRE(impl != nullptr);
  std::string value;
  REQUIRE(impl->db()->Get(rocksdb::ReadOptions(), impl->cf(in::kMeta), in::kSchemaKey, &value)
              .ok());
  REQUIRE(value.size() == 4);
  return in::GetU32(value.data());
}

}  // namespace

TEST_CASE("a pack holds records with increasing ids and rejects malformed values",
          "[store][pack]") {
  in::PackBuilder builder;
  CHECK(builder.empty());
  builder.Add(7, "abc");
  builder.Add(9, "");
  builder.Add(300, std::string(200, 'x'));
  CHECK(builder.first_id() == 7);
  std::string value = builder.Finish();
  CHECK(builder.empty());
  // count 3 (u16BE) | delta 0, len 3, "abc" | delta 2, len 0 | delta 291, len 200 (2 bytes each)
  CHECK(value.size() == 2 + (1 + 1 + 3) + (1 + 1) + (2 + 2 + 200));
  CHECK(value.substr(0, 7) == std::string("\x00\x03\x00\x03" "abc", 7));

  in::PackReader reader(7, value);
  uint64_t id = 0;
  std::string_view record;
  REQUIRE(reader.Next(&id, &record));
  CHECK((id == 7 && record == "abc"));
  REQUIRE(reader.Next(&id, &record));
  CHECK((id == 9 && record.empty()));
  REQUIRE(reader.Next(&id, &record));
  CHECK((id == 300 && record == std::string(200, 'x')));
  CHECK_FALSE(reader.Next(&id, &record));
  CHECK(reader.ok());

  auto malformed = [](uint64_t first, const std::string& bytes) {
    in::PackReader r(first, bytes);
    uint64_t i = 0;
    std::string_view rec;
    while (r.Next(&i, &rec)) {
    }
    return !r.ok();
  };
  CHECK_FALSE(malformed(7, value));
  CHECK(malformed(7, value.substr(0, value.size() - 1)));     // truncated record
  CHECK(malformed(7, value + "z"));                            // bytes after the last record
  CHECK(malformed(7, std::string("\x00\x00", 2)));                 // no records
  CHECK(malformed(7, ""));                                         // no count
  CHECK(malformed(7, std::string("\x01", 1)));                     // half a count
  CHECK(malformed(7, std::string("\x00\x01\x01\x00", 4)));         // first id not the key's
  CHECK(malformed(7, std::string("\x00\x02\x00\x00\x00\x00", 6)));  // id does not increase
  CHECK(malformed(7, std::string("\x00\x7f\x00\x00", 4)));         // more records than bytes
  CHECK(malformed(7, std::string("\x01\x00\x00\x00", 4)));         // 256 records in 2 bytes

  // Full: at kPackMaxRecords records, or when the next record would pass kPackMaxBytes.
  in::PackBuilder full;
  CHECK_FALSE(full.Full(in::kPackMaxBytes * 2));  // an empty pack takes any record
  full.Add(1, std::string(in::kPackMaxBytes - 100, 'y'));
  CHECK(full.Full(200));
  CHECK_FALSE(full.Full(10));
  in::PackBuilder many;
  for (uint64_t i = 1; i <= in::kPackMaxRecords; ++i) many.Add(i, "r");
  CHECK(many.Full(1));
  std::string max = many.Finish();
  CHECK(max.substr(0, 2) == std::string("\x01\x00", 2));  // 256
  in::PackReader all(1, max);
  uint64_t last = 0;
  while (all.Next(&id, &record)) last = id;
  CHECK(all.ok());
  CHECK(last == in::kPackMaxRecords);
}

TEST_CASE("a pack reader stays inside any bytes it is given", "[store][pack]") {
  // Random values, and random damage to a real pack: every record handed out lies inside the
  // value, ids strictly increase from the key's, and the walk ends (under ASan in CI).
  in::PackBuilder builder;
  for (uint64_t i = 0; i < 20; ++i) builder.Add(100 + i * 3, std::string(i * 7 % 23, 'r'));
  const std::string real = builder.Finish();
  uint64_t x = 7;
  auto next = [&] {
    x = x * 6364136223846793005ull + 1442695040888963407ull;
    return x >> 33;
  };
  for (int round = 0; round < 4000; ++round) {
    std::string value;
    if (round % 2) {
      value = real;
      for (int k = 0; k < 3; ++k) value[next() % value.size()] = static_cast<char>(next());
      if (round % 4 == 1) value.resize(next() % (value.size() + 1));
    } else {
      size_t size = next() % 40;
      for (size_t k = 0; k < size; ++k) value.push_back(static_cast<char>(next()));
    }
    in::PackReader reader(100, value);
    uint64_t id = 0, last = 0;
    std::string_view record;
    size_t seen = 0;
    while (reader.Next(&id, &record)) {
      REQUIRE(record.data() >= value.data());
      REQUIRE(record.data() + record.size() <= value.data() + value.size());
      REQUIRE((seen == 0 ? id == 100 : id > last));
      last = id;
      REQUIRE(++seen <= value.size());
    }
    if (reader.ok()) CHECK(seen == reader.count());
  }
}

TEST_CASE("a batch writes an owner's records as one pack, read back in id order",
          "[store][pack]") {
  TempDir dir;
  auto store = OpenStore(dir.path() / "kg.db");
  NodeId a = 0;
  EdgeId edge = PackEdge(*store, &a);
  {
    auto batch = store->NewBatch();
    // Interleaved owners: each still gets its records in id order.
    for (int i = 0; i < 5; ++i) {
      REQUIRE(batch->AddEvidence(PackRecord(edge, i)).ok());
      REQUIRE(batch->AddEvidence(PackRecord(a, i, true)).ok());
    }
    CHECK(batch->GetEdge(edge)->evidence_count == 5);
    REQUIRE(store->Commit(*batch).ok());
  }
  auto keys = CountPackKeys(*store);
  CHECK(keys.singles == 0);
  CHECK(keys.packs == 2);
  auto view = store->NewReadView();
  RequirePackRecords(view->EdgeEvidence(edge), edge, 0, 5);
  RequirePackRecords(view->NodeEvidence(a), a, 0, 5, true);
  RequirePackRecords(view->EdgeEvidence(edge, 2), edge, 0, 2);
  std::vector<Evidence> walked;
  view->ForEachEdgeEvidence(edge, [&](const Evidence& ev) {
    walked.push_back(ev);
    return walked.size() < 3;
  });
  RequirePackRecords(walked, edge, 0, 3);
  auto props = view->EdgeEvidenceProperties(edge, {"i"});
  REQUIRE(props.size() == 5);
  for (int i = 0; i < 5; ++i) CHECK(props[static_cast<size_t>(i)] == json({{"i", i}}));
  // Edge evidence first, then node evidence.
  auto all = AllEvidence(*store);
  REQUIRE(all.size() == 10);
  CHECK_FALSE(all[4].on_node);
  CHECK(all[5].on_node);
  CHECK(view->Stats().evidence == 10);
  CHECK(view->GetEdge(edge)->evidence_count == 5);
  REQUIRE(view->status().ok());
  RequireVerified(*store);
}

TEST_CASE("records of one owner across batches read back in id order", "[store][pack]") {
  TempDir dir;
  auto store = OpenStore(dir.path() / "kg.db");
  EdgeId edge = PackEdge(*store);
  AddPackRecords(*store, edge, 0, 3);
  AddPackRecords(*store, edge, 3, 4);
  AddPackRecords(*store, edge, 4, 9);
  CHECK(CountPackKeys(*store).pack_sizes == std::vector<uint64_t>{3, 1, 5});
  RequirePackRecords(store->NewReadView()->EdgeEvidence(edge), edge, 0, 9);
  RequirePackRecords(store->NewReadView()->EdgeEvidence(edge, 4), edge, 0, 4);
  RequirePackRecords(AllEvidence(*store), edge, 0, 9);
  RequireVerified(*store);
}

TEST_CASE("a batch past the pack cap starts new packs", "[store][pack]") {
  TempDir dir;
  auto store = OpenStore(dir.path() / "kg.db");
  EdgeId edge = PackEdge(*store);
  AddPackRecords(*store, edge, 0, 600);
  CHECK(CountPackKeys(*store).pack_sizes == std::vector<uint64_t>{256, 256, 88});
  auto view = store->NewReadView();
  RequirePackRecords(view->EdgeEvidence(edge, 10), edge, 0, 10);
  RequirePackRecords(view->EdgeEvidence(edge, 300), edge, 0, 300);
  RequirePackRecords(view->EdgeEvidence(edge), edge, 0, 600);
  CHECK(view->GetEdge(edge)->evidence_count == 600);
  RequireVerified(*store);

  // The byte cap: records of 10 KB, three to a pack.
  EdgeId big = PackEdge(*store);
  {
    auto batch = store->NewBatch();
    for (int i = 0; i < 7; ++i) {
      Evidence ev = PackRecord(big, i);
      ev.sentence = std::string(10 * 1024, static_cast<char>('a' + i));
      REQUIRE(batch->AddEvidence(ev).ok());
    }
    REQUIRE(store->Commit(*batch).ok());
  }
  CHECK(CountPackKeys(*store).pack_sizes == std::vector<uint64_t>{256, 256, 88, 3, 3, 1});
  auto records = store->NewReadView()->EdgeEvidence(big);
  REQUIRE(records.size() == 7);
  for (int i = 0; i < 7; ++i) {
    CHECK(records[static_cast<size_t>(i)].sentence ==
          std::string(10 * 1024, static_cast<char>('a' + i)));
  }
  RequireVerified(*store);
}

TEST_CASE("dropping an owner in a batch drops the records the batch added to it",
          "[store][pack]") {
  TempDir dir;
  auto store = OpenStore(dir.path() / "kg.db");
  NodeId a = 0, b = 0;
  EdgeId edge = PackEdge(*store, &a, &b);
  EdgeId other = 0;
  {
    auto batch = store->NewBatch();
    auto made = batch->CreateEdge(b, "KNOWS", a, json::object());
    REQUIRE(made.has_value());
    other = *made;
    REQUIRE(store->Commit(*batch).ok());
  }
  AddPackRecords(*store, edge, 0, 2);   // committed before
  AddPackRecords(*store, other, 0, 2);

  SECTION("add, then drop: nothing of the edge survives, the other owner's records do") {
    auto batch = store->NewBatch();
    REQUIRE(batch->AddEvidence(PackRecord(other, 2)).ok());
    for (int i = 2; i < 5; ++i) REQUIRE(batch->AddEvidence(PackRecord(edge, i)).ok());
    REQUIRE(batch->DeleteEdge(edge).ok());
    REQUIRE(batch->AddEvidence(PackRecord(other, 3)).ok());
    REQUIRE(store->Commit(*batch).ok());
    auto view = store->NewReadView();
    CHECK(view->EdgeEvidence(edge).empty());
    RequirePackRecords(view->EdgeEvidence(other), other, 0, 4);
    CHECK(view->Stats().evidence == 4);
    RequirePackRecords(AllEvidence(*store), other, 0, 4);
  }
  SECTION("drop, then add: the edge is gone, so the add is refused and nothing is written") {
    auto batch = store->NewBatch();
    REQUIRE(batch->DeleteEdge(edge).ok());
    CHECK(batch->AddEvidence(PackRecord(edge, 9)).code() == kg::Status::Code::kNotFound);
    REQUIRE(batch->AddEvidence(PackRecord(other, 2)).ok());
    REQUIRE(store->Commit(*batch).ok());
    auto view = store->NewReadView();
    CHECK(view->EdgeEvidence(edge).empty());
    RequirePackRecords(view->EdgeEvidence(other), other, 0, 3);
    CHECK(view->Stats().evidence == 3);
  }
  SECTION("a node deleted with its edges drops node and edge records added in the batch") {
    auto batch = store->NewBatch();
    REQUIRE(batch->AddEvidence(PackRecord(a, 0, true)).ok());
    REQUIRE(batch->AddEvidence(PackRecord(edge, 2)).ok());
    REQUIRE(batch->AddEvidence(PackRecord(b, 0, true)).ok());
    REQUIRE(batch->DeleteNode(a, /*detach=*/true).ok());
    REQUIRE(batch->AddEvidence(PackRecord(b, 1, true)).ok());
    REQUIRE(store->Commit(*batch).ok());
    auto view = store->NewReadView();
    CHECK(view->NodeEvidence(a).empty());
    CHECK(view->EdgeEvidence(edge).empty());
    CHECK(view->EdgeEvidence(other).empty());
    RequirePackRecords(view->NodeEvidence(b), b, 0, 2, true);
    CHECK(view->Stats().evidence == 2);
  }
  RequireVerified(*store);
}

TEST_CASE("the evidence property values are read inside packs", "[store][pack]") {
  TempDir dir;
  auto store = OpenStore(dir.path() / "kg.db");
  EdgeId edge = PackEdge(*store);
  AddPackRecords(*store, edge, 0, 300);  // two packs
  AddPackRecords(*store, edge, 300, 302);
  std::vector<std::pair<int64_t, std::string>> seen;
  size_t absent = 0;
  auto view = store->NewReadView();
  view->ForEachEdgeEvidenceValues(
      edge, {"i", "missing", "tag"}, [&](const kg::store::ReadView::PropertyRef* values) {
        using Kind = kg::store::ReadView::PropertyRef::Kind;
        REQUIRE(values[0].kind == Kind::kUint);  // CBOR's non-negative integers
        REQUIRE(values[2].kind == Kind::kText);
        if (values[1].kind == Kind::kAbsent) ++absent;
        seen.emplace_back(static_cast<int64_t>(values[0].uinteger), std::string(values[2].text));
      });
  REQUIRE(view->status().ok());
  REQUIRE(seen.size() == 302);
  CHECK(absent == 302);
  for (int i = 0; i < 302; ++i) {
    CHECK(seen[static_cast<size_t>(i)] ==
          std::make_pair(int64_t{i}, "t" + std::to_string(i % 3)));
  }
}

TEST_CASE("a schema-2 store's single records are read, then followed by packs after upgrade",
          "[store][pack][open]") {
  TempDir dir;
  auto path = dir.path() / "kg.db";
  NodeId a = 0;
  EdgeId edge = 0;
  {
    auto store = OpenStore(path);
    edge = PackEdge(*store, &a);
    AddPackRecords(*store, edge, 0, 3);
    AddPackRecords(*store, edge, 3, 5);
    AddPackRecords(*store, a, 0, 2, true);
  }
  CHECK(kg::testing::DowngradeToSchema2(path) == 7);
  {
    auto store = OpenStore(path, kg::store::OpenMode::kReadOnly);
    CHECK(StoredSchema(*store) == 2);
    auto keys = CountPackKeys(*store);
    CHECK(keys.singles == 7);
    CHECK(keys.packs == 0);
    auto view = store->NewReadView();
    RequirePackRecords(view->EdgeEvidence(edge), edge, 0, 5);
    RequirePackRecords(view->EdgeEvidence(edge, 2), edge, 0, 2);
    RequirePackRecords(view->NodeEvidence(a), a, 0, 2, true);
    CHECK(AllEvidence(*store).size() == 7);
    RequireVerified(*store);
  }
  {
    auto store = OpenStore(path);  // upgrades
    CHECK(StoredSchema(*store) == 3);
    AddPackRecords(*store, edge, 5, 8);
    AddPackRecords(*store, a, 2, 3, true);
    auto keys = CountPackKeys(*store);
    CHECK(keys.singles == 7);
    CHECK(keys.packs == 2);
    auto view = store->NewReadView();
    RequirePackRecords(view->EdgeEvidence(edge), edge, 0, 8);  // old, then new
    RequirePackRecords(view->EdgeEvidence(edge, 6), edge, 0, 6);
    RequirePackRecords(view->NodeEvidence(a), a, 0, 3, true);
    std::vector<int64_t> values;
    view->ForEachEdgeEvidenceValues(edge, {"i"}, [&](const kg::store::ReadView::PropertyRef* v) {
      values.push_back(static_cast<int64_t>(v[0].uinteger));
    });
    CHECK(values == std::vector<int64_t>{0, 1, 2, 3, 4, 5, 6, 7});
    auto all = AllEvidence(*store);
    REQUIRE(all.size() == 11);
    std::vector<Evidence> edge_part(all.begin(), all.begin() + 8);
    RequirePackRecords(edge_part, edge, 0, 8);
    std::vector<Evidence> node_part(all.begin() + 8, all.end());
    RequirePackRecords(node_part, a, 0, 3, true);
    CHECK(view->Stats().evidence == 11);
    RequireVerified(*store);
    // Deleting the edge drops its singles and its packs.
    auto batch = store->NewBatch();
    REQUIRE(batch->DeleteEdge(edge).ok());
    REQUIRE(store->Commit(*batch).ok());
    CHECK(store->NewReadView()->EdgeEvidence(edge).empty());
    CHECK(CountPackKeys(*store).singles == 2);
    RequireVerified(*store);
  }
  auto store = OpenStore(path, kg::store::OpenMode::kReadOnly);
  CHECK(StoredSchema(*store) == 3);
  RequirePackRecords(store->NewReadView()->NodeEvidence(a), a, 0, 3, true);
}

TEST_CASE("verify reports a malformed pack and a single record in a store made at schema 3",
          "[store][pack][verify]") {
  TempDir dir;
  auto store = OpenStore(dir.path() / "kg.db");
  EdgeId edge = PackEdge(*store);
  AddPackRecords(*store, edge, 0, 2);
  RequireVerified(*store);
  auto* impl = dynamic_cast<in::StoreImpl*>(store.get());
  REQUIRE(impl != nullptr);
  // A pack whose second record is cut short, at an id past the others.
  std::string value = std::string("\x00\x02" "\x00\x03" "abc", 7) + std::string("\x01\x09xy", 4);
  REQUIRE(impl->db()
              ->Put(rocksdb::WriteOptions(), impl->cf(in::kEvidence),
                    in::EvidencePackKey(in::EvidenceKind::kEdge, edge, 50), value)
              .ok());
  REQUIRE(impl->db()
              ->Put(rocksdb::WriteOptions(), impl->cf(in::kEvidence),
                    in::EvidenceKey(in::EvidenceKind::kEdge, edge, 1),
                    in::EncodeEvidence(PackRecord(edge, 0)))
              .ok());
  auto report = kg::store::VerifyStore(*store);
  REQUIRE(report.has_value());
  std::string all;
  for (const auto& p : report->problems) all += p + "\n";
  INFO(all);
  CHECK(all.find("evidence pack 50 of edge " + std::to_string(edge) + ": malformed pack") !=
        std::string::npos);
  CHECK(all.find("evidence 50: malformed record") != std::string::npos);
  CHECK(all.find("evidence 1: a single-record key in a store made at schema 3") !=
        std::string::npos);
  CHECK(all.find("evidence 1: id used by more than one record") != std::string::npos);
  // Readers report it as corruption.
  auto view = store->NewReadView();
  view->EdgeEvidence(edge);
  CHECK(view->status().code() == kg::Status::Code::kCorruption);
}

TEST_CASE("the bulk import writes an edge's many rows as packs", "[store][pack][import]") {
  TempDir dir;
  std::ostringstream nodes_csv, edges_csv;
  nodes_csv << "id,name,type\n0,Russia,Country\n1,G-7,Group\n2,Japan,Country\n";
  edges_csv << "src,dst,type,polarity,weight,doc_id\n";
  for (int i = 0; i < 700; ++i) {
    edges_csv << "0,1,CRITICIZES,-1," << (i % 10) / 10.0 << ",doc-" << i << "\n";
    if (i % 100 == 0) edges_csv << "2,1,MEMBER_OF,0,1,doc-m" << i << "\n";
  }
  kg::testing::WriteFile(dir.path() / "nodes.csv", nodes_csv.str());
  kg::testing::WriteFile(dir.path() / "edges.csv", edges_csv.str());
  auto store = OpenStore(dir.path() / "kg.db");
  auto imported = kg::store::ImportCsv(*store, (dir.path() / "nodes.csv").string(),
                                       (dir.path() / "edges.csv").string());
  REQUIRE(imported.has_value());
  CHECK(imported->bulk);
  CHECK(imported->evidence == 707);
  CHECK(CountPackKeys(*store).pack_sizes == std::vector<uint64_t>{256, 256, 188, 7});
  auto view = store->NewReadView();
  auto edges = view->EdgesBetween(1, 2, "CRITICIZES");
  REQUIRE(edges.size() == 1);
  auto records = view->EdgeEvidence(edges[0]);
  REQUIRE(records.size() == 700);
  for (size_t i = 0; i < records.size(); ++i) {
    INFO("row " << i);
    CHECK(records[i].properties["doc_id"] == "doc-" + std::to_string(i));
    CHECK(records[i].rule == "import");
    if (i > 0) CHECK(records[i].id > records[i - 1].id);
  }
  auto first = view->EdgeEvidence(edges[0], 10);
  REQUIRE(first.size() == 10);
  CHECK(first[9].properties["doc_id"] == "doc-9");
  RequireVerified(*store);
}
