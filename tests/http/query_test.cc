// POST /query against a real server: results, shapes of graph values, parameters, errors with
// positions, limits, NDJSON streaming, and the write guard.

#include <sstream>
#include <string>

#include "test_server.h"

namespace kg::testing {
namespace {

using nlohmann::json;

httplib::Result Query(TestServer& server, const json& body, const httplib::Headers& headers = {}) {
  return server.Post("/query", body.dump(), "application/json", headers);
}

TEST_CASE("health says the query endpoint exists", "[http][query]") {
  TestServer server;
  CHECK(JsonBody(server.Get("/health"))["features"]["query"] == true);
}

TEST_CASE("a query answers columns, rows and stats", "[http][query]") {
  TestServer server;
  auto res = Query(server, {{"query", "MATCH (p:Person) RETURN p.name AS name"}});
  REQUIRE(res);
  CHECK(res->status == 200);
  json body = JsonBody(res);
  CHECK(body["columns"] == json::array({"name"}));
  CHECK(body["rows"] == json::array({json::array({"Shinzo Abe"})}));
  CHECK(body["stats"]["rows"] == 1);
  CHECK(body["stats"].contains("elapsed_ms"));
}

TEST_CASE("nodes and relationships come with id, labels or type, and properties",
          "[http][query]") {
  TestServer server;
  json body =
      JsonBody(Query(server, {{"query", "MATCH (a)-[r:MEMBER_OF]->(b) RETURN a, r, b"}}));
  REQUIRE(body["rows"].size() == 1);
  const json& row = body["rows"][0];
  CHECK(row[0]["id"] == server.abe);
  CHECK(row[0]["labels"] == json::array({"Person"}));
  CHECK(row[0]["properties"]["name"] == "Shinzo Abe");
  CHECK(row[1]["type"] == "MEMBER_OF");
  CHECK(row[1]["start"] == server.abe);
  CHECK(row[1]["end"] == server.ldp);
  CHECK(row[2]["properties"]["name"] == "Liberal Democratic Party");
}

TEST_CASE("a path is a list of nodes and relationships", "[http][query]") {
  TestServer server;
  json body = JsonBody(Query(server, {{"query", "MATCH p = (:Person)-->() RETURN p"}}));
  REQUIRE(body["rows"].size() == 1);
  const json& path = body["rows"][0][0];
  CHECK(path["nodes"].size() == 2);
  CHECK(path["relationships"].size() == 1);
}

TEST_CASE("parameters are bound", "[http][query]") {
  TestServer server;
  json body = JsonBody(Query(server, {{"query", "MATCH (c:Country {name: $name}) RETURN c.name"},
                                      {"parameters", {{"name", "Japan"}}}}));
  CHECK(body["rows"] == json::array({json::array({"Japan"})}));
}

TEST_CASE("a syntax error is a 400 with the error name, line and column", "[http][query]") {
  TestServer server;
  auto res = Query(server, {{"query", "MATCH (p:Person)\nRETURN p.name ORDER"}});
  REQUIRE(res);
  CHECK(res->status == 400);
  json error = JsonBody(res)["error"];
  CHECK(error["code"] == "SyntaxError");
  CHECK(error["line"] == 2);
  CHECK(error["column"].get<int>() >= 1);
  CHECK_FALSE(error["message"].get<std::string>().empty());
}

TEST_CASE("a run-time error is a 400 with its own code and detail", "[http][query]") {
  TestServer server;
  auto res = Query(server, {{"query", "RETURN 1 / 0"}});
  REQUIRE(res);
  CHECK(res->status == 400);
  json error = JsonBody(res)["error"];
  CHECK(error["code"] == "ArithmeticError");
  CHECK(error["detail"] == "DivisionByZero");
  CHECK(error["line"] == 1);
  CHECK(error["column"] == 8);
}

TEST_CASE("a malformed request body is a 400", "[http][query]") {
  TestServer server;
  for (const char* body : {"not json", "{}", "{\"query\": 3}", "[1]",
                           "{\"query\": \"RETURN 1\", \"parameters\": [1]}"}) {
    INFO(body);
    auto res = server.Post("/query", body, "application/json");
    REQUIRE(res);
    CHECK(res->status == 400);
    CHECK(JsonBody(res)["error"]["code"] == "InvalidArgument");
  }
}

TEST_CASE("a result over the row cap is refused with its own code", "[http][query]") {
  kg::http::ServerOptions options;
  options.query_max_rows = 2;
  TestServer server(options);
  auto res = Query(server, {{"query", "MATCH (n) RETURN n"}});
  REQUIRE(res);
  CHECK(res->status == 422);
  CHECK(JsonBody(res)["error"]["code"] == "LimitExceeded");
}

TEST_CASE("a query over the time limit is stopped with a timeout error", "[http][query]") {
  kg::http::ServerOptions options;
  options.query_timeout_ms = 1;
  TestServer server(options);
  auto res = Query(server, {{"query",
                             "UNWIND range(1, 5000) AS a UNWIND range(1, 5000) AS b "
                             "WITH a, b WHERE a + b < 0 RETURN count(*)"}});
  REQUIRE(res);
  CHECK(res->status == 503);
  CHECK(JsonBody(res)["error"]["code"] == "TimeoutError");
}

TEST_CASE("Accept: application/x-ndjson streams one JSON object per line", "[http][query]") {
  TestServer server;
  auto res = Query(server, {{"query", "MATCH (c:Country) RETURN c.name ORDER BY c.name"}},
                   {{"Accept", "application/x-ndjson"}});
  REQUIRE(res);
  CHECK(res->status == 200);
  CHECK(res->get_header_value("Content-Type") == "application/x-ndjson");
  std::istringstream lines(res->body);
  std::vector<json> objects;
  for (std::string line; std::getline(lines, line);) objects.push_back(json::parse(line));
  REQUIRE(objects.size() == 4);
  CHECK(objects[0]["columns"] == json::array({"c.name"}));
  CHECK(objects[1]["row"] == json::array({"Japan"}));
  CHECK(objects[2]["row"] == json::array({"Russia"}));
  CHECK(objects[3]["stats"]["rows"] == 2);
}

TEST_CASE("CREATE is refused unless writes are allowed and the token matches", "[http][query]") {
  const json create = {{"query", "CREATE (n:Person {name: 'Ada Lovelace'}) RETURN n"}};
  SECTION("writes off: 403") {
    TestServer server;
    auto res = Query(server, create);
    REQUIRE(res);
    CHECK(res->status == 403);
    CHECK(JsonBody(res)["error"]["code"] == "Forbidden");
  }
  kg::http::ServerOptions options;
  options.allow_writes = true;
  options.write_token = "s3cret";
  TestServer server(options);
  SECTION("no token or a wrong one: 401, nothing written") {
    for (const httplib::Headers& headers :
         {httplib::Headers{}, httplib::Headers{{"Authorization", "Bearer wrong"}},
          httplib::Headers{{"Authorization", "s3cret"}}}) {
      auto res = Query(server, create, headers);
      REQUIRE(res);
      CHECK(res->status == 401);
      CHECK(JsonBody(res)["error"]["code"] == "Unauthorized");
    }
    json count = JsonBody(Query(server, {{"query", "MATCH (n:Person) RETURN count(n)"}}));
    CHECK(count["rows"][0][0] == 1);
  }
  SECTION("the right token: written") {
    auto res = Query(server, create, {{"Authorization", "Bearer s3cret"}});
    REQUIRE(res);
    CHECK(res->status == 200);
    CHECK(JsonBody(res)["stats"]["nodes_created"] == 1);
    json count = JsonBody(Query(server, {{"query", "MATCH (n:Person) RETURN count(n)"}}));
    CHECK(count["rows"][0][0] == 2);
  }
  SECTION("reads need no token") {
    auto res = Query(server, {{"query", "RETURN 1 AS one"}});
    REQUIRE(res);
    CHECK(res->status == 200);
  }
}

TEST_CASE("DELETE, SET and REMOVE are refused like CREATE when writes are off", "[http][query]") {
  TestServer server;
  for (const char* q :
       {"MATCH (c:Country) DETACH DELETE c", "MATCH (c:Country) DELETE c",
        "MATCH (c:Country) SET c.name = 'x'", "MATCH (c:Country) REMOVE c:Country"}) {
    auto res = Query(server, {{"query", q}});
    INFO(q);
    REQUIRE(res);
    CHECK(res->status == 403);
    CHECK(JsonBody(res)["error"]["code"] == "Forbidden");
  }
  json names =
      JsonBody(Query(server, {{"query", "MATCH (c:Country) RETURN c.name ORDER BY c.name"}}));
  CHECK(names["rows"] == json::array({json::array({"Japan"}), json::array({"Russia"})}));
}

}  // namespace
}  // namespace kg::testing
