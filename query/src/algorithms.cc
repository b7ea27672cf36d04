#include "algorithms.h"

#include <algorithm>
#include <boost/graph/adjacency_list.hpp>
#include <boost/graph/breadth_first_search.hpp>
#include <boost/graph/connected_components.hpp>
#include <boost/graph/page_rank.hpp>
#include <unordered_map>

namespace kg::query {
namespace {

using Directed = boost::adjacency_list<boost::vecS, boost::vecS, boost::bidirectionalS>;
using Undirected = boost::adjacency_list<boost::vecS, boost::vecS, boost::undirectedS>;

struct Dense {
  std::vector<uint64_t> ids;
  std::unordered_map<uint64_t, size_t> index;
  std::vector<std::pair<size_t, size_t>> edges;
};

Dense Load(GraphAccess& graph) {
  Dense d;
  d.ids = graph.AllNodeIds();
  d.index.reserve(d.ids.size());
  for (size_t i = 0; i < d.ids.size(); ++i) d.index[d.ids[i]] = i;
  for (size_t i = 0; i < d.ids.size(); ++i) {
    for (const auto& rel : graph.Rels(d.ids[i], Direction::kOut, {})) {
      auto it = d.index.find(rel->dst);
      if (it != d.index.end()) d.edges.emplace_back(i, it->second);
    }
  }
  return d;
}

}  // namespace

std::vector<std::pair<uint64_t, double>> PageRank(GraphAccess& graph, double damping,
                                                  int iterations) {
  Dense d = Load(graph);
  Directed g(d.edges.begin(), d.edges.end(), d.ids.size());
  std::vector<double> rank(d.ids.size(), 0.0);
  if (!d.ids.empty()) {
    boost::graph::page_rank(g, boost::make_iterator_property_map(rank.begin(),
                                                          boost::get(boost::vertex_index, g)),
                     boost::graph::n_iterations(iterations), damping);
  }
  std::vector<std::pair<uint64_t, double>> out;
  double total = 0;
  for (double r : rank) total += r;
  for (size_t i = 0; i < d.ids.size(); ++i) {
    out.emplace_back(d.ids[i], total > 0 ? rank[i] / total : 0.0);
  }
  std::stable_sort(out.begin(), out.end(),
                   [](const auto& a, const auto& b) { return a.second > b.second; });
  return out;
}

std::vector<std::pair<uint64_t, int64_t>> Components(GraphAccess& graph) {
  Dense d = Load(graph);
  Undirected g(d.edges.begin(), d.edges.end(), d.ids.size());
  std::vector<int> component(d.ids.size(), 0);
  if (!d.ids.empty()) boost::connected_components(g, component.data());
  // Renumber by first appearance (ids ascending) so numbers are stable.
  std::unordered_map<int, int64_t> renumber;
  std::vector<std::pair<uint64_t, int64_t>> out;
  for (size_t i = 0; i < d.ids.size(); ++i) {
    auto [it, inserted] = renumber.emplace(component[i], static_cast<int64_t>(renumber.size()));
    out.emplace_back(d.ids[i], it->second);
  }
  return out;
}

std::optional<PathRef> ShortestPath(GraphAccess& graph, uint64_t from, uint64_t to) {
  Dense d = Load(graph);
  if (!d.index.count(from) || !d.index.count(to)) return std::nullopt;
  Undirected g(d.edges.begin(), d.edges.end(), d.ids.size());
  const size_t none = static_cast<size_t>(-1);
  std::vector<size_t> pred(d.ids.size(), none);
  size_t src = d.index[from], dst = d.index[to];
  pred[src] = src;
  boost::breadth_first_search(
      g, boost::vertex(src, g),
      boost::visitor(boost::make_bfs_visitor(boost::record_predecessors(
          boost::make_iterator_property_map(pred.begin(), boost::get(boost::vertex_index, g)),
          boost::on_tree_edge()))));
  if (pred[dst] == none) return std::nullopt;
  std::vector<size_t> chain;
  for (size_t v = dst; v != src; v = pred[v]) chain.push_back(v);
  chain.push_back(src);
  std::reverse(chain.begin(), chain.end());
  auto path = std::make_shared<PathData>();
  path->nodes.push_back(graph.GetNode(d.ids[chain[0]]));
  for (size_t i = 1; i < chain.size(); ++i) {
    uint64_t a = d.ids[chain[i - 1]], b = d.ids[chain[i]];
    for (const auto& rel : graph.Rels(a, Direction::kBoth, {})) {
      if ((rel->src == a && rel->dst == b) || (rel->src == b && rel->dst == a)) {
        path->rels.push_back(rel);
        break;
      }
    }
    path->nodes.push_back(graph.GetNode(b));
  }
  return PathRef(path);
}

}  // namespace kg::query
