// kg eval sentences CONLL_FILE: how well kg's sentence splitter and tokenizer reproduce the
// CoNLL-2003 sentence and token boundaries. Each CoNLL document is rebuilt as running text
// (sentences joined by one space), in two ways: tokens joined by spaces ("spaced", which tests
// sentence splitting alone), and detokenized the way news is written ("Japan 's" -> "Japan's",
// "( x )" -> "(x)", which tests the tokenizer too). Then kg splits it and boundaries are compared.

#include <cstdio>
#include <set>
#include <string>
#include <vector>

#include <fmt/format.h>

#include "command.h"
#include "eval_command.h"
#include "kg/core/conll.h"
#include "kg/core/text_pipeline.h"

namespace kg::cli {
namespace {

bool AttachesLeft(const std::string& w) {
  static const std::set<std::string> kLeft = {",", ".", ";", ":", "!", "?", ")", "]", "}", "%",
                                              "'s", "'S", "n't", "N'T", "'re", "'ve", "'ll",
                                              "'d", "'m", "...", "'"};
  return kLeft.count(w) > 0;
}

bool AttachesRight(const std::string& w) { return w == "(" || w == "[" || w == "{" || w == "$"; }

// Builds the text of one document; fills the byte offsets where each gold sentence and each
// gold token starts and ends.
std::string BuildText(const ConllDocument& doc, bool detokenize, std::vector<uint32_t>* sentence_starts,
                      std::set<std::pair<uint32_t, uint32_t>>* tokens) {
  std::string text;
  for (const ConllSentence& sentence : doc.sentences) {
    if (sentence.words.empty()) continue;
    if (!text.empty()) text += ' ';
    sentence_starts->push_back(static_cast<uint32_t>(text.size()));
    bool open_quote = false;
    bool glue_next = false;
    for (size_t i = 0; i < sentence.words.size(); ++i) {
      const std::string& w = sentence.words[i];
      bool glue = i == 0;
      if (detokenize && i > 0) {
        if (w == "\"") {
          glue = open_quote;  // a closing quote attaches left
        } else {
          glue = AttachesLeft(w) || glue_next;
        }
        if (glue_next) glue = true;
      }
      if (!glue) text += ' ';
      uint32_t start = static_cast<uint32_t>(text.size());
      text += w;
      tokens->insert({start, static_cast<uint32_t>(text.size())});
      glue_next = detokenize && (AttachesRight(w) || (w == "\"" && !open_quote));
      if (w == "\"") open_quote = !open_quote;
    }
  }
  return text;
}

struct EvalArgs {
  std::string path;
  size_t show_errors = 0;  // print this many wrong boundaries of each kind (detokenized text)
};

// "...left|right..." around byte `at`, newlines shown as spaces.
std::string ContextAround(const std::string& text, uint32_t at) {
  size_t from = at >= 40 ? at - 40 : 0;
  std::string out = text.substr(from, at - from) + " || " + text.substr(at, 40);
  for (char& c : out) {
    if (c == '\n') c = ' ';
  }
  return out;
}

int RunEval(Context& ctx, const EvalArgs& args) {
  Result<std::vector<ConllDocument>> docs = ReadConll(args.path);
  if (!docs) return Report(ctx, docs.error());
  std::string out;
  size_t shown_fp = 0, shown_fn = 0;
  std::string errors;  // wrong boundaries in the detokenized text, printed last
  for (bool detokenize : {false, true}) {
    PrfCounts boundaries, tokens;
    size_t bytes = 0;
    for (const ConllDocument& doc : *docs) {
      std::vector<uint32_t> gold_starts;
      std::set<std::pair<uint32_t, uint32_t>> gold_tokens;
      std::string text = BuildText(doc, detokenize, &gold_starts, &gold_tokens);
      bytes += text.size();
      AnnotatedText annotated = AnnotateText(text);
      // A boundary is the start of every sentence but the first.
      std::set<uint32_t> gold(gold_starts.begin() + (gold_starts.empty() ? 0 : 1),
                              gold_starts.end());
      std::set<uint32_t> predicted;
      for (size_t i = 1; i < annotated.sentences.size(); ++i) {
        predicted.insert(annotated.sentences[i].start);
      }
      boundaries.gold += gold.size();
      boundaries.predicted += predicted.size();
      for (uint32_t b : predicted) boundaries.correct += gold.count(b);
      if (detokenize && args.show_errors > 0) {
        for (uint32_t b : predicted) {
          if (!gold.count(b) && shown_fp++ < args.show_errors) {
            errors += "  extra:   " + ContextAround(text, b) + "\n";
          }
        }
        for (uint32_t b : gold) {
          if (!predicted.count(b) && shown_fn++ < args.show_errors) {
            errors += "  missed:  " + ContextAround(text, b) + "\n";
          }
        }
      }
      for (const Sentence& s : annotated.sentences) {
        for (const Token& t : s.tokens) {
          ++tokens.predicted;
          tokens.correct += gold_tokens.count({t.start, t.end});
        }
      }
      tokens.gold += gold_tokens.size();
    }
    out += fmt::format(
        "{:<12} {} documents, {} bytes\n  sentence boundaries: P {:.1f}  R {:.1f}  F1 {:.1f}  "
        "(gold {}, predicted {}, correct {})\n",
        detokenize ? "detokenized" : "spaced", docs->size(), bytes, boundaries.precision(),
        boundaries.recall(), boundaries.f1(), boundaries.gold, boundaries.predicted,
        boundaries.correct);
    if (detokenize) {
      out += fmt::format("  tokens:              P {:.1f}  R {:.1f}  F1 {:.1f}  (gold {}, "
                         "predicted {}, correct {})\n",
                         tokens.precision(), tokens.recall(), tokens.f1(), tokens.gold,
                         tokens.predicted, tokens.correct);
    }
  }
  if (!errors.empty()) out += "wrong boundaries (detokenized text, || marks kg's boundary or the "
                              "missed gold one):\n" + errors;
  std::fputs(out.c_str(), stdout);
  return 0;
}

Registrar register_eval_sentences("kg", "eval-sentences", [](CLI::App& app, Context& ctx) {
  auto args = std::make_shared<EvalArgs>();
  CLI::App* sub = EvalCommand(app).add_subcommand(
      "sentences", "Sentence-boundary and token precision/recall of kg's text pipeline on a "
                   "CoNLL-2003 file");
  sub->add_option("FILE", args->path, "A CoNLL-2003 file (e.g. valid.txt)")->required();
  sub->add_option("--show-errors", args->show_errors,
                  "Print up to N extra and N missed boundaries (detokenized text)");
  sub->callback([&ctx, args] { ctx.exit_code = RunEval(ctx, *args); });
});

}  // namespace
}  // namespace kg::cli
