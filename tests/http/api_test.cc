// The graph endpoints of kg::http::Server against a real server on a loopback port.

#include <string>
#include <utility>

#include "test_server.h"

namespace kg::testing {
namespace {

using nlohmann::json;

TEST_CASE("health answers ok and says the store is writable here", "[http][api]") {
  TestServer server;
  json body = JsonBody(server.Get("/health"));
  CHECK(body["status"] == "ok");
  CHECK(body["read_only"] == false);
}

TEST_CASE("stats count the nodes, edges and documents of the store", "[http][api]") {
  TestServer server;
  json body = JsonBody(server.Get("/stats"));
  CHECK(body["nodes"] == 4);
  CHECK(body["edges"] == 2);
  CHECK(body["documents"] == 1);
  CHECK(body["edges_per_type"]["MEMBER_OF"] == 1);
  CHECK(body["nodes_per_label"]["Country"] == 2);
}

TEST_CASE("entity search is a case-insensitive prefix match over names and aliases",
          "[http][api]") {
  TestServer server;
  SECTION("by name prefix") {
    json body = JsonBody(server.Get("/entities?q=shin"));
    REQUIRE(body["entities"].size() == 1);
    CHECK(body["entities"][0]["id"] == server.abe);
    CHECK(body["entities"][0]["name"] == "Shinzo Abe");
    CHECK(body["entities"][0]["labels"] == json::array({"Person"}));
  }
  SECTION("by alias") {
    json body = JsonBody(server.Get("/entities?q=ABE"));
    REQUIRE(body["entities"].size() == 1);
    CHECK(body["entities"][0]["id"] == server.abe);
  }
  SECTION("with a label filter") {
    json body = JsonBody(server.Get("/entities?q=j&label=Person"));
    CHECK(body["entities"].empty());
    body = JsonBody(server.Get("/entities?q=j&label=Country"));
    REQUIRE(body["entities"].size() == 1);
    CHECK(body["entities"][0]["name"] == "Japan");
  }
  SECTION("a label alone lists that label's nodes") {
    json body = JsonBody(server.Get("/entities?label=Country&limit=10"));
    CHECK(body["entities"].size() == 2);
  }
  SECTION("no query lists the best-connected nodes, at most limit") {
    json body = JsonBody(server.Get("/entities?limit=3"));
    CHECK(body["entities"].size() == 3);
  }
}

// The message of the 400 InvalidArgument that `path` must answer.
std::string InvalidArgumentMessage(TestServer& server, const std::string& path) {
  auto res = server.Get(path);
  REQUIRE(res);
  CHECK(res->status == 400);
  json body = JsonBody(res);
  CHECK(body["error"]["code"] == "InvalidArgument");
  return body["error"]["message"].get<std::string>();
}

TEST_CASE("entity listing rejects a bad limit with a 400 naming the parameter", "[http][api]") {
  TestServer server;
  for (const char* path : {"/entities?q=a&limit=0", "/entities?q=a&limit=abc",
                           "/entities?q=a&limit=100000", "/entities?q=a&limit=5&limit=6"}) {
    INFO(path);
    CHECK(InvalidArgumentMessage(server, path).rfind("limit:", 0) == 0);
  }
}

TEST_CASE("a parameter a route does not take is a 400 naming it and what the route takes",
          "[http][api]") {
  TestServer server;
  const std::string abe = std::to_string(server.abe);
  const std::pair<std::string, std::string> cases[] = {
      // A misspelt search must not answer another question (the best-connected nodes).
      {"/entities?name=Abe", "unknown parameter 'name': /entities takes q, label, limit"},
      {"/entities/" + abe + "?limit=3", "unknown parameter 'limit': /entities/{id} takes none"},
      {"/entities/" + abe + "/neighbors?dir=out",
       "unknown parameter 'dir': /entities/{id}/neighbors takes type, direction, limit"},
      {"/stats?verbose=1", "unknown parameter 'verbose': /stats takes none"},
  };
  for (const auto& [path, message] : cases) {
    INFO(path);
    CHECK(InvalidArgumentMessage(server, path) == message);
  }
  // The parameters a route takes still work.
  auto res = server.Get("/entities/" + abe + "/neighbors?direction=out&limit=5&type=MEMBER_OF");
  REQUIRE(res);
  CHECK(res->status == 200);
}

TEST_CASE("an entity shows its aliases and its edges grouped by type", "[http][api]") {
  TestServer server;
  json body = JsonBody(server.Get("/entities/" + std::to_string(server.abe)));
  CHECK(body["name"] == "Shinzo Abe");
  CHECK(body["aliases"] == json::array({"Abe"}));
  CHECK(body["edges"]["out"]["MEMBER_OF"] == 1);
  CHECK(body["edges"]["in"].empty());
  CHECK(body["degree"]["out"] == 1);
  REQUIRE(body["mentions"].size() == 1);
  CHECK(body["mentions"][0]["document"]["title"] == "Abe rallies his party");
}

TEST_CASE("unknown or malformed ids are 404 with a JSON error", "[http][api]") {
  TestServer server;
  for (const char* path : {"/entities/999999", "/entities/0", "/entities/abc",
                           "/entities/99999999999999999999999", "/edges/424242",
                           "/edges/x/evidence", "/documents/77", "/entities/999/neighbors",
                           "/no/such/route"}) {
    INFO(path);
    auto res = server.Get(path);
    REQUIRE(res);
    CHECK(res->status == 404);
    CHECK(JsonBody(res)["error"]["code"] == "NotFound");
  }
}

TEST_CASE("neighbors list the edges with the node at the other end", "[http][api]") {
  TestServer server;
  std::string base = "/entities/" + std::to_string(server.ldp) + "/neighbors";
  SECTION("both directions by default") {
    json body = JsonBody(server.Get(base));
    CHECK(body["total"] == 1);
    REQUIRE(body["neighbors"].size() == 1);
    CHECK(body["neighbors"][0]["direction"] == "in");
    CHECK(body["neighbors"][0]["node"]["name"] == "Shinzo Abe");
    CHECK(body["neighbors"][0]["edge"]["type"] == "MEMBER_OF");
  }
  SECTION("direction out finds nothing for the party") {
    json body = JsonBody(server.Get(base + "?direction=out"));
    CHECK(body["neighbors"].empty());
  }
  SECTION("a type filter") {
    CHECK(JsonBody(server.Get(base + "?type=STANCE"))["neighbors"].empty());
    CHECK(JsonBody(server.Get(base + "?type=MEMBER_OF"))["neighbors"].size() == 1);
  }
  SECTION("a bad direction is a 400") {
    auto res = server.Get(base + "?direction=sideways");
    REQUIRE(res);
    CHECK(res->status == 400);
  }
}

TEST_CASE("stance edges carry their polarity", "[http][api]") {
  TestServer server;
  json body = JsonBody(
      server.Get("/entities/" + std::to_string(server.japan) + "/neighbors?direction=out"));
  REQUIRE(body["neighbors"].size() == 1);
  CHECK(body["neighbors"][0]["edge"]["properties"]["polarity"] == "negative");
}

TEST_CASE("an edge and its evidence sentences with the document title", "[http][api]") {
  TestServer server;
  std::string path = "/edges/" + std::to_string(server.member_edge);
  json edge = JsonBody(server.Get(path));
  CHECK(edge["type"] == "MEMBER_OF");
  CHECK(edge["source"] == server.abe);
  CHECK(edge["source_node"]["name"] == "Shinzo Abe");
  CHECK(edge["target_node"]["name"] == "Liberal Democratic Party");

  json evidence = JsonBody(server.Get(path + "/evidence"));
  CHECK(evidence["total"] == 1);
  REQUIRE(evidence["evidence"].size() == 1);
  const json& first = evidence["evidence"][0];
  CHECK(first["sentence"] ==
        "Shinzo Abe, a member of the Liberal Democratic Party, spoke on Monday.");
  CHECK(first["rule"] == "pattern:member_apposition");
  CHECK(first["document"]["title"] == "Abe rallies his party");
  CHECK(first["document"]["id"] == server.document_id);
}

TEST_CASE("a document with its text", "[http][api]") {
  TestServer server;
  json body = JsonBody(server.Get("/documents/" + std::to_string(server.document_id)));
  CHECK(body["title"] == "Abe rallies his party");
  CHECK(body["external_id"] == "bbc/politics/001.txt");
  CHECK(body["text"].get<std::string>().rfind("Shinzo Abe", 0) == 0);
}

TEST_CASE("every request gets one JSON access-log line", "[http][log]") {
  TestServer server;
  REQUIRE(server.Get("/health"));
  REQUIRE(server.Get("/entities/424242"));
  auto log = server.WaitForLog(2);
  REQUIRE(log.size() == 2);
  // A line is written once its response is sent, by the thread that served it: the two lines
  // may come in either order (seen in a loaded make test).
  json health = json::parse(log[0]);
  json missing = json::parse(log[1]);
  if (health["path"] != "/health") std::swap(health, missing);
  CHECK(health["method"] == "GET");
  CHECK(health["path"] == "/health");
  CHECK(health["status"] == 200);
  CHECK(health["remote"] == "127.0.0.1");
  CHECK(health.contains("ms"));
  CHECK(missing["path"] == "/entities/424242");
  CHECK(missing["status"] == 404);
}

}  // namespace
}  // namespace kg::testing
