#pragma once
// A small store and a kg::http::Server on a loopback port for the http tests. The server runs on
// its own thread from construction to destruction; the destructor stops and joins it. Clients
// are made per request by Get/Post (no keep-alive), so stopping never waits for an idle
// kept-alive connection (TOOLCHAIN.md pitfall 7).

#include <httplib.h>

#include <catch2/catch.hpp>
#include <chrono>
#include <memory>
#include <mutex>
#include <nlohmann/json.hpp>
#include <string>
#include <thread>
#include <vector>

#include "kg/http/server.h"
#include "kg/store/graph_store.h"
#include "test_support.h"

namespace kg::testing {

// "Shinzo Abe" (Person) MEMBER_OF "Liberal Democratic Party" (Organization), and
// "Japan" (Country) STANCE (negative) "Russia" (Country), from one document.
inline kg::Extraction SampleExtraction() {
  kg::Extraction ex;
  ex.doc.id = "bbc/politics/001.txt";
  ex.doc.source = "bbc/politics/001.txt";
  ex.doc.title = "Abe rallies his party";
  ex.doc.date = "2026-11-20";
  ex.doc.text =
      "Shinzo Abe, a member of the Liberal Democratic Party, spoke on Monday. "
      "Japan condemned Russia over the talks.";
  ex.doc.content_hash = "hash-001";
  auto entity = [](std::string name, std::string label, uint32_t start, uint32_t end) {
    kg::ExtractedEntity e;
    e.name = std::move(name);
    e.label = std::move(label);
    e.mentions.push_back({start, end, ""});
    return e;
  };
  ex.entities.push_back(entity("Shinzo Abe", "Person", 0, 10));
  ex.entities.push_back(entity("Liberal Democratic Party", "Organization", 24, 48));
  ex.entities.push_back(entity("Japan", "Country", 71, 76));
  ex.entities.push_back(entity("Russia", "Country", 87, 93));
  ex.entities[0].aliases = {"Abe"};
  kg::ExtractedRelation member;
  member.type = "MEMBER_OF";
  member.source = 0;
  member.target = 1;
  member.evidence.push_back({"Shinzo Abe, a member of the Liberal Democratic Party, spoke on Monday.",
                             0, 70, "pattern:member_apposition", 0.9, kg::EmptyProperties()});
  ex.relations.push_back(member);
  kg::ExtractedRelation stance;
  stance.type = "STANCE";
  stance.source = 2;
  stance.target = 3;
  stance.properties = {{"polarity", "negative"}};
  stance.evidence.push_back({"Japan condemned Russia over the talks.", 71, 109,
                             "pattern:stance_subject", 0.7, kg::EmptyProperties()});
  ex.relations.push_back(stance);
  return ex;
}

class TestServer {
 public:
  // Builds the store under a temp dir, a web folder with index.html and app.js, a cytoscape
  // folder, and a secret file beside them that must never be served.
  explicit TestServer(kg::http::ServerOptions options = {}) {
    auto store = kg::store::GraphStore::Open((dir_.path() / "kg.db").string());
    REQUIRE(store);
    store_ = std::move(*store);
    auto summary = store_->WriteExtraction(SampleExtraction());
    REQUIRE(summary);
    document_id = summary->doc;
    abe = summary->entity_nodes[0];
    ldp = summary->entity_nodes[1];
    japan = summary->entity_nodes[2];
    russia = summary->entity_nodes[3];
    {
      auto view = store_->NewReadView();
      auto edges = view->Edges(abe, kg::store::Direction::kOut);
      REQUIRE(edges.size() == 1);
      member_edge = edges[0].id;
    }
    web_dir = dir_.path() / "web";
    WriteFile(web_dir / "index.html", "<!doctype html><title>kg</title>");
    WriteFile(web_dir / "app.js", "console.log('kg');");
    WriteFile(web_dir / "package.json", "{\"name\": \"not served\"}");
    WriteFile(web_dir / "node_modules" / "cytoscape" / "dist" / "cytoscape.min.js",
              "/* cytoscape */");
    WriteFile(dir_.path() / "secret.txt", "TOP-SECRET");
    WriteFile(web_dir / "node_modules" / "cytoscape" / "secret2.txt", "TOP-SECRET-2");

    options.host = "127.0.0.1";
    options.port = 0;
    if (options.web_dir.empty()) options.web_dir = web_dir;
    if (options.cytoscape_dir.empty()) {
      options.cytoscape_dir = web_dir / "node_modules" / "cytoscape" / "dist";
    }
    options.access_log = [this](const std::string& line) {
      std::lock_guard<std::mutex> lock(log_mu_);
      log_.push_back(line);
    };
    auto server = kg::http::Server::Create(*store_, options);
    REQUIRE(server);
    server_ = std::move(*server);
    auto bound = server_->Bind();
    REQUIRE(bound);
    port = *bound;
    thread_ = std::thread([this] { (void)server_->Listen(); });
  }

  ~TestServer() {
    server_->Stop();
    thread_.join();
    server_.reset();
  }

  httplib::Result Get(const std::string& path, const httplib::Headers& headers = {}) {
    httplib::Client client("127.0.0.1", port);
    client.set_connection_timeout(5);
    client.set_read_timeout(10);
    return client.Get(path.c_str(), headers);
  }

  httplib::Result Post(const std::string& path, const std::string& body,
                       const std::string& content_type, const httplib::Headers& headers = {}) {
    httplib::Client client("127.0.0.1", port);
    client.set_connection_timeout(5);
    client.set_read_timeout(10);
    return client.Post(path.c_str(), headers, body, content_type.c_str());
  }

  // GET without URL-encoding the path: sends `path` byte for byte (traversal tests).
  httplib::Result RawGet(const std::string& path, const httplib::Headers& headers = {}) {
    httplib::Client client("127.0.0.1", port);
    client.set_url_encode(false);
    client.set_connection_timeout(5);
    client.set_read_timeout(10);
    return client.Get(path.c_str(), headers);
  }

  // The access log once it has at least `count` lines. The server writes a line just after
  // sending the response, so a client may see the response first; this waits (up to 5 s).
  std::vector<std::string> WaitForLog(size_t count) {
    for (int attempt = 0; attempt < 500; ++attempt) {
      {
        std::lock_guard<std::mutex> lock(log_mu_);
        if (log_.size() >= count) return log_;
      }
      std::this_thread::sleep_for(std::chrono::milliseconds(10));
    }
    return log();
  }

  std::vector<std::string> log() {
    std::lock_guard<std::mutex> lock(log_mu_);
    return log_;
  }

  kg::store::GraphStore& store() { return *store_; }

  int port = 0;
  uint64_t abe = 0, ldp = 0, japan = 0, russia = 0, document_id = 0, member_edge = 0;
  std::filesystem::path web_dir;

 private:
  TempDir dir_;
  std::unique_ptr<kg::store::GraphStore> store_;
  std::unique_ptr<kg::http::Server> server_;
  std::thread thread_;
  std::mutex log_mu_;
  std::vector<std::string> log_;
};

// The JSON body of a response. REQUIREs that there is a response with a JSON content type.
inline nlohmann::json JsonBody(const httplib::Result& res) {
  REQUIRE(res);
  INFO("body: " << res->body);
  REQUIRE(res->get_header_value("Content-Type").rfind("application/json", 0) == 0);
  return nlohmann::json::parse(res->body);
}

}  // namespace kg::testing
