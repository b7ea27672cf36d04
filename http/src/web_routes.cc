#include "web_routes.h"

#include <filesystem>
#include <fstream>
#include <sstream>

#include "responses.h"

namespace kg::http::internal {
namespace {

namespace fs = std::filesystem;

// The page's files are small; anything bigger in web/ is not ours to serve.
constexpr uintmax_t kMaxWebFileBytes = 4u << 20;

const char* ContentType(const std::string& extension) {
  if (extension == "html") return "text/html; charset=utf-8";
  if (extension == "js") return "text/javascript; charset=utf-8";
  if (extension == "css") return "text/css; charset=utf-8";
  if (extension == "svg") return "image/svg+xml";
  if (extension == "png") return "image/png";
  if (extension == "ico") return "image/x-icon";
  return "application/octet-stream";
}

// Sends web_dir/name, or a JSON 404. `name` has been checked by the route's pattern.
void SendWebFile(const fs::path& web_dir, const std::string& name, const std::string& extension,
                 httplib::Response& res) {
  fs::path path = web_dir / name;
  std::error_code ec;
  if (!fs::is_regular_file(path, ec) || fs::file_size(path, ec) > kMaxWebFileBytes) {
    return SendError(res, 404, "NotFound", "no such file");
  }
  std::ifstream in(path, std::ios::binary);
  std::ostringstream content;
  content << in.rdbuf();
  if (!in) return SendError(res, 404, "NotFound", "no such file");
  res.set_header("Cache-Control", "no-cache");
  if (extension == "html") {
    // The page loads only its own scripts and styles; cytoscape sets inline styles.
    res.set_header("Content-Security-Policy",
                   "default-src 'self'; img-src 'self' data:; style-src 'self' 'unsafe-inline'; "
                   "frame-ancestors 'none'");
  }
  res.set_content(content.str(), ContentType(extension));
}

}  // namespace

Status RegisterWebRoutes(httplib::Server& server, const ServerOptions& options) {
  if (!options.web_dir.empty()) {
    std::error_code ec;
    if (!fs::is_directory(options.web_dir, ec)) {
      return Status::InvalidArgument("web folder " + options.web_dir.string() +
                                     " does not exist");
    }
    fs::path web_dir = options.web_dir;
    server.Get("/", [web_dir](const httplib::Request&, httplib::Response& res) {
      SendWebFile(web_dir, "index.html", "html", res);
    });
    server.Get(R"(/([A-Za-z0-9_-]+)\.(html|js|css|svg|png|ico))",
               [web_dir](const httplib::Request& req, httplib::Response& res) {
                 std::string extension = req.matches[2].str();
                 SendWebFile(web_dir, req.matches[1].str() + "." + extension, extension, res);
               });
  }
  if (!options.cytoscape_dir.empty()) {
    // The trailing slash matters: cpp-httplib 0.11 matches mount points as plain prefixes.
    if (!server.set_mount_point("/vendor/cytoscape/", options.cytoscape_dir.string(),
                                {{"Cache-Control", "max-age=3600"}})) {
      return Status::InvalidArgument("cytoscape folder " + options.cytoscape_dir.string() +
                                     " does not exist");
    }
  }
  return Status::Ok();
}

}  // namespace kg::http::internal
