#include "kg/core/conll.h"

#include <fstream>

namespace kg {
namespace {

bool ValidTag(const std::string& tag) {
  if (tag == "O") return true;
  return tag.size() > 2 && (tag[0] == 'B' || tag[0] == 'I') && tag[1] == '-';
}

std::vector<std::string> SplitColumns(const std::string& line) {
  std::vector<std::string> cols;
  size_t i = 0;
  while (i < line.size()) {
    while (i < line.size() && (line[i] == ' ' || line[i] == '\t')) ++i;
    size_t start = i;
    while (i < line.size() && line[i] != ' ' && line[i] != '\t') ++i;
    if (i > start) cols.emplace_back(line, start, i - start);
  }
  return cols;
}

}  // namespace

void ToIob2(std::vector<std::string>& tags) {
  for (size_t i = 0; i < tags.size(); ++i) {
    if (tags[i].size() > 2 && tags[i][0] == 'I') {
      bool continues = i > 0 && tags[i - 1].size() > 2 &&
                       tags[i - 1].compare(2, std::string::npos, tags[i], 2) == 0;
      if (!continues) tags[i][0] = 'B';
    }
  }
}

Result<std::vector<ConllDocument>> ReadConll(const std::filesystem::path& path) {
  std::ifstream in(path);
  if (!in) return Status::NotFound("cannot open CoNLL file " + path.string());
  std::vector<ConllDocument> docs;
  ConllSentence sentence;
  auto flush_sentence = [&] {
    if (sentence.words.empty()) return;
    if (docs.empty()) docs.emplace_back();
    ToIob2(sentence.tags);
    docs.back().sentences.push_back(std::move(sentence));
    sentence = ConllSentence();
  };
  std::string line;
  size_t line_no = 0;
  while (std::getline(in, line)) {
    ++line_no;
    if (!line.empty() && line.back() == '\r') line.pop_back();
    auto cols = SplitColumns(line);
    if (cols.empty()) {
      flush_sentence();
      continue;
    }
    if (cols[0] == "-DOCSTART-") {
      flush_sentence();
      docs.emplace_back();
      continue;
    }
    if (cols.size() < 2) {
      return Status::ParseError(path.string() + ":" + std::to_string(line_no) +
                                ": expected 'token ... NER-tag', got one column");
    }
    if (!ValidTag(cols.back())) {
      return Status::ParseError(path.string() + ":" + std::to_string(line_no) + ": '" +
                                cols.back() + "' is not an NER tag (O, B-X or I-X)");
    }
    sentence.words.push_back(std::move(cols[0]));
    sentence.tags.push_back(std::move(cols.back()));
  }
  if (in.bad()) return Status::IOError("cannot read " + path.string());
  flush_sentence();
  std::erase_if(docs, [](const ConllDocument& d) { return d.sentences.empty(); });
  return docs;
}

std::vector<TaggedSpan> SpansOfTags(const std::vector<std::string>& tags) {
  std::vector<TaggedSpan> spans;
  for (size_t i = 0; i < tags.size();) {
    if (tags[i] == "O" || tags[i].size() < 3) {
      ++i;
      continue;
    }
    TaggedSpan span{i, i + 1, tags[i].substr(2)};
    ++i;
    while (i < tags.size() && tags[i].size() > 2 && tags[i][0] == 'I' &&
           tags[i].compare(2, std::string::npos, span.type) == 0) {
      ++i;
    }
    span.end = i;
    spans.push_back(std::move(span));
  }
  return spans;
}

void NerScorer::Add(const std::vector<std::string>& gold, const std::vector<std::string>& predicted) {
  auto gold_spans = SpansOfTags(gold);
  auto pred_spans = SpansOfTags(predicted);
  for (const auto& g : gold_spans) {
    ++overall_.gold;
    ++types_[g.type].gold;
  }
  for (const auto& p : pred_spans) {
    ++overall_.predicted;
    ++types_[p.type].predicted;
    for (const auto& g : gold_spans) {
      if (g == p) {
        ++overall_.correct;
        ++types_[p.type].correct;
        break;
      }
    }
  }
}

}  // namespace kg
