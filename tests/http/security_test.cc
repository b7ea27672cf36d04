// The guards around cpp-httplib 0.11.4 (docs/HTTP.md, "Security"): body limit, multi-range
// refusal, exception handler, static files confined to the web folder, mount prefix bug, no
// reflected headers.

#include <string>

#include "test_server.h"

namespace kg::testing {
namespace {

using nlohmann::json;

TEST_CASE("a body over the limit is refused with 413 and a JSON error", "[http][security]") {
  kg::http::ServerOptions options;
  options.max_body_bytes = 1024;
  TestServer server(options);
  auto res = server.Post("/query", std::string(4096, 'x'), "application/json");
  REQUIRE(res);
  CHECK(res->status == 413);
  CHECK(JsonBody(res)["error"]["code"] == "PayloadTooLarge");
}

TEST_CASE("requests with several ranges are refused with 416", "[http][security]") {
  TestServer server;
  for (const char* path : {"/vendor/cytoscape/cytoscape.min.js", "/health", "/app.js"}) {
    INFO(path);
    auto res = server.Get(path, {{"Range", "bytes=0-1,0-1,0-1,0-1"}});
    REQUIRE(res);
    CHECK(res->status == 416);
    CHECK(JsonBody(res)["error"]["code"] == "RangeNotSatisfiable");
  }
  auto single = server.Get("/vendor/cytoscape/cytoscape.min.js", {{"Range", "bytes=0-1"}});
  REQUIRE(single);
  CHECK(single->status == 206);
  CHECK(single->body == "/*");
  // The API ignores Range: errors and answers come whole.
  auto error = server.Get("/entities/424242", {{"Range", "bytes=0-1"}});
  REQUIRE(error);
  CHECK(error->status == 404);
  CHECK(JsonBody(error)["error"]["code"] == "NotFound");
  auto health = server.Get("/health", {{"Range", "bytes=0-1"}});
  REQUIRE(health);
  CHECK(health->status == 200);
  CHECK(JsonBody(health)["status"] == "ok");
}

TEST_CASE("an exception in a handler is a JSON 500 that leaks nothing", "[http][security]") {
  kg::http::ServerOptions options;
  options.TEST_throw_route = true;
  TestServer server(options);
  auto res = server.Get("/TEST/throw");
  REQUIRE(res);
  CHECK(res->status == 500);
  CHECK(JsonBody(res)["error"]["code"] == "Internal");
  CHECK(res->body.find("secret detail") == std::string::npos);
  CHECK_FALSE(res->has_header("EXCEPTION_WHAT"));
  for (const auto& [name, value] : res->headers) {
    CHECK(value.find("secret detail") == std::string::npos);
  }
}

TEST_CASE("the page and its files are served from the web folder", "[http][static]") {
  TestServer server;
  auto index = server.Get("/");
  REQUIRE(index);
  CHECK(index->status == 200);
  CHECK(index->body == "<!doctype html><title>kg</title>");
  CHECK(index->get_header_value("Content-Type").rfind("text/html", 0) == 0);
  CHECK(index->has_header("Content-Security-Policy"));
  auto app = server.Get("/app.js");
  REQUIRE(app);
  CHECK(app->status == 200);
  CHECK(app->get_header_value("Content-Type").rfind("text/javascript", 0) == 0);
  auto vendor = server.Get("/vendor/cytoscape/cytoscape.min.js");
  REQUIRE(vendor);
  CHECK(vendor->status == 200);
  CHECK(vendor->body == "/* cytoscape */");
}

TEST_CASE("no path outside the served folders is ever served", "[http][static][security]") {
  TestServer server;
  const char* paths[] = {
      "/../secret.txt",
      "/%2e%2e/secret.txt",
      "/..%2fsecret.txt",
      "/%2e%2e%2fsecret.txt",
      "/vendor/cytoscape/../secret2.txt",
      "/vendor/cytoscape/%2e%2e/secret2.txt",
      "/vendor/cytoscape/..%2fsecret2.txt",
      "/vendor/cytoscape/%2E%2E%2Fsecret2.txt",
      "/vendor/cytoscape/..%5csecret2.txt",
      "/vendor/cytoscape/../../../secret.txt",
      "/vendor/cytoscape/%2e%2e/%2e%2e/%2e%2e/secret.txt",
      "/vendor/cytoscape/....//secret2.txt",
      "/vendor/cytoscape//etc/passwd",
      "/vendor/cytoscape/%2fetc%2fpasswd",
      "/package.json",
      "/node_modules/cytoscape/dist/cytoscape.min.js",
      "/web/index.html",
      "/index.html%00.js",
      "/secret.txt",
  };
  for (const char* path : paths) {
    INFO(path);
    auto res = server.RawGet(path);
    REQUIRE(res);
    CHECK(res->status >= 400);
    CHECK(res->status < 500);
    CHECK(res->body.find("TOP-SECRET") == std::string::npos);
    CHECK(res->body.find("root:") == std::string::npos);
    CHECK(res->body.find("not served") == std::string::npos);
  }
}

TEST_CASE("a mount point does not match a longer prefix", "[http][static][security]") {
  // cpp-httplib 0.11 matched "/vendor/cytoscape" against "/vendor/cytoscapefoo"; kg mounts with
  // a trailing slash.
  TestServer server;
  auto res = server.RawGet("/vendor/cytoscapecytoscape.min.js");
  REQUIRE(res);
  CHECK(res->status == 404);
}

TEST_CASE("request header values are never reflected in the response", "[http][security]") {
  TestServer server;
  auto res = server.Get("/entities/424242", {{"X-Probe", "reflected-marker"},
                                             {"REMOTE_ADDR", "6.6.6.6"}});
  REQUIRE(res);
  CHECK(res->body.find("reflected-marker") == std::string::npos);
  for (const auto& [name, value] : res->headers) {
    CHECK(value.find("reflected-marker") == std::string::npos);
  }
  // The access log names the real peer, not a spoofed REMOTE_ADDR header.
  auto log = server.WaitForLog(1);
  REQUIRE(log.size() == 1);
  CHECK(json::parse(log[0])["remote"] == "127.0.0.1");
}

}  // namespace
}  // namespace kg::testing
