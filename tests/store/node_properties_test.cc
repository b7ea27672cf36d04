// ReadView::NodeProperties reads only some properties of many nodes (a forward scan for dense
// ids, point reads for sparse ones, CBOR values skipped without being built). It must give
// exactly GetNode's properties restricted to the keys asked for, for every kind of value, and
// fall back to the general decoder for what its reader does not take (byte strings).
#include <catch2/catch.hpp>

#include <filesystem>
#include <limits>
#include <map>
#include <string>
#include <vector>

#include "kg/store/graph_store.h"
#include "store_test_util.h"
#include "test_support.h"

namespace {

using kg::testing::TempDir;
using json = nlohmann::json;

// Only the `keys` of `props`, as NodeProperties should give them.
json RestrictToKeys(const json& props, const std::vector<std::string>& keys) {
  json out = json::object();
  for (const auto& k : keys) {
    if (props.contains(k)) out[k] = props.at(k);
  }
  return out;
}

std::map<kg::store::NodeId, json> ReadNodeProps(kg::store::ReadView& view,
                                                const std::vector<kg::store::NodeId>& ids,
                                                const std::vector<std::string>& keys) {
  std::map<kg::store::NodeId, json> out;
  kg::store::NodeId last = 0;
  view.NodeProperties(ids, keys, [&](kg::store::NodeId id, kg::Properties&& props) {
    CHECK(id > last);  // ascending, each once
    last = id;
    out[id] = std::move(props);
  });
  return out;
}

// A store at `path` with 6,000 Thing nodes ("Node i", n: i, and every seventh a binary blob,
// which only the general decoder reads): enough for a batch read to use several threads
// (kIdsPerReadThread is 1024). Returns their ids in order.
std::vector<kg::store::NodeId> WriteNumberedNodes(const std::filesystem::path& path) {
  std::vector<kg::store::NodeId> ids;
  auto store = kg::testing::OpenStore(path);
  auto batch = store->NewBatch();
  for (int i = 0; i < 6000; ++i) {
    json props = {{"name", "Node " + std::to_string(i)}, {"n", i}};
    if (i % 7 == 0) props["blob"] = json::binary({1, 2});
    ids.push_back(batch->CreateNode({"Thing"}, props));
  }
  REQUIRE(store->Commit(*batch).ok());
  return ids;
}

}  // namespace

TEST_CASE("node properties read by key equal the whole records restricted to those keys",
          "[store][node_properties]") {
  TempDir dir;
  auto store = kg::testing::OpenStore(dir.path() / "kg.db");
  std::vector<kg::store::NodeId> ids;
  std::vector<json> written;
  auto batch = store->NewBatch();
  for (int i = 0; i < 300; ++i) {
    json props = json::object();
    switch (i % 6) {
      case 0: props["name"] = "Node " + std::to_string(i); break;
      case 1: props["name"] = i; break;  // not a string
      case 2: break;                     // no name
      case 3:
        props["name"] = json::array({"a", 1.5, json::object({{"k", nullptr}})});
        props["big"] = std::numeric_limits<uint64_t>::max();
        break;
      case 4:
        props["zzz"] = -7;
        props["name"] = std::string(300, 'x');
        props["aaa"] = json::object({{"nested", json::array({true, false, -1e300})}});
        break;
      case 5:  // byte strings: the reader steps aside, the general decoder answers
        props["blob"] = json::binary({1, 2, 3});
        props["name"] = "with blob";
        break;
    }
    props["n"] = i;
    written.push_back(props);
    ids.push_back(batch->CreateNode({i % 2 ? "Even" : "Odd"}, props));
  }
  REQUIRE(store->Commit(*batch).ok());
  auto view = store->NewReadView();

  for (const std::vector<std::string>& keys :
       {std::vector<std::string>{"name"}, {"name", "n"}, {"big", "aaa"}, {"blob"}, {"none"}}) {
    INFO(keys.front());
    auto all = ReadNodeProps(*view, ids, keys);  // dense: one scan
    REQUIRE(all.size() == ids.size());
    for (size_t i = 0; i < ids.size(); ++i) {
      auto whole = view->GetNode(ids[i]);
      REQUIRE(whole.has_value());
      CHECK(all[ids[i]] == RestrictToKeys(whole->properties, keys));
      CHECK(all[ids[i]].dump() == RestrictToKeys(written[i], keys).dump());
    }
    // Sparse ids (point reads), with ids that do not exist.
    std::vector<kg::store::NodeId> sparse = {ids[0], ids[5], ids[299], ids[299] + 1000,
                                             ids[299] + 100000};
    auto some = ReadNodeProps(*view, sparse, keys);
    REQUIRE(some.size() == 3);
    CHECK(some[ids[5]] == RestrictToKeys(written[5], keys));
    CHECK(some[ids[299]] == RestrictToKeys(written[299], keys));
    // Dense ids with gaps: every other node.
    std::vector<kg::store::NodeId> gaps;
    for (size_t i = 0; i < ids.size(); i += 2) gaps.push_back(ids[i]);
    auto half = ReadNodeProps(*view, gaps, keys);
    REQUIRE(half.size() == gaps.size());
    CHECK(half[ids[100]] == RestrictToKeys(written[100], keys));
  }
  CHECK(ReadNodeProps(*view, {}, {"name"}).empty());
  CHECK(view->status().ok());
}

TEST_CASE("a large batch of node reads gives the same records on one thread as on several",
          "[store][node_properties]") {
  TempDir dir;
  const auto path = dir.path() / "kg.db";
  const std::vector<kg::store::NodeId> ids = WriteNumberedNodes(path);
  // Each batch is big enough for several threads: every id; every third (seeks); ids beyond the
  // last node (the last slice finds nothing).
  std::vector<std::vector<kg::store::NodeId>> batches(3);
  batches[0] = ids;
  for (size_t i = 0; i < ids.size(); i += 3) batches[1].push_back(ids[i]);
  batches[2] = ids;
  for (uint64_t extra = 1; extra <= 3000; ++extra) batches[2].push_back(ids.back() + extra);
  const std::vector<std::string> keys = {"name", "n", "blob"};

  auto read_all = [&](unsigned threads) {
    kg::store::OpenOptions options;
    options.read_threads = threads;
    auto store = kg::store::GraphStore::Open(path.string(), options);
    REQUIRE(store.has_value());
    auto view = (*store)->NewReadView();
    std::vector<std::map<kg::store::NodeId, json>> out;
    for (const auto& batch : batches) out.push_back(ReadNodeProps(*view, batch, keys));
    CHECK(view->status().ok());
    return out;
  };
  auto one = read_all(1);
  auto several = read_all(4);
  REQUIRE(one.size() == 3);
  CHECK(one[0].size() == ids.size());
  CHECK(one[1].size() == batches[1].size());
  CHECK(one[2].size() == ids.size());
  CHECK(one[0].at(ids[4999]).dump() == R"({"n":4999,"name":"Node 4999"})");
  for (size_t b = 0; b < one.size(); ++b) {
    INFO("batch " << b);
    CHECK(several[b] == one[b]);
  }
}

TEST_CASE("GetNodes answers in the order asked, repeats and missing ids included, at any size",
          "[store][node_properties]") {
  TempDir dir;
  auto store = kg::testing::OpenStore(dir.path() / "kg.db");
  std::vector<kg::store::NodeId> ids;
  auto batch = store->NewBatch();
  for (int i = 0; i < 300; ++i) {
    ids.push_back(batch->CreateNode({"Thing"}, {{"name", "Node " + std::to_string(i)}}));
  }
  REQUIRE(store->Commit(*batch).ok());
  auto view = store->NewReadView();
  // Below and above the size where the batch is read by forward walks instead of point reads.
  for (size_t size : {5, 40, 250}) {
    std::vector<kg::store::NodeId> ask;
    for (size_t i = 0; i < size; ++i) ask.push_back(ids[(size - i) * 7 % ids.size()]);  // unsorted
    ask.push_back(ask.front());    // asked twice
    ask.push_back(ids.back() + 50);  // no such node
    auto nodes = view->GetNodes(ask);
    REQUIRE(nodes.size() == ask.size());
    for (size_t i = 0; i < ask.size(); ++i) {
      INFO("size " << size << ", position " << i);
      auto one = view->GetNode(ask[i]);
      REQUIRE(nodes[i].has_value() == one.has_value());
      if (one) {
        CHECK(nodes[i]->id == ask[i]);
        CHECK(nodes[i]->properties == one->properties);
      }
    }
    CHECK(!nodes.back().has_value());
  }
  CHECK(view->status().ok());
}

TEST_CASE("a callback that throws during a batch read on several threads reaches the caller",
          "[store][node_properties]") {
  TempDir dir;
  const auto path = dir.path() / "kg.db";
  const std::vector<kg::store::NodeId> ids = WriteNumberedNodes(path);
  kg::store::OpenOptions options;
  options.read_threads = 4;
  auto store = kg::store::GraphStore::Open(path.string(), options);
  REQUIRE(store.has_value());
  auto view = (*store)->NewReadView();
  // Thrown on the calling thread while helper threads still read their slices: they are joined
  // on the way out (a running std::thread destroyed would end the process).
  size_t calls = 0;
  auto throwing = [&](kg::store::NodeId, kg::Properties&&) {
    if (++calls == 10) throw std::runtime_error("the caller's own failure");
  };
  CHECK_THROWS_WITH(view->NodeProperties(ids, {"name"}, throwing), "the caller's own failure");
  // The view reads on.
  size_t read = 0;
  view->NodeProperties(ids, {"name"}, [&](kg::store::NodeId, kg::Properties&&) { ++read; });
  CHECK(read == ids.size());
  CHECK(view->status().ok());
}
