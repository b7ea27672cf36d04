#pragma once
// The in-place CBOR reader of the node and evidence records (values.cc writes them with
// nlohmann::json::to_cbor); record_readers.h wraps it with the general decoders' fallback.

#include <cstdint>
#include <string>
#include <string_view>
#include <vector>

#include <nlohmann/json.hpp>

#include "kg/store/graph_store.h"
#include "values.h"

namespace kg::store::internal {

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
  bool ReadAll(nlohmann::json* out) { return Read(out, 0) && p_ == end_; }

  // The whole input as one map with text keys, keeping only the entries named in `keys` (the
  // others are stepped over, not built). False when the input is not such a map or not
  // readable: callers then decode it whole.
  bool ReadObjectKeys(const std::vector<std::string>& keys, nlohmann::json* out);

  // ReadObjectKeys without building json for scalars: values[k] receives the entry named
  // keys[k] (kAbsent when there is none; the last one when repeated), lists and maps decoded
  // into scratch[k]. Same acceptance as ReadObjectKeys: false where it returns false.
  bool ReadObjectValues(const std::vector<std::string>& keys, ReadView::PropertyRef* values,
                        nlohmann::json* scratch);

  enum class NodeResult { kOk, kInvalid, kUnreadable };
  // A node record {"l": [labels], "p": {properties}, "w": {votes}} straight into `node`, without
  // building the outer map and the label strings as json. The votes are stepped over (readers
  // never weigh them; node->label_votes stays empty). kInvalid: what DecodeNode rejects
  // (nullopt); kUnreadable: the reader cannot tell (the caller falls back to DecodeNode).
  NodeResult ReadNode(NodeRecord* node);

  // Only the properties named in `keys` of a node record, into `props` (an object), without
  // building anything else. Same kOk / kInvalid / kUnreadable contract as ReadNode: kOk exactly
  // when ReadNode gives kOk, and then `props` holds what ReadNode's properties hold of `keys`.
  NodeResult ReadNodeProperties(const std::vector<std::string>& keys, nlohmann::json* props);

  // ReadNodeProperties without json: out[k] is the property keys[k] (kAbsent when the record
  // has none; a repeated name gives its last value, as the json object would), read in place
  // by ReadValue; a list or map goes into scratch[k]. Same kOk / kInvalid / kUnreadable
  // contract as ReadNodeProperties.
  NodeResult ReadNodeValues(const std::vector<std::string>& keys, ReadView::PropertyRef* out,
                            nlohmann::json* scratch);

 private:
  // Walks a node record (a map of "l": labels and "p": properties) and calls
  // read_wanted(k, name) with the reader at the value of each property named keys[k]; it must
  // read that value (false: unreadable). Skips everything else. kOk exactly when ReadNode gives
  // kOk; kInvalid for a well-formed record that is not a node; kUnreadable for what DecodeNode
  // must judge.
  template <typename ReadWanted>
  NodeResult WalkNodeRecord(const std::vector<std::string>& keys, ReadWanted&& read_wanted);

  // One map value (depth 1) as Read would decode it, scalars in place: a list or map goes
  // through Read into `scratch`.
  bool ReadValue(ReadView::PropertyRef* out, nlohmann::json* scratch);

  // Steps over one item that Read would accept, building nothing.
  bool Skip(int depth);

  // The argument of an item whose initial byte had `info`; inline for the one-byte case (small
  // counts, lengths and integers: most of a record), which every item of a record goes through.
  bool Arg(unsigned info, uint64_t* n) {
    if (info < 24) {
      *n = info;
      return true;
    }
    return LongArg(info, n);
  }
  bool LongArg(unsigned info, uint64_t* n);

  // The float of a major-7 item with `info` 25-27 (half, single, double), read after its
  // initial byte, as json::from_cbor decodes it.
  bool Float(unsigned info, double* v);

  // As Text, without copying: `out` points into the input.
  bool TextView(uint64_t len, std::string_view* out) {
    if (static_cast<uint64_t>(end_ - p_) < len) return false;
    *out = std::string_view(reinterpret_cast<const char*>(p_), len);
    p_ += len;
    return true;
  }

  bool Text(uint64_t len, std::string* out);

  bool Read(nlohmann::json* out, int depth);

  const unsigned char* p_;
  const unsigned char* end_;
};

}  // namespace kg::store::internal
