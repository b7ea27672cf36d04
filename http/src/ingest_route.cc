// POST /ingest: articles in the request body (JSON Lines, or one plain-text article) go through
// the same reader, extractor and atomic per-article writes as `kg ingest`. Registered always;
// answers 403 unless the server was started with allow_writes, then needs the bearer token.

#include "ingest_route.h"

#include <atomic>
#include <cstdio>
#include <filesystem>
#include <fstream>
#include <mutex>

#include <fmt/format.h>
#include <nlohmann/json.hpp>

#include "auth.h"
#include "kg/core/dump_reader.h"
#include "kg/core/ingest_pipeline.h"
#include "kg/core/news_extractor.h"
#include "responses.h"

namespace kg::http::internal {
namespace {

namespace fs = std::filesystem;
using nlohmann::json;

// Problems listed in the answer (all are counted).
constexpr size_t kMaxProblemsShown = 20;

class StoreSink final : public kg::ArticleSink {
 public:
  explicit StoreSink(kg::store::GraphStore& store) : store_(store) {}
  Result<bool> Contains(const std::string& content_hash) override {
    return store_.HasDocument(content_hash);
  }
  Result<kg::SinkWriteResult> Write(const kg::Extraction& extraction) override {
    auto written = store_.WriteExtraction(extraction);
    if (!written) return written.error();
    kg::SinkWriteResult result;
    result.already_present = written->duplicate;
    result.entities_added = written->nodes_created;
    result.entities_merged = written->nodes_merged;
    result.edges_added = written->edges_created;
    result.evidence_added = written->evidence_added;
    return result;
  }

 private:
  kg::store::GraphStore& store_;
};

// One ingest at a time (the store has one writer anyway); the extractor is loaded by the first
// ingest and kept.
class Ingester {
 public:
  explicit Ingester(ServerState& state) : state_(state) {}

  void Handle(const httplib::Request& req, httplib::Response& res) {
    WriteAccess access = CheckWriteAccess(req, state_);
    if (!access.allowed) return SendRefusal(res, access);
    if (req.body.empty()) {
      return SendError(res, 400, "InvalidArgument", "request body: no articles");
    }
    std::lock_guard<std::mutex> lock(mu_);
    if (!extractor_) {
      auto extractor = kg::NewNewsExtractor();
      if (!extractor) return SendStatus(res, extractor.error());
      extractor_ = std::move(*extractor);
    }
    // The reader reads files: the body goes to a private temp file, named after the format
    // (JSON Lines when the type says so or the body starts with '{', else one plain article).
    std::string type = req.get_header_value("Content-Type");
    bool jsonl = type.find("json") != std::string::npos ||
                 req.body.find_first_not_of(" \t\r\n") == req.body.find('{');
    char dir_template[] = "/tmp/kg-ingest-XXXXXX";
    if (mkdtemp(dir_template) == nullptr) {
      return SendStatus(res, Status::IOError("cannot create a temporary folder"));
    }
    fs::path dir = dir_template;
    fs::path file = dir / (jsonl ? "body.jsonl" : "body.txt");
    Status status = Run(req.body, file, res);
    std::error_code ec;
    fs::remove_all(dir, ec);
    if (!status.ok()) SendStatus(res, status);
  }

 private:
  Status Run(const std::string& body, const fs::path& file, httplib::Response& res) {
    {
      std::ofstream out(file, std::ios::binary);
      out << body;
      if (!out) return Status::IOError("cannot write the request body to a temporary file");
    }
    std::string prefix = file.string();
    json problems = json::array();
    kg::ProblemLog log([&](const std::string& where, const std::string& reason) {
      if (problems.size() >= kMaxProblemsShown) return;
      // "/tmp/kg-ingest-x/body.jsonl:3: ..." -> "body:3: ..."
      std::string place = where.rfind(prefix, 0) == 0 ? "body" + where.substr(prefix.size())
                                                      : where;
      problems.push_back(place + ": " + reason);
    });
    kg::ReaderOptions reader_options;
    reader_options.on_problem = [&log](const kg::ReaderProblem& problem) {
      log.Add(problem.where, problem.reason);
    };
    auto reader = kg::OpenDump({file.string()}, reader_options);
    if (!reader) return reader.error();
    StoreSink sink(state_.store());
    kg::IngestOptions options;
    options.workers = 1;
    options.problems = &log;
    auto summary = kg::RunIngest(**reader, *extractor_, sink, options);
    if (!summary) return summary.error();
    const kg::IngestCounters& c = summary->counters;
    SendJson(res, 200,
             {{"articles_read", c.articles_read},
              {"ingested", c.ingested},
              {"skipped_present", c.skipped_present},
              {"skipped_duplicate", c.skipped_duplicate},
              {"bad", c.bad},
              {"problems", std::move(problems)},
              {"entities_added", c.entities_added},
              {"entities_merged", c.entities_merged},
              {"edges_added", c.edges_added},
              {"evidence_added", c.evidence_added},
              {"seconds", c.seconds}});
    return Status::Ok();
  }

  ServerState& state_;
  std::mutex mu_;
  std::unique_ptr<kg::Extractor> extractor_;
};

}  // namespace

void RegisterIngestRoutes(httplib::Server& server, ServerState& state) {
  auto ingester = std::make_shared<Ingester>(state);
  server.Post("/ingest", [ingester](const httplib::Request& req, httplib::Response& res) {
    ingester->Handle(req, res);
  });
  state.ingest_enabled = state.options().allow_writes && !state.read_only();
}

}  // namespace kg::http::internal
