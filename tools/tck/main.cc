// kg-tck: runs openCypher TCK feature files against kg's query engine, each scenario on a fresh
// in-memory graph in a forked child (so a crash or hang fails one scenario, not the run).
// Prints one line per scenario and "N passed, N failed, N skipped"; exits 1 on any failure.
#include <CLI/CLI.hpp>
#include <poll.h>
#include <sys/wait.h>
#include <unistd.h>

#include <algorithm>
#include <chrono>
#include <csignal>
#include <array>
#include <filesystem>
#include <fstream>
#include <iostream>
#include <map>
#include <set>
#include <sstream>

#include "feature.h"
#include "kg/query/engine.h"
#include "kg/query/memory_graph.h"
#include "kg/query/store_graph.h"
#include "kg/store/graph_store.h"
#include "tck_value.h"

namespace fs = std::filesystem;
using kg::query::Value;

namespace {

struct Outcome {
  enum class Kind { kPassed, kFailed, kSkipped } kind = Kind::kPassed;
  std::string reason;
};

Outcome Fail(std::string why) { return {Outcome::Kind::kFailed, std::move(why)}; }
Outcome Skip(std::string why) { return {Outcome::Kind::kSkipped, std::move(why)}; }

// The observable state the TCK's side-effect metrics are defined on.
struct Snapshot {
  int64_t nodes = 0;
  int64_t rels = 0;
  std::set<std::string> labels;
  std::multiset<std::string> properties;  // "n<id>.key=value"
};

Snapshot Take(kg::query::GraphAccess& g) {
  Snapshot s;
  for (uint64_t id : g.AllNodeIds()) {
    auto n = g.GetNode(id);
    ++s.nodes;
    for (const auto& l : n->labels) s.labels.insert(l);
    for (auto it = n->props.begin(); it != n->props.end(); ++it) {
      s.properties.insert("n" + std::to_string(id) + "." + it.key() + "=" + it.value().dump());
    }
    for (const auto& r : g.Rels(id, kg::query::Direction::kOut, {})) {
      ++s.rels;
      for (auto it = r->props.begin(); it != r->props.end(); ++it) {
        s.properties.insert("r" + std::to_string(r->id) + "." + it.key() + "=" +
                            it.value().dump());
      }
    }
  }
  return s;
}

int64_t CountMissing(const std::multiset<std::string>& a, const std::multiset<std::string>& b) {
  int64_t n = 0;
  for (const auto& x : a) {
    if (!b.count(x)) ++n;
  }
  return n;
}

std::map<std::string, int64_t> SideEffects(const Snapshot& before, const Snapshot& after) {
  std::map<std::string, int64_t> fx;
  fx["+nodes"] = std::max<int64_t>(0, after.nodes - before.nodes);
  fx["-nodes"] = std::max<int64_t>(0, before.nodes - after.nodes);
  fx["+relationships"] = std::max<int64_t>(0, after.rels - before.rels);
  fx["-relationships"] = std::max<int64_t>(0, before.rels - after.rels);
  int64_t added_labels = 0, removed_labels = 0;
  for (const auto& l : after.labels) added_labels += !before.labels.count(l);
  for (const auto& l : before.labels) removed_labels += !after.labels.count(l);
  fx["+labels"] = added_labels;
  fx["-labels"] = removed_labels;
  fx["+properties"] = CountMissing(after.properties, before.properties);
  fx["-properties"] = CountMissing(before.properties, after.properties);
  return fx;
}

std::string RowString(const std::vector<std::string>& row) {
  std::string s = "|";
  for (const auto& c : row) s += " " + c + " |";
  return s;
}

bool IsUnsupported(const kg::Status& s) { return kg::query::ErrorType(s) == "Unsupported"; }

bool g_use_store = false;
// Where scenario stores go, and an empty store made once that each scenario copies: creating a
// store from nothing costs ~60 ms of CPU (RocksDB rewrites and re-parses its OPTIONS file for
// each column family it creates), opening a copy a fraction of that. The scenarios still run on
// a real, fresh RocksDB store each. A tmpfs parent also spares the syncs a disk round trip; the
// TCK checks query semantics, durability has its own tests (scripts/crash-test.sh).
std::string g_store_parent = "/tmp";
std::string g_template_dir;

std::string MakeTempDir(const std::string& prefix) {
  std::string tmpl = g_store_parent + "/" + prefix + "XXXXXX";
  return mkdtemp(tmpl.data()) ? tmpl : std::string();
}

kg::Status MakeTemplateStore() {
  g_template_dir = MakeTempDir("kg-tck-template-");
  if (g_template_dir.empty()) {
    return kg::Status::IOError("cannot create a directory in " + g_store_parent);
  }
  auto store = kg::store::GraphStore::Open(g_template_dir + "/db");
  if (!store) return store.error();
  return kg::Status::Ok();
}

// The graph of one scenario: in memory, or a kg store in a temporary directory (each query then
// gets its own StoreGraph, i.e. its own snapshot and batch, as `kg query` does).
class ScenarioGraph {
 public:
  ScenarioGraph() {
    if (!g_use_store) return;
    dir_ = MakeTempDir("kg-tck-");
    std::error_code ec;
    fs::copy(g_template_dir + "/db", dir_ + "/db", fs::copy_options::recursive, ec);
    if (ec) {
      error_ = "cannot copy the empty store: " + ec.message();
      return;
    }
    auto store = kg::store::GraphStore::Open(dir_ + "/db");
    if (store) store_ = std::move(*store);
    else error_ = store.error().message();
  }
  ~ScenarioGraph() {
    store_.reset();
    if (!dir_.empty()) {
      std::error_code ec;
      fs::remove_all(dir_, ec);
    }
  }
  const std::string& error() const { return error_; }
  kg::Result<kg::query::QueryResult> Execute(const std::string& q, const kg::query::Map& params,
                                             const kg::query::QueryOptions& options) {
    if (!store_) return kg::query::Execute(memory_, q, params, options);
    kg::query::StoreGraph graph(*store_);
    return kg::query::Execute(graph, q, params, options);
  }
  Snapshot Take() {
    if (!store_) return ::Take(memory_);
    kg::query::StoreGraph graph(*store_);
    return ::Take(graph);
  }

 private:
  kg::query::MemoryGraph memory_;
  std::string dir_;
  std::string error_;
  std::unique_ptr<kg::store::GraphStore> store_;
};

Outcome RunScenario(const kg::tck::Scenario& sc, const fs::path& graphs_dir) {
  ScenarioGraph graph;
  if (!graph.error().empty()) return Fail("cannot create a store: " + graph.error());
  kg::query::QueryOptions options;
  options.timeout_ms = 20'000;
  options.default_max_hops = 1'000'000;  // the TCK's `*` is unbounded
  kg::query::Map params;
  std::optional<kg::Result<kg::query::QueryResult>> result;
  Snapshot before, after;
  bool side_effects_checked = false;
  for (const auto& step : sc.steps) {
    const std::string& t = step.text;
    if (t == "an empty graph" || t == "any graph") continue;
    if (t.rfind("the ", 0) == 0 && t.size() > 10 && t.substr(t.size() - 6) == " graph") {
      std::string name = t.substr(4, t.size() - 10);
      fs::path script = graphs_dir / name / (name + ".cypher");
      std::ifstream in(script);
      if (!in) return Skip("named graph " + name + " not found");
      std::stringstream buf;
      buf << in.rdbuf();
      auto r = graph.Execute(buf.str(), {}, options);
      if (!r) return IsUnsupported(r.error()) ? Skip(r.error().message())
                                              : Fail("graph setup failed: " + r.error().message());
      continue;
    }
    if (t == "having executed:") {
      auto r = graph.Execute(step.doc, params, options);
      if (!r) {
        if (IsUnsupported(r.error())) return Skip(r.error().message());
        return Fail("setup query failed: " + r.error().message());
      }
      continue;
    }
    if (t == "parameters are:") {
      for (const auto& row : step.table) {
        if (row.size() != 2) return Fail("bad parameter row");
        auto v = kg::tck::ParseTckValue(row[1]);
        if (!v) return Fail("cannot read parameter: " + v.error().message());
        params[row[0]] = *v;
      }
      continue;
    }
    if (t == "executing query:" || t == "executing control query:") {
      before = graph.Take();
      result.emplace(graph.Execute(step.doc, params, options));
      after = graph.Take();
      if (!*result && IsUnsupported(result->error())) return Skip(result->error().message());
      continue;
    }
    if (t.rfind("the result should be", 0) == 0) {
      if (!result) return Fail("no query executed");
      if (!*result) return Fail("query failed: " + result->error().message());
      const auto& res = **result;
      if (t == "the result should be empty") {
        if (!res.rows.empty()) return Fail(std::to_string(res.rows.size()) + " rows, expected 0");
        continue;
      }
      bool in_order = t.find("in order") != std::string::npos;
      bool sort_lists = t.find("ignoring element order for lists") != std::string::npos;
      if (step.table.empty()) return Fail("result table missing");
      const auto& header = step.table[0];
      if (header != res.columns) {
        return Fail("columns " + RowString(res.columns) + " expected " + RowString(header));
      }
      std::vector<std::string> expected, actual;
      for (size_t r = 1; r < step.table.size(); ++r) {
        std::vector<std::string> cells;
        for (const auto& cell : step.table[r]) {
          auto v = kg::tck::ParseTckValue(cell);
          if (!v) return Fail("cannot read expected value: " + v.error().message());
          cells.push_back(kg::tck::Canonical(*v, sort_lists));
        }
        expected.push_back(RowString(cells));
      }
      for (const auto& row : res.rows) {
        std::vector<std::string> cells;
        for (const auto& v : row) cells.push_back(kg::tck::Canonical(v, sort_lists));
        actual.push_back(RowString(cells));
      }
      if (!in_order) {
        std::sort(expected.begin(), expected.end());
        std::sort(actual.begin(), actual.end());
      }
      if (expected != actual) {
        std::string why = "rows differ: got";
        for (size_t i = 0; i < actual.size() && i < 6; ++i) why += " " + actual[i];
        if (actual.size() > 6) why += " ...(" + std::to_string(actual.size()) + " rows)";
        why += "; expected";
        for (size_t i = 0; i < expected.size() && i < 6; ++i) why += " " + expected[i];
        if (expected.size() > 6) why += " ...(" + std::to_string(expected.size()) + " rows)";
        return Fail(why);
      }
      continue;
    }
    if (t.find("should be raised at") != std::string::npos) {
      // "a SyntaxError should be raised at compile time: UndefinedVariable"
      std::string type = t.substr(t.find(' ') + 1);
      type = type.substr(0, type.find(' '));
      std::string detail = t.substr(t.rfind(':') + 1);
      detail.erase(0, detail.find_first_not_of(' '));
      if (!result) return Fail("no query executed");
      if (*result) return Fail("expected " + type + " (" + detail + ") but the query succeeded");
      std::string got_type = kg::query::ErrorType(result->error());
      std::string got_detail = kg::query::ErrorDetail(result->error());
      if (got_type != type || got_detail != detail) {
        return Fail("expected " + type + " (" + detail + ") but got: " +
                    result->error().message().substr(0, result->error().message().find('\n')));
      }
      continue;
    }
    if (t == "no side effects" || t == "the side effects should be:") {
      side_effects_checked = true;
      auto fx = SideEffects(before, after);
      std::map<std::string, int64_t> want;
      for (const auto& row : step.table) {
        if (row.size() == 2) want[row[0]] = std::stoll(row[1]);
      }
      for (const auto& [name, got] : fx) {
        int64_t w = want.count(name) ? want[name] : 0;
        if (got != w) {
          return Fail("side effect " + name + " = " + std::to_string(got) + ", expected " +
                      std::to_string(w));
        }
      }
      continue;
    }
    return Skip("step not supported: " + step.keyword + " " + t);
  }
  (void)side_effects_checked;
  return {};
}

// Runs one scenario in a child process with a time limit.
Outcome RunIsolated(const kg::tck::Scenario& sc, const fs::path& graphs_dir, int timeout_s) {
  int fds[2];
  if (pipe(fds) != 0) return Fail("pipe failed");
  pid_t pid = fork();
  if (pid < 0) return Fail("fork failed");
  if (pid == 0) {
    close(fds[0]);
    Outcome o;
    try {
      o = RunScenario(sc, graphs_dir);
    } catch (const std::exception& e) {
      o = Fail(std::string("exception: ") + e.what());
    }
    std::string msg = std::to_string(static_cast<int>(o.kind)) + o.reason;
    size_t off = 0;
    while (off < msg.size()) {
      ssize_t n = write(fds[1], msg.data() + off, msg.size() - off);
      if (n <= 0) break;
      off += static_cast<size_t>(n);
    }
    close(fds[1]);
    _exit(0);
  }
  close(fds[1]);
  std::string msg;
  auto deadline = std::chrono::steady_clock::now() + std::chrono::seconds(timeout_s);
  bool timed_out = false;
  char buf[4096];
  while (true) {
    auto left = std::chrono::duration_cast<std::chrono::milliseconds>(
                    deadline - std::chrono::steady_clock::now())
                    .count();
    if (left <= 0) {
      timed_out = true;
      break;
    }
    pollfd p{fds[0], POLLIN, 0};
    int r = poll(&p, 1, static_cast<int>(left));
    if (r <= 0) continue;
    ssize_t n = read(fds[0], buf, sizeof(buf));
    if (n <= 0) break;
    msg.append(buf, static_cast<size_t>(n));
  }
  close(fds[0]);
  if (timed_out) kill(pid, SIGKILL);
  int status = 0;
  waitpid(pid, &status, 0);
  if (timed_out) return Fail("timed out after " + std::to_string(timeout_s) + " s");
  if (WIFSIGNALED(status)) return Fail("crashed with signal " + std::to_string(WTERMSIG(status)));
  if (msg.empty()) return Fail("no outcome reported");
  Outcome o;
  o.kind = static_cast<Outcome::Kind>(msg[0] - '0');
  o.reason = msg.substr(1);
  return o;
}

fs::path FindGraphsDir(const fs::path& start) {
  for (fs::path p = fs::absolute(start); !p.empty(); p = p.parent_path()) {
    if (fs::is_directory(p / "graphs")) return p / "graphs";
    if (p == p.root_path()) break;
  }
  return {};
}

}  // namespace

int main(int argc, char** argv) {
  CLI::App app{"kg-tck: run openCypher TCK .feature files against kg's query engine", "kg-tck"};
  std::vector<std::string> paths;
  std::string filter;
  int timeout_s = 30;
  bool quiet = false, summary = false;
  std::string backend = "store";  // the real RocksDB store, as users run it
  app.add_option("paths", paths, "Feature files or directories (searched recursively)")
      ->required();
  app.add_option("--filter", filter, "Run only scenarios whose file or name contains this");
  app.add_option("--timeout", timeout_s, "Seconds per scenario")->capture_default_str();
  app.add_flag("--quiet", quiet, "Print only failures and the totals");
  app.add_flag("--summary", summary, "Also print passed/failed/skipped per feature file");
  app.add_option("--backend", backend,
                 "store (a fresh RocksDB kg store per scenario) or memory (fast)")
      ->check(CLI::IsMember({"memory", "store"}))
      ->capture_default_str();
  std::error_code ec;
  if (fs::is_directory("/dev/shm", ec) && access("/dev/shm", W_OK) == 0) {
    g_store_parent = "/dev/shm";
  }
  app.add_option("--store-dir", g_store_parent,
                 "Parent directory of the scenario stores (default: /dev/shm when writable)")
      ->capture_default_str();
  CLI11_PARSE(app, argc, argv);
  g_use_store = backend == "store";
  if (g_use_store) {
    if (kg::Status made = MakeTemplateStore(); !made.ok()) {
      std::cerr << "kg-tck: " << made.message() << "\n";
      return 2;
    }
  }
  struct RemoveTemplate {
    ~RemoveTemplate() {
      std::error_code ec;
      if (!g_template_dir.empty()) fs::remove_all(g_template_dir, ec);
    }
  } remove_template;

  std::vector<fs::path> files;
  for (const auto& p : paths) {
    if (fs::is_directory(p)) {
      for (const auto& e : fs::recursive_directory_iterator(p)) {
        if (e.path().extension() == ".feature") files.push_back(e.path());
      }
    } else if (fs::exists(p)) {
      files.push_back(p);
    } else {
      std::cerr << "kg-tck: " << p << " does not exist\n";
      return 1;
    }
  }
  std::sort(files.begin(), files.end());
  int passed = 0, failed = 0, skipped = 0;
  std::map<std::string, std::array<int, 3>> per_file;
  for (const auto& file : files) {
    auto feature = kg::tck::ReadFeature(file.string());
    if (!feature) {
      std::cout << file.filename().string() << ": failed: " << feature.error().message()
                << "\n";
      ++failed;
      continue;
    }
    fs::path graphs = FindGraphsDir(file.parent_path());
    std::string rel = file.filename().string();
    for (const auto& sc : feature->scenarios) {
      std::string label = rel + ": " + sc.name;
      if (!filter.empty() && label.find(filter) == std::string::npos) continue;
      Outcome o = RunIsolated(sc, graphs, timeout_s);
      auto& counts = per_file[file.string()];
      switch (o.kind) {
        case Outcome::Kind::kPassed:
          ++passed;
          ++counts[0];
          if (!quiet) std::cout << label << ": passed\n";
          break;
        case Outcome::Kind::kFailed:
          ++failed;
          ++counts[1];
          std::cout << label << ": failed: " << o.reason << "\n";
          break;
        case Outcome::Kind::kSkipped:
          ++skipped;
          ++counts[2];
          if (!quiet) std::cout << label << ": skipped: " << o.reason << "\n";
          break;
      }
    }
  }
  if (summary) {
    for (const auto& [file, c] : per_file) {
      std::cout << file << ": " << c[0] << " passed, " << c[1] << " failed, " << c[2]
                << " skipped\n";
    }
  }
  std::cout << passed << " passed, " << failed << " failed, " << skipped << " skipped\n";
  return failed == 0 ? 0 : 1;
}
