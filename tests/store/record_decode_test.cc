// The read view decodes node and evidence records with its own CBOR reader (falling back to
// json::from_cbor for what it does not take); what comes back must be exactly what was written,
// with the integer kinds json::from_cbor gives (non-negative unsigned, negative signed).
#include <catch2/catch.hpp>

#include <cmath>
#include <limits>
#include <string>

#include "kg/store/graph_store.h"
#include "test_support.h"

namespace {

using kg::testing::TempDir;
using json = nlohmann::json;

json Awkward() {
  json props = json::object();
  props["name"] = "Zoë 東京 \"quoted\"";
  props["empty"] = "";
  props["long"] = std::string(300, 'x');  // 2-byte length
  props["small"] = 7;
  props["byte"] = 200;
  props["wide"] = 70000;
  props["huge"] = std::numeric_limits<uint64_t>::max();
  props["neg"] = -3;
  props["neg_wide"] = -70000;
  props["min"] = std::numeric_limits<int64_t>::min();
  props["half"] = 0.5;
  props["third"] = 1.0 / 3.0;
  props["big"] = 1e300;
  props["yes"] = true;
  props["no"] = false;
  props["list"] = json::array({1, "two", 3.5, json::array({false}), json::object({{"k", -1}})});
  props["map"] = json::object({{"b", 1}, {"a", json::array()}, {"c", json::object()}});
  return props;
}

}  // namespace

TEST_CASE("node and evidence records read back exactly as written", "[store][decode]") {
  TempDir dir;
  auto opened = kg::store::GraphStore::Open((dir.path() / "kg.db").string());
  REQUIRE(opened.has_value());
  auto& store = **opened;
  json props = Awkward();
  auto batch = store.NewBatch();
  auto a = batch->CreateNode({"Person", "Extra"}, props);
  auto b = batch->CreateNode({"Place"}, json::object());
  auto edge = batch->CreateEdge(a, "KNOWS", b, json::object());
  REQUIRE(edge.has_value());
  kg::store::Evidence ev;
  ev.edge_or_node = *edge;
  ev.sentence = "A knows B.";
  ev.rule = "manual";
  ev.properties = props;
  REQUIRE(batch->AddEvidence(ev).ok());
  kg::store::Evidence plain;
  plain.edge_or_node = *edge;
  plain.rule = "import";
  REQUIRE(batch->AddEvidence(plain).ok());
  REQUIRE(store.Commit(*batch).ok());

  auto view = store.NewReadView();
  auto node = view->GetNode(a);
  REQUIRE(node.has_value());
  CHECK(node->labels == std::vector<std::string>{"Person", "Extra"});
  CHECK(node->properties == props);
  CHECK(node->properties["huge"].is_number_unsigned());
  CHECK(node->properties["small"].is_number_unsigned());
  CHECK(node->properties["neg"].is_number_integer());
  CHECK_FALSE(node->properties["neg"].is_number_unsigned());
  CHECK(node->properties["half"].is_number_float());
  auto nodes = view->GetNodes({a, b, 9999});
  REQUIRE(nodes.size() == 3);
  REQUIRE(nodes[0].has_value());
  CHECK(nodes[0]->properties == props);
  CHECK(nodes[0]->properties.dump() == props.dump());
  REQUIRE(nodes[1].has_value());
  CHECK(nodes[1]->labels == std::vector<std::string>{"Place"});
  CHECK(nodes[1]->properties == json::object());
  CHECK_FALSE(nodes[2].has_value());

  auto evidence = view->EdgeEvidence(*edge);
  REQUIRE(evidence.size() == 2);
  CHECK(evidence[0].properties == props);
  CHECK(evidence[0].properties.dump() == props.dump());
  CHECK(evidence[0].sentence == "A knows B.");
  CHECK(evidence[0].rule == "manual");
  CHECK(evidence[1].properties == json::object());
  CHECK(evidence[1].rule == "import");
  // Both records sit in one pack (schema 3): every reader takes them out of it the same way.
  std::vector<kg::store::Evidence> walked;
  view->ForEachEvidence([&](const kg::store::Evidence& e) {
    walked.push_back(e);
    return true;
  });
  REQUIRE(walked.size() == 2);
  CHECK(walked[0].properties.dump() == props.dump());
  CHECK(walked[1].rule == "import");
  auto only = view->EdgeEvidenceProperties(*edge, {"huge", "list"});
  REQUIRE(only.size() == 2);
  CHECK(only[0] == json({{"huge", props["huge"]}, {"list", props["list"]}}));
  CHECK(only[1] == json::object());
  // Scalars in place: floats of every CBOR width the writer picks (0.5 fits a float32, a third
  // does not), integers of both signs, text; lists through json.
  using Kind = kg::store::ReadView::PropertyRef::Kind;
  std::vector<std::vector<std::pair<Kind, std::string>>> refs;
  view->ForEachEdgeEvidenceValues(
      *edge, {"half", "third", "big", "neg", "huge", "name", "list", "absent"},
      [&](const kg::store::ReadView::PropertyRef* v) {
        std::vector<std::pair<Kind, std::string>> row;
        for (size_t k = 0; k < 8; ++k) {
          std::string shown = v[k].kind == Kind::kDouble ? json(v[k].number).dump()
                              : v[k].kind == Kind::kInt  ? std::to_string(v[k].integer)
                              : v[k].kind == Kind::kUint ? std::to_string(v[k].uinteger)
                              : v[k].kind == Kind::kText ? std::string(v[k].text)
                              : v[k].kind == Kind::kJson ? v[k].json->dump()
                                                         : "";
          row.emplace_back(v[k].kind, shown);
        }
        refs.push_back(std::move(row));
      });
  REQUIRE(refs.size() == 2);
  CHECK(refs[0][0] == std::make_pair(Kind::kDouble, json(0.5).dump()));
  CHECK(refs[0][1] == std::make_pair(Kind::kDouble, json(1.0 / 3.0).dump()));
  CHECK(refs[0][2] == std::make_pair(Kind::kDouble, json(1e300).dump()));
  CHECK(refs[0][3] == std::make_pair(Kind::kInt, std::string("-3")));
  CHECK(refs[0][4] == std::make_pair(Kind::kUint, std::to_string(props["huge"].get<uint64_t>())));
  CHECK(refs[0][5] == std::make_pair(Kind::kText, props["name"].get<std::string>()));
  CHECK(refs[0][6] == std::make_pair(Kind::kJson, props["list"].dump()));
  CHECK(refs[0][7].first == Kind::kAbsent);
  CHECK(refs[1][0].first == Kind::kAbsent);
  CHECK(view->status().ok());
}

TEST_CASE("entity records with label votes read back whole", "[store][decode]") {
  TempDir dir;
  auto opened = kg::store::GraphStore::Open((dir.path() / "kg.db").string());
  REQUIRE(opened.has_value());
  auto& store = **opened;
  kg::store::NodeId id = 0;
  for (const auto& [label, weight] : {std::pair<std::string, uint64_t>{"Person", 1},
                                      {"Organization", 3}, {"Person", 1}}) {
    auto batch = store.NewBatch();
    kg::store::EntityUpsert upsert;
    upsert.name = "Acme Bee";
    upsert.label = label;
    upsert.label_weight = weight;
    upsert.aliases = {"Bee", "ACME"};
    auto node = batch->UpsertEntity(upsert);
    REQUIRE(node.has_value());
    id = *node;
    REQUIRE(store.Commit(*batch).ok());
  }
  auto view = store.NewReadView();
  auto one = view->GetNode(id);
  auto many = view->GetNodes({id});
  REQUIRE(one.has_value());
  REQUIRE(many.size() == 1);
  REQUIRE(many[0].has_value());
  CHECK(one->labels == std::vector<std::string>{"Organization"});
  CHECK(many[0]->labels == one->labels);
  CHECK(one->properties.at("name") == "Acme Bee");
  CHECK(one->properties.at("aliases").size() == 2);
  CHECK(many[0]->properties == one->properties);
  CHECK(view->status().ok());
}
