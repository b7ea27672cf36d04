// ReadView over one RocksDB snapshot. Every iterator is a local destroyed before the function
// returns, so a view never outlives iterators (Debian's RocksDB asserts on that misuse).

#include <algorithm>
#include <array>
#include <cmath>
#include <cstring>
#include <limits>
#include <unordered_map>

#include <rocksdb/perf_level.h>

#include "key_format.h"
#include "kg/store/names.h"
#include "store_impl.h"
#include "values.h"

namespace kg::store::internal {
namespace {

using json = nlohmann::json;

// A CBOR reader for the records this store writes (nlohmann::json::to_cbor of nodes): definite
// maps with text keys, arrays, text strings, integers, floats, booleans and null, built straight
// into a json value. It gives exactly what json::from_cbor gives (positive integers unsigned,
// negative signed, a repeated key keeps the last value) and returns false on anything else (byte
// strings, tags, indefinite lengths, truncation...), for which callers use the general decoder.
// About twice as fast as from_cbor's SAX path on small records, which a hub's neighbours are.
class CborReader {
 public:
  explicit CborReader(std::string_view bytes)
      : p_(reinterpret_cast<const unsigned char*>(bytes.data())), end_(p_ + bytes.size()) {}

  // The whole input as one item.
  bool ReadAll(json* out) { return Read(out, 0) && p_ == end_; }

  // The whole input as one map with text keys, keeping only the entries named in `keys` (the
  // others are stepped over, not built). False when the input is not such a map or not
  // readable: callers then decode it whole.
  bool ReadObjectKeys(const std::vector<std::string>& keys, json* out) {
    if (p_ == end_ || (*p_ >> 5) != 5) return false;
    uint64_t n = 0;
    if (!Arg(*p_++ & 31, &n) || n > static_cast<uint64_t>(end_ - p_)) return false;
    *out = json::object();
    auto& obj = out->get_ref<json::object_t&>();
    std::string_view name;
    for (uint64_t i = 0; i < n; ++i) {
      if (p_ == end_ || (*p_ >> 5) != 3) return false;
      uint64_t len = 0;
      if (!Arg(*p_++ & 31, &len) || !TextView(len, &name)) return false;
      if (std::find(keys.begin(), keys.end(), name) == keys.end()) {
        if (!Skip(1)) return false;
        continue;
      }
      json value;
      if (!Read(&value, 1)) return false;
      obj.insert_or_assign(std::string(name), std::move(value));
    }
    return p_ == end_;
  }

  // ReadObjectKeys without building json for scalars: values[k] receives the entry named
  // keys[k] (kAbsent when there is none; the last one when repeated), lists and maps decoded
  // into scratch[k]. Same acceptance as ReadObjectKeys: false where it returns false.
  bool ReadObjectValues(const std::vector<std::string>& keys, ReadView::PropertyRef* values,
                        json* scratch) {
    for (size_t k = 0; k < keys.size(); ++k) values[k] = ReadView::PropertyRef{};
    if (p_ == end_ || (*p_ >> 5) != 5) return false;
    uint64_t n = 0;
    if (!Arg(*p_++ & 31, &n) || n > static_cast<uint64_t>(end_ - p_)) return false;
    std::string_view name;
    for (uint64_t i = 0; i < n; ++i) {
      if (p_ == end_ || (*p_ >> 5) != 3) return false;
      uint64_t len = 0;
      if (!Arg(*p_++ & 31, &len) || !TextView(len, &name)) return false;
      size_t k = 0;
      while (k < keys.size() && keys[k] != name) ++k;
      if (k == keys.size()) {
        if (!Skip(1)) return false;
        continue;
      }
      if (!ReadValue(&values[k], &scratch[k])) return false;
    }
    return p_ == end_;
  }

  enum class NodeResult { kOk, kInvalid, kUnreadable };
  // A node record {"l": [labels], "p": {properties}, "w": {votes}} straight into `node`, without
  // building the outer map and the label strings as json. kInvalid: what DecodeNode rejects
  // (nullopt); kUnreadable: the reader cannot tell (the caller falls back to DecodeNode).
  NodeResult ReadNode(NodeRecord* node) {
    if (p_ == end_ || (*p_ >> 5) != 5) return NodeResult::kUnreadable;
    uint64_t n = 0;
    if (!Arg(*p_++ & 31, &n) || n > static_cast<uint64_t>(end_ - p_)) {
      return NodeResult::kUnreadable;
    }
    bool have_labels = false, labels_ok = false, have_props = false;
    std::string key;
    for (uint64_t i = 0; i < n; ++i) {
      if (p_ == end_ || (*p_ >> 5) != 3) return NodeResult::kUnreadable;
      uint64_t len = 0;
      if (!Arg(*p_++ & 31, &len) || !Text(len, &key)) return NodeResult::kUnreadable;
      if (have_labels && key == "l") return NodeResult::kUnreadable;  // repeated keys: rare
      if (key == "l" && p_ != end_ && (*p_ >> 5) == 4) {
        have_labels = labels_ok = true;
        uint64_t count = 0;
        if (!Arg(*p_++ & 31, &count) || count > static_cast<uint64_t>(end_ - p_)) {
          return NodeResult::kUnreadable;
        }
        node->labels.clear();
        node->labels.reserve(count);
        for (uint64_t j = 0; j < count; ++j) {
          if (p_ != end_ && (*p_ >> 5) == 3) {
            uint64_t label_len = 0;
            std::string label;
            if (!Arg(*p_++ & 31, &label_len) || !Text(label_len, &label)) {
              return NodeResult::kUnreadable;
            }
            node->labels.push_back(std::move(label));
          } else {
            json other;
            if (!Read(&other, 1)) return NodeResult::kUnreadable;
            labels_ok = false;  // a label that is not a string
          }
        }
        continue;
      }
      json value;
      if (!Read(&value, 1)) return NodeResult::kUnreadable;
      if (key == "l") {
        have_labels = true;
        labels_ok = false;  // not an array
      } else if (key == "p") {
        if (have_props) return NodeResult::kUnreadable;
        have_props = true;
        if (!value.is_object()) return NodeResult::kInvalid;
        node->properties = std::move(value);
      } else if (key == "w") {
        if (!node->label_votes.empty()) return NodeResult::kUnreadable;
        if (value.is_object()) {
          for (auto it = value.begin(); it != value.end(); ++it) {
            if (it.value().is_number_unsigned()) {
              node->label_votes[it.key()] = it.value().get<uint64_t>();
            }
          }
        }
      }
    }
    if (p_ != end_) return NodeResult::kUnreadable;
    if (!have_labels || !labels_ok || !have_props) return NodeResult::kInvalid;
    return NodeResult::kOk;
  }

  // Only the properties named in `keys` of a node record, into `props` (an object), without
  // building anything else. Same kOk / kInvalid / kUnreadable contract as ReadNode: kOk exactly
  // when ReadNode gives kOk, and then `props` holds what ReadNode's properties hold of `keys`.
  NodeResult ReadNodeProperties(const std::vector<std::string>& keys, json* props) {
    *props = json::object();
    auto& obj = props->get_ref<json::object_t&>();
    return WalkNodeRecord(keys, [&](size_t, std::string_view name) {
      json value;
      if (!Read(&value, 2)) return false;
      obj.insert_or_assign(std::string(name), std::move(value));
      return true;
    });
  }

  // ReadNodeProperties without json: out[k] is the property keys[k] (kAbsent when the record
  // has none; a repeated name gives its last value, as the json object would), read in place
  // by ReadValue; a list or map goes into scratch[k]. Same kOk / kInvalid / kUnreadable
  // contract as ReadNodeProperties.
  NodeResult ReadNodeValues(const std::vector<std::string>& keys, ReadView::PropertyRef* out,
                            json* scratch) {
    for (size_t k = 0; k < keys.size(); ++k) out[k] = ReadView::PropertyRef{};
    return WalkNodeRecord(keys, [&](size_t k, std::string_view) {
      return ReadValue(&out[k], &scratch[k]);
    });
  }

 private:
  // Walks a node record (a map of "l": labels and "p": properties) and calls
  // read_wanted(k, name) with the reader at the value of each property named keys[k]; it must
  // read that value (false: unreadable). Skips everything else. kOk exactly when ReadNode gives
  // kOk; kInvalid for a well-formed record that is not a node; kUnreadable for what DecodeNode
  // must judge.
  template <typename ReadWanted>
  NodeResult WalkNodeRecord(const std::vector<std::string>& keys, ReadWanted&& read_wanted) {
    if (p_ == end_ || (*p_ >> 5) != 5) return NodeResult::kUnreadable;
    uint64_t n = 0;
    if (!Arg(*p_++ & 31, &n) || n > static_cast<uint64_t>(end_ - p_)) {
      return NodeResult::kUnreadable;
    }
    bool have_labels = false, labels_ok = false, have_props = false;
    std::string_view key;
    for (uint64_t i = 0; i < n; ++i) {
      if (p_ == end_ || (*p_ >> 5) != 3) return NodeResult::kUnreadable;
      uint64_t len = 0;
      if (!Arg(*p_++ & 31, &len) || !TextView(len, &key)) return NodeResult::kUnreadable;
      if (key == "l") {
        if (have_labels) return NodeResult::kUnreadable;  // repeated keys: rare
        have_labels = true;
        labels_ok = p_ != end_ && (*p_ >> 5) == 4;
        if (!labels_ok) {
          if (!Skip(1)) return NodeResult::kUnreadable;
          continue;
        }
        uint64_t count = 0;
        if (!Arg(*p_++ & 31, &count) || count > static_cast<uint64_t>(end_ - p_)) {
          return NodeResult::kUnreadable;
        }
        for (uint64_t j = 0; j < count; ++j) {
          if (p_ == end_ || (*p_ >> 5) != 3) labels_ok = false;  // a label that is not a string
          if (!Skip(2)) return NodeResult::kUnreadable;
        }
      } else if (key == "p") {
        if (have_props) return NodeResult::kUnreadable;
        have_props = true;
        // Not an object: DecodeNode judges the record.
        if (p_ == end_ || (*p_ >> 5) != 5) return NodeResult::kUnreadable;
        uint64_t count = 0;
        if (!Arg(*p_++ & 31, &count) || count > static_cast<uint64_t>(end_ - p_)) {
          return NodeResult::kUnreadable;
        }
        std::string_view name;
        for (uint64_t j = 0; j < count; ++j) {
          if (p_ == end_ || (*p_ >> 5) != 3) return NodeResult::kUnreadable;
          uint64_t name_len = 0;
          if (!Arg(*p_++ & 31, &name_len) || !TextView(name_len, &name)) {
            return NodeResult::kUnreadable;
          }
          auto it = std::find(keys.begin(), keys.end(), name);
          if (it == keys.end()) {
            if (!Skip(2)) return NodeResult::kUnreadable;
            continue;
          }
          if (!read_wanted(static_cast<size_t>(it - keys.begin()), name)) {
            return NodeResult::kUnreadable;
          }
        }
      } else if (!Skip(1)) {
        return NodeResult::kUnreadable;
      }
    }
    if (p_ != end_) return NodeResult::kUnreadable;
    if (!have_labels || !labels_ok || !have_props) return NodeResult::kInvalid;
    return NodeResult::kOk;
  }

  // One map value (depth 1) as Read would decode it, scalars in place: a list or map goes
  // through Read into `scratch`.
  bool ReadValue(ReadView::PropertyRef* out, json* scratch) {
    using Kind = ReadView::PropertyRef::Kind;
    if (p_ == end_) return false;
    unsigned major = *p_ >> 5, info = *p_ & 31;
    if (major == 4 || major == 5 || (major == 7 && info >= 25 && info <= 27)) {
      if (!Read(scratch, 1)) return false;
      if (scratch->is_number_float()) {
        *out = ReadView::PropertyRef{};
        out->kind = Kind::kDouble;
        out->number = scratch->get<double>();
      } else {
        *out = ReadView::PropertyRef{};
        out->kind = Kind::kJson;
        out->json = scratch;
      }
      return true;
    }
    ++p_;
    uint64_t n = 0;
    *out = ReadView::PropertyRef{};
    if (major == 7) {
      if (info == 20 || info == 21) {
        out->kind = Kind::kBool;
        out->boolean = info == 21;
        return true;
      }
      if (info == 22) {
        out->kind = Kind::kNull;
        return true;
      }
      return false;
    }
    if (!Arg(info, &n)) return false;
    switch (major) {
      case 0:
        out->kind = Kind::kUint;
        out->uinteger = n;
        return true;
      case 1:
        if (n > static_cast<uint64_t>(std::numeric_limits<int64_t>::max())) return false;
        out->kind = Kind::kInt;
        out->integer = static_cast<int64_t>(-1) - static_cast<int64_t>(n);
        return true;
      case 3:
        out->kind = Kind::kText;
        return TextView(n, &out->text);
      default: return false;
    }
  }

  // Steps over one item that Read would accept, building nothing.
  bool Skip(int depth) {
    if (p_ == end_ || depth > 256) return false;
    unsigned char b = *p_++;
    unsigned major = b >> 5, info = b & 31;
    uint64_t n = 0;
    if (major == 7) {
      if (info >= 20 && info <= 22) return true;
      if (info < 25 || info > 27) return false;
      return Arg(info, &n);
    }
    if (!Arg(info, &n)) return false;
    switch (major) {
      case 0: return true;
      case 1: return n <= static_cast<uint64_t>(std::numeric_limits<int64_t>::max());
      case 3:
        if (static_cast<uint64_t>(end_ - p_) < n) return false;
        p_ += n;
        return true;
      case 4:
        if (n > static_cast<uint64_t>(end_ - p_)) return false;
        for (uint64_t i = 0; i < n; ++i) {
          if (!Skip(depth + 1)) return false;
        }
        return true;
      case 5:
        if (n > static_cast<uint64_t>(end_ - p_)) return false;
        for (uint64_t i = 0; i < n; ++i) {
          if (p_ == end_ || (*p_ >> 5) != 3) return false;  // text keys only, as Read
          if (!Skip(depth + 1) || !Skip(depth + 1)) return false;
        }
        return true;
      default: return false;
    }
  }

  bool Arg(unsigned info, uint64_t* n) {
    if (info < 24) {
      *n = info;
      return true;
    }
    int bytes = info == 24 ? 1 : info == 25 ? 2 : info == 26 ? 4 : info == 27 ? 8 : 0;
    if (bytes == 0 || end_ - p_ < bytes) return false;
    uint64_t v = 0;
    for (int i = 0; i < bytes; ++i) v = (v << 8) | *p_++;
    *n = v;
    return true;
  }

  // As Text, without copying: `out` points into the input.
  bool TextView(uint64_t len, std::string_view* out) {
    if (static_cast<uint64_t>(end_ - p_) < len) return false;
    *out = std::string_view(reinterpret_cast<const char*>(p_), len);
    p_ += len;
    return true;
  }

  bool Text(uint64_t len, std::string* out) {
    if (static_cast<uint64_t>(end_ - p_) < len) return false;
    out->assign(reinterpret_cast<const char*>(p_), len);
    p_ += len;
    return true;
  }

  bool Read(json* out, int depth) {
    if (p_ == end_ || depth > 256) return false;
    unsigned char b = *p_++;
    unsigned major = b >> 5, info = b & 31;
    uint64_t n = 0;
    if (major == 7) {
      switch (info) {
        case 20: *out = false; return true;
        case 21: *out = true; return true;
        case 22: *out = nullptr; return true;
        case 25: {
          if (!Arg(info, &n)) return false;
          // IEEE half precision, as from_cbor decodes it.
          unsigned exp = (n >> 10) & 0x1f, mant = n & 0x3ff;
          double v = exp == 0    ? std::ldexp(mant, -24)
                     : exp != 31 ? std::ldexp(mant + 1024, static_cast<int>(exp) - 25)
                     : mant == 0 ? std::numeric_limits<double>::infinity()
                                 : std::numeric_limits<double>::quiet_NaN();
          *out = (n & 0x8000) ? -v : v;
          return true;
        }
        case 26: {
          if (!Arg(info, &n)) return false;
          auto bits = static_cast<uint32_t>(n);
          float f;
          std::memcpy(&f, &bits, sizeof(f));
          *out = static_cast<double>(f);
          return true;
        }
        case 27: {
          if (!Arg(info, &n)) return false;
          double d;
          std::memcpy(&d, &n, sizeof(d));
          *out = d;
          return true;
        }
        default: return false;
      }
    }
    if (!Arg(info, &n)) return false;
    switch (major) {
      case 0: *out = static_cast<uint64_t>(n); return true;
      case 1:
        if (n > static_cast<uint64_t>(std::numeric_limits<int64_t>::max())) return false;
        *out = static_cast<int64_t>(-1) - static_cast<int64_t>(n);
        return true;
      case 3: {
        std::string s;
        if (!Text(n, &s)) return false;
        *out = std::move(s);
        return true;
      }
      case 4: {
        if (n > static_cast<uint64_t>(end_ - p_)) return false;  // each item is >= 1 byte
        *out = json::array();
        auto& arr = out->get_ref<json::array_t&>();
        arr.resize(n);
        for (auto& item : arr) {
          if (!Read(&item, depth + 1)) return false;
        }
        return true;
      }
      case 5: {
        if (n > static_cast<uint64_t>(end_ - p_)) return false;
        *out = json::object();
        auto& obj = out->get_ref<json::object_t&>();
        std::string key;
        for (uint64_t i = 0; i < n; ++i) {
          if (p_ == end_ || (*p_ >> 5) != 3) return false;  // text keys only
          uint64_t len = 0;
          unsigned key_info = *p_++ & 31;
          if (!Arg(key_info, &len) || !Text(len, &key)) return false;
          json value;
          if (!Read(&value, depth + 1)) return false;
          obj.insert_or_assign(obj.end(), key, std::move(value));
        }
        return true;
      }
      default: return false;
    }
  }

  const unsigned char* p_;
  const unsigned char* end_;
};

// DecodeNode (values.cc) through CborReader, falling back to DecodeNode itself for records the
// reader does not take. Same result either way.
std::optional<NodeRecord> DecodeNodeFast(std::string_view value) {
  NodeRecord node;
  switch (CborReader(value).ReadNode(&node)) {
    case CborReader::NodeResult::kOk: return node;
    case CborReader::NodeResult::kInvalid: return std::nullopt;
    case CborReader::NodeResult::kUnreadable: break;
  }
  return DecodeNode(value);
}

// values[k] = property keys[k] of `props` (kAbsent when it has none), kept in scratch[k]: the
// in-place readers' answer for a record only the json decoder takes.
static void RefsFromJson(Properties props, const std::vector<std::string>& keys,
                         ReadView::PropertyRef* values, json* scratch) {
  for (size_t k = 0; k < keys.size(); ++k) {
    values[k] = ReadView::PropertyRef{};
    auto it = props.find(keys[k]);
    if (it == props.end()) continue;
    scratch[k] = std::move(*it);
    values[k].kind = ReadView::PropertyRef::Kind::kJson;
    values[k].json = &scratch[k];
  }
}

// The properties named in `keys` of a node record (DecodeNode's properties restricted to
// `keys`), through CborReader when it takes the record, else through DecodeNode. nullopt for what
// DecodeNode rejects.
std::optional<Properties> DecodeNodeProperties(std::string_view value,
                                               const std::vector<std::string>& keys) {
  json props;
  switch (CborReader(value).ReadNodeProperties(keys, &props)) {
    case CborReader::NodeResult::kOk: return props;
    case CborReader::NodeResult::kInvalid: return std::nullopt;
    case CborReader::NodeResult::kUnreadable: break;
  }
  auto node = DecodeNode(value);
  if (!node) return std::nullopt;
  Properties out = json::object();
  for (auto it = node->properties.begin(); it != node->properties.end(); ++it) {
    if (std::find(keys.begin(), keys.end(), it.key()) != keys.end()) out[it.key()] = it.value();
  }
  return out;
}

// DecodeEvidence (values.cc) with the properties read by CborReader; DecodeEvidence itself for
// records the reader does not take. Same result either way.
bool DecodeEvidenceFast(std::string_view value, Evidence* evidence) {
  std::string_view rest = value;
  if (!DecodeEvidenceFields(&rest, evidence)) return false;
  if (rest.empty()) {
    evidence->properties = EmptyProperties();
    return true;
  }
  json props;
  if (!CborReader(rest).ReadAll(&props)) return DecodeEvidence(value, evidence);
  if (!props.is_object()) return false;
  evidence->properties = std::move(props);
  return true;
}

// The properties named in `keys` of an evidence record (DecodeEvidence's properties restricted
// to `keys`) without copying its sentence and rule or building the other properties. nullopt for
// what DecodeEvidence rejects.
std::optional<Properties> DecodeEvidenceProperties(std::string_view value,
                                                   const std::vector<std::string>& keys) {
  std::string_view rest = value;
  uint64_t doc = 0;
  std::string_view sentence, rule;
  if (!GetVarint64(&rest, &doc) || rest.size() < 16) return std::nullopt;
  rest.remove_prefix(16);
  if (!GetLengthPrefixed(&rest, &sentence) || !GetLengthPrefixed(&rest, &rule)) {
    return std::nullopt;
  }
  if (rest.empty()) return EmptyProperties();
  json props;
  if (CborReader(rest).ReadObjectKeys(keys, &props)) return props;
  Evidence whole;
  if (!DecodeEvidence(value, &whole) || !whole.properties.is_object()) return std::nullopt;
  Properties out = json::object();
  for (auto it = whole.properties.begin(); it != whole.properties.end(); ++it) {
    if (std::find(keys.begin(), keys.end(), it.key()) != keys.end()) out[it.key()] = it.value();
  }
  return out;
}

// DecodeEvidenceProperties into PropertyRefs: true with values[k] = property keys[k] when the
// record's fields are well formed and CborReader takes its properties; false otherwise (the
// caller then goes through DecodeEvidenceProperties, which also judges corruption).
bool ReadEvidenceValues(std::string_view value, const std::vector<std::string>& keys,
                        ReadView::PropertyRef* values, json* scratch) {
  std::string_view rest = value;
  uint64_t doc = 0;
  std::string_view sentence, rule;
  if (!GetVarint64(&rest, &doc) || rest.size() < 16) return false;
  rest.remove_prefix(16);
  if (!GetLengthPrefixed(&rest, &sentence) || !GetLengthPrefixed(&rest, &rule)) return false;
  if (rest.empty()) {
    for (size_t k = 0; k < keys.size(); ++k) values[k] = ReadView::PropertyRef{};
    return true;
  }
  return CborReader(rest).ReadObjectValues(keys, values, scratch);
}

class ReadViewImpl final : public ReadView {
 public:
  // A secondary instance cannot make snapshots (its iterators fail with "not supported"), but
  // its state only moves on CatchUp(), which stands in for the snapshot.
  // The view pins the RocksDB instance it starts on: a read-only store's CatchUp may replace it.
  explicit ReadViewImpl(StoreImpl* store)
      : store_(store),
        instance_(store->Pin()),
        snapshot_(store->read_only() ? nullptr : instance_->db->GetSnapshot()) {
    ro_.snapshot = snapshot_;
    // RocksDB's per-thread perf counters (on by default) cost a thread-local lookup per iterator
    // step, ~10 % of a whole-family scan; kg never reads them.
    rocksdb::SetPerfLevel(rocksdb::PerfLevel::kDisable);
  }
  ~ReadViewImpl() override {
    for (auto& it : prefix_iters_) it.reset();  // iterators go before their snapshot
    if (snapshot_ != nullptr) db()->ReleaseSnapshot(snapshot_);
  }

  std::optional<Node> GetNode(NodeId id) override {
    std::string value;
    if (!Get(kNodes, U64Key(id), &value)) return std::nullopt;
    auto rec = DecodeNodeFast(value);
    if (!rec) return Corrupt<Node>("node " + std::to_string(id));
    return Node{id, std::move(rec->labels), std::move(rec->properties)};
  }

  std::optional<Edge> GetEdge(EdgeId id) override {
    std::string value;
    if (!Get(kEdges, U64Key(id), &value)) return std::nullopt;
    auto rec = DecodeEdge(value);
    if (!rec) return Corrupt<Edge>("edge " + std::to_string(id));
    return ToEdge(id, std::move(*rec));
  }

  std::vector<std::optional<Node>> GetNodes(const std::vector<NodeId>& ids) override {
    std::vector<std::optional<Node>> out(ids.size());
    MultiGet(kNodes, ids, [](uint64_t id) { return U64Key(id); },
             [&](size_t i, std::string_view value) {
               auto rec = DecodeNodeFast(value);
               if (!rec) {
                 Corrupt<Node>("node " + std::to_string(ids[i]));
                 return;
               }
               out[i] = Node{ids[i], std::move(rec->labels), std::move(rec->properties)};
             });
    return out;
  }

  // Calls decode(id, record) for each id of `ids` (ascending, distinct) that has a node
  // record, in that order.
  template <typename Fn>
  void ReadNodeRecords(const std::vector<NodeId>& ids, Fn&& decode) {
    if (ids.empty()) return;
    // A few ids: one batched point read. More: one forward iterator over the node family that
    // steps with Next across short gaps and seeks across longer ones (node ids are dense keys,
    // so the gap in ids is the number of steps). Counted with callgrind on the 1M-edge graph's
    // hub (17,385 ids among 200k nodes), a seek per id costs ~20 % fewer instructions than
    // MultiGet and a scan of every key between them more; 4 steps is the measured best.
    if (ids.size() < 16) {
      std::vector<std::pair<NodeId, std::string>> found;
      MultiGet(kNodes, ids, [](uint64_t id) { return U64Key(id); },
               [&](size_t i, std::string_view value) { found.emplace_back(ids[i], value); });
      std::sort(found.begin(), found.end(),
                [](const auto& a, const auto& b) { return a.first < b.first; });
      for (const auto& [id, value] : found) decode(id, value);
      return;
    }
    constexpr uint64_t kMaxSteps = 4;
    rocksdb::ReadOptions ro = ro_;
    std::string upper = U64Key(ids.back() + 1);
    rocksdb::Slice upper_slice(upper);
    if (ids.back() != std::numeric_limits<uint64_t>::max()) ro.iterate_upper_bound = &upper_slice;
    std::unique_ptr<rocksdb::Iterator> it(db()->NewIterator(ro, cf_handle(kNodes)));
    // The id under the iterator; a key that is not 8 bytes (none is written) reads as 0, below
    // every wanted id, so the walk steps over it.
    auto current = [&]() -> NodeId {
      auto key = it->key();
      return key.size() == 8 ? GetU64(key.data()) : 0;
    };
    it->Seek(U64Key(ids.front()));
    for (NodeId id : ids) {
      uint64_t steps = 0;
      while (it->Valid() && current() < id) {
        if (steps++ == kMaxSteps || id - current() > kMaxSteps) {
          it->Seek(U64Key(id));
          break;
        }
        it->Next();
      }
      if (!it->Valid()) break;
      if (current() == id && it->key().size() == 8) decode(id, it->value().ToStringView());
    }
    if (!it->status().ok() && status_.ok()) status_ = FromRocks(it->status(), "scan failed");
  }


  void NodeProperties(const std::vector<NodeId>& ids, const std::vector<std::string>& keys,
                      const std::function<void(NodeId, Properties&&)>& fn) override {
    ReadNodeRecords(ids, [&](NodeId id, std::string_view value) {
      auto props = DecodeNodeProperties(value, keys);
      if (!props) {
        Corrupt<Node>("node " + std::to_string(id));
        return;
      }
      fn(id, std::move(*props));
    });
  }

  void NodePropertyValues(const std::vector<NodeId>& ids, const std::vector<std::string>& keys,
                          const std::function<void(NodeId, const PropertyRef*)>& fn) override {
    std::vector<PropertyRef> values(keys.size());
    std::vector<json> scratch(keys.size());
    ReadNodeRecords(ids, [&](NodeId id, std::string_view value) {
      switch (CborReader(value).ReadNodeValues(keys, values.data(), scratch.data())) {
        case CborReader::NodeResult::kOk:
          fn(id, values.data());
          return;
        case CborReader::NodeResult::kInvalid:
          Corrupt<Node>("node " + std::to_string(id));
          return;
        case CborReader::NodeResult::kUnreadable: break;
      }
      // What the reader does not take, DecodeNode judges (as NodeProperties does).
      auto props = DecodeNodeProperties(value, keys);
      if (!props) {
        Corrupt<Node>("node " + std::to_string(id));
        return;
      }
      RefsFromJson(std::move(*props), keys, values.data(), scratch.data());
      fn(id, values.data());
    });
  }

  std::vector<uint64_t> EdgeEvidenceCounts(const std::vector<EdgeId>& ids) override {
    std::vector<uint64_t> out(ids.size(), 0);
    MultiGet(kCounters, ids,
             [](uint64_t id) { return OwnerCounterKey(CounterTag::kEdgeEvidence, id); },
             [&](size_t i, std::string_view value) { out[i] = DecodeCounter(value); });
    return out;
  }

  std::vector<NodeId> NodeIds() override {
    std::vector<NodeId> ids;
    Scan(kNodes, {}, [&](std::string_view key, std::string_view) {
      if (key.size() == 8) ids.push_back(GetU64(key.data()));
      return true;
    });
    return ids;
  }

  void ForEachEdgeSummary(const std::function<bool(const EdgeSummary&)>& fn) override {
    // Edge records and the `v` counters are both keyed by big-endian edge id: walk them side by
    // side. An edge without a counter key has no evidence.
    std::string counter_prefix(1, static_cast<char>(CounterTag::kEdgeEvidence));
    std::string counter_upper = PrefixSuccessor(counter_prefix);
    rocksdb::Slice counter_upper_slice(counter_upper);
    rocksdb::ReadOptions cro = ro_;
    cro.iterate_upper_bound = &counter_upper_slice;
    std::unique_ptr<rocksdb::Iterator> counters(
        db()->NewIterator(cro, cf_handle(kCounters)));
    counters->Seek(counter_prefix);
    // TypeName takes the store's type lock: ask it once per type, not once per edge.
    std::vector<std::optional<std::string_view>> type_names;
    Scan(kEdges, {}, [&](std::string_view key, std::string_view value) {
      if (key.size() != 8 || value.size() < 20) {
        Corrupt<Edge>("edge record");
        return true;
      }
      EdgeSummary e;
      e.id = GetU64(key.data());
      uint32_t type_id = GetU32(value.data());
      if (type_id < 4096) {
        if (type_id >= type_names.size()) type_names.resize(type_id + 1);
        if (!type_names[type_id]) type_names[type_id] = store_->TypeName(type_id);
        e.type = *type_names[type_id];
      } else {
        e.type = store_->TypeName(type_id);
      }
      e.source = GetU64(value.data() + 4);
      e.target = GetU64(value.data() + 12);
      while (counters->Valid()) {
        auto ckey = counters->key().ToStringView();
        uint64_t owner = ckey.size() == 9 ? GetU64(ckey.data() + 1) : 0;
        if (owner > e.id) break;
        if (owner == e.id) e.evidence_count = DecodeCounter(counters->value().ToStringView());
        counters->Next();
      }
      return fn(e);
    });
    if (!counters->status().ok() && status_.ok()) {
      status_ = FromRocks(counters->status(), "scan failed");
    }
  }

  std::optional<Document> GetDocument(DocId id) override {
    std::string value;
    if (!Get(kDocs, U64Key(id), &value)) return std::nullopt;
    auto doc = DecodeDocument(value);
    if (!doc) return Corrupt<Document>("document " + std::to_string(id));
    doc->id = id;
    return doc;
  }

  std::optional<Document> GetDocumentByExternalId(std::string_view external_id) override {
    return DocByIndex(kDocExternalTag, external_id);
  }
  std::optional<Document> GetDocumentByHash(std::string_view content_hash) override {
    return DocByIndex(kDocHashTag, content_hash);
  }

  std::vector<NodeId> FindByName(std::string_view name) override {
    auto norm = NormalizeName(name);
    std::vector<NodeId> ids;
    if (norm.empty()) return ids;
    std::string prefix = norm;
    prefix.push_back('\0');
    Scan(kNames, prefix, [&](std::string_view key, std::string_view) {
      if (auto k = DecodeIndexKey(key); k && k->first == norm) ids.push_back(k->second);
      return true;
    });
    std::sort(ids.begin(), ids.end());
    ids.erase(std::unique(ids.begin(), ids.end()), ids.end());
    return ids;
  }

  std::vector<NameMatch> SearchNames(std::string_view prefix, size_t limit,
                                     size_t scan_limit) override {
    auto norm = NormalizeName(prefix);
    std::unordered_map<NodeId, NameMatch> best;
    size_t scanned = 0;
    Scan(kNames, norm, [&](std::string_view key, std::string_view) {
      auto k = DecodeIndexKey(key);
      if (k && !best.count(k->second)) best[k->second] = NameMatch{k->second, std::string(k->first), 0};
      return ++scanned < scan_limit;
    });
    std::vector<NameMatch> matches;
    for (auto& [id, m] : best) {
      m.score = Counter(OwnerCounterKey(CounterTag::kNodeEvidence, id)) +
                Degree(id, Direction::kBoth, {});
      matches.push_back(std::move(m));
    }
    std::sort(matches.begin(), matches.end(), [](const NameMatch& a, const NameMatch& b) {
      return a.score != b.score ? a.score > b.score : a.node < b.node;
    });
    if (matches.size() > limit) matches.resize(limit);
    return matches;
  }

  void ForEachNode(const std::function<bool(const Node&)>& fn) override {
    Scan(kNodes, {}, [&](std::string_view key, std::string_view value) {
      if (key.size() != 8) return true;
      auto rec = DecodeNodeFast(value);
      if (!rec) {
        Corrupt<Node>("node " + std::to_string(GetU64(key.data())));
        return true;
      }
      return fn(Node{GetU64(key.data()), std::move(rec->labels), std::move(rec->properties)});
    });
  }

  void ForEachNodeWithLabel(std::string_view label,
                            const std::function<bool(const Node&)>& fn) override {
    for (NodeId id : NodesWithLabel(label)) {
      if (auto node = GetNode(id)) {
        if (!fn(*node)) return;
      }
    }
  }

  std::vector<NodeId> NodesWithLabel(std::string_view label) override {
    std::vector<NodeId> ids;
    std::string prefix(label);
    prefix.push_back('\0');
    Scan(kLabels, prefix, [&](std::string_view key, std::string_view) {
      if (auto k = DecodeIndexKey(key); k && k->first == label) ids.push_back(k->second);
      return true;
    });
    return ids;
  }

  void ForEachEdge(const std::function<bool(const Edge&)>& fn) override {
    Scan(kEdges, {}, [&](std::string_view key, std::string_view value) {
      if (key.size() != 8) return true;
      auto rec = DecodeEdge(value);
      if (!rec) {
        Corrupt<Edge>("edge " + std::to_string(GetU64(key.data())));
        return true;
      }
      return fn(ToEdge(GetU64(key.data()), std::move(*rec)));
    });
  }

  void ForEachDocument(const std::function<bool(const Document&)>& fn) override {
    Scan(kDocs, {}, [&](std::string_view key, std::string_view value) {
      if (key.size() != 8) return true;
      auto doc = DecodeDocument(value);
      if (!doc) {
        Corrupt<Document>("document " + std::to_string(GetU64(key.data())));
        return true;
      }
      doc->id = GetU64(key.data());
      return fn(*doc);
    });
  }

  void ForEachEvidence(const std::function<bool(const Evidence&)>& fn) override {
    Scan(kEvidence, {}, [&](std::string_view key, std::string_view value) {
      Evidence ev;
      if (!ParseEvidence(key, value, &ev)) return true;
      return fn(ev);
    });
  }

  void ForEachEdgeRef(NodeId node, Direction direction, std::string_view type,
                      const std::function<bool(const EdgeRef&)>& fn) override {
    if (direction == Direction::kBoth) {
      bool go_on = true;
      ForEachEdgeRef(node, Direction::kOut, type, [&](const EdgeRef& r) {
        go_on = fn(r);
        return go_on;
      });
      if (go_on) ForEachEdgeRef(node, Direction::kIn, type, fn);
      return;
    }
    std::string prefix;
    if (type.empty()) {
      prefix = AdjPrefix(node);
    } else {
      auto type_id = store_->TypeId(type);
      if (!type_id) return;
      prefix = AdjPrefix(node, *type_id);
    }
    Cf cf = direction == Direction::kOut ? kOutAdj : kInAdj;
    Scan(cf, prefix, [&](std::string_view key, std::string_view) {
      auto k = DecodeAdjKey(key);
      if (!k) return true;
      return fn(EdgeRef{k->edge, store_->TypeName(k->type), k->node, k->other, direction});
    });
  }

  std::vector<EdgeRef> EdgeRefs(NodeId node, Direction direction,
                                std::string_view type) override {
    std::vector<EdgeRef> refs;
    ForEachEdgeRef(node, direction, type, [&](const EdgeRef& r) {
      refs.push_back(r);
      return true;
    });
    return refs;
  }

  std::vector<Edge> Edges(NodeId node, Direction direction, std::string_view type) override {
    std::vector<Edge> edges;
    for (const auto& ref : EdgeRefs(node, direction, type)) {
      if (auto edge = GetEdge(ref.edge)) edges.push_back(std::move(*edge));
    }
    return edges;
  }

  std::vector<EdgeId> EdgesBetween(NodeId source, NodeId target, std::string_view type) override {
    std::vector<EdgeId> ids;
    if (type.empty()) {
      ForEachEdgeRef(source, Direction::kOut, {}, [&](const EdgeRef& r) {
        if (r.other == target) ids.push_back(r.edge);
        return true;
      });
    } else if (auto type_id = store_->TypeId(type)) {
      Scan(kOutAdj, AdjPrefix(source, *type_id, target), [&](std::string_view key, std::string_view) {
        if (auto k = DecodeAdjKey(key)) ids.push_back(k->edge);
        return true;
      });
    }
    std::sort(ids.begin(), ids.end());
    return ids;
  }

  std::vector<Evidence> EdgeEvidence(EdgeId edge, size_t limit) override {
    return EvidenceOf(EvidenceKind::kEdge, edge, limit);
  }
  std::vector<Evidence> NodeEvidence(NodeId node, size_t limit) override {
    return EvidenceOf(EvidenceKind::kNode, node, limit);
  }
  std::vector<Properties> EdgeEvidenceProperties(EdgeId edge,
                                                 const std::vector<std::string>& keys) override {
    std::vector<Properties> out;
    Scan(kEvidence, EvidencePrefix(EvidenceKind::kEdge, edge),
         [&](std::string_view key, std::string_view value) {
           std::optional<Properties> props;
           if (key.size() == kEvidencePrefixSize + 8) props = DecodeEvidenceProperties(value, keys);
           if (!props) {
             Corrupt<Evidence>("evidence record");
             return true;
           }
           out.push_back(std::move(*props));
           return true;
         });
    return out;
  }
  void ForEachEdgeEvidenceValues(EdgeId edge, const std::vector<std::string>& keys,
                                 const std::function<void(const PropertyRef*)>& fn) override {
    std::vector<PropertyRef> values(keys.size());
    std::vector<json> scratch(keys.size());
    Scan(kEvidence, EvidencePrefix(EvidenceKind::kEdge, edge),
         [&](std::string_view key, std::string_view value) {
           bool well_keyed = key.size() == kEvidencePrefixSize + 8;
           if (well_keyed && ReadEvidenceValues(value, keys, values.data(), scratch.data())) {
             fn(values.data());
             return true;
           }
           std::optional<Properties> props;
           if (well_keyed) props = DecodeEvidenceProperties(value, keys);
           if (!props) {
             Corrupt<Evidence>("evidence record");
             return true;
           }
           RefsFromJson(std::move(*props), keys, values.data(), scratch.data());
           fn(values.data());
           return true;
         });
  }
  void ForEachEdgeEvidence(EdgeId edge, const std::function<bool(const Evidence&)>& fn) override {
    Scan(kEvidence, EvidencePrefix(EvidenceKind::kEdge, edge),
         [&](std::string_view key, std::string_view value) {
           Evidence ev;
           if (!ParseEvidence(key, value, &ev)) return true;
           return fn(ev);
         });
  }

  uint64_t Degree(NodeId node, Direction direction, std::string_view type) override {
    if (direction == Direction::kBoth) {
      return Degree(node, Direction::kOut, type) + Degree(node, Direction::kIn, type);
    }
    auto dir = static_cast<uint8_t>(direction);
    if (type.empty()) return Counter(TotalDegreeKey(node, dir));
    auto id = store_->TypeId(type);
    return id ? Counter(DegreeKey(node, dir, *id)) : 0;
  }

  std::vector<DegreeEntry> TopByDegree(size_t k, Direction direction) override {
    std::vector<DegreeEntry> top;
    if (k == 0) return top;
    auto better = [](const DegreeEntry& a, const DegreeEntry& b) {
      return a.degree != b.degree ? a.degree > b.degree : a.node < b.node;
    };
    // Total-degree keys of one node are adjacent (node | direction): sum per node on the fly.
    DegreeEntry current{kNoId, 0};
    auto flush = [&] {
      if (current.node == kNoId || current.degree == 0) return;
      if (top.size() < k) {
        top.push_back(current);
        std::push_heap(top.begin(), top.end(), better);
      } else if (better(current, top.front())) {
        std::pop_heap(top.begin(), top.end(), better);
        top.back() = current;
        std::push_heap(top.begin(), top.end(), better);
      }
    };
    std::string prefix(1, static_cast<char>(CounterTag::kTotalDegree));
    Scan(kCounters, prefix, [&](std::string_view key, std::string_view value) {
      if (key.size() != 10) return true;
      NodeId node = GetU64(key.data() + 1);
      auto dir = static_cast<uint8_t>(key[9]);
      if (direction != Direction::kBoth && dir != static_cast<uint8_t>(direction)) return true;
      if (node != current.node) {
        flush();
        current = DegreeEntry{node, 0};
      }
      current.degree += DecodeCounter(value);
      return true;
    });
    flush();
    std::sort_heap(top.begin(), top.end(), better);
    return top;
  }

  // ---- Per-node mention totals (schema 2 counters; docs/STORAGE.md "Counters")
  bool ForEachNodeMentions(Direction direction,
                           const std::function<bool(const NodeMentions&)>& fn) override {
    std::string version;
    if (!Get(kMeta, std::string(kSchemaKey), &version) || version.size() != 4 ||
        GetU32(version.data()) < kMentionsSchema) {
      return false;  // a schema-1 store read-only: no mention counters yet
    }
    // One key per node that has (or had) relationships.
    std::string prefix(1, static_cast<char>(CounterTag::kMentions));
    Scan(kCounters, prefix, [&](std::string_view key, std::string_view value) {
      if (key.size() != 9) return true;
      MentionLanes m = DecodeMentions(value);
      NodeMentions entry;
      entry.node = GetU64(key.data() + 1);
      switch (direction) {
        case Direction::kOut:
          entry.relationships = m[kOutEdges];
          entry.evidence = m[kOutEvidence];
          break;
        case Direction::kIn:
          entry.relationships = m[kInEdges];
          entry.evidence = m[kInEvidence];
          break;
        case Direction::kBoth:
          entry.relationships = m[kOutEdges] + m[kInEdges] - m[kLoops];
          entry.evidence = m[kOutEvidence] + m[kInEvidence] - m[kLoopEvidence];
          break;
      }
      return entry.relationships == 0 || fn(entry);
    });
    return true;
  }

  StoreStats Stats() override {
    StoreStats stats;
    stats.nodes = Counter(CounterKey(CounterTag::kNodes));
    stats.edges = Counter(CounterKey(CounterTag::kEdges));
    stats.documents = Counter(CounterKey(CounterTag::kDocuments));
    stats.evidence = Counter(CounterKey(CounterTag::kEvidence));
    ScanNamed(CounterTag::kLabel, &stats.labels);
    ScanNamed(CounterTag::kType, &stats.types);
    for (size_t i = 1; i < kNumCfs; ++i) {
      auto* handle = cf_handle(static_cast<Cf>(i));
      uint64_t sst = 0, mem = 0;
      db()->GetIntProperty(handle, rocksdb::DB::Properties::kTotalSstFilesSize, &sst);
      db()->GetIntProperty(handle, rocksdb::DB::Properties::kCurSizeAllMemTables, &mem);
      stats.bytes[handle->GetName()] = sst + mem;
    }
    return stats;
  }

  std::vector<std::string> EdgeTypes() override {
    std::vector<std::string> types;
    Scan(kMeta, kTypeByNamePrefix, [&](std::string_view key, std::string_view) {
      types.emplace_back(key.substr(kTypeByNamePrefix.size()));
      return true;
    });
    return types;
  }

  std::vector<std::string> Labels() override {
    std::map<std::string, uint64_t> labels;
    ScanNamed(CounterTag::kLabel, &labels, /*keep_zero=*/true);
    std::vector<std::string> out;
    for (auto& [l, n] : labels) out.push_back(l);
    return out;
  }

  const Status& status() const override { return status_; }

 private:
  template <typename T>
  std::optional<T> Corrupt(const std::string& what) {
    if (status_.ok()) status_ = Status::Corruption("malformed record: " + what);
    return std::nullopt;
  }

  bool Get(Cf cf, const std::string& key, std::string* value) {
    auto s = db()->Get(ro_, cf_handle(cf), key, value);
    if (s.ok()) return true;
    if (!s.IsNotFound() && status_.ok()) status_ = FromRocks(s, "read failed");
    return false;
  }

  // One batched read of the keys make_key(ids[i]); calls found(i, value) for each key present.
  // MultiGet wants sorted keys for its fast path, so the keys are sorted and mapped back.
  template <typename MakeKey, typename Found>
  void MultiGet(Cf cf, const std::vector<uint64_t>& ids, MakeKey&& make_key, Found&& found) {
    if (ids.empty()) return;
    std::vector<std::string> keys(ids.size());
    for (size_t i = 0; i < ids.size(); ++i) keys[i] = make_key(ids[i]);
    std::vector<size_t> order(ids.size());
    for (size_t i = 0; i < order.size(); ++i) order[i] = i;
    std::sort(order.begin(), order.end(), [&](size_t a, size_t b) { return keys[a] < keys[b]; });
    std::vector<rocksdb::Slice> slices(ids.size());
    for (size_t i = 0; i < order.size(); ++i) slices[i] = rocksdb::Slice(keys[order[i]]);
    std::vector<rocksdb::PinnableSlice> values(ids.size());
    std::vector<rocksdb::Status> statuses(ids.size());
    db()->MultiGet(ro_, cf_handle(cf), slices.size(), slices.data(), values.data(),
                   statuses.data(), /*sorted_input=*/true);
    for (size_t i = 0; i < order.size(); ++i) {
      if (statuses[i].IsNotFound()) continue;
      if (!statuses[i].ok()) {
        if (status_.ok()) status_ = FromRocks(statuses[i], "read failed");
        continue;
      }
      found(order[i], values[i].ToStringView());
    }
  }

  uint64_t Counter(const std::string& key) {
    std::string value;
    return Get(kCounters, key, &value) ? DecodeCounter(value) : 0;
  }

  // Calls fn(key, value) for every key starting with `prefix` ("" = the whole family).
  template <typename Fn>
  void Scan(Cf cf, std::string_view prefix, Fn&& fn) {
    bool prefix_cf = cf == kOutAdj || cf == kInAdj || cf == kEvidence;
    size_t extractor = cf == kEvidence ? kEvidencePrefixSize : kAdjPrefixSize;
    if (prefix_cf && prefix.size() >= extractor && !prefix_iter_busy_[cf]) {
      // Prefix seeks (one per adjacency list or evidence list: many per query) reuse one
      // iterator per family for the view's life; creating one costs about as much as the seek.
      // prefix_same_as_start stands in for the upper bound. Not while a callback of an outer
      // scan of the same family runs (it is positioned there).
      auto& it = prefix_iters_[cf];
      if (!it) {
        rocksdb::ReadOptions ro = ro_;
        ro.prefix_same_as_start = true;
        it.reset(db()->NewIterator(ro, cf_handle(cf)));
      }
      prefix_iter_busy_[cf] = true;
      ScanFrom(it.get(), prefix, fn);
      prefix_iter_busy_[cf] = false;
      return;
    }
    rocksdb::ReadOptions ro = ro_;
    std::string upper = PrefixSuccessor(std::string(prefix));
    rocksdb::Slice upper_slice(upper);
    if (!upper.empty()) ro.iterate_upper_bound = &upper_slice;
    // Shorter-than-prefix-extractor seeks (or whole-family scans) must not use the bloom.
    if (prefix_cf && prefix.size() < extractor) ro.total_order_seek = true;
    std::unique_ptr<rocksdb::Iterator> it(db()->NewIterator(ro, cf_handle(cf)));
    ScanFrom(it.get(), prefix, fn);
  }

  template <typename Fn>
  void ScanFrom(rocksdb::Iterator* it, std::string_view prefix, Fn& fn) {
    for (it->Seek(rocksdb::Slice(prefix.data(), prefix.size())); it->Valid(); it->Next()) {
      auto key = it->key().ToStringView();
      if (!key.starts_with(prefix)) break;
      if (!fn(key, it->value().ToStringView())) break;
    }
    if (!it->status().ok() && status_.ok()) status_ = FromRocks(it->status(), "scan failed");
  }

  void ScanNamed(CounterTag tag, std::map<std::string, uint64_t>* out, bool keep_zero = false) {
    std::string prefix(1, static_cast<char>(tag));
    Scan(kCounters, prefix, [&](std::string_view key, std::string_view value) {
      uint64_t n = DecodeCounter(value);
      if (n != 0 || keep_zero) (*out)[std::string(key.substr(1))] = n;
      return true;
    });
  }

  bool ParseEvidence(std::string_view key, std::string_view value, Evidence* ev) {
    if (key.size() != kEvidencePrefixSize + 8 || !DecodeEvidenceFast(value, ev)) {
      Corrupt<Evidence>("evidence record");
      return false;
    }
    ev->on_node = key[0] == static_cast<char>(EvidenceKind::kNode);
    ev->edge_or_node = GetU64(key.data() + 1);
    ev->id = GetU64(key.data() + 9);
    return true;
  }

  std::vector<Evidence> EvidenceOf(EvidenceKind kind, uint64_t owner, size_t limit) {
    std::vector<Evidence> out;
    Scan(kEvidence, EvidencePrefix(kind, owner), [&](std::string_view key, std::string_view value) {
      Evidence ev;
      if (ParseEvidence(key, value, &ev)) out.push_back(std::move(ev));
      return limit == 0 || out.size() < limit;
    });
    return out;
  }

  std::optional<Document> DocByIndex(char tag, std::string_view text) {
    std::string value;
    if (!Get(kDocIndex, DocIndexKey(tag, text), &value)) return std::nullopt;
    if (value.size() != 8) return Corrupt<Document>("document index entry");
    return GetDocument(GetU64(value.data()));
  }

  Edge ToEdge(EdgeId id, EdgeRecord rec) {
    return Edge{id,
                std::string(store_->TypeName(rec.type_id)),
                rec.source,
                rec.target,
                std::move(rec.properties),
                Counter(OwnerCounterKey(CounterTag::kEdgeEvidence, id))};
  }

  rocksdb::DB* db() const { return instance_->db; }
  rocksdb::ColumnFamilyHandle* cf_handle(Cf c) const { return instance_->cf[c]; }

  StoreImpl* store_;
  std::shared_ptr<const DbInstance> instance_;
  const rocksdb::Snapshot* snapshot_;
  rocksdb::ReadOptions ro_;
  Status status_;
  // Scan's reused prefix iterators, by family (reset in the destructor before the snapshot).
  std::array<std::unique_ptr<rocksdb::Iterator>, kNumCfs> prefix_iters_;
  std::array<bool, kNumCfs> prefix_iter_busy_{};
};

}  // namespace

std::unique_ptr<ReadView> StoreImpl::NewReadView() {
  return std::make_unique<ReadViewImpl>(this);
}

}  // namespace kg::store::internal
