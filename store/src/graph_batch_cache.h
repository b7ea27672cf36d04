#pragma once
// GraphBatchCache: the writer's memory of committed state, so that resolving an entity does not
// cost a names-index scan and a node read per mention. Holds two things, both exactly as the
// store holds them after the last successful commit:
//   - names: normalised name -> the node ids the names index lists for it (an empty list is a
//     name known to be absent);
//   - nodes: node id -> the decoded committed record.
// Filled by the reads of batches (committed state: a batch reads under the writer lock, before
// its own writes exist); changed only by Commit once RocksDB accepted the batch (Apply*), and
// cleared when a commit fails or the store is written some other way. Only the writable store
// has one (a single writer process: RocksDB's LOCK), and it is used under writer_mu_ only.
// Bounded: a map that grows past its limit is emptied and refills from the store.
//
// Complete names: when the whole names index fits (at most kMaxCompleteNames entries), the
// writer loads all of it once (SetAllNames), and from then on a name the cache does not hold is
// absent from the store: no index seek for a new name. Commits keep it whole (ApplyNameAdded
// adds names it did not hold); anything that empties the map ends it, and only Clear (a failed
// commit, a bulk ingest) lets the writer load the index again.

#include <cstddef>
#include <string>
#include <unordered_map>
#include <vector>

#include "kg/store/types.h"
#include "values.h"

namespace kg::store::internal {

class GraphBatchCache {
 public:
  static constexpr size_t kMaxNames = 500'000;
  static constexpr size_t kMaxNodes = 100'000;
  // A larger names index is not loaded whole (half the bound: room to grow before it is cut).
  static constexpr size_t kMaxCompleteNames = kMaxNames / 2;

  // nullptr when the name is not cached.
  const std::vector<NodeId>* FindName(const std::string& norm) const {
    auto it = names_.find(norm);
    return it == names_.end() ? nullptr : &it->second;
  }
  // `ids`: every id the names index lists for `norm`, read from the store.
  void PutName(const std::string& norm, std::vector<NodeId> ids) {
    if (names_.size() >= kMaxNames) ClearNames();
    names_[norm] = std::move(ids);
  }
  // Every name of the store with its ids (the whole names index, read under the writer lock).
  void SetAllNames(std::unordered_map<std::string, std::vector<NodeId>> names) {
    names_ = std::move(names);
    names_complete_ = true;
  }
  // True when a name the cache does not hold is absent from the store.
  bool names_complete() const { return names_complete_; }
  // Whether the writer should try to load the whole names index (once per Clear).
  bool ShouldLoadAllNames() const { return !names_complete_ && !names_load_tried_; }
  void NoteNamesLoadTried() { names_load_tried_ = true; }
  // nullptr when the node is not cached.
  const NodeRecord* FindNode(NodeId id) const {
    auto it = nodes_.find(id);
    return it == nodes_.end() ? nullptr : &it->second;
  }
  void PutNode(NodeId id, const NodeRecord& record) {
    if (nodes_.size() >= kMaxNodes) nodes_.clear();
    nodes_[id] = record;
  }

  // After a successful commit: the batch added / removed the names-index entry (norm, id).
  void ApplyNameAdded(const std::string& norm, NodeId id) {
    auto it = names_.find(norm);
    if (it != names_.end()) {
      it->second.push_back(id);
    } else if (names_complete_) {
      if (names_.size() >= kMaxNames) {
        ClearNames();
      } else {
        names_[norm].push_back(id);
      }
    }
  }
  void ApplyNameRemoved(const std::string& norm, NodeId id) {
    auto it = names_.find(norm);
    if (it == names_.end()) return;
    std::erase(it->second, id);
  }
  // After a successful commit: the batch wrote `record` for node `id` (nullptr: deleted it).
  void ApplyNode(NodeId id, const NodeRecord* record) {
    if (record == nullptr) {
      nodes_.erase(id);
    } else if (auto it = nodes_.find(id); it != nodes_.end()) {
      it->second = *record;
    } else {
      PutNode(id, *record);
    }
  }

  void Clear() {
    ClearNames();
    names_load_tried_ = false;
    nodes_.clear();
  }
  size_t names_size() const { return names_.size(); }
  size_t nodes_size() const { return nodes_.size(); }

 private:
  void ClearNames() {
    names_.clear();
    names_complete_ = false;
  }

  std::unordered_map<std::string, std::vector<NodeId>> names_;
  bool names_complete_ = false;
  bool names_load_tried_ = false;
  std::unordered_map<NodeId, NodeRecord> nodes_;
};

}  // namespace kg::store::internal
