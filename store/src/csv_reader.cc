#include "csv_reader.h"

#include <cmath>
#include <cstdlib>

namespace kg::store::internal {

Result<std::unique_ptr<CsvReader>> CsvReader::Open(const std::string& path) {
  FILE* f = std::fopen(path.c_str(), "rb");
  if (f == nullptr) return Status::NotFound("cannot open " + path);
  return std::unique_ptr<CsvReader>(new CsvReader(path, f));
}

CsvReader::CsvReader(std::string path, FILE* f) : path_(std::move(path)), file_(f) {
  buffer_.resize(1 << 20);
}

CsvReader::~CsvReader() { std::fclose(file_); }

bool CsvReader::Next(std::vector<std::string>* fields, Status* error) {
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

Status CsvReader::Err(uint64_t line, const std::string& what) const {
  return Status::ParseError(path_ + ":" + std::to_string(line) + ": " + what);
}

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

// Both round correctly, so they agree where from_chars reads the whole field.
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

namespace {

Status CheckFieldCount(const CsvReader& reader, const std::vector<std::string>& row,
                       const std::vector<size_t>& cols) {
  for (size_t c : cols) {
    if (c >= row.size()) return reader.Err(reader.record_line(), "too few fields");
  }
  return Status::Ok();
}

}  // namespace

Status ParseNodeRow(const CsvReader& reader, const std::vector<std::string>& row,
                    const std::vector<size_t>& cols, CsvNodeRow* out) {
  KG_RETURN_IF_ERROR(CheckFieldCount(reader, row, cols));
  if (!ParseNumber(row[cols[0]], &out->csv_id)) {
    return reader.Err(reader.record_line(), "id '" + row[cols[0]] + "' is not an integer");
  }
  out->name = &row[cols[1]];
  out->label = &row[cols[2]];
  return Status::Ok();
}

Status ParseEdgeRow(const CsvReader& reader, const std::vector<std::string>& row,
                    const std::vector<size_t>& cols, CsvEdgeRow* out) {
  KG_RETURN_IF_ERROR(CheckFieldCount(reader, row, cols));
  for (int end = 0; end < 2; ++end) {
    const std::string& field = row[cols[end]];
    if (!ParseNumber(field, end == 0 ? &out->src : &out->dst)) {
      return reader.Err(reader.record_line(), "node id '" + field + "' is not an integer");
    }
  }
  out->type = &row[cols[2]];
  if (out->type->empty()) return reader.Err(reader.record_line(), "empty relationship type");
  if (!ParseNumber(row[cols[3]], &out->polarity)) {
    return reader.Err(reader.record_line(), "polarity '" + row[cols[3]] + "' is not an integer");
  }
  if (!ParseDouble(row[cols[4]], &out->weight)) {
    return reader.Err(reader.record_line(), "weight '" + row[cols[4]] + "' is not a number");
  }
  out->doc_id = &row[cols[5]];
  return Status::Ok();
}

}  // namespace kg::store::internal
