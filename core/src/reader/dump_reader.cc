#include "kg/core/dump_reader.h"

#include <sys/stat.h>

#include <algorithm>
#include <cstring>
#include <deque>
#include <filesystem>
#include <set>
#include <utility>

#include <nlohmann/json.hpp>

#include "kg/core/boilerplate.h"
#include "kg/core/content_hash.h"
#include "kg/core/dates.h"
#include "reader/input_stream.h"
#include "reader/jsonl_fast_path.h"

namespace kg {

DocumentInfo ToDocumentInfo(const Article& article) {
  DocumentInfo doc;
  doc.id = article.id;
  doc.source = article.source;
  doc.title = article.title;
  doc.date = article.date;
  doc.content_hash = ContentHash(article.text);
  doc.text = article.text;
  return doc;
}

namespace {

namespace fs = std::filesystem;

enum class Format { kPlain, kJsonLines, kSniff };

std::string Lower(std::string s) {
  for (char& c : s) c = static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
  return s;
}

// The format a file's name announces, looking through a ".gz" suffix. nullopt = not an article
// file (only used inside folders; a file named on the command line is always read).
std::optional<Format> FormatOfName(const std::string& filename) {
  std::string name = Lower(filename);
  if (name.size() > 3 && name.ends_with(".gz")) name.resize(name.size() - 3);
  if (name.ends_with(".jsonl") || name.ends_with(".ndjson") || name.ends_with(".json")) {
    return Format::kJsonLines;
  }
  if (name.ends_with(".txt") || name.ends_with(".text")) return Format::kPlain;
  if (name.find('.') == std::string::npos) return Format::kPlain;
  return std::nullopt;
}

bool IsIgnoredInFolder(const std::string& filename) {
  std::string name = Lower(filename);
  return name.empty() || name[0] == '.' || name.starts_with("readme") ||
         name.starts_with("license") || name.starts_with("licence") || name == "source.md" ||
         name.starts_with("source.");
}

// Maximum nesting depth of the JSON text `line` (brackets outside strings).
int JsonDepth(std::string_view line, int limit) {
  int depth = 0, max_depth = 0;
  bool in_string = false;
  for (size_t i = 0; i < line.size(); ++i) {
    char c = line[i];
    if (in_string) {
      if (c == '\\') {
        ++i;
      } else if (c == '"') {
        in_string = false;
      }
      continue;
    }
    if (c == '"') {
      in_string = true;
    } else if (c == '{' || c == '[') {
      max_depth = std::max(max_depth, ++depth);
      if (max_depth > limit) return max_depth;
    } else if (c == '}' || c == ']') {
      --depth;
    }
  }
  return max_depth;
}

// One field the reader takes from a record: the name it was found under and its value as text
// (a string, an integer's digits, a double as nlohmann prints it; "" for other kinds).
struct RecordField {
  std::string name;
  bool is_string = false;
  std::string value;
};

// The fields of one JSON Lines record the reader uses; nullopt = absent or null.
struct RecordFields {
  std::optional<RecordField> text, title, date, url, id;
};

// Field access in either parse of a line: nlohmann's DOM or the fast path's top-level fields.
const nlohmann::json* Lookup(const nlohmann::json& object, const std::string& name) {
  auto it = object.find(name);
  return it == object.end() || it->is_null() ? nullptr : &*it;
}

const reader::JsonFieldView* Lookup(const reader::JsonObjectView& object,
                                    const std::string& name) {
  const reader::JsonFieldView* field = object.Find(name);
  return field == nullptr || field->kind == reader::JsonFieldKind::kNull ? nullptr : field;
}

RecordField ToRecordField(std::string name, const nlohmann::json& value) {
  RecordField field{std::move(name), value.is_string(), std::string()};
  if (value.is_string()) {
    field.value = value.get<std::string>();
  } else if (value.is_number_unsigned()) {  // before is_number_integer, which holds it too
    field.value = std::to_string(value.get<unsigned long long>());
  } else if (value.is_number_integer()) {
    field.value = std::to_string(value.get<long long>());
  } else if (value.is_number()) {
    field.value = value.dump();
  }
  return field;
}

RecordField ToRecordField(std::string name, const reader::JsonFieldView& value) {
  // The fast path holds no doubles and no integers above INT64_MAX: its values print as the
  // overload above prints nlohmann's.
  return RecordField{std::move(name), value.kind == reader::JsonFieldKind::kString,
                     value.Text()};
}

// The first field of `object` among `names` that is present and not null; only `chosen` when
// that is set.
template <typename Object>
std::optional<RecordField> FindField(const Object& object, const std::string& chosen,
                                     std::initializer_list<const char*> names) {
  if (!chosen.empty()) {
    if (const auto* value = Lookup(object, chosen)) return ToRecordField(chosen, *value);
    return std::nullopt;
  }
  for (const char* name : names) {
    std::string key(name);
    if (const auto* value = Lookup(object, key)) return ToRecordField(std::move(key), *value);
  }
  return std::nullopt;
}

template <typename Object>
RecordFields ReadFields(const Object& object, const ReaderOptions& options) {
  RecordFields fields;
  fields.text = FindField(object, options.text_field,
                          {"text", "content", "body", "article", "full_text", "fulltext", "story"});
  fields.title = FindField(object, options.title_field, {"title", "headline", "name"});
  fields.date = FindField(object, options.date_field,
                          {"date", "published", "publish_date", "published_at", "pubDate",
                           "datetime", "timestamp", "created_at"});
  fields.url = FindField(object, options.url_field, {"url", "link", "source_url", "permalink"});
  fields.id = FindField(object, options.id_field, {"id", "guid", "uuid", "_id", "doc_id"});
  return fields;
}

std::string CleanParseMessage(const std::string& what) {
  // "[json.exception.parse_error.101] parse error at line 1, column 5: syntax error ..." ->
  // "syntax error ...";
  // "[json.exception.out_of_range.406] number overflow parsing '1e999'" ->
  // "number overflow parsing '1e999'".
  size_t colon = what.find(": ");
  if (colon != std::string::npos) return what.substr(colon + 2);
  size_t bracket = what.find("] ");
  return bracket == std::string::npos ? what : what.substr(bracket + 2);
}

// The text of a file normalised to '\n' line ends.
std::string NormalizeNewlines(std::string text) {
  if (text.find('\r') == std::string::npos) return text;
  std::string out;
  out.reserve(text.size());
  for (size_t i = 0; i < text.size(); ++i) {
    if (text[i] == '\r') {
      out.push_back('\n');
      if (i + 1 < text.size() && text[i + 1] == '\n') ++i;
    } else {
      out.push_back(text[i]);
    }
  }
  return out;
}

class DumpReaderImpl final : public DumpReader {
 public:
  DumpReaderImpl(std::vector<std::string> paths, ReaderOptions options)
      : options_(std::move(options)), fast_path_(options_.max_json_depth) {
    for (auto& path : paths) pending_.push_back(Item{path, path, /*explicit_path=*/true});
    total_bytes_ = ComputeTotal(paths);
  }

  Result<std::optional<Article>> Next() override {
    while (true) {
      if (jsonl_) {
        Result<std::optional<Article>> article = NextJsonLine();
        if (!article || article->has_value()) return article;
        continue;  // that file is done
      }
      if (pending_.empty()) return std::optional<Article>();
      Item item = std::move(pending_.front());
      pending_.pop_front();
      Result<std::optional<Article>> article = OpenItem(item);
      if (!article || article->has_value()) return article;
    }
  }

  const ReaderStats& stats() const override { return stats_; }
  std::optional<uint64_t> total_input_bytes() const override { return total_bytes_; }

 private:
  struct Item {
    std::string path;   // as it will be opened
    std::string root;   // the path given on the command line it came from
    bool explicit_path;
  };

  static std::optional<uint64_t> ComputeTotal(const std::vector<std::string>& paths) {
    uint64_t total = 0;
    for (const std::string& path : paths) {
      if (path == "-") return std::nullopt;
      std::error_code ec;
      if (fs::is_directory(path, ec)) {
        for (auto it = fs::recursive_directory_iterator(
                 path, fs::directory_options::skip_permission_denied, ec);
             !ec && it != fs::recursive_directory_iterator(); it.increment(ec)) {
          std::error_code size_ec;
          if (it->is_regular_file(size_ec)) {
            uintmax_t size = it->file_size(size_ec);
            if (!size_ec) total += size;
          }
        }
      } else {
        uintmax_t size = fs::file_size(path, ec);
        if (!ec) total += size;
      }
    }
    return total;
  }

  // Reports a skipped item; in strict mode returns it as an error.
  Status Problem(std::string where, std::string reason) {
    ReaderProblem problem{std::move(where), std::move(reason)};
    ++stats_.problems;
    if (options_.on_problem) options_.on_problem(problem);
    if (options_.strict) return Status::InvalidArgument(problem.ToString());
    return Status::Ok();
  }

  std::string IdFor(const Item& item) const {
    if (item.explicit_path) return fs::path(item.path).filename().string();
    fs::path root(item.root);
    fs::path base = root.filename().empty() ? root.parent_path().filename() : root.filename();
    return (base / fs::path(item.path).lexically_relative(root)).generic_string();
  }

  Result<std::optional<Article>> OpenItem(const Item& item) {
    if (item.path != "-") {
      struct stat st;
      if (::stat(item.path.c_str(), &st) != 0) {
        KG_RETURN_IF_ERROR(Problem(item.path, std::string("cannot open: ") + strerror(errno)));
        return std::optional<Article>();
      }
      if (S_ISDIR(st.st_mode)) {
        KG_RETURN_IF_ERROR(ExpandFolder(item, st));
        return std::optional<Article>();
      }
      if (!S_ISREG(st.st_mode)) {
        KG_RETURN_IF_ERROR(Problem(item.path, "not a regular file"));
        return std::optional<Article>();
      }
    }
    Format format = Format::kSniff;
    if (item.path != "-") {
      std::optional<Format> by_name = FormatOfName(fs::path(item.path).filename().string());
      if (by_name && (*by_name == Format::kJsonLines || !item.explicit_path)) format = *by_name;
    }
    Result<std::unique_ptr<reader::InputStream>> stream = reader::InputStream::Open(item.path);
    if (!stream) {
      if (item.path == "-") return stream.error();
      KG_RETURN_IF_ERROR(Problem(item.path, stream.error().message().substr(item.path.size() + 2)));
      return std::optional<Article>();
    }
    ++stats_.files;
    std::string where = item.path == "-" ? "<stdin>" : item.path;
    if (format == Format::kSniff) {
      Result<int> first = (*stream)->PeekFirstNonSpace();
      if (!first) {
        KG_RETURN_IF_ERROR(Problem(where, first.error().message()));
        return std::optional<Article>();
      }
      format = *first == '{' ? Format::kJsonLines : Format::kPlain;
    }
    if (format == Format::kJsonLines) {
      jsonl_ = std::move(*stream);
      jsonl_where_ = where;
      jsonl_id_prefix_ = item.path == "-" ? "stdin" : fs::path(item.path).filename().string();
      line_number_ = 0;
      return std::optional<Article>();
    }
    return ReadPlain(item, where, **stream);
  }

  Status ExpandFolder(const Item& item, const struct stat& st) {
    if (!visited_dirs_.insert({st.st_dev, st.st_ino}).second) {
      return Problem(item.path, "directory already read (symbolic link loop?), skipped");
    }
    std::error_code ec;
    std::vector<std::pair<std::string, bool>> children;  // name, is a folder
    fs::directory_iterator it(item.path, ec);
    if (ec) return Problem(item.path, "cannot list folder: " + ec.message());
    for (; it != fs::directory_iterator(); it.increment(ec)) {
      if (ec) break;
      std::string name = it->path().filename().string();
      std::error_code type_ec;
      bool is_dir = it->is_directory(type_ec);
      if (!is_dir && IsIgnoredInFolder(name)) continue;
      if (is_dir && !name.empty() && name[0] == '.') continue;
      if (!is_dir && !FormatOfName(name)) {
        ++ignored_files_;
        continue;
      }
      children.emplace_back(name, is_dir);
    }
    std::sort(children.begin(), children.end());
    // Insert in order at the front so the folder is read depth-first in sorted order.
    for (auto child = children.rbegin(); child != children.rend(); ++child) {
      pending_.push_front(
          Item{(fs::path(item.path) / child->first).string(), item.root, /*explicit_path=*/false});
    }
    return Status::Ok();
  }

  Result<std::optional<Article>> ReadPlain(const Item& item, const std::string& where,
                                           reader::InputStream& stream) {
    bool too_long = false;
    Result<std::string> raw = stream.ReadAll(options_.max_article_bytes, &too_long);
    stats_.input_bytes_done += stream.raw_offset();
    if (!raw) {
      KG_RETURN_IF_ERROR(Problem(where, raw.error().message()));
      return std::optional<Article>();
    }
    if (too_long) {
      KG_RETURN_IF_ERROR(Problem(where, "article larger than " +
                                            std::to_string(options_.max_article_bytes) +
                                            " bytes (--max-article-bytes), skipped"));
      return std::optional<Article>();
    }
    if (raw->find('\0') != std::string::npos) {
      KG_RETURN_IF_ERROR(Problem(where, "binary file (contains NUL bytes), skipped"));
      return std::optional<Article>();
    }
    Article article;
    article.raw_bytes = raw->size();
    std::string text = RepairUtf8(NormalizeNewlines(std::move(*raw)), &article.encoding);
    CleanedArticle cleaned = CleanPlainArticle(text);
    if (cleaned.text.empty()) {
      KG_RETURN_IF_ERROR(Problem(where, "empty article, skipped"));
      return std::optional<Article>();
    }
    article.id = item.path == "-" ? "stdin" : IdFor(item);
    article.source = where;
    article.origin = where;
    article.title = std::move(cleaned.title);
    if (!cleaned.date_line.empty()) article.date = NormalizeDate(cleaned.date_line).value_or("");
    article.text = std::move(cleaned.text);
    article.boilerplate = std::move(cleaned.stripped);
    return Finish(std::move(article));
  }

  std::optional<Article> Finish(Article article) {
    ++stats_.articles;
    stats_.boilerplate_lines += article.boilerplate.size();
    if (article.encoding.windows1252_bytes > 0) ++stats_.windows1252_articles;
    stats_.replaced_bytes += article.encoding.replaced_bytes;
    return article;
  }

  // The next article of the open JSON Lines file; nullopt (and the file closed) at its end.
  Result<std::optional<Article>> NextJsonLine() {
    std::string line;
    while (true) {
      uint64_t length = 0;
      uint64_t before = jsonl_->raw_offset();
      Result<reader::InputStream::LineResult> got =
          jsonl_->ReadLine(&line, options_.max_article_bytes, &length);
      stats_.input_bytes_done += jsonl_->raw_offset() - before;
      ++line_number_;
      std::string where = jsonl_where_ + ":" + std::to_string(line_number_);
      if (!got) {
        jsonl_.reset();
        KG_RETURN_IF_ERROR(Problem(where, got.error().message()));
        return std::optional<Article>();
      }
      if (*got == reader::InputStream::LineResult::kEof) {
        jsonl_.reset();
        return std::optional<Article>();
      }
      if (*got == reader::InputStream::LineResult::kTooLong) {
        KG_RETURN_IF_ERROR(Problem(where, "line of " + std::to_string(length) +
                                              " bytes is larger than " +
                                              std::to_string(options_.max_article_bytes) +
                                              " (--max-article-bytes), skipped"));
        continue;
      }
      if (!line.empty() && line.back() == '\r') line.pop_back();
      if (line.find_first_not_of(" \t") == std::string::npos) {
        ++stats_.blank_lines;
        continue;
      }
      Result<std::optional<Article>> article = ParseJsonLine(line, where);
      if (!article) return article;
      if (article->has_value()) return article;
    }
  }

  Result<std::optional<Article>> ParseJsonLine(const std::string& raw_line,
                                               const std::string& where) {
    EncodingInfo encoding;
    std::string line = RepairUtf8(raw_line, &encoding);
    RecordFields fields;
    const reader::JsonObjectView* fast =
        options_.json_fast_path ? fast_path_.Parse(&line) : nullptr;
    if (fast != nullptr) {
      ++stats_.json_fast_path_lines;
      fields = ReadFields(*fast, options_);
    } else {
      // Everything the fast path leaves, errors included, is nlohmann's to parse and report.
      int depth = JsonDepth(line, options_.max_json_depth);
      if (depth > options_.max_json_depth) {
        KG_RETURN_IF_ERROR(Problem(where, "JSON nested deeper than " +
                                              std::to_string(options_.max_json_depth) +
                                              " levels, skipped"));
        return std::optional<Article>();
      }
      nlohmann::json object;
      try {
        object = nlohmann::json::parse(line);
      } catch (const nlohmann::json::parse_error& e) {
        KG_RETURN_IF_ERROR(Problem(where + ":" + std::to_string(e.byte),
                                   "malformed JSON: " + CleanParseMessage(e.what())));
        return std::optional<Article>();
      } catch (const nlohmann::json::exception& e) {
        // Well-formed but unrepresentable, e.g. a number such as 1e999 overflows a double
        // (out_of_range.406); the fuzzer found that this escapes a parse_error handler.
        KG_RETURN_IF_ERROR(Problem(where, "malformed JSON: " + CleanParseMessage(e.what())));
        return std::optional<Article>();
      }
      if (!object.is_object()) {
        KG_RETURN_IF_ERROR(
            Problem(where, std::string("expected a JSON object, got ") + object.type_name()));
        return std::optional<Article>();
      }
      fields = ReadFields(object, options_);
    }
    if (!fields.text) {
      KG_RETURN_IF_ERROR(Problem(
          where, options_.text_field.empty()
                     ? std::string("no text field (looked for text, content, body, article, "
                                   "full_text, story)")
                     : "no field \"" + options_.text_field + "\""));
      return std::optional<Article>();
    }
    if (!fields.text->is_string) {
      KG_RETURN_IF_ERROR(Problem(where, "field \"" + fields.text->name + "\" is not a string"));
      return std::optional<Article>();
    }
    Article article;
    article.raw_bytes = raw_line.size() + 1;
    article.encoding = encoding;
    CleanedArticle cleaned = CleanPlainArticle(NormalizeNewlines(std::move(fields.text->value)));
    if (cleaned.text.empty()) {
      KG_RETURN_IF_ERROR(Problem(where, "empty text, skipped"));
      return std::optional<Article>();
    }
    article.text = std::move(cleaned.text);
    article.boilerplate = std::move(cleaned.stripped);
    if (fields.title) article.title = std::move(fields.title->value);
    if (article.title.empty()) {
      // At most 200 bytes, cut before a character, never inside one (the title must stay valid
      // UTF-8; found by the jsonl_reader fuzzer).
      size_t cut = std::min<size_t>(cleaned.title.size(), 200);
      while (cut > 0 && cut < cleaned.title.size() &&
             (static_cast<unsigned char>(cleaned.title[cut]) & 0xC0) == 0x80) {
        --cut;
      }
      article.title = cleaned.title.substr(0, cut);
    }
    if (fields.date) {
      article.date = NormalizeDate(fields.date->value).value_or("");
    } else if (!cleaned.date_line.empty()) {
      article.date = NormalizeDate(cleaned.date_line).value_or("");
    }
    if (fields.url) article.source = std::move(fields.url->value);
    if (article.source.empty()) article.source = where;
    if (fields.id) article.id = std::move(fields.id->value);
    if (article.id.empty()) article.id = jsonl_id_prefix_ + ":" + std::to_string(line_number_);
    article.origin = where;
    return Finish(std::move(article));
  }

  ReaderOptions options_;
  reader::JsonlFastPath fast_path_;  // after options_, which it is made from
  ReaderStats stats_;
  std::optional<uint64_t> total_bytes_;
  std::deque<Item> pending_;
  std::set<std::pair<dev_t, ino_t>> visited_dirs_;
  uint64_t ignored_files_ = 0;
  // The JSON Lines file being read, if any.
  std::unique_ptr<reader::InputStream> jsonl_;
  std::string jsonl_where_;
  std::string jsonl_id_prefix_;
  uint64_t line_number_ = 0;
};

}  // namespace

Result<std::unique_ptr<DumpReader>> OpenDump(const std::vector<std::string>& paths,
                                             ReaderOptions options) {
  if (paths.empty()) return Status::InvalidArgument("no dump given");
  for (const std::string& path : paths) {
    std::error_code ec;
    if (path != "-" && !fs::exists(path, ec)) {
      return Status::NotFound(path + ": no such file or directory");
    }
  }
  return std::unique_ptr<DumpReader>(new DumpReaderImpl(paths, std::move(options)));
}

}  // namespace kg
