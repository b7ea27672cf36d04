#pragma once
// The web explorer's files. GET / is web_dir/index.html; GET /<name>.<js|css|svg|png|ico|html>
// serves a file directly inside web_dir (the route admits no '/', so nothing below or above it:
// not node_modules/, not package.json); /vendor/cytoscape/ is a mount of cytoscape's dist/
// folder, whose traversal checks are cpp-httplib's (tests/http cover `..` and %2e%2e). Returns
// InvalidArgument when a configured folder does not exist.

#include <httplib.h>

#include "kg/core/status.h"
#include "kg/http/server.h"

namespace kg::http::internal {

Status RegisterWebRoutes(httplib::Server& server, const ServerOptions& options);

}  // namespace kg::http::internal
