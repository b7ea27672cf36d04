#include "kg/core/extraction_json.h"

#include <catch2/catch.hpp>

#include <nlohmann/json.hpp>

namespace kg {
namespace {

Extraction Sample() {
  Extraction e;
  e.doc = {"a1", "https://example.org/a1", "Abe meets Putin", "2016-12-16",
           "5f0c00000000000000000000000000e2",
           "Shinzo Abe met Vladimir Putin in Yamaguchi. \"Quotes\" and caf\xc3\xa9."};
  e.entities.push_back({"Shinzo Abe", "Person", {"Abe"}, {{0, 10, "Shinzo Abe"}}, EmptyProperties()});
  e.entities.push_back(
      {"Vladimir Putin", "Person", {}, {{15, 29, "Vladimir Putin"}}, Properties{{"iso", "RU"}}});
  EvidenceSpan span{"Shinzo Abe met Vladimir Putin in Yamaguchi.", 0, 43, "pattern:meeting", 0.9,
                    Properties{{"cue", "met"}}};
  e.relations.push_back({"MEETS", 0, 1, Properties{{"place", "Yamaguchi"}}, {span}});
  return e;
}

TEST_CASE("extraction JSON reads back what it wrote", "[core][extraction_json]") {
  Extraction in = Sample();
  std::string line = ExtractionToJson(in);
  CHECK(line.find('\n') == std::string::npos);
  Result<Extraction> out = ExtractionFromJson(line);
  REQUIRE(out);
  CHECK(out->doc.id == in.doc.id);
  CHECK(out->doc.source == in.doc.source);
  CHECK(out->doc.title == in.doc.title);
  CHECK(out->doc.date == in.doc.date);
  CHECK(out->doc.content_hash == in.doc.content_hash);
  CHECK(out->doc.text == in.doc.text);
  REQUIRE(out->entities.size() == 2);
  CHECK(out->entities[0].aliases == std::vector<std::string>{"Abe"});
  CHECK(out->entities[1].properties == in.entities[1].properties);
  CHECK(out->entities[1].mentions[0].start == 15);
  CHECK(out->entities[1].mentions[0].text == "Vladimir Putin");
  REQUIRE(out->relations.size() == 1);
  CHECK(out->relations[0].properties == in.relations[0].properties);
  CHECK(out->relations[0].evidence[0].confidence == 0.9);
  CHECK(out->relations[0].evidence[0].properties == in.relations[0].evidence[0].properties);
  // Writing the parsed form again gives the same bytes.
  CHECK(ExtractionToJson(*out) == line);
}

TEST_CASE("extraction JSON keeps the documented key order", "[core][extraction_json]") {
  auto j = nlohmann::ordered_json::parse(ExtractionToJson(Sample()));
  std::vector<std::string> keys;
  for (auto it = j["doc"].begin(); it != j["doc"].end(); ++it) keys.push_back(it.key());
  CHECK(keys == std::vector<std::string>{"id", "title", "date", "source", "content_hash", "text"});
  CHECK_FALSE(nlohmann::json::parse(ExtractionToJson(Sample(), false))["doc"].contains("text"));
}

TEST_CASE("extraction JSON errors say what is wrong", "[core][extraction_json]") {
  auto error = [](const std::string& line) {
    Result<Extraction> r = ExtractionFromJson(line);
    REQUIRE_FALSE(r);
    CHECK(r.error().code() == Status::Code::kInvalidArgument);
    return r.error().message();
  };
  CHECK(error("{\"doc\": ").find("malformed JSON") == 0);
  CHECK(error("{\"doc\": 1e999}").find("malformed JSON") == 0);
  CHECK(error("[1]") == "not a JSON object");
  CHECK(error(R"({"doc": {"id": "x"}})") == "doc.title is missing");
  CHECK(error(R"({"entities": []})") == "doc is missing");
  CHECK(error(R"({"kind": "node", "id": 1})").find("a kg dump record") == 0);
  auto j = nlohmann::json::parse(ExtractionToJson(Sample()));
  auto without_text = j;
  without_text["doc"].erase("text");
  CHECK(error(without_text.dump()).find("doc.text is missing") == 0);
  auto bad_index = j;
  bad_index["relations"][0]["target"] = 7;
  CHECK(error(bad_index.dump()) == "relations[0] names an entity that does not exist");
  auto bad_id = j;
  bad_id["entities"][1]["id"] = 5;
  CHECK(error(bad_id.dump()) == "entities[1].id is not 1");
  auto bad_offset = j;
  bad_offset["entities"][0]["mentions"][0]["start"] = -1;
  CHECK(error(bad_offset.dump()) == "entities[0].mentions[0].start is not a byte offset");
  auto empty_hash = j;
  empty_hash["doc"]["content_hash"] = "";
  CHECK(error(empty_hash.dump()) == "doc.content_hash is empty");
}

}  // namespace
}  // namespace kg
