#include "kg/http/query_request.h"

#include <nlohmann/json.hpp>

namespace kg::http {

Status ParseQueryRequest(std::string_view body, std::string* query, kg::query::Map* params) {
  using nlohmann::json;
  json parsed = json::parse(body, nullptr, /*allow_exceptions=*/false);
  if (parsed.is_discarded()) {
    return Status::InvalidArgument("request body: not valid JSON (expected {\"query\": \"...\"})");
  }
  if (!parsed.is_object() || !parsed.contains("query") || !parsed["query"].is_string()) {
    return Status::InvalidArgument("request body: expected {\"query\": \"...\"}");
  }
  *query = parsed["query"].get<std::string>();
  if (parsed.contains("parameters") && !parsed["parameters"].is_null()) {
    if (!parsed["parameters"].is_object()) {
      return Status::InvalidArgument("request body: \"parameters\" must be an object");
    }
    for (const auto& [name, value] : parsed["parameters"].items()) {
      (*params)[name] = kg::query::FromJson(value);
    }
  }
  return Status::Ok();
}

}  // namespace kg::http
