#pragma once
// Command-line options shared by every command that reads article dumps (kg ingest, kg extract,
// kg-inspect articles). Header-only so both binaries can use it.

#include <CLI/CLI.hpp>

#include <string>
#include <vector>

#include "kg/core/dump_reader.h"

namespace kg::cli {

struct DumpOptions {
  std::vector<std::string> paths;
  uint64_t max_article_bytes = 16u << 20;
  std::string text_field, title_field, date_field, url_field, id_field;
  bool strict = false;

  // Adds DUMP... and the reader options to `sub`. `this` must outlive parsing.
  void AddTo(CLI::App* sub) {
    sub->add_option("DUMP", paths,
                    "Article dumps: folders of .txt articles, .jsonl files, .gz of either, or - "
                    "for standard input")
        ->required();
    sub->add_option("--max-article-bytes", max_article_bytes,
                    "Skip articles (or JSONL lines) larger than this")
        ->capture_default_str();
    sub->add_option("--text-field", text_field,
                    "JSONL field holding the text (default: text, content, body, ...)");
    sub->add_option("--title-field", title_field, "JSONL field holding the title");
    sub->add_option("--date-field", date_field, "JSONL field holding the date");
    sub->add_option("--url-field", url_field, "JSONL field holding the URL");
    sub->add_option("--id-field", id_field, "JSONL field holding the id");
    sub->add_flag("--strict", strict, "Stop at the first bad item instead of skipping it");
  }

  ReaderOptions ToReaderOptions() const {
    ReaderOptions options;
    options.max_article_bytes = max_article_bytes;
    options.text_field = text_field;
    options.title_field = title_field;
    options.date_field = date_field;
    options.url_field = url_field;
    options.id_field = id_field;
    options.strict = strict;
    return options;
  }
};

}  // namespace kg::cli
