// kg-store-bench --db DIR [--runs N] [--import NODES.csv EDGES.csv]: times the peers' graph questions (../shared/peers/graph)
// on a store loaded by `kg import`: look-up by name and by id, distinct out-neighbours of the
// biggest hub (United States), the G-7 members' stance edges to Russia with evidence aggregates,
// and the top 10 nodes by degree. Like the peers' harness: one cold run, then N warm runs, the
// median reported. Prints one JSON object. With --import it first loads the CSVs into a new store
// exactly as `kg import` does (ImportCsv + Flush) and reports the load time too.
#include <algorithm>
#include <chrono>
#include <cstdio>
#include <cstring>
#include <functional>
#include <map>
#include <set>
#include <string>
#include <vector>

#include <nlohmann/json.hpp>

#include "kg/store/csv_import.h"
#include "kg/store/graph_store.h"

namespace {

using kg::store::Direction;
using kg::store::ReadView;

struct Timing {
  double cold_ms = 0;
  double median_ms = 0;
  size_t rows = 0;
  std::string first;
};

Timing Time(kg::store::GraphStore& store, int runs,
            const std::function<std::pair<size_t, std::string>(ReadView&)>& query) {
  Timing t;
  std::vector<double> warm;
  for (int i = 0; i <= runs; ++i) {
    auto start = std::chrono::steady_clock::now();
    auto view = store.NewReadView();
    auto [rows, first] = query(*view);
    double ms = std::chrono::duration<double, std::milli>(std::chrono::steady_clock::now() - start)
                    .count();
    if (i == 0) {
      t.cold_ms = ms;
      t.rows = rows;
      t.first = first;
    } else {
      warm.push_back(ms);
    }
  }
  std::sort(warm.begin(), warm.end());
  t.median_ms = warm.empty() ? t.cold_ms : warm[warm.size() / 2];
  return t;
}

std::string NameOf(ReadView& view, uint64_t id) {
  auto node = view.GetNode(id);
  return node ? node->name() : "?";
}

}  // namespace

int main(int argc, char** argv) {
  std::string db, nodes_csv, edges_csv;
  int runs = 5;
  for (int i = 1; i < argc; ++i) {
    if (!std::strcmp(argv[i], "--db") && i + 1 < argc) {
      db = argv[++i];
    } else if (!std::strcmp(argv[i], "--runs") && i + 1 < argc) {
      runs = std::atoi(argv[++i]);
    } else if (!std::strcmp(argv[i], "--import") && i + 2 < argc) {
      nodes_csv = argv[++i];
      edges_csv = argv[++i];
    }
  }
  double load_seconds = 0;
  if (!nodes_csv.empty()) {
    auto start = std::chrono::steady_clock::now();
    kg::store::OpenOptions open;
    open.write_buffer_bytes = 128u << 20;
    auto writer = kg::store::GraphStore::Open(db, open);
    if (!writer) {
      std::fprintf(stderr, "kg-store-bench: %s\n", writer.error().message().c_str());
      return 1;
    }
    auto summary = kg::store::ImportCsv(**writer, nodes_csv, edges_csv);
    if (!summary || !(*writer)->Flush().ok()) {
      std::fprintf(stderr, "kg-store-bench: import failed: %s\n",
                   summary ? "flush" : summary.error().message().c_str());
      return 1;
    }
    load_seconds =
        std::chrono::duration<double>(std::chrono::steady_clock::now() - start).count();
  }
  if (db.empty()) {
    std::fprintf(stderr, "usage: kg-store-bench --db DIR [--runs N]\n");
    return 1;
  }
  kg::store::OpenOptions options;
  options.mode = kg::store::OpenMode::kReadOnly;
  auto opened = kg::store::GraphStore::Open(db, options);
  if (!opened) {
    std::fprintf(stderr, "kg-store-bench: %s\n", opened.error().message().c_str());
    return 1;
  }
  auto& store = **opened;
  uint64_t russia_id = 0;
  {
    auto view = store.NewReadView();
    auto ids = view->FindByName("Russia");
    if (!ids.empty()) russia_id = ids[0];
  }
  nlohmann::json out;
  auto record = [&](const char* name, const Timing& t) {
    out[name] = {{"cold_ms", t.cold_ms}, {"median_ms", t.median_ms}, {"rows", t.rows},
                 {"first", t.first}};
  };
  record("lookup_name", Time(store, runs, [](ReadView& v) {
           auto ids = v.FindByName("Russia");
           std::string first;
           if (!ids.empty()) {
             auto n = v.GetNode(ids[0]);
             first = std::to_string(ids[0]) + ":" + (n && !n->labels.empty() ? n->labels[0] : "");
           }
           return std::make_pair(ids.size(), first);
         }));
  record("lookup_id", Time(store, runs, [&](ReadView& v) {
           auto n = v.GetNode(russia_id);
           return std::make_pair(size_t{n ? 1u : 0u}, n ? n->name() : std::string());
         }));
  record("hop1_hub", Time(store, runs, [](ReadView& v) {
           std::set<uint64_t> others;
           for (auto hub : v.FindByName("United States")) {
             v.ForEachEdgeRef(hub, Direction::kOut, {}, [&](const kg::store::EdgeRef& r) {
               others.insert(r.other);
               return true;
             });
           }
           size_t named = 0;
           for (auto id : others) named += v.GetNode(id).has_value();
           return std::make_pair(named, std::string());
         }));
  record("g7_russia", Time(store, runs, [&](ReadView& v) {
           // member, rel, mentions, avg polarity, total weight (the peers' g7_russia rows)
           std::map<std::pair<std::string, std::string>, std::tuple<size_t, double, double>> rows;
           for (auto g7 : v.FindByName("G-7")) {
             v.ForEachEdgeRef(g7, Direction::kIn, "MEMBER_OF", [&](const kg::store::EdgeRef& r) {
               auto member = NameOf(v, r.other);
               for (const char* rel : {"OPPOSES", "SUPPORTS", "CRITICIZES"}) {
                 for (auto e : v.EdgesBetween(r.other, russia_id, rel)) {
                   // Not a structured binding: clang 14 cannot capture those in a lambda.
                   auto& row = rows[{member, rel}];
                   v.ForEachEdgeEvidence(e, [&](const kg::store::Evidence& ev) {
                     ++std::get<0>(row);
                     std::get<1>(row) += ev.properties.value("polarity", 0.0);
                     std::get<2>(row) += ev.properties.value("weight", 0.0);
                     return true;
                   });
                 }
               }
               return true;
             });
           }
           std::string first;
           if (!rows.empty()) {
             auto& [key, val] = *rows.begin();
             auto& [n, pol, w] = val;
             first = key.first + ":" + key.second + ":" + std::to_string(n) + ":" +
                     std::to_string(pol / static_cast<double>(n)) + ":" + std::to_string(w);
           }
           return std::make_pair(rows.size(), first);
         }));
  record("degree_top10", Time(store, runs, [](ReadView& v) {
           auto top = v.TopByDegree(10, Direction::kBoth);
           std::string first;
           if (!top.empty()) first = NameOf(v, top[0].node) + ":" + std::to_string(top[0].degree);
           return std::make_pair(top.size(), first);
         }));
  auto view = store.NewReadView();
  auto stats = view->Stats();
  uint64_t bytes = 0;
  for (auto& [cf, b] : stats.bytes) bytes += b;
  out["nodes"] = stats.nodes;
  out["edges"] = stats.edges;
  out["evidence"] = stats.evidence;
  out["bytes"] = bytes;
  if (!nodes_csv.empty()) out["load_s"] = load_seconds;
  std::printf("%s\n", out.dump(2).c_str());
  return 0;
}
