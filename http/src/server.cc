// Server: cpp-httplib set up with kg's limits and guards (docs/HTTP.md, "Security"), the routes,
// the access log, and the bind/listen/stop life cycle.

#include "kg/http/server.h"

#include <sys/socket.h>

#include <chrono>
#include <ctime>
#include <atomic>
#include <exception>
#include <stdexcept>
#include <mutex>
#include <thread>

#include <fmt/format.h>
#include <httplib.h>
#include <nlohmann/json.hpp>

#include "graph_routes.h"
#include "kg/query/engine.h"
#include "ingest_route.h"
#include "query_route.h"
#include "responses.h"
#include "server_state.h"
#include "web_routes.h"

namespace kg::http {

using internal::SendError;

namespace {

using Clock = std::chrono::steady_clock;

// When the request being handled on this worker started (set by the pre-routing handler, read
// by the logger; one worker handles one request at a time from routing to logging).
thread_local Clock::time_point t_request_start{};

std::string UtcTimestamp() {
  auto now = std::chrono::system_clock::now();
  std::time_t seconds = std::chrono::system_clock::to_time_t(now);
  auto millis =
      std::chrono::duration_cast<std::chrono::milliseconds>(now.time_since_epoch()).count() % 1000;
  std::tm tm{};
  gmtime_r(&seconds, &tm);
  return fmt::format("{:04}-{:02}-{:02}T{:02}:{:02}:{:02}.{:03}Z", tm.tm_year + 1900,
                     tm.tm_mon + 1, tm.tm_mday, tm.tm_hour, tm.tm_min, tm.tm_sec, millis);
}

// The error code of a body-less error response, by HTTP status.
const char* ErrorCodeForHttpStatus(int status) {
  switch (status) {
    case 400:
      return "BadRequest";
    case 401:
      return "Unauthorized";
    case 403:
      return "Forbidden";
    case 404:
      return "NotFound";
    case 405:
      return "MethodNotAllowed";
    case 413:
      return "PayloadTooLarge";
    case 414:
      return "UriTooLong";
    case 416:
      return "RangeNotSatisfiable";
    case 503:
      return "Unavailable";
    default:
      return status >= 500 ? "Internal" : "BadRequest";
  }
}

const char* ErrorMessageForHttpStatus(int status) {
  switch (status) {
    case 404:
      return "no such resource";
    case 405:
      return "method not allowed here";
    case 413:
      return "request body too large";
    case 414:
      return "request target too long";
    case 416:
      return "range not satisfiable";
    default:
      return status >= 500 ? "internal error" : "bad request";
  }
}

Status CheckOptions(const ServerOptions& options) {
  if (options.host.empty()) return Status::InvalidArgument("--host must not be empty");
  if (options.port < 0 || options.port > 65535) {
    return Status::InvalidArgument(fmt::format("--port {} is not in 0..65535", options.port));
  }
  if (options.threads < 1 || options.threads > 1024) {
    return Status::InvalidArgument(fmt::format("--threads {} is not in 1..1024", options.threads));
  }
  if (options.max_body_bytes == 0) return Status::InvalidArgument("max body size must be > 0");
  if (options.read_timeout_s < 1 || options.write_timeout_s < 1) {
    return Status::InvalidArgument("timeouts must be at least 1 second");
  }
  if (options.query_timeout_ms < 0 || options.query_max_rows < 1) {
    return Status::InvalidArgument("query timeout must be >= 0 and row cap >= 1");
  }
  if (options.max_limit < 1) return Status::InvalidArgument("max limit must be >= 1");
  if (options.allow_writes && options.write_token.empty()) {
    return Status::InvalidArgument("--allow-writes needs a token (--token or $KG_TOKEN)");
  }
  return Status::Ok();
}

}  // namespace

struct Server::Impl {
  Impl(kg::store::GraphStore& store, ServerOptions options)
      : state(store, std::move(options)) {}

  Status Setup();
  void Log(const httplib::Request& req, const httplib::Response& res);

  internal::ServerState state;
  httplib::Server server;
  int port = -1;
  int listen_fd = -1;  // the listening socket, seen through httplib's socket-options hook

  // Stop() may come before, during or after Listen() starts; httplib's stop() only works once
  // its accept loop runs, so Stop() waits for that (or for Listen() to be over).
  std::mutex lifecycle_mu;
  bool stop_requested = false;
  bool listening = false;
  std::atomic<bool> listen_done{false};
};

Status Server::Impl::Setup() {
  const ServerOptions& options = state.options();
  kg::query::DefaultQueryCache().set_capacity(options.query_cache_entries);
  int threads = options.threads;
  server.new_task_queue = [threads] { return new httplib::ThreadPool(threads); };
  server.set_payload_max_length(options.max_body_bytes);
  server.set_read_timeout(options.read_timeout_s, 0);
  server.set_write_timeout(options.write_timeout_s, 0);
  server.set_keep_alive_max_count(options.keep_alive_max_count);
  server.set_keep_alive_timeout(options.keep_alive_timeout_s);
  // cpp-httplib writes the headers and the body in separate writes; with Nagle on, the body of
  // a small answer waits for the client's delayed ACK (~40 ms per request on Linux).
  server.set_tcp_nodelay(true);
  // Debian's libcpp-httplib 0.11 listens with a backlog of 5 (compiled in): a burst of 200
  // clients saw connections reset. Bind() raises it on the socket this hook remembers.
  server.set_socket_options([this](socket_t sock) {
    httplib::default_socket_options(sock);
    listen_fd = sock;
  });
  server.set_default_headers({{"X-Content-Type-Options", "nosniff"},
                              {"X-Frame-Options", "DENY"},
                              {"Referrer-Policy", "no-referrer"}});

  // Runs before the body is read and before any route. Multi-range requests are refused, since
  // cpp-httplib 0.11 answers each range with a copy of the body (amplification). cpp-httplib
  // also cuts *any* response, errors included, to the requested ranges after routing, so the
  // ranges are dropped here: for a refused request and for every path but the vendored files
  // (the API ignores Range, as RFC 9110 allows). The Request is a non-const object owned by
  // cpp-httplib's request loop, handed to us as const; clearing its ranges is the only way 0.11
  // offers to keep them from being applied.
  server.set_pre_routing_handler(
      [](const httplib::Request& req, httplib::Response& res) {
        t_request_start = Clock::now();
        auto& ranges = const_cast<httplib::Request&>(req).ranges;
        if (ranges.size() > 1) {
          ranges.clear();
          SendError(res, 416, "RangeNotSatisfiable", "multiple ranges are not supported");
          return httplib::Server::HandlerResponse::Handled;
        }
        if (!ranges.empty() && req.path.rfind("/vendor/", 0) != 0) ranges.clear();
        return httplib::Server::HandlerResponse::Unhandled;
      });

  // Without this handler cpp-httplib 0.11 puts e.what() in a response header.
  server.set_exception_handler(
      [this](const httplib::Request& req, httplib::Response& res, std::exception_ptr ep) {
        std::string what = "unknown exception";
        try {
          std::rethrow_exception(ep);
        } catch (const std::exception& e) {
          what = e.what();
        } catch (...) {
        }
        res.headers.clear();
        SendError(res, 500, "Internal", "internal error");
        if (state.options().access_log) {
          state.options().access_log(internal::DumpJson(
              {{"ts", UtcTimestamp()}, {"event", "exception"}, {"path", req.path},
               {"what", what}}));
        }
      });

  // Errors answered by cpp-httplib itself (404 without route, 413, 416, 400) get a JSON body;
  // errors our handlers answered already have one.
  server.set_error_handler(httplib::Server::HandlerWithResponse(
      [](const httplib::Request&, httplib::Response& res) {
        if (!res.body.empty()) return httplib::Server::HandlerResponse::Unhandled;
        const char* code = ErrorCodeForHttpStatus(res.status);
        SendError(res, res.status, code, ErrorMessageForHttpStatus(res.status));
        return httplib::Server::HandlerResponse::Handled;
      }));

  if (options.access_log) {
    server.set_logger([this](const httplib::Request& req, const httplib::Response& res) {
      Log(req, res);
    });
  }

  if (options.TEST_throw_route) {
    server.Get("/TEST/throw", [](const httplib::Request&, httplib::Response&) {
      throw std::runtime_error("secret detail of the failure");
    });
  }
  internal::RegisterGraphRoutes(server, state);
  internal::RegisterQueryRoutes(server, state);
  internal::RegisterIngestRoutes(server, state);
  return internal::RegisterWebRoutes(server, options);
}

void Server::Impl::Log(const httplib::Request& req, const httplib::Response& res) {
  nlohmann::json line = {{"ts", UtcTimestamp()},
                         {"remote", req.remote_addr},
                         {"method", req.method},
                         {"path", req.path},
                         {"status", res.status},
                         {"bytes", res.body.size()}};
  if (t_request_start != Clock::time_point{}) {
    line["ms"] =
        std::chrono::duration<double, std::milli>(Clock::now() - t_request_start).count();
    t_request_start = {};
  }
  state.options().access_log(internal::DumpJson(line));
}

Result<std::unique_ptr<Server>> Server::Create(kg::store::GraphStore& store,
                                               ServerOptions options) {
  KG_RETURN_IF_ERROR(CheckOptions(options));
  auto impl = std::make_unique<Impl>(store, std::move(options));
  KG_RETURN_IF_ERROR(impl->Setup());
  return std::unique_ptr<Server>(new Server(std::move(impl)));
}

Server::Server(std::unique_ptr<Impl> impl) : impl_(std::move(impl)) {}

Server::~Server() { Stop(); }

Result<int> Server::Bind() {
  const ServerOptions& options = impl_->state.options();
  if (options.port == 0) {
    int port = impl_->server.bind_to_any_port(options.host);
    if (port <= 0) {
      return Status::InvalidArgument("cannot bind " + options.host +
                                     " (not an address of this machine?)");
    }
    impl_->port = port;
  } else {
    if (!impl_->server.bind_to_port(options.host, options.port)) {
      return Status::InvalidArgument(fmt::format(
          "cannot bind {}:{} (address in use, or not an address of this machine)", options.host,
          options.port));
    }
    impl_->port = options.port;
  }
  if (impl_->listen_fd >= 0) ::listen(impl_->listen_fd, SOMAXCONN);
  return impl_->port;
}

Status Server::Listen() {
  if (impl_->port < 0) return Status::Internal("Listen() before a successful Bind()");
  {
    std::lock_guard<std::mutex> lock(impl_->lifecycle_mu);
    if (impl_->stop_requested) return Status::Ok();
    impl_->listening = true;
  }
  bool ok = impl_->server.listen_after_bind();
  impl_->listen_done.store(true);
  if (!ok) return Status::IOError("the accept loop failed");
  return Status::Ok();
}

void Server::Stop() {
  {
    std::lock_guard<std::mutex> lock(impl_->lifecycle_mu);
    impl_->stop_requested = true;
    if (!impl_->listening) return;
  }
  while (!impl_->server.is_running() && !impl_->listen_done.load()) {
    std::this_thread::sleep_for(std::chrono::milliseconds(1));
  }
  impl_->server.stop();
}

std::string Server::url() const {
  const std::string& host = impl_->state.options().host;
  bool v6 = host.find(':') != std::string::npos;
  return fmt::format("http://{}{}{}:{}", v6 ? "[" : "", host, v6 ? "]" : "", impl_->port);
}

}  // namespace kg::http
