#pragma once
// Reading the CSV files of `kg import` (docs/STORAGE.md "CSV import"): an RFC 4180 record
// reader that knows the line each record starts on, and the checks both import paths (the
// batches and the bulk SST ingestion) apply to a node row and an edge row, so that both name a
// bad row with the same "<file>:<line>: <what>".

#include <charconv>
#include <cstdint>
#include <cstdio>
#include <memory>
#include <string>
#include <system_error>
#include <vector>

#include "kg/core/status.h"

namespace kg::store::internal {

// Streams RFC 4180 records: fields separated by ',', a field wrapped in '"' may hold ',', '"'
// (doubled) and newlines. Accepts \n and \r\n line ends.
class CsvReader {
 public:
  static Result<std::unique_ptr<CsvReader>> Open(const std::string& path);
  ~CsvReader();
  CsvReader(const CsvReader&) = delete;
  CsvReader& operator=(const CsvReader&) = delete;

  // Reads the next record into `fields`; false at end of file. On malformed input sets `error`.
  bool Next(std::vector<std::string>* fields, Status* error);

  // ParseError "<path>:<line>: <what>".
  Status Err(uint64_t line, const std::string& what) const;
  uint64_t record_line() const { return record_line_; }
  const std::string& path() const { return path_; }

 private:
  CsvReader(std::string path, FILE* f);
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

// Reads the header row and maps the `wanted` column names to their positions; ParseError naming
// the file when a column is missing or the file is empty. A UTF-8 byte-order mark is skipped.
Result<std::vector<size_t>> Columns(CsvReader& reader, const std::vector<std::string>& wanted);

// A blank line between records (one empty field): skipped by both paths.
inline bool IsBlankRecord(const std::vector<std::string>& row) {
  return row.size() == 1 && row[0].empty();
}

template <typename T>
bool ParseNumber(const std::string& s, T* out) {
  auto r = std::from_chars(s.data(), s.data() + s.size(), *out);
  return r.ec == std::errc() && r.ptr == s.data() + s.size();
}

// strtod's answer (also for "+1", " 2", hex floats, nan, inf), through std::from_chars when
// that reads the whole field as a finite decimal number.
bool ParseDouble(const std::string& s, double* out);

// A row of nodes.csv (columns id, name, type), checked; the strings point into the row.
struct CsvNodeRow {
  int64_t csv_id = 0;
  const std::string* name = nullptr;
  const std::string* label = nullptr;  // empty: the importer's default label
};
Status ParseNodeRow(const CsvReader& reader, const std::vector<std::string>& row,
                    const std::vector<size_t>& cols, CsvNodeRow* out);

// A row of edges.csv (columns src, dst, type, polarity, weight, doc_id), checked; node ids are
// still the CSV's, for the caller to resolve; the strings point into the row.
struct CsvEdgeRow {
  int64_t src = 0, dst = 0;
  const std::string* type = nullptr;
  int64_t polarity = 0;
  double weight = 0;
  const std::string* doc_id = nullptr;
};
Status ParseEdgeRow(const CsvReader& reader, const std::vector<std::string>& row,
                    const std::vector<size_t>& cols, CsvEdgeRow* out);

}  // namespace kg::store::internal
