#pragma once
// Key and value encodings of every column family (docs/STORAGE.md has the byte diagrams).
// Ids are fixed 8-byte big-endian so byte order equals numeric order and all keys of one node
// are adjacent. Changing any layout here changes the on-disk format: bump kSchemaVersion.

#include <array>
#include <cstdint>
#include <optional>
#include <string>
#include <string_view>

namespace kg::store::internal {

// Column family names, in the order the store opens them. Persisted: never rename.
inline constexpr const char* kMetaCf = "meta";
inline constexpr const char* kNodesCf = "nodes";
inline constexpr const char* kEdgesCf = "edges";
inline constexpr const char* kOutAdjCf = "out_adj";
inline constexpr const char* kInAdjCf = "in_adj";
inline constexpr const char* kNamesCf = "names";
inline constexpr const char* kLabelsCf = "labels";
inline constexpr const char* kEvidenceCf = "evidence";
inline constexpr const char* kDocsCf = "docs";
inline constexpr const char* kDocIndexCf = "doc_index";
inline constexpr const char* kCountersCf = "counters";

// Meta keys.
inline constexpr std::string_view kSchemaKey = "schema_version";  // u32 big-endian
inline constexpr std::string_view kNextNodeKey = "next_node";      // u64 big-endian, each
inline constexpr std::string_view kNextEdgeKey = "next_edge";
inline constexpr std::string_view kNextDocKey = "next_doc";
inline constexpr std::string_view kNextEvidenceKey = "next_evidence";
inline constexpr std::string_view kNextTypeKey = "next_type";
inline constexpr std::string_view kTypeByNamePrefix = "type/";    // + name -> u32 type id
inline constexpr std::string_view kTypeByIdPrefix = "type_id/";   // + u32 -> name

// Evidence owner kinds: the first key byte of the evidence CF's single-record keys, which stores
// of schema <= 2 hold (one record per key). Persisted: do not renumber.
enum class EvidenceKind : char { kEdge = 'e', kNode = 'n' };
// The first key byte of the same owners' packs (schema 3, evidence_pack.h). Persisted.
inline constexpr char kEdgePackTag = 'E';
inline constexpr char kNodePackTag = 'N';
inline constexpr char PackTag(EvidenceKind kind) {
  return kind == EvidenceKind::kNode ? kNodePackTag : kEdgePackTag;
}
// The first schema version whose writers write evidence packs only (older stores' single-record
// keys stay and stay readable).
inline constexpr uint32_t kPackedEvidenceSchema = 3;
// Meta key written by the upgrade to schema 3: u64BE, the store's next evidence id then. Only
// stores that have it (or are older than schema 3) may hold single-record keys, all with ids
// below it; readers of a store without it skip the seek for them.
inline constexpr std::string_view kSinglesBelowKey = "evidence_singles_below";

// Counter keys (counters CF, values u64 little-endian, summed by the kg.U64Add merge operator).
// Persisted: do not renumber the tag bytes.
enum class CounterTag : char {
  kNodes = 'N',
  kEdges = 'E',
  kDocuments = 'D',
  kEvidence = 'V',
  kLabel = 'L',          // + label name: nodes having it
  kType = 'T',           // + type name: edges of that type
  kDegree = 'g',         // + node(8) + direction(1) + type id(4): edges of one type
  kTotalDegree = 'G',    // + node(8) + direction(1): edges of all types (TopByDegree scans these)
  kEdgeEvidence = 'v',   // + edge(8): evidence records of the edge
  kNodeEvidence = 'w',   // + node(8): evidence records of the node
  kMentions = 'm',       // + node(8): MentionLanes of the node's edges (schema 2)
};

// The first schema version whose stores keep the mention counters.
inline constexpr uint32_t kMentionsSchema = 2;

// A mention counter ('m' | node(8)) is one value of kMentionLanes u64 little-endian lanes,
// summed lane by lane by kg.U64Add, so that one key per node answers, for all types, the
// relationship count and evidence sum of the node in each direction (a self-loop counted once
// when undirected):
//   out:  kOutEdges,  kOutEvidence;   in: kInEdges, kInEvidence;
//   both: kOutEdges + kInEdges - kLoops,  kOutEvidence + kInEvidence - kLoopEvidence.
// Persisted: do not renumber.
enum MentionLane : size_t {
  kOutEdges = 0,      // edges the node is the source of
  kInEdges = 1,       // edges the node is the target of
  kLoops = 2,         // its self-loops (counted in both of the above)
  kOutEvidence = 3,   // evidence records of the edges it is the source of
  kInEvidence = 4,    // ... the target of
  kLoopEvidence = 5,  // ... of its self-loops
  kMentionLanes = 6,
};
using MentionLanes = std::array<uint64_t, kMentionLanes>;
inline constexpr uint32_t kAllTypes = 0;  // type ids start at 1; 0 = "all" in APIs

// Doc index tags.
inline constexpr char kDocHashTag = 'h';      // + content hash -> doc(8)
inline constexpr char kDocExternalTag = 'x';  // + external id -> doc(8)

inline constexpr size_t kAdjPrefixSize = 8;          // node id: the prefix extractor length
inline constexpr size_t kAdjKeySize = 8 + 4 + 8 + 8;  // node | type | other | edge
inline constexpr size_t kEvidencePrefixSize = 9;      // kind | owner

void PutU32(std::string* dst, uint32_t v);
void PutU64(std::string* dst, uint64_t v);
uint32_t GetU32(const char* p);
uint64_t GetU64(const char* p);
std::string U64Key(uint64_t v);
std::string U32Value(uint32_t v);

// Little-endian u64 for counter values.
std::string CounterValue(uint64_t v);
uint64_t DecodeCounter(std::string_view v);

void PutVarint64(std::string* dst, uint64_t v);
bool GetVarint64Long(std::string_view* in, uint64_t* v);
// Inline for one-byte values (below 128: most lengths, ids deltas and doc ids of a record),
// read several times per evidence record.
inline bool GetVarint64(std::string_view* in, uint64_t* v) {
  if (!in->empty() && static_cast<unsigned char>(in->front()) < 0x80) {
    *v = static_cast<unsigned char>(in->front());
    in->remove_prefix(1);
    return true;
  }
  return GetVarint64Long(in, v);
}
void PutLengthPrefixed(std::string* dst, std::string_view s);
inline bool GetLengthPrefixed(std::string_view* in, std::string_view* s) {
  uint64_t len = 0;
  if (!GetVarint64(in, &len) || len > in->size()) return false;
  *s = in->substr(0, len);
  in->remove_prefix(len);
  return true;
}

struct AdjKey {
  uint64_t node = 0;
  uint32_t type = 0;
  uint64_t other = 0;
  uint64_t edge = 0;
};
std::string EncodeAdjKey(const AdjKey& k);
std::optional<AdjKey> DecodeAdjKey(std::string_view key);
// Prefix of all adjacency keys of `node` (8 bytes), of `node`+`type` (12), +`other` (20).
std::string AdjPrefix(uint64_t node);
std::string AdjPrefix(uint64_t node, uint32_t type);
std::string AdjPrefix(uint64_t node, uint32_t type, uint64_t other);

// name/label index: text | 0x00 | node(8). `text` never contains 0x00 (NormalizeName and label
// names replace it).
std::string IndexKey(std::string_view text, uint64_t node);
// Splits an index key; nullopt when malformed.
std::optional<std::pair<std::string_view, uint64_t>> DecodeIndexKey(std::string_view key);

// Single-record keys (schema <= 2): kind | owner | evidence id.
std::string EvidenceKey(EvidenceKind kind, uint64_t owner, uint64_t evidence_id);
std::string EvidencePrefix(EvidenceKind kind, uint64_t owner);
// Pack keys (schema 3): PackTag(kind) | owner | id of the pack's first record.
std::string EvidencePackKey(EvidenceKind kind, uint64_t owner, uint64_t first_id);
std::string EvidencePackPrefix(EvidenceKind kind, uint64_t owner);

std::string CounterKey(CounterTag tag);
std::string CounterKey(CounterTag tag, std::string_view name);
std::string DegreeKey(uint64_t node, uint8_t direction, uint32_t type);
std::string DegreePrefix(uint64_t node);
// `type` == kAllTypes gives the total-degree key.
std::string TotalDegreeKey(uint64_t node, uint8_t direction);
std::string OwnerCounterKey(CounterTag tag, uint64_t id);
// 'm' | node(8).
std::string MentionKey(uint64_t node);
// Lanes as a counter value (negative deltas wrap, as CounterValue's do) and back; a value of
// another length than a multiple of 8 reads as zeros, missing lanes as zero.
std::string MentionValue(const MentionLanes& lanes);
MentionLanes DecodeMentions(std::string_view value);
// What kg.U64Add makes of two values: lane-by-lane sums (a plain counter is one lane).
std::string AddCounterValues(std::string_view a, std::string_view b);

std::string DocIndexKey(char tag, std::string_view text);

// The smallest key greater than every key starting with `prefix` ("" when none exists).
std::string PrefixSuccessor(std::string prefix);

}  // namespace kg::store::internal
