// ForwardingGraph must hand every call to the inner graph as that same call: a missing override
// would run GraphAccess's default instead (RelsTo becoming a full RelsWithoutProperties scan,
// ForEachRelEnd answering "cannot"), which gives the same rows but loses the inner graph's fast
// path. This once made the HTTP server's POST /query 500 times slower than `kg query`.
#include <catch2/catch.hpp>

#include <string>
#include <vector>

#include "kg/query/forwarding_graph.h"

namespace {

using kg::query::Direction;
using kg::query::GraphAccess;

// Implements every virtual of GraphAccess and records which one ran.
class RecordingGraph final : public GraphAccess {
 public:
  std::vector<std::string> calls;

  std::vector<uint64_t> AllNodeIds() override {
    return Record("AllNodeIds"), std::vector<uint64_t>{};
  }
  std::vector<uint64_t> NodeIdsByLabel(const std::string&) override {
    return Record("NodeIdsByLabel"), std::vector<uint64_t>{};
  }
  std::optional<std::vector<uint64_t>> NodeIdsByName(const std::string&) override {
    return Record("NodeIdsByName"), std::vector<uint64_t>{};
  }
  kg::query::NodeRef GetNode(uint64_t) override { return Record("GetNode"), nullptr; }
  kg::query::RelRef GetRel(uint64_t) override { return Record("GetRel"), nullptr; }
  std::vector<kg::query::RelRef> Rels(uint64_t, Direction,
                                      const std::vector<std::string>&) override {
    return Record("Rels"), std::vector<kg::query::RelRef>{};
  }
  int64_t Degree(uint64_t, Direction) override { return Record("Degree"), 0; }
  std::vector<kg::query::EvidenceRow> Evidence(bool, uint64_t) override {
    return Record("Evidence"), std::vector<kg::query::EvidenceRow>{};
  }
  int64_t EvidenceCount(bool, uint64_t) override { return Record("EvidenceCount"), 0; }
  std::vector<kg::query::RelRef> RelsWithoutProperties(uint64_t, Direction,
                                                       const std::vector<std::string>&) override {
    return Record("RelsWithoutProperties"), std::vector<kg::query::RelRef>{};
  }
  std::vector<Hop> Hops(uint64_t, Direction, const std::vector<std::string>&) override {
    return Record("Hops"), std::vector<Hop>{};
  }
  std::vector<kg::Properties> EvidenceProperties(bool, uint64_t,
                                                 const std::vector<std::string>&) override {
    return Record("EvidenceProperties"), std::vector<kg::Properties>{};
  }
  void ForEachEvidenceValues(bool, uint64_t, const std::vector<std::string>&,
                             const std::function<void(const kg::query::Value*)>&) override {
    Record("ForEachEvidenceValues");
  }
  std::vector<kg::query::RelRef> RelsTo(uint64_t, Direction, const std::vector<std::string>&,
                                        const std::vector<uint64_t>&) override {
    return Record("RelsTo"), std::vector<kg::query::RelRef>{};
  }
  void PrefetchNodes(const std::vector<uint64_t>&) override { Record("PrefetchNodes"); }
  std::vector<kg::query::NodeRef> NodesForProperties(const std::vector<uint64_t>&,
                                                     const std::vector<std::string>&) override {
    return Record("NodesForProperties"), std::vector<kg::query::NodeRef>{};
  }
  bool ForEachRelEnd(Direction, const std::vector<std::string>&,
                     const std::function<void(uint64_t, int64_t)>&) override {
    return Record("ForEachRelEnd"), true;
  }
  bool ForEachNodeRelTotals(Direction,
                            const std::function<void(uint64_t, int64_t, int64_t)>&) override {
    return Record("ForEachNodeRelTotals"), true;
  }
  std::optional<std::vector<uint64_t>> Search(const std::string&, size_t) override {
    return Record("Search"), std::vector<uint64_t>{};
  }
  kg::Result<kg::query::NodeRef> CreateNode(const std::vector<std::string>&,
                                            const kg::Properties&) override {
    return Record("CreateNode"), kg::query::NodeRef{};
  }
  kg::Result<kg::query::RelRef> CreateRel(uint64_t, uint64_t, const std::string&,
                                          const kg::Properties&) override {
    return Record("CreateRel"), kg::query::RelRef{};
  }
  kg::Status DeleteNode(uint64_t, bool) override { return Record("DeleteNode"), kg::Status::Ok(); }
  kg::Status DeleteRel(uint64_t) override { return Record("DeleteRel"), kg::Status::Ok(); }
  kg::Status SetNodeProperties(uint64_t, const kg::Properties&) override {
    return Record("SetNodeProperties"), kg::Status::Ok();
  }
  kg::Status SetNodeLabels(uint64_t, const std::vector<std::string>&) override {
    return Record("SetNodeLabels"), kg::Status::Ok();
  }
  kg::Status SetRelProperties(uint64_t, const kg::Properties&) override {
    return Record("SetRelProperties"), kg::Status::Ok();
  }
  kg::Status Commit() override { return Record("Commit"), kg::Status::Ok(); }
  void Rollback() override { Record("Rollback"); }

 private:
  void Record(const char* name) { calls.emplace_back(name); }
};

}  // namespace

TEST_CASE("ForwardingGraph hands every call to the inner graph as the same call",
          "[query][forwarding_graph]") {
  RecordingGraph inner;
  kg::query::ForwardingGraph graph(inner);
  const std::vector<std::string> types = {"T"};
  const auto props = kg::EmptyProperties();

  graph.AllNodeIds();
  graph.NodeIdsByLabel("L");
  graph.NodeIdsByName("n");
  graph.GetNode(1);
  graph.GetRel(1);
  graph.Rels(1, Direction::kOut, types);
  graph.Degree(1, Direction::kOut);
  graph.Evidence(true, 1);
  graph.EvidenceCount(true, 1);
  graph.RelsWithoutProperties(1, Direction::kOut, types);
  graph.RelsTo(1, Direction::kOut, types, {2});
  graph.Hops(1, Direction::kOut, types);
  graph.EvidenceProperties(true, 1, {"weight"});
  graph.ForEachEvidenceValues(true, 1, {"weight"}, [](const kg::query::Value*) {});
  graph.PrefetchNodes({1});
  graph.NodesForProperties({1}, {"name"});
  CHECK(graph.ForEachRelEnd(Direction::kOut, types, [](uint64_t, int64_t) {}));
  CHECK(graph.ForEachNodeRelTotals(Direction::kBoth, [](uint64_t, int64_t, int64_t) {}));
  graph.Search("x", 1);
  CHECK(graph.CreateNode({"L"}, props).has_value());
  CHECK(graph.CreateRel(1, 2, "T", props).has_value());
  CHECK(graph.DeleteNode(1, true).ok());
  CHECK(graph.DeleteRel(1).ok());
  CHECK(graph.SetNodeProperties(1, props).ok());
  CHECK(graph.SetNodeLabels(1, {"L"}).ok());
  CHECK(graph.SetRelProperties(1, props).ok());
  CHECK(graph.Commit().ok());
  graph.Rollback();

  CHECK(inner.calls == std::vector<std::string>{
                           "AllNodeIds", "NodeIdsByLabel", "NodeIdsByName", "GetNode", "GetRel",
                           "Rels", "Degree", "Evidence", "EvidenceCount",
                           "RelsWithoutProperties", "RelsTo", "Hops", "EvidenceProperties",
                           "ForEachEvidenceValues",
                           "PrefetchNodes",
                           "NodesForProperties", "ForEachRelEnd", "ForEachNodeRelTotals",
                           "Search", "CreateNode", "CreateRel", "DeleteNode", "DeleteRel",
                           "SetNodeProperties", "SetNodeLabels", "SetRelProperties", "Commit",
                           "Rollback"});
}
