// The byte layouts of docs/STORAGE.md: internal to kg::store, so included by path.
#include "../../store/src/key_format.h"

#include <catch2/catch.hpp>

#include <algorithm>
#include <vector>

#include "../../store/src/values.h"

namespace in = kg::store::internal;

TEST_CASE("big-endian ids sort numerically", "[store][keys]") {
  std::vector<uint64_t> ids = {0, 1, 255, 256, 65535, 1ull << 32, (1ull << 63) + 5, ~0ull};
  std::vector<std::string> keys;
  for (auto id : ids) keys.push_back(in::U64Key(id));
  CHECK(std::is_sorted(keys.begin(), keys.end()));
  for (size_t i = 0; i < ids.size(); ++i) CHECK(in::GetU64(keys[i].data()) == ids[i]);
}

TEST_CASE("adjacency keys round-trip and group by node, then type, then other", "[store][keys]") {
  in::AdjKey a{7, 2, 300, 9};
  auto key = in::EncodeAdjKey(a);
  REQUIRE(key.size() == in::kAdjKeySize);
  auto back = in::DecodeAdjKey(key);
  REQUIRE(back.has_value());
  CHECK(back->node == 7);
  CHECK(back->type == 2);
  CHECK(back->other == 300);
  CHECK(back->edge == 9);
  CHECK(key.starts_with(in::AdjPrefix(7)));
  CHECK(key.starts_with(in::AdjPrefix(7, 2)));
  CHECK(key.starts_with(in::AdjPrefix(7, 2, 300)));
  CHECK(in::EncodeAdjKey({7, 2, 300, 9}) < in::EncodeAdjKey({7, 3, 1, 1}));
  CHECK(in::EncodeAdjKey({7, 65535, 1, 1}) < in::EncodeAdjKey({8, 0, 0, 0}));
  CHECK_FALSE(in::DecodeAdjKey("short").has_value());
}

TEST_CASE("evidence keys: single records and packs share the 9-byte owner prefix shape",
          "[store][keys]") {
  auto single = in::EvidenceKey(in::EvidenceKind::kEdge, 0x0102, 7);
  CHECK(single == std::string("e\0\0\0\0\0\0\x01\x02\0\0\0\0\0\0\0\x07", 17));
  auto pack = in::EvidencePackKey(in::EvidenceKind::kEdge, 0x0102, 7);
  CHECK(pack == std::string("E\0\0\0\0\0\0\x01\x02\0\0\0\0\0\0\0\x07", 17));
  CHECK(in::EvidencePackKey(in::EvidenceKind::kNode, 5, 9)[0] == 'N');
  CHECK(in::EvidencePackPrefix(in::EvidenceKind::kNode, 5) ==
        in::EvidencePackKey(in::EvidenceKind::kNode, 5, 9).substr(0, in::kEvidencePrefixSize));
  // Packs of one owner sort by their first id; an owner's packs sort before the next owner's.
  CHECK(in::EvidencePackKey(in::EvidenceKind::kEdge, 5, 255) <
        in::EvidencePackKey(in::EvidenceKind::kEdge, 5, 256));
  CHECK(in::EvidencePackKey(in::EvidenceKind::kEdge, 5, ~uint64_t{0}) <
        in::EvidencePackKey(in::EvidenceKind::kEdge, 6, 1));
}

TEST_CASE("index keys split at the last separator", "[store][keys]") {
  auto key = in::IndexKey("new york", 42);
  auto back = in::DecodeIndexKey(key);
  REQUIRE(back.has_value());
  CHECK(back->first == "new york");
  CHECK(back->second == 42);
  // A shorter name sorts before its extensions, so a prefix scan finds both.
  CHECK(in::IndexKey("new", 99) < in::IndexKey("new york", 1));
  CHECK_FALSE(in::DecodeIndexKey("x").has_value());
}

TEST_CASE("prefix successors bound prefix scans", "[store][keys]") {
  CHECK(in::PrefixSuccessor("ab") == "ac");
  CHECK(in::PrefixSuccessor(std::string("a\xff", 2)) == "b");
  CHECK(in::PrefixSuccessor(std::string("\xff\xff", 2)).empty());
}

TEST_CASE("counters are little-endian and wrap for decrements", "[store][keys]") {
  CHECK(in::DecodeCounter(in::CounterValue(5)) == 5);
  CHECK(in::DecodeCounter(in::CounterValue(5)) + in::DecodeCounter(in::CounterValue(~0ull)) == 4);
  CHECK(in::DegreeKey(3, 1, 0).size() == 14);
  CHECK(in::DegreeKey(3, 1, 7).starts_with(in::DegreePrefix(3)));
  CHECK(in::TotalDegreeKey(3, 1).size() == 10);
  CHECK(in::TotalDegreeKey(3, 0) < in::TotalDegreeKey(3, 1));
  CHECK(in::TotalDegreeKey(3, 1) < in::TotalDegreeKey(4, 0));
}

TEST_CASE("records round-trip through their value encodings", "[store][values]") {
  in::NodeRecord node{{"Person"}, {{"name", "Ann"}, {"aliases", {"A."}}}, {{"Person", 3}}};
  auto n = in::DecodeNode(in::EncodeNode(node));
  REQUIRE(n.has_value());
  CHECK(n->labels == node.labels);
  CHECK(n->properties == node.properties);
  CHECK(n->label_votes == node.label_votes);
  CHECK(in::IndexNames(*n) == std::vector<std::string>{"a.", "ann"});

  in::EdgeRecord edge{4, 10, 11, {{"w", 0.5}}};
  auto e = in::DecodeEdge(in::EncodeEdge(edge));
  REQUIRE(e.has_value());
  CHECK(e->type_id == 4);
  CHECK(e->source == 10);
  CHECK(e->target == 11);
  CHECK(e->properties == edge.properties);
  CHECK(in::EncodeEdge({1, 2, 3, kg::EmptyProperties()}).size() == 20);

  kg::store::Evidence ev;
  ev.doc = 300;
  ev.sentence = "Ann met Bob.";
  ev.start = 5;
  ev.end = 17;
  ev.rule = "pattern:x";
  ev.confidence = 0.25;
  ev.properties = {{"cue", "met"}};
  kg::store::Evidence back;
  REQUIRE(in::DecodeEvidence(in::EncodeEvidence(ev), &back));
  CHECK(back.doc == 300);
  CHECK(back.sentence == ev.sentence);
  CHECK(back.start == 5);
  CHECK(back.end == 17);
  CHECK(back.rule == "pattern:x");
  CHECK(back.confidence == 0.25);
  CHECK(back.properties == ev.properties);
  CHECK_FALSE(in::DecodeEvidence("\x01", &back));

  kg::store::Document doc{0, "ext", "src", "title", "2024-01-01", "h", 1700000000, "text"};
  auto d = in::DecodeDocument(in::EncodeDocument(doc));
  REQUIRE(d.has_value());
  CHECK(d->external_id == "ext");
  CHECK(d->ingest_time == 1700000000);
  CHECK(d->text == "text");
}
