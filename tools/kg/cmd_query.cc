// kg query: runs one openCypher query (docs/QUERY.md) against the store and prints the rows:
// a table on a terminal, JSON Lines otherwise (--format to choose).
#include <unistd.h>

#include <algorithm>
#include <chrono>
#include <cstdio>
#include <iostream>
#include <memory>

#include "command.h"
#include "kg/query/engine.h"
#include "kg/query/store_graph.h"
#include "kg/store/graph_store.h"

namespace {

struct QueryFlags {
  std::string query;
  std::vector<std::string> params;
  std::string format;  // "", table, json, csv
  int64_t timeout_ms = 60'000;
  int64_t max_rows = 10'000'000;
  int64_t max_hops = 15;
  int repeat = 0;  // extra warm runs, timed (benchmarks)
  unsigned read_threads = 0;  // store::OpenOptions::read_threads
};

std::string CsvField(const std::string& s) {
  if (s.find_first_of(",\"\n\r") == std::string::npos) return s;
  std::string out = "\"";
  for (char c : s) {
    if (c == '"') out += '"';
    out += c;
  }
  return out + "\"";
}

size_t DisplayWidth(const std::string& s) {
  size_t n = 0;
  for (unsigned char c : s) n += (c & 0xC0) != 0x80;
  return n;
}

void PrintTable(const kg::query::QueryResult& result) {
  std::vector<std::vector<std::string>> cells;
  std::vector<size_t> width;
  for (const auto& c : result.columns) width.push_back(DisplayWidth(c));
  for (const auto& row : result.rows) {
    std::vector<std::string> line;
    for (size_t i = 0; i < row.size(); ++i) {
      std::string s = kg::query::ToDisplayString(row[i]);
      for (auto& ch : s) {
        if (ch == '\n' || ch == '\t') ch = ' ';
      }
      width[i] = std::max(width[i], DisplayWidth(s));
      line.push_back(std::move(s));
    }
    cells.push_back(std::move(line));
  }
  auto rule = [&] {
    std::string s = "+";
    for (size_t w : width) s += std::string(w + 2, '-') + "+";
    std::cout << s << "\n";
  };
  auto print = [&](const std::vector<std::string>& line) {
    std::string s = "|";
    for (size_t i = 0; i < line.size(); ++i) {
      s += " " + line[i] + std::string(width[i] - DisplayWidth(line[i]), ' ') + " |";
    }
    std::cout << s << "\n";
  };
  rule();
  print(result.columns);
  rule();
  for (const auto& line : cells) print(line);
  rule();
}

kg::Status ParseParams(const std::vector<std::string>& raw, kg::query::Map& params) {
  for (const auto& p : raw) {
    size_t eq = p.find('=');
    if (eq == std::string::npos || eq == 0) {
      return kg::Status::InvalidArgument("--param " + p + ": expected name=value");
    }
    std::string name = p.substr(0, eq);
    std::string text = p.substr(eq + 1);
    // JSON when it parses (numbers, true, [..], {..}, "quoted"), else the raw text as a string.
    auto json = nlohmann::json::parse(text, nullptr, /*allow_exceptions=*/false);
    params[name] = json.is_discarded() ? kg::query::Value(text) : kg::query::FromJson(json);
  }
  return kg::Status::Ok();
}

int Run(kg::cli::Context& ctx, const QueryFlags& flags) {
  kg::query::Map params;
  if (auto s = ParseParams(flags.params, params); !s.ok()) return kg::cli::Report(ctx, s);
  std::string format = flags.format;
  if (format.empty()) format = isatty(STDOUT_FILENO) ? "table" : "json";
  if (format != "table" && format != "json" && format != "csv") {
    return kg::cli::Report(ctx, kg::Status::InvalidArgument(
                                    "--format " + format + ": expected table, json or csv"));
  }
  kg::store::OpenOptions open;
  open.mode = kg::query::MayWrite(flags.query) ? kg::store::OpenMode::kReadWrite
                                               : kg::store::OpenMode::kReadOnly;
  open.create_if_missing = open.mode == kg::store::OpenMode::kReadWrite;
  open.read_threads = flags.read_threads;
  auto store = kg::store::GraphStore::Open(ctx.db_path, open);
  if (!store) return kg::cli::Report(ctx, store.error());
  kg::query::QueryOptions options;
  options.timeout_ms = flags.timeout_ms;
  options.max_result_rows = flags.max_rows;
  options.default_max_hops = flags.max_hops;
  if (flags.repeat > 0 && kg::query::MayWrite(flags.query)) {
    return kg::cli::Report(ctx, kg::Status::InvalidArgument("--repeat is for read-only queries"));
  }
  // Warm runs first (each with a fresh snapshot, as separate queries would have), then the run
  // whose rows are printed.
  std::vector<double> warm;
  bool first = true;
  double cold_ms = 0;
  // Each timed run includes taking its read view and giving it back (as a query over HTTP
  // does), not only the query's own work.
  for (int run = 0; run < flags.repeat; ++run) {
    auto t0 = std::chrono::steady_clock::now();
    auto r = [&] {
      kg::query::StoreGraph warm_graph(**store);
      return kg::query::Execute(warm_graph, flags.query, params, options);
    }();
    double elapsed =
        std::chrono::duration<double, std::milli>(std::chrono::steady_clock::now() - t0).count();
    if (!r) return kg::cli::Report(ctx, r.error());
    if (first) cold_ms = elapsed;
    else warm.push_back(elapsed);
    first = false;
  }
  auto start = std::chrono::steady_clock::now();
  kg::query::StoreGraph graph(**store);
  auto result = kg::query::Execute(graph, flags.query, params, options);
  double ms =
      std::chrono::duration<double, std::milli>(std::chrono::steady_clock::now() - start).count();
  if (!result) return kg::cli::Report(ctx, result.error());
  if (flags.repeat > 0) {
    warm.push_back(ms);
    std::sort(warm.begin(), warm.end());
    char buf[160];
    std::snprintf(buf, sizeof(buf), "timing: cold %.3f ms, warm median %.3f ms over %zu runs\n",
                  cold_ms, warm[warm.size() / 2], warm.size());
    std::cerr << buf;
  }
  if (auto s = graph.status(); !s.ok()) return kg::cli::Report(ctx, s);
  if (result->explain) {
    std::cout << kg::query::FormatPlan(*result);
    return 0;
  }
  if (format == "table") {
    if (!result->columns.empty()) PrintTable(*result);
  } else if (format == "json") {
    // Keys in column order (nlohmann::json objects would sort them).
    auto dump = [](const nlohmann::json& j) {
      return j.dump(-1, ' ', false, nlohmann::json::error_handler_t::replace);
    };
    for (const auto& row : result->rows) {
      std::string line = "{";
      for (size_t i = 0; i < row.size(); ++i) {
        line += (i ? "," : "") + dump(result->columns[i]) + ":" + dump(kg::query::ToJson(row[i]));
      }
      std::cout << line << "}\n";
    }
  } else {
    for (size_t i = 0; i < result->columns.size(); ++i) {
      std::cout << (i ? "," : "") << CsvField(result->columns[i]);
    }
    if (!result->columns.empty()) std::cout << "\n";
    for (const auto& row : result->rows) {
      for (size_t i = 0; i < row.size(); ++i) {
        std::cout << (i ? "," : "") << CsvField(kg::query::ToDisplayString(row[i]));
      }
      std::cout << "\n";
    }
  }
  if (result->profile) std::cerr << kg::query::FormatPlan(*result);
  if (result->nodes_created || result->rels_created) {
    std::cerr << "created " << result->nodes_created << " nodes, " << result->rels_created
              << " relationships\n";
  }
  if (result->nodes_deleted || result->rels_deleted) {
    std::cerr << "deleted " << result->nodes_deleted << " nodes, " << result->rels_deleted
              << " relationships\n";
  }
  if (result->properties_set || result->labels_added || result->labels_removed) {
    std::cerr << "set " << result->properties_set << " properties, added "
              << result->labels_added << " labels, removed " << result->labels_removed
              << " labels\n";
  }
  if (format == "table" && isatty(STDERR_FILENO)) {
    char buf[64];
    std::snprintf(buf, sizeof(buf), "%zu rows, %.1f ms\n", result->rows.size(), ms);
    std::cerr << buf;
  }
  return 0;
}

kg::cli::Registrar register_query("kg", "query", [](CLI::App& app, kg::cli::Context& ctx) {
  static QueryFlags flags;
  auto* sub = app.add_subcommand("query", "Run an openCypher query (see docs/QUERY.md)");
  sub->add_option("query", flags.query, "The query, e.g. \"MATCH (n:Person) RETURN n LIMIT 5\"")
      ->required();
  sub->add_option("--param,-p", flags.params, "Query parameter name=value (JSON or text)");
  sub->add_option("--format", flags.format, "table | json (JSON Lines) | csv");
  sub->add_option("--timeout", flags.timeout_ms, "Milliseconds before the query is stopped")
      ->capture_default_str();
  sub->add_option("--max-rows", flags.max_rows, "Most rows a result may have")
      ->capture_default_str();
  sub->add_option("--max-hops", flags.max_hops, "Upper bound of `*` without one")
      ->capture_default_str();
  sub->add_option("--read-threads", flags.read_threads,
                  "Threads that read a large batch of nodes at once (0 = the machine's cores, "
                  "at most 4; 1 = no extra thread)")
      ->capture_default_str();
  sub->add_option("--repeat", flags.repeat,
                  "Benchmark: run the query this many extra times first and print the cold "
                  "and warm-median times on stderr (each from taking a read view to giving "
                  "it back)");
  sub->callback([&ctx] { ctx.exit_code = Run(ctx, flags); });
});

}  // namespace
