#pragma once
// CoNLL-2003 files (token POS chunk NER per line, blank line between sentences, -DOCSTART-
// between documents) and conlleval-style entity scoring.
//
// Tags are read as IOB1 or IOB2 and normalised to IOB2 (every entity starts with B-), which is
// what the tagger predicts. Scores count an entity as correct only when its type and both
// boundaries match, as the CoNLL `conlleval` script does.

#include <filesystem>
#include <map>
#include <string>
#include <vector>

#include "kg/core/status.h"

namespace kg {

struct ConllSentence {
  std::vector<std::string> words;
  std::vector<std::string> tags;  // IOB2 NER tags, one per word
};

struct ConllDocument {
  std::vector<ConllSentence> sentences;
};

// Reads a whole CoNLL file. Text before the first -DOCSTART- forms a document of its own.
// Fails with NotFound when the file is missing, ParseError "path:line: ..." for a line with
// fewer than 2 columns or a tag that is not O / B-X / I-X.
Result<std::vector<ConllDocument>> ReadConll(const std::filesystem::path& path);

// IOB1 or IOB2 tags -> IOB2 in place ("I-PER" after "O" becomes "B-PER").
void ToIob2(std::vector<std::string>& tags);

// An entity as [begin, end) tokens of one sentence and its type ("PER").
struct TaggedSpan {
  size_t begin = 0;
  size_t end = 0;
  std::string type;
  bool operator==(const TaggedSpan&) const = default;
};

// The entities of IOB2 tags; an I-X that does not continue an X starts a new entity, as
// conlleval does.
std::vector<TaggedSpan> SpansOfTags(const std::vector<std::string>& tags);

struct PrfCounts {
  size_t gold = 0;
  size_t predicted = 0;
  size_t correct = 0;
  double precision() const { return predicted ? 100.0 * correct / predicted : 0.0; }
  double recall() const { return gold ? 100.0 * correct / gold : 0.0; }
  double f1() const {
    double p = precision(), r = recall();
    return p + r > 0 ? 2 * p * r / (p + r) : 0.0;
  }
};

// Accumulates entity-level counts over sentences.
class NerScorer {
 public:
  // REQUIRES: gold.size() == predicted.size().
  void Add(const std::vector<std::string>& gold, const std::vector<std::string>& predicted);
  const PrfCounts& overall() const { return overall_; }
  const std::map<std::string, PrfCounts>& types() const { return types_; }

 private:
  PrfCounts overall_;
  std::map<std::string, PrfCounts> types_;
};

}  // namespace kg
