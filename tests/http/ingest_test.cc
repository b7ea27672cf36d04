// POST /ingest: refused without writes or token; with them, articles are extracted and stored
// once, and bad lines are reported by line.

#include <string>

#include "test_server.h"

namespace kg::testing {
namespace {

using nlohmann::json;

const char* kArticle =
    R"({"id": "web-1", "title": "Kamikawa meets Lavrov", "text": "Japanese Foreign Minister )"
    R"(Yoko Kamikawa held talks with Russian Foreign Minister Sergei Lavrov in Vladivostok on )"
    R"(Friday. Japan condemned Russia over the war in Ukraine."})"
    "\n";

TEST_CASE("ingest is refused when the server does not accept writes", "[http][ingest]") {
  TestServer server;
  auto res = server.Post("/ingest", kArticle, "application/x-ndjson",
                         {{"Authorization", "Bearer anything"}});
  REQUIRE(res);
  CHECK(res->status == 403);
  CHECK(JsonBody(res)["error"]["code"] == "Forbidden");
  CHECK(JsonBody(server.Get("/health"))["features"]["ingest"] == false);
}

TEST_CASE("ingest needs the bearer token", "[http][ingest]") {
  kg::http::ServerOptions options;
  options.allow_writes = true;
  options.write_token = "t0ken";
  TestServer server(options);
  CHECK(JsonBody(server.Get("/health"))["features"]["ingest"] == true);
  SECTION("no token or a wrong one: 401, nothing stored") {
    for (const httplib::Headers& headers :
         {httplib::Headers{}, httplib::Headers{{"Authorization", "Bearer t0ke"}},
          httplib::Headers{{"Authorization", "Basic t0ken"}}}) {
      auto res = server.Post("/ingest", kArticle, "application/x-ndjson", headers);
      REQUIRE(res);
      CHECK(res->status == 401);
      CHECK(res->get_header_value("WWW-Authenticate") == "Bearer");
    }
    CHECK(JsonBody(server.Get("/stats"))["documents"] == 1);
  }
  SECTION("the right token: stored once, found by search") {
    const httplib::Headers auth = {{"Authorization", "Bearer t0ken"}};
    json body = JsonBody(server.Post("/ingest", kArticle, "application/x-ndjson", auth));
    CHECK(body["ingested"] == 1);
    CHECK(body["bad"] == 0);
    CHECK(JsonBody(server.Get("/stats"))["documents"] == 2);
    json found = JsonBody(server.Get("/entities?q=lavrov"));
    REQUIRE_FALSE(found["entities"].empty());
    CHECK(found["entities"][0]["name"].get<std::string>().find("Lavrov") != std::string::npos);

    json again = JsonBody(server.Post("/ingest", kArticle, "application/x-ndjson", auth));
    CHECK(again["ingested"] == 0);
    CHECK(again["skipped_present"] == 1);
  }
  SECTION("a malformed line is reported with its line number") {
    std::string body = std::string("{not json\n") + kArticle;
    json answer = JsonBody(server.Post("/ingest", body, "application/x-ndjson",
                                       {{"Authorization", "Bearer t0ken"}}));
    CHECK(answer["ingested"] == 1);
    CHECK(answer["bad"] == 1);
    REQUIRE(answer["problems"].size() == 1);
    CHECK(answer["problems"][0].get<std::string>().rfind("body:1", 0) == 0);
  }
}

}  // namespace
}  // namespace kg::testing
