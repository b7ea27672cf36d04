#include "kg/store/csv_import.h"

#include <algorithm>
#include <array>
#include <atomic>
#include <charconv>
#include <cmath>
#include <cstdio>
#include <cstring>
#include <limits>
#include <functional>
#include <map>
#include <memory>
#include <mutex>
#include <system_error>
#include <thread>
#include <tuple>
#include <unordered_map>
#include <unordered_set>
#include <vector>

#include "import_values.h"
#include "key_format.h"
#include "kg/store/names.h"
#include "sst_ingest.h"
#include "store_impl.h"
#include "values.h"

namespace kg::store {
namespace {

// Streams RFC 4180 records: fields separated by ',', a field wrapped in '"' may hold ',', '"'
// (doubled) and newlines. Accepts \n and \r\n line ends. Tracks the line a record starts on.
class CsvReader {
 public:
  static Result<std::unique_ptr<CsvReader>> Open(const std::string& path) {
    FILE* f = std::fopen(path.c_str(), "rb");
    if (f == nullptr) return Status::NotFound("cannot open " + path);
    return std::unique_ptr<CsvReader>(new CsvReader(path, f));
  }
  ~CsvReader() { std::fclose(file_); }

  // Reads the next record into `fields`; false at end of file. On malformed input sets `error`.
  bool Next(std::vector<std::string>* fields, Status* error) {
    fields->clear();
    int c = Get();
    if (c == EOF) return false;
    record_line_ = line_;
    std::string field;
    bool quoted = false, after_quote = false;
    while (true) {
      if (quoted) {
        if (c == EOF) {
          *error = Err(record_line_, "unterminated quoted field");
          return false;
        }
        if (c == '"') {
          int next = Get();
          if (next == '"') {
            field.push_back('"');
          } else {
            quoted = false;
            after_quote = true;
            c = next;
            continue;
          }
        } else {
          if (c == '\n') ++line_;
          field.push_back(static_cast<char>(c));
        }
      } else if (c == ',') {
        fields->push_back(std::move(field));
        field.clear();
        after_quote = false;
      } else if (c == '\n' || c == EOF) {
        ++line_;
        fields->push_back(std::move(field));
        return true;
      } else if (c == '\r') {
        int next = Get();
        if (next != '\n') {
          *error = Err(record_line_, "stray carriage return");
          return false;
        }
        c = next;
        continue;
      } else if (c == '"' && field.empty() && !after_quote) {
        quoted = true;
      } else if (after_quote) {
        *error = Err(record_line_, "text after a closing quote");
        return false;
      } else if (c == '"') {
        *error = Err(record_line_, "a quote inside an unquoted field");
        return false;
      } else {
        field.push_back(static_cast<char>(c));
      }
      c = Get();
    }
  }

  Status Err(uint64_t line, const std::string& what) const {
    return Status::ParseError(path_ + ":" + std::to_string(line) + ": " + what);
  }
  uint64_t record_line() const { return record_line_; }
  const std::string& path() const { return path_; }

 private:
  CsvReader(std::string path, FILE* f) : path_(std::move(path)), file_(f) {
    buffer_.resize(1 << 20);
  }
  int Get() {
    if (pos_ == len_) {
      len_ = std::fread(buffer_.data(), 1, buffer_.size(), file_);
      pos_ = 0;
      if (len_ == 0) return EOF;
    }
    return static_cast<unsigned char>(buffer_[pos_++]);
  }

  std::string path_;
  FILE* file_;
  std::vector<char> buffer_;
  size_t pos_ = 0, len_ = 0;
  uint64_t line_ = 1, record_line_ = 1;
};

// Maps header names to positions; ParseError naming the file when a column is missing.
Result<std::vector<size_t>> Columns(CsvReader& reader, const std::vector<std::string>& wanted) {
  std::vector<std::string> header;
  Status error;
  if (!reader.Next(&header, &error)) {
    return error.ok() ? reader.Err(1, "empty file (expected a header row)") : error;
  }
  if (!header.empty() && header[0].starts_with("\xEF\xBB\xBF")) header[0].erase(0, 3);
  std::vector<size_t> positions;
  for (const auto& name : wanted) {
    size_t pos = 0;
    while (pos < header.size() && header[pos] != name) ++pos;
    if (pos == header.size()) return reader.Err(1, "missing column '" + name + "'");
    positions.push_back(pos);
  }
  return positions;
}

template <typename T>
bool ParseNumber(const std::string& s, T* out) {
  auto r = std::from_chars(s.data(), s.data() + s.size(), *out);
  return r.ec == std::errc() && r.ptr == s.data() + s.size();
}


struct EdgeKey {
  NodeId src;
  NodeId dst;
  std::string type;
  bool operator==(const EdgeKey& o) const {
    return src == o.src && dst == o.dst && type == o.type;
  }
};
struct EdgeKeyHash {
  size_t operator()(const EdgeKey& k) const {
    return std::hash<uint64_t>()(k.src * 0x9E3779B97F4A7C15ull ^ k.dst) ^
           std::hash<std::string>()(k.type);
  }
};

namespace in = internal;

struct BulkEdgeKey {
  NodeId src;
  NodeId dst;
  uint32_t type;
  bool operator==(const BulkEdgeKey& o) const {
    return src == o.src && dst == o.dst && type == o.type;
  }
};
struct BulkEdgeKeyHash {
  size_t operator()(const BulkEdgeKey& k) const {
    uint64_t h = k.src * 0x9E3779B97F4A7C15ull;
    h ^= (k.dst + 0x632BE59BD9B4E019ull + (h << 6) + (h >> 2));
    h ^= (k.type * 0xC2B2AE3D27D4EB4Full + (h << 6) + (h >> 2));
    h ^= h >> 33;  // murmur3 finalizer: the table masks the low bits
    h *= 0xFF51AFD7ED558CCDull;
    h ^= h >> 33;
    return static_cast<size_t>(h);
  }
};

// An edge of the bulk import, 12 bytes (the import needs fewer than 2^32 nodes and edges:
// BulkImport leaves bigger ones to the batch path). Edge id = position + 1.
struct EdgeRec {
  uint32_t src, dst, type;
};

// (src, dst, type) -> edge id, open addressing: the bulk import asks it once per CSV row, and a
// node-based map spent most of its time in cache misses. A slot is 8 bytes: the edge id (low 32
// bits, 0 = empty) and the high half of the key's hash; the key itself is read from `edges`
// only when the hash halves agree (a 32-byte slot holding the key took 64 MB at 1M rows).
class EdgeIdTable {
 public:
  explicit EdgeIdTable(const std::vector<EdgeRec>& edges) : edges_(edges) {}

  // Returns the id of the key, or `id` after inserting it when the key is new (`*inserted` says
  // which); the caller then appends the key to `edges` as edge `id`.
  EdgeId FindOrInsert(const BulkEdgeKey& key, uint32_t id, bool* inserted) {
    if ((size_ + 1) * 2 > slots_.size()) Grow();
    uint64_t hash = BulkEdgeKeyHash()(key);
    uint64_t tag = hash & ~uint64_t{0xFFFFFFFF};
    size_t mask = slots_.size() - 1;
    for (size_t i = hash & mask;; i = (i + 1) & mask) {
      uint64_t& slot = slots_[i];
      if (slot == 0) {
        slot = tag | id;
        ++size_;
        *inserted = true;
        return id;
      }
      if ((slot & ~uint64_t{0xFFFFFFFF}) == tag) {
        auto other = static_cast<uint32_t>(slot);
        const EdgeRec& e = edges_[other - 1];
        if (e.src == key.src && e.dst == key.dst && e.type == key.type) {
          *inserted = false;
          return other;
        }
      }
    }
  }

 private:
  void Grow() {
    std::vector<uint64_t> old = std::move(slots_);
    slots_.assign(std::max<size_t>(1024, old.size() * 2), 0);
    size_t mask = slots_.size() - 1;
    for (uint64_t slot : old) {
      if (slot == 0) continue;
      const EdgeRec& e = edges_[static_cast<uint32_t>(slot) - 1];
      size_t i = BulkEdgeKeyHash()(BulkEdgeKey{e.src, e.dst, e.type}) & mask;
      while (slots_[i] != 0) i = (i + 1) & mask;
      slots_[i] = slot;
    }
  }
  const std::vector<EdgeRec>& edges_;
  std::vector<uint64_t> slots_;
  size_t size_ = 0;
};

void PutVarint(std::string* out, uint64_t v) {
  while (v >= 0x80) {
    out->push_back(static_cast<char>(v | 0x80));
    v >>= 7;
  }
  out->push_back(static_cast<char>(v));
}

uint64_t GetVarint(const std::string& in, size_t* pos) {
  uint64_t v = 0;
  for (int shift = 0;; shift += 7) {
    auto b = static_cast<unsigned char>(in[(*pos)++]);
    v |= static_cast<uint64_t>(b & 0x7F) << shift;
    if (b < 0x80) return v;
  }
}

// Appends to 1 MB chunks that are never reallocated (a growing string or vector holds its old
// and its new buffer at once while it doubles); an entry never spans two chunks.
class ChunkedBytes {
 public:
  // The chunk `need` more bytes go to, and the position they will start at.
  std::string& Reserve(size_t need, size_t* chunk, size_t* offset) {
    if (chunks_.empty() || chunks_.back().capacity() - chunks_.back().size() < need) {
      chunks_.emplace_back();
      chunks_.back().reserve(std::max(kChunk, need));
    }
    *chunk = chunks_.size() - 1;
    *offset = chunks_.back().size();
    return chunks_.back();
  }
  const std::string& chunk(size_t i) const { return chunks_[i]; }
  void Clear() { std::vector<std::string>().swap(chunks_); }

 private:
  static constexpr size_t kChunk = 1 << 20;
  std::vector<std::string> chunks_;
};

// The rows of nodes.csv: name and normalised name in chunks, the label as an index into the
// distinct labels (three std::strings a node took 96 bytes, 25 MB at 200k nodes).
class NodeTable {
 public:
  void Add(std::string_view name, std::string_view label, std::string_view norm) {
    size_t chunk = 0, offset = 0;
    std::string& c = bytes_.Reserve(20 + name.size() + norm.size(), &chunk, &offset);
    starts_.push_back(static_cast<uint64_t>(chunk) << 32 | offset);
    PutVarint(&c, name.size());
    c.append(name);
    PutVarint(&c, norm.size());
    c.append(norm);
    auto it = label_ids_.find(label);
    if (it == label_ids_.end()) {
      it = label_ids_.emplace(std::string(label), static_cast<uint32_t>(label_names_.size()))
               .first;
      label_names_.push_back(std::string(label));
    }
    labels_.push_back(it->second);
    ++size_;
  }
  // Rows so far (also after Release).
  size_t size() const { return size_; }
  std::string_view name(size_t i) const { return Text(i, false); }
  std::string_view norm(size_t i) const { return Text(i, true); }
  std::string_view label(size_t i) const { return label_names_[labels_[i]]; }
  uint32_t label_id(size_t i) const { return labels_[i]; }
  const std::vector<std::string>& label_names() const { return label_names_; }
  // Frees the rows once their files are written; size() and label_names() stay.
  void Release() {
    bytes_.Clear();
    std::vector<uint64_t>().swap(starts_);
    std::vector<uint32_t>().swap(labels_);
  }

 private:
  std::string_view Text(size_t i, bool norm) const {
    const std::string& c = bytes_.chunk(starts_[i] >> 32);
    size_t pos = starts_[i] & 0xFFFFFFFF;
    uint64_t len = GetVarint(c, &pos);
    if (norm) {
      pos += len;
      len = GetVarint(c, &pos);
    }
    return std::string_view(c).substr(pos, len);
  }
  ChunkedBytes bytes_;
  std::vector<uint64_t> starts_;  // chunk << 32 | offset
  std::vector<uint32_t> labels_;
  std::vector<std::string> label_names_;
  std::map<std::string, uint32_t, std::less<>> label_ids_;
  size_t size_ = 0;
};

// CSV node id -> node id (32 bits, 0 = none), open addressing in one array: a node-based
// unordered_map left megabytes of small freed blocks that the allocator kept for the rest of
// the import.
class CsvIdTable {
 public:
  // False when the key is there already.
  bool Insert(int64_t key, uint32_t value) {
    if ((size_ + 1) * 2 > slots_.size()) Grow();
    Slot& slot = Locate(key);
    if (slot.value != 0) return false;
    slot = Slot{key, value};
    ++size_;
    return true;
  }
  uint32_t Find(int64_t key) const {
    if (slots_.empty()) return 0;
    size_t mask = slots_.size() - 1;
    for (size_t i = Hash(key) & mask;; i = (i + 1) & mask) {
      if (slots_[i].value == 0 || slots_[i].key == key) return slots_[i].value;
    }
  }
  size_t size() const { return size_; }
  template <typename Fn>
  void ForEach(Fn fn) const {
    for (const auto& slot : slots_) {
      if (slot.value != 0) fn(slot.key, slot.value);
    }
  }
  void Clear() {
    std::vector<Slot>().swap(slots_);
    size_ = 0;
  }

 private:
  struct Slot {
    int64_t key = 0;
    uint32_t value = 0;
  };
  static size_t Hash(int64_t key) {
    uint64_t h = static_cast<uint64_t>(key) * 0x9E3779B97F4A7C15ull;
    return static_cast<size_t>(h ^ (h >> 32));
  }
  Slot& Locate(int64_t key) {
    size_t mask = slots_.size() - 1;
    for (size_t i = Hash(key) & mask;; i = (i + 1) & mask) {
      if (slots_[i].value == 0 || slots_[i].key == key) return slots_[i];
    }
  }
  void Grow() {
    std::vector<Slot> old = std::move(slots_);
    slots_.assign(std::max<size_t>(1024, old.size() * 2), Slot{});
    for (const auto& slot : old) {
      if (slot.value != 0) Locate(slot.key) = slot;
    }
  }
  std::vector<Slot> slots_;
  size_t size_ = 0;
};

// The set of the normalised names of a NodeTable's rows, to find two that are equal: slots hold
// the row + 1 and the high half of the text's hash, open addressing in one array.
class NormSet {
 public:
  explicit NormSet(const NodeTable& nodes) : nodes_(nodes) {}
  // Adds row `row` of the table; false when an earlier row has the same normalised name.
  bool Insert(size_t row) {
    if ((size_ + 1) * 2 > slots_.size()) Grow();
    std::string_view text = nodes_.norm(row);
    uint64_t hash = std::hash<std::string_view>()(text);
    uint64_t tag = hash & ~uint64_t{0xFFFFFFFF};
    size_t mask = slots_.size() - 1;
    for (size_t i = hash & mask;; i = (i + 1) & mask) {
      uint64_t& slot = slots_[i];
      if (slot == 0) {
        slot = tag | (row + 1);
        ++size_;
        return true;
      }
      if ((slot & ~uint64_t{0xFFFFFFFF}) == tag &&
          nodes_.norm(static_cast<uint32_t>(slot) - 1) == text) {
        return false;
      }
    }
  }

 private:
  void Grow() {
    std::vector<uint64_t> old = std::move(slots_);
    slots_.assign(std::max<size_t>(1024, old.size() * 2), 0);
    size_t mask = slots_.size() - 1;
    for (uint64_t slot : old) {
      if (slot == 0) continue;
      std::string_view text = nodes_.norm(static_cast<uint32_t>(slot) - 1);
      size_t i = std::hash<std::string_view>()(text) & mask;
      while (slots_[i] != 0) i = (i + 1) & mask;
      slots_[i] = slot;
    }
  }
  const NodeTable& nodes_;
  std::vector<uint64_t> slots_;
  size_t size_ = 0;
};

// The evidence rows of an import in a compact form (doc_id, weight, polarity), each encoded
// into its full record only when its file is written: the records share ~50 constant bytes, so
// keeping them encoded took 68 bytes a row and, through the buffer's doubling, up to twice that.
// Rows are appended to 1 MB chunks (no reallocation of what is there), a row never spans two
// chunks, and every 16th row's position is kept: Get(i) steps over at most 15 rows.
class EvidenceRows {
 public:
  void Add(std::string_view doc_id, double weight, int64_t polarity) {
    size_t chunk = 0, offset = 0;
    std::string& c = bytes_.Reserve(10 + doc_id.size() + 8 + 10, &chunk, &offset);
    if (count_ % kStride == 0) marks_.push_back(Position{chunk, offset});
    PutVarint(&c, doc_id.size());
    c.append(doc_id);
    uint64_t bits = 0;
    std::memcpy(&bits, &weight, sizeof(bits));
    c.append(reinterpret_cast<const char*>(&bits), sizeof(bits));
    PutVarint(&c, (static_cast<uint64_t>(polarity) << 1) ^ static_cast<uint64_t>(polarity >> 63));
    ++count_;
  }
  size_t size() const { return count_; }

  // The encoded evidence record of row i (in::AppendImportEvidence), in `*scratch`.
  std::string_view Get(size_t i, std::string* scratch) const {
    Position at = marks_[i / kStride];
    std::string_view doc;
    double weight = 0;
    int64_t polarity = 0;
    for (size_t k = i % kStride;; --k) {
      if (at.offset == bytes_.chunk(at.chunk).size()) at = Position{at.chunk + 1, 0};
      const std::string& c = bytes_.chunk(at.chunk);
      size_t pos = at.offset;
      uint64_t len = GetVarint(c, &pos);
      doc = std::string_view(c).substr(pos, len);
      pos += len;
      uint64_t bits = 0;
      std::memcpy(&bits, c.data() + pos, sizeof(bits));
      std::memcpy(&weight, &bits, sizeof(weight));
      pos += sizeof(bits);
      uint64_t zigzag = GetVarint(c, &pos);
      polarity = static_cast<int64_t>(zigzag >> 1) ^ -static_cast<int64_t>(zigzag & 1);
      at.offset = pos;
      if (k == 0) break;
    }
    scratch->clear();
    in::AppendImportEvidence(scratch, doc, weight, polarity);
    return *scratch;
  }
  // Frees the rows once their file is written.
  void Release() {
    bytes_.Clear();
    std::vector<Position>().swap(marks_);
  }

 private:
  static constexpr size_t kStride = 16;
  struct Position {
    size_t chunk, offset;
  };
  ChunkedBytes bytes_;
  std::vector<Position> marks_;  // of rows 0, kStride, 2 kStride, ...
  size_t count_ = 0;
};

using FileTask = std::pair<in::Cf, std::function<Status(in::SstIngest::File&)>>;

Result<std::vector<in::SstIngest::File*>> AddFiles(in::SstIngest& sst,
                                                   const std::vector<FileTask>& tasks) {
  std::vector<in::SstIngest::File*> files;
  for (const auto& [cf, task] : tasks) {
    auto file = sst.Add(cf);
    if (!file) return file.error();
    files.push_back(*file);
  }
  return files;
}

// Runs tasks[i] on files[i] and finishes it, on `threads` threads (the caller's included), in
// the order given; each task reads only what the import computed before. The first error wins.
Status FillFiles(const std::vector<FileTask>& tasks,
                 const std::vector<in::SstIngest::File*>& files, size_t threads) {
  std::atomic<size_t> next{0};
  std::atomic<bool> failed{false};
  std::mutex error_mu;
  Status first_error;
  auto worker = [&] {
    for (size_t i; !failed && (i = next++) < tasks.size();) {
      Status s;
      try {
        s = tasks[i].second(*files[i]);
        if (s.ok()) s = files[i]->Finish();
      } catch (const std::exception& e) {  // std::bad_alloc from a sort buffer
        s = Status::Internal(std::string("bulk import: ") + e.what());
      }
      if (!s.ok()) {
        std::lock_guard<std::mutex> lock(error_mu);
        if (!failed) first_error = s;
        failed = true;
      }
    }
  };
  std::vector<std::thread> pool;
  try {
    for (size_t t = 1; t < threads; ++t) pool.emplace_back(worker);
  } catch (const std::system_error&) {  // no thread to be had: fewer helpers
  }
  worker();
  for (auto& t : pool) t.join();
  return first_error;
}

// Creates each task's file, then fills them on up to four threads.
Status WriteFiles(in::SstIngest& sst, const std::vector<FileTask>& tasks) {
  auto files = AddFiles(sst, tasks);
  if (!files) return files.error();
  return FillFiles(tasks, *files, std::clamp<size_t>(std::thread::hardware_concurrency(), 1, 4));
}

// Files written on a thread of their own while the caller goes on (the nodes' files while the
// edges are parsed). Declared after the SstIngest, so it is joined before the files are removed.
class BackgroundFiles {
 public:
  BackgroundFiles(in::SstIngest& sst, std::vector<FileTask> tasks) : tasks_(std::move(tasks)) {
    auto files = AddFiles(sst, tasks_);
    if (!files) {
      status_ = files.error();
      return;
    }
    files_ = std::move(*files);
    try {
      thread_ = std::thread([this] { status_ = FillFiles(tasks_, files_, 1); });
    } catch (const std::system_error&) {
      status_ = FillFiles(tasks_, files_, 1);
    }
  }
  ~BackgroundFiles() { (void)Wait(); }  // an early return: the status no longer matters
  BackgroundFiles(const BackgroundFiles&) = delete;
  BackgroundFiles& operator=(const BackgroundFiles&) = delete;

  Status Wait() {
    if (thread_.joinable()) thread_.join();
    return status_;
  }

 private:
  std::vector<FileTask> tasks_;
  std::vector<in::SstIngest::File*> files_;
  Status status_;
  std::thread thread_;
};

// strtod's answer, through the faster std::from_chars when it reads the whole field as a
// finite decimal number (both round correctly, so they agree there); strtod for the rest
// (a leading '+' or spaces, hex floats, nan, inf, out of range).
bool ParseDouble(const std::string& s, double* out) {
  if (s.empty()) return false;
  if ((s[0] >= '0' && s[0] <= '9') || s[0] == '-' || s[0] == '.') {
    double v = 0;
    auto r = std::from_chars(s.data(), s.data() + s.size(), v);
    if (r.ec == std::errc() && r.ptr == s.data() + s.size() && std::isfinite(v)) {
      *out = v;
      return true;
    }
  }
  char* end = nullptr;
  *out = std::strtod(s.c_str(), &end);
  return end == s.c_str() + s.size();
}

// The import into a store nothing was ever written to: every id, key and counter is computed in
// memory in the order ImportCsv's batches would allocate them, then written as sorted SST files
// ingested in one atomic step (no memtable, no WAL, no read-modify-write, no per-row reads). The
// store ends up with exactly what the batch path writes (counters as plain values instead of
// merge operands). nullopt: not applicable (store not fresh, or two node names normalise to the
// same text, which the batch path resolves by merging): nothing was read or written.
std::optional<Result<CsvImportSummary>> BulkImport(in::StoreImpl& store,
                                                   const std::string& nodes_path,
                                                   const std::string& edges_path,
                                                   const CsvImportOptions& options) {
  if (store.read_only()) return std::nullopt;
  std::unique_lock<std::mutex> lock(store.writer_mu_);
  if (store.next_node_ != 1 || store.next_edge_ != 1 || store.next_doc_ != 1 ||
      store.next_evidence_ != 1 || store.next_type_ != 1) {
    return std::nullopt;
  }
  auto nodes_reader = CsvReader::Open(nodes_path);
  if (!nodes_reader) return Result<CsvImportSummary>(nodes_reader.error());
  auto edges_reader = CsvReader::Open(edges_path);
  if (!edges_reader) return Result<CsvImportSummary>(edges_reader.error());
  CsvImportSummary summary;
  summary.bulk = true;
  const size_t batch_rows = std::max<size_t>(options.batch_rows, 1);
  using R = Result<CsvImportSummary>;

  // ---- nodes: id i+1 for row i
  NodeTable node_rows;
  CsvIdTable node_ids;
  {
    auto& reader = **nodes_reader;
    auto cols = Columns(reader, {"id", "name", "type"});
    if (!cols) return R(cols.error());
    NormSet norms(node_rows);
    const std::string kOther = "Other";
    std::vector<std::string> row;
    Status error;
    while (reader.Next(&row, &error)) {
      if (row.size() == 1 && row[0].empty()) continue;
      for (size_t c : *cols) {
        if (c >= row.size()) return R(reader.Err(reader.record_line(), "too few fields"));
      }
      int64_t csv_id = 0;
      if (!ParseNumber(row[(*cols)[0]], &csv_id)) {
        return R(reader.Err(reader.record_line(),
                            "id '" + row[(*cols)[0]] + "' is not an integer"));
      }
      if (node_ids.Find(csv_id) != 0) {
        return R(reader.Err(reader.record_line(), "duplicate id " + std::to_string(csv_id)));
      }
      const std::string& name = row[(*cols)[1]];
      const std::string& label = row[(*cols)[2]].empty() ? kOther : row[(*cols)[2]];
      std::string norm = NormalizeName(name);
      if (norm.empty()) {
        return R(reader.Err(reader.record_line(), "an entity needs a non-empty name"));
      }
      if (node_rows.size() >= std::numeric_limits<uint32_t>::max() - 1) return std::nullopt;
      node_rows.Add(name, label, norm);
      if (!norms.Insert(node_rows.size() - 1)) return std::nullopt;  // would merge: batch path
      node_ids.Insert(csv_id, static_cast<uint32_t>(node_rows.size()));
      ++summary.node_rows;
      ++summary.nodes_created;
    }
    KG_RETURN_IF_ERROR(error);
    if (options.progress) options.progress("nodes", summary.node_rows);
  }

  // ---- one SST file per column family, each a sorted run. Those of the nodes first, on a
  // thread of their own while the edges are parsed.
  in::SstIngest sst(&store);
  auto u64 = [](uint64_t v) { return in::U64Key(v); };
  std::vector<FileTask> node_tasks;
  node_tasks.emplace_back(in::kNodes, [&](in::SstIngest::File& f) {
    for (size_t i = 0; i < node_rows.size(); ++i) {
      KG_RETURN_IF_ERROR(
          f.Put(u64(i + 1), in::EncodeImportNode(node_rows.name(i), node_rows.label(i))));
    }
    return Status::Ok();
  });
  for (in::Cf cf : {in::kNames, in::kLabels}) {
    // text | 0x00 | node, sorted by (text, node) = bytewise key order
    node_tasks.emplace_back(cf, [&, cf](in::SstIngest::File& f) {
      std::vector<std::pair<std::string_view, NodeId>> entries;
      entries.reserve(node_rows.size());
      for (size_t i = 0; i < node_rows.size(); ++i) {
        entries.emplace_back(cf == in::kNames ? node_rows.norm(i) : node_rows.label(i), i + 1);
      }
      std::sort(entries.begin(), entries.end());
      for (const auto& [text, id] : entries) KG_RETURN_IF_ERROR(f.Put(in::IndexKey(text, id), {}));
      return Status::Ok();
    });
  }
  BackgroundFiles node_files(sst, std::move(node_tasks));

  // ---- edges: edge ids in order of first mention, evidence id = mention row
  std::vector<EdgeRec> edges;             // edge id - 1
  std::vector<uint32_t> evidence_edge;    // evidence id - 1 -> edge
  EvidenceRows evidence_rows;             // evidence id - 1 -> its row
  std::map<std::string, uint32_t, std::less<>> types;
  std::vector<std::string> type_names(1);  // type id -> name
  {
    auto& reader = **edges_reader;
    auto cols = Columns(reader, {"src", "dst", "type", "polarity", "weight", "doc_id"});
    if (!cols) return R(cols.error());
    EdgeIdTable edge_ids(edges);
    std::vector<std::string> row;
    Status error;
    // CSV ids are usually dense from 0: then a vector replaces the hash map.
    std::vector<NodeId> dense_ids;
    int64_t max_id = -1;
    bool dense = true;
    node_ids.ForEach([&](int64_t csv_id, uint32_t) {
      dense = dense && csv_id >= 0;
      max_id = std::max(max_id, csv_id);
    });
    if (dense && max_id < static_cast<int64_t>(4 * node_ids.size() + 1024)) {
      dense_ids.assign(max_id + 1, kNoId);
      node_ids.ForEach([&](int64_t csv_id, uint32_t id) { dense_ids[csv_id] = id; });
      node_ids.Clear();  // every id is in dense_ids
    }
    auto node_of = [&](const std::string& field, NodeId* out) -> Status {
      int64_t csv_id = 0;
      if (!ParseNumber(field, &csv_id)) {
        return reader.Err(reader.record_line(), "node id '" + field + "' is not an integer");
      }
      if (!dense_ids.empty() && csv_id >= 0 && csv_id < static_cast<int64_t>(dense_ids.size()) &&
          dense_ids[csv_id] != kNoId) {
        *out = dense_ids[csv_id];
        return Status::Ok();
      }
      uint32_t id = node_ids.Find(csv_id);
      if (id == 0) {
        return reader.Err(reader.record_line(), "unknown node id " + field + " (not in " +
                                                    nodes_path + ")");
      }
      *out = id;
      return Status::Ok();
    };
    // The type of the previous row: rows often repeat it, and a map look-up per row costs.
    uint32_t last_type = 0;
    std::string last_type_name;
    while (reader.Next(&row, &error)) {
      if (row.size() == 1 && row[0].empty()) continue;
      for (size_t c : *cols) {
        if (c >= row.size()) return R(reader.Err(reader.record_line(), "too few fields"));
      }
      NodeId src = kNoId, dst = kNoId;
      KG_RETURN_IF_ERROR(node_of(row[(*cols)[0]], &src));
      KG_RETURN_IF_ERROR(node_of(row[(*cols)[1]], &dst));
      const auto& type = row[(*cols)[2]];
      if (type.empty()) return R(reader.Err(reader.record_line(), "empty relationship type"));
      int64_t polarity = 0;
      if (!ParseNumber(row[(*cols)[3]], &polarity)) {
        return R(reader.Err(reader.record_line(),
                            "polarity '" + row[(*cols)[3]] + "' is not an integer"));
      }
      double weight = 0;
      if (!ParseDouble(row[(*cols)[4]], &weight)) {
        return R(reader.Err(reader.record_line(),
                            "weight '" + row[(*cols)[4]] + "' is not a number"));
      }
      if (last_type == 0 || type != last_type_name) {
        auto type_it = types.find(type);
        if (type_it == types.end()) {
          type_it = types.emplace(type, static_cast<uint32_t>(type_names.size())).first;
          type_names.push_back(type);
        }
        last_type = type_it->second;
        last_type_name = type;
      }
      if (edges.size() >= std::numeric_limits<uint32_t>::max() - 1 ||
          evidence_edge.size() >= std::numeric_limits<uint32_t>::max()) {
        return std::nullopt;  // more than the compact tables hold: the batch path
      }
      bool created = false;
      EdgeId edge = edge_ids.FindOrInsert(BulkEdgeKey{src, dst, last_type},
                                          static_cast<uint32_t>(edges.size() + 1), &created);
      if (created) {
        edges.push_back({static_cast<uint32_t>(src), static_cast<uint32_t>(dst), last_type});
        ++summary.edges_created;
      } else {
        ++summary.edges_merged;
      }
      evidence_edge.push_back(static_cast<uint32_t>(edge));
      evidence_rows.Add(row[(*cols)[5]], weight, polarity);
      ++summary.evidence;
      if (++summary.edge_rows % batch_rows == 0 && options.progress) {
        options.progress("edges", summary.edge_rows);
      }
    }
    KG_RETURN_IF_ERROR(error);
    if (options.progress) options.progress("edges", summary.edge_rows);
  }
  node_ids.Clear();

  // ---- what more than one file needs, computed before the files are written in parallel
  std::map<std::string, uint64_t> label_counts;
  {
    std::vector<uint64_t> per_label(node_rows.label_names().size(), 0);
    for (size_t i = 0; i < node_rows.size(); ++i) ++per_label[node_rows.label_id(i)];
    for (size_t l = 0; l < per_label.size(); ++l) {
      label_counts[node_rows.label_names()[l]] = per_label[l];
    }
  }
  // evidence of edge e: positions per_edge[e] .. per_edge[e + 1] - 1 of the grouped order
  std::vector<uint32_t> per_edge(edges.size() + 2, 0);  // < 2^32 rows (see above)
  for (EdgeId e : evidence_edge) ++per_edge[e + 1];
  for (size_t i = 1; i < per_edge.size(); ++i) per_edge[i] += per_edge[i - 1];
  uint64_t next_node = node_rows.size() + 1, next_edge = edges.size() + 1;
  uint64_t next_evidence = evidence_edge.size() + 1;
  auto next_type = static_cast<uint32_t>(type_names.size());

  // The nodes' files were written while the edges were parsed: their rows can go.
  KG_RETURN_IF_ERROR(node_files.Wait());
  node_rows.Release();

  // ---- the other SST files, written by a few threads at once
  std::vector<FileTask> tasks;
  // Largest first, so that the threads end together.
  for (int dir = 0; dir < 2; ++dir) {  // adjacency both ways: (node, type, other, edge)
    tasks.emplace_back(dir == 0 ? in::kOutAdj : in::kInAdj, [&, dir](in::SstIngest::File& f) {
      // Edge positions grouped by node with a counting sort (4 bytes an edge; a sorted vector of
      // 32-byte keys took 24 MB per direction at 1M rows), then each node's group sorted by
      // (type, other node); positions rise within a group, and so do edge ids.
      auto node_of = [&, dir](uint32_t i) { return dir == 0 ? edges[i].src : edges[i].dst; };
      auto other_of = [&, dir](uint32_t i) { return dir == 0 ? edges[i].dst : edges[i].src; };
      std::vector<uint32_t> start(next_node + 1, 0);
      for (uint32_t i = 0; i < edges.size(); ++i) ++start[node_of(i) + 1];
      for (size_t n = 1; n < start.size(); ++n) start[n] += start[n - 1];
      std::vector<uint32_t> order(edges.size());
      {
        std::vector<uint32_t> next(start.begin(), start.end() - 1);
        for (uint32_t i = 0; i < edges.size(); ++i) order[next[node_of(i)]++] = i;
      }
      for (size_t node = 1; node < next_node; ++node) {
        auto first = order.begin() + start[node], last = order.begin() + start[node + 1];
        std::sort(first, last, [&](uint32_t a, uint32_t b) {
          return std::make_tuple(edges[a].type, other_of(a), a) <
                 std::make_tuple(edges[b].type, other_of(b), b);
        });
        for (auto it = first; it != last; ++it) {
          KG_RETURN_IF_ERROR(f.Put(
              in::EncodeAdjKey(in::AdjKey{node, edges[*it].type, other_of(*it), EdgeId{*it} + 1}),
              {}));
        }
      }
      return Status::Ok();
    });
  }
  tasks.emplace_back(in::kEvidence, [&](in::SstIngest::File& f) {
    // 'e' | edge | evidence id, grouped by edge with a counting sort
    std::vector<uint32_t> order(evidence_edge.size());
    {
      std::vector<uint32_t> next(per_edge.begin(), per_edge.end());
      for (size_t i = 0; i < evidence_edge.size(); ++i) {
        order[next[evidence_edge[i]]++] = static_cast<uint32_t>(i);
      }
    }
    std::string value;
    for (uint64_t i : order) {
      KG_RETURN_IF_ERROR(f.Put(in::EvidenceKey(in::EvidenceKind::kEdge, evidence_edge[i], i + 1),
                               evidence_rows.Get(i, &value)));
    }
    evidence_rows.Release();  // read by no other file
    return Status::Ok();
  });
  tasks.emplace_back(in::kCounters, [&](in::SstIngest::File& f) {  // tag order: E G L N T V g m v
    std::vector<std::tuple<NodeId, uint8_t, uint32_t>> ends;
    ends.reserve(edges.size() * 2);
    std::vector<uint64_t> type_counts(type_names.size(), 0);
    for (const auto& e : edges) {
      ends.emplace_back(e.src, 0, e.type);
      ends.emplace_back(e.dst, 1, e.type);
      ++type_counts[e.type];
    }
    std::sort(ends.begin(), ends.end());
    auto put = [&](const std::string& key, uint64_t n) -> Status {
      if (n == 0) return Status::Ok();
      return f.Put(key, in::CounterValue(n));
    };
    using in::CounterTag;
    KG_RETURN_IF_ERROR(put(in::CounterKey(CounterTag::kEdges), edges.size()));
    for (size_t i = 0; i < ends.size();) {  // G: node | direction
      size_t j = i;
      while (j < ends.size() && std::get<0>(ends[j]) == std::get<0>(ends[i]) &&
             std::get<1>(ends[j]) == std::get<1>(ends[i])) {
        ++j;
      }
      KG_RETURN_IF_ERROR(
          put(in::TotalDegreeKey(std::get<0>(ends[i]), std::get<1>(ends[i])), j - i));
      i = j;
    }
    for (const auto& [label, n] : label_counts) {
      KG_RETURN_IF_ERROR(put(in::CounterKey(CounterTag::kLabel, label), n));
    }
    KG_RETURN_IF_ERROR(put(in::CounterKey(CounterTag::kNodes), node_rows.size()));
    for (const auto& [name, id] : types) {
      KG_RETURN_IF_ERROR(put(in::CounterKey(CounterTag::kType, name), type_counts[id]));
    }
    KG_RETURN_IF_ERROR(put(in::CounterKey(CounterTag::kEvidence), evidence_edge.size()));
    for (size_t i = 0; i < ends.size();) {  // g: node | direction | type
      size_t j = i;
      while (j < ends.size() && ends[j] == ends[i]) ++j;
      const auto& [node, dir, type] = ends[i];
      KG_RETURN_IF_ERROR(put(in::DegreeKey(node, dir, type), j - i));
      i = j;
    }
    {  // m: node, one value of lanes per node (key_format.h MentionLanes)
      std::vector<in::MentionLanes> mentions(next_node, in::MentionLanes{});
      for (size_t i = 0; i < edges.size(); ++i) {
        const auto& e = edges[i];
        uint64_t n = per_edge[i + 2] - per_edge[i + 1];  // evidence of edge id i + 1
        if (std::max(e.src, e.dst) >= mentions.size()) mentions.resize(std::max(e.src, e.dst) + 1);
        auto& source = mentions[e.src];
        auto& target = mentions[e.dst];
        ++source[in::kOutEdges];
        source[in::kOutEvidence] += n;
        ++target[in::kInEdges];
        target[in::kInEvidence] += n;
        if (e.src == e.dst) {
          ++source[in::kLoops];
          source[in::kLoopEvidence] += n;
        }
      }
      for (NodeId node = 1; node < mentions.size(); ++node) {
        if (mentions[node][in::kOutEdges] + mentions[node][in::kInEdges] == 0) continue;
        KG_RETURN_IF_ERROR(f.Put(in::MentionKey(node), in::MentionValue(mentions[node])));
      }
    }
    for (size_t e = 1; e <= edges.size(); ++e) {
      KG_RETURN_IF_ERROR(put(in::OwnerCounterKey(CounterTag::kEdgeEvidence, e),
                             per_edge[e + 1] - per_edge[e]));
    }
    return Status::Ok();
  });
  tasks.emplace_back(in::kEdges, [&](in::SstIngest::File& f) {
    for (size_t i = 0; i < edges.size(); ++i) {
      in::EdgeRecord rec{edges[i].type, edges[i].src, edges[i].dst, EmptyProperties()};
      KG_RETURN_IF_ERROR(f.Put(u64(i + 1), in::EncodeEdge(rec)));
    }
    return Status::Ok();
  });
  tasks.emplace_back(in::kMeta, [&](in::SstIngest::File& f) {  // id counters, type dictionary
    std::vector<std::pair<std::string, std::string>> meta;
    meta.emplace_back(std::string(in::kNextNodeKey), u64(next_node));
    meta.emplace_back(std::string(in::kNextEdgeKey), u64(next_edge));
    meta.emplace_back(std::string(in::kNextDocKey), u64(store.next_doc_));
    meta.emplace_back(std::string(in::kNextEvidenceKey), u64(next_evidence));
    meta.emplace_back(std::string(in::kNextTypeKey), u64(next_type));
    for (const auto& [name, id] : types) {
      meta.emplace_back(std::string(in::kTypeByNamePrefix) + name, in::U32Value(id));
      std::string by_id(in::kTypeByIdPrefix);
      in::PutU32(&by_id, id);
      meta.emplace_back(std::move(by_id), name);
    }
    std::sort(meta.begin(), meta.end());
    for (const auto& [k, v] : meta) KG_RETURN_IF_ERROR(f.Put(k, v));
    return Status::Ok();
  });
  KG_RETURN_IF_ERROR(WriteFiles(sst, tasks));
  KG_RETURN_IF_ERROR(node_files.Wait());
  KG_RETURN_IF_ERROR(sst.Ingest());
  store.next_node_ = next_node;
  store.next_edge_ = next_edge;
  store.next_evidence_ = next_evidence;
  store.next_type_ = next_type;
  store.AddTypes(types);
  return summary;
}

}  // namespace

Result<CsvImportSummary> ImportCsv(GraphStore& store, const std::string& nodes_path,
                                   const std::string& edges_path,
                                   const CsvImportOptions& options) {
  if (options.bulk) {
    if (auto* impl = dynamic_cast<internal::StoreImpl*>(&store)) {
      if (auto done = BulkImport(*impl, nodes_path, edges_path, options)) return *done;
    }
  }
  CsvImportSummary summary;
  const size_t batch_rows = std::max<size_t>(options.batch_rows, 1);
  auto nodes_reader = CsvReader::Open(nodes_path);
  if (!nodes_reader) return nodes_reader.error();
  auto edges_reader = CsvReader::Open(edges_path);
  if (!edges_reader) return edges_reader.error();

  std::unordered_map<int64_t, NodeId> node_ids;
  // Nodes that existed before this import: only their edges need a look-up in the store; an
  // edge key missing from `edge_ids` between nodes new to this import is certainly new.
  std::unordered_set<NodeId> preexisting;
  {
    auto& reader = **nodes_reader;
    auto cols = Columns(reader, {"id", "name", "type"});
    if (!cols) return cols.error();
    auto batch = store.NewBatch();
    std::vector<std::string> row;
    Status error;
    while (reader.Next(&row, &error)) {
      if (row.size() == 1 && row[0].empty()) continue;  // blank line
      for (size_t c : *cols) {
        if (c >= row.size()) return reader.Err(reader.record_line(), "too few fields");
      }
      int64_t csv_id = 0;
      if (!ParseNumber(row[(*cols)[0]], &csv_id)) {
        return reader.Err(reader.record_line(), "id '" + row[(*cols)[0]] + "' is not an integer");
      }
      if (node_ids.count(csv_id)) {
        return reader.Err(reader.record_line(), "duplicate id " + std::to_string(csv_id));
      }
      EntityUpsert upsert;
      upsert.name = row[(*cols)[1]];
      upsert.label = row[(*cols)[2]];
      bool created = false;
      auto node = batch->UpsertEntity(upsert, &created);
      if (!node) {
        if (node.error().code() == Status::Code::kInvalidArgument) {
          return reader.Err(reader.record_line(), node.error().message());
        }
        return node.error();
      }
      node_ids[csv_id] = *node;
      if (!created) preexisting.insert(*node);
      ++(created ? summary.nodes_created : summary.nodes_merged);
      if (++summary.node_rows % batch_rows == 0) {
        KG_RETURN_IF_ERROR(store.Commit(*batch));
        batch = store.NewBatch();
        if (options.progress) options.progress("nodes", summary.node_rows);
      }
    }
    KG_RETURN_IF_ERROR(error);
    KG_RETURN_IF_ERROR(store.Commit(*batch));
    if (options.progress) options.progress("nodes", summary.node_rows);
  }

  {
    auto& reader = **edges_reader;
    auto cols = Columns(reader, {"src", "dst", "type", "polarity", "weight", "doc_id"});
    if (!cols) return cols.error();
    std::unordered_map<EdgeKey, EdgeId, EdgeKeyHash> edge_ids;
    auto batch = store.NewBatch();
    std::vector<std::string> row;
    Status error;
    auto node_of = [&](const std::string& field, NodeId* out) -> Status {
      int64_t csv_id = 0;
      if (!ParseNumber(field, &csv_id)) {
        return reader.Err(reader.record_line(), "node id '" + field + "' is not an integer");
      }
      auto it = node_ids.find(csv_id);
      if (it == node_ids.end()) {
        return reader.Err(reader.record_line(), "unknown node id " + field + " (not in " +
                                                    nodes_path + ")");
      }
      *out = it->second;
      return Status::Ok();
    };
    while (reader.Next(&row, &error)) {
      if (row.size() == 1 && row[0].empty()) continue;
      for (size_t c : *cols) {
        if (c >= row.size()) return reader.Err(reader.record_line(), "too few fields");
      }
      NodeId src = kNoId, dst = kNoId;
      KG_RETURN_IF_ERROR(node_of(row[(*cols)[0]], &src));
      KG_RETURN_IF_ERROR(node_of(row[(*cols)[1]], &dst));
      const auto& type = row[(*cols)[2]];
      if (type.empty()) return reader.Err(reader.record_line(), "empty relationship type");
      int64_t polarity = 0;
      if (!ParseNumber(row[(*cols)[3]], &polarity)) {
        return reader.Err(reader.record_line(),
                          "polarity '" + row[(*cols)[3]] + "' is not an integer");
      }
      double weight = 0;
      if (!ParseDouble(row[(*cols)[4]], &weight)) {
        return reader.Err(reader.record_line(), "weight '" + row[(*cols)[4]] + "' is not a number");
      }
      EdgeKey key{src, dst, type};
      auto it = edge_ids.find(key);
      EdgeId edge = kNoId;
      if (it != edge_ids.end()) {
        edge = it->second;
        ++summary.edges_merged;
      } else {
        bool created = true;
        auto merged = preexisting.count(src)
                          ? batch->MergeEdge(src, type, dst, EmptyProperties(), &created)
                          : batch->CreateEdge(src, type, dst, EmptyProperties());
        if (!merged) return merged.error();
        edge = *merged;
        edge_ids.emplace(std::move(key), edge);
        ++(created ? summary.edges_created : summary.edges_merged);
      }
      Evidence ev;
      ev.edge_or_node = edge;
      ev.rule = "import";
      ev.confidence = weight;
      ev.properties = {{"doc_id", row[(*cols)[5]]}, {"weight", weight}, {"polarity", polarity}};
      KG_RETURN_IF_ERROR(batch->AddEvidence(ev));
      ++summary.evidence;
      if (++summary.edge_rows % batch_rows == 0) {
        KG_RETURN_IF_ERROR(store.Commit(*batch));
        batch = store.NewBatch();
        if (options.progress) options.progress("edges", summary.edge_rows);
      }
    }
    KG_RETURN_IF_ERROR(error);
    KG_RETURN_IF_ERROR(store.Commit(*batch));
    if (options.progress) options.progress("edges", summary.edge_rows);
  }
  return summary;
}

}  // namespace kg::store
