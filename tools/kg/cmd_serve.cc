// kg serve: the HTTP API and the web explorer over a store (docs/HTTP.md). Opens the store
// read-only (beside a running `kg ingest`) unless --allow-writes; stops cleanly on SIGINT/SIGTERM.

#include <atomic>
#include <chrono>
#include <csignal>
#include <cstdio>
#include <cstdlib>
#include <filesystem>
#include <memory>
#include <mutex>
#include <thread>

#include <fmt/format.h>

#include "command.h"
#include "kg/core/data_path.h"
#include "kg/http/server.h"
#include "kg/store/graph_store.h"

namespace kg::cli {
namespace {

namespace fs = std::filesystem;

std::atomic<bool> g_stop{false};

extern "C" void OnStopSignal(int) { g_stop.store(true); }

struct ServeArgs {
  kg::http::ServerOptions server;
  std::string web_dir;
  bool quiet = false;
  std::string token;
  size_t max_body_kib = 1024;
};

Status Serve(const Context& ctx, ServeArgs& args) {
  kg::http::ServerOptions options = args.server;
  if (options.allow_writes) {
    options.write_token = args.token;
    if (options.write_token.empty()) {
      if (const char* env = std::getenv("KG_TOKEN")) options.write_token = env;
    }
  }
  options.max_body_bytes = args.max_body_kib * 1024;
  options.web_dir = args.web_dir.empty() ? kg::DataPath("web") : fs::path(args.web_dir);
  std::error_code ec;
  if (!fs::is_directory(options.web_dir, ec)) {
    if (!args.web_dir.empty()) {
      return Status::InvalidArgument("--web " + args.web_dir + ": no such folder");
    }
    std::fprintf(stderr, "kg: no web folder found: serving the API only\n");
    options.web_dir.clear();
  } else {
    fs::path cytoscape = options.web_dir / "node_modules" / "cytoscape" / "dist";
    if (fs::is_directory(cytoscape, ec)) {
      options.cytoscape_dir = cytoscape;
    } else {
      std::fprintf(stderr,
                   "kg: %s is missing (run scripts/install-web.sh): the explorer cannot draw "
                   "graphs\n",
                   cytoscape.string().c_str());
    }
  }
  if (!args.quiet) {
    auto mu = std::make_shared<std::mutex>();
    options.access_log = [mu](const std::string& line) {
      std::lock_guard<std::mutex> lock(*mu);
      std::fprintf(stderr, "%s\n", line.c_str());
    };
  }

  kg::store::OpenOptions open_options;
  open_options.mode =
      options.allow_writes ? kg::store::OpenMode::kReadWrite : kg::store::OpenMode::kReadOnly;
  open_options.create_if_missing = false;
  auto store = kg::store::GraphStore::Open(ctx.db_path, open_options);
  if (!store) return store.error();

  const std::string host = options.host;
  auto server = kg::http::Server::Create(**store, std::move(options));
  if (!server) return server.error();
  auto port = (*server)->Bind();
  if (!port) return port.error();
  if (host != "127.0.0.1" && host != "localhost" && host != "::1") {
    std::fprintf(stderr,
                 "kg: warning: serving beyond loopback; put a reverse proxy in front for "
                 "untrusted networks (docs/HTTP.md, Security)\n");
  }
  std::printf("kg: serving %s\n", (*server)->url().c_str());
  std::fflush(stdout);

  std::signal(SIGINT, OnStopSignal);
  std::signal(SIGTERM, OnStopSignal);
  std::atomic<bool> done{false};
  kg::http::Server* raw = server->get();
  std::thread watcher([raw, &done] {
    while (!done.load() && !g_stop.load()) {
      std::this_thread::sleep_for(std::chrono::milliseconds(50));
    }
    raw->Stop();
  });
  Status status = (*server)->Listen();
  done.store(true);
  watcher.join();
  if (g_stop.load()) std::fprintf(stderr, "kg: stopped\n");
  return status;
}

Registrar register_serve("kg", "serve", [](CLI::App& app, Context& ctx) {
  auto args = std::make_shared<ServeArgs>();
  auto* sub = app.add_subcommand(
      "serve",
      "Serve the HTTP API and the web graph explorer over the store (read-only unless "
      "--allow-writes)");
  sub->add_option("--host", args->server.host, "Address to bind (default loopback only)")
      ->capture_default_str();
  sub->add_option("--port", args->server.port, "Port (0 = any free port)")
      ->capture_default_str();
  sub->add_option("--threads", args->server.threads,
                  "Worker threads (each kept-alive connection holds one)")
      ->capture_default_str();
  sub->add_option("--web", args->web_dir,
                  "Folder of the web explorer (default: the web/ folder kg ships)");
  sub->add_option("--query-timeout-ms", args->server.query_timeout_ms,
                  "Wall-clock limit of one Cypher query (0 = none)")
      ->capture_default_str();
  sub->add_option("--max-rows", args->server.query_max_rows, "Most rows a query may return")
      ->capture_default_str();
  sub->add_option("--query-cache", args->server.query_cache_entries,
                  "Query texts kept parsed for the next request with the same text (0 = none)")
      ->capture_default_str()
      // Bounds checked as signed: a size_t option alone takes "-1" as 2^64-1.
      ->check(CLI::Range(int64_t{0}, int64_t{1} << 20));
  sub->add_option("--max-body-kib", args->max_body_kib, "Largest request body, in KiB")
      ->capture_default_str()
      ->check(CLI::Range(int64_t{1}, int64_t{1} << 20));
  sub->add_flag("--quiet", args->quiet, "No access log on stderr");
  sub->add_flag("--allow-writes", args->server.allow_writes,
                "Open the store read-write and accept POST /ingest (needs a token)");
  sub->add_option("--token", args->token,
                  "Bearer token required by write requests (default: $KG_TOKEN)");
  sub->callback([&ctx, args] { ctx.exit_code = Report(ctx, Serve(ctx, *args)); });
});

}  // namespace
}  // namespace kg::cli
