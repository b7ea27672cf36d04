#pragma once
// The passes of the news extractor over one article, in the order NewsExtractor runs them.
// Each pass reads and extends the ArticleState; all of them are deterministic and keep no state
// between calls, so one Lexicon serves many threads.

#include <map>
#include <optional>
#include <set>
#include <string>
#include <unordered_set>
#include <vector>

#include "extract/document.h"
#include "extract/lexicon.h"
#include "kg/core/dates.h"

namespace kg::extract {

struct ArticleState {
  const DocumentInfo* doc = nullptr;
  std::optional<CivilDate> anchor;  // the article's date, when known
  std::vector<SentenceState> sentences;
  EntityTable entities;
  RelationSet relations;
  std::map<int, int> leader_of;     // person entity -> country they lead (head of state/gov.)
  std::unordered_set<std::string> lowercase_words;  // words seen in lower case in the article
};

// Splits `text` into sentences at blank lines and at . ! ? followed by a capital letter; used
// only when the caller's AnnotatedText has no sentences.
std::vector<std::pair<uint32_t, uint32_t>> FallbackSentences(std::string_view text);

// Pass 1: finds names, titles, demonyms, dates and event heads in one sentence.
void FindMentions(const Lexicon& lexicon, const ArticleState& article, SentenceState* sentence);

// Pass 2: turns name mentions into entities (short names link to full ones, hyphenated pairs of
// names are split).
void ResolveEntities(ArticleState* article);

// Pass 2b: what the text says a name is, over the tagger: a one-word "person" written as an
// employer ("Chelsea boss Jose Mourinho") is an Organization, a name after a word for a work
// ("her book Small Island") is Other.
void RetypeFromContext(ArticleState* article);

// Pass 3: HOLDS_POSITION ("Japanese Prime Minister Shinzo Abe", "X, the chief executive of Y")
// and the leaders of countries; then "the Obama administration" resolves to the country.
void FindPositions(ArticleState* article);

// Pass 4: MEMBER_OF, STANCE, ANNEXED, PART_OF.
void FindMemberships(ArticleState* article);
void FindStances(const Lexicon& lexicon, ArticleState* article);
void FindAnnexations(ArticleState* article);
void FindPartOf(const Lexicon& lexicon, ArticleState* article);

// Pass 5: events (summits, talks, meetings) with participants, place and date.
void FindEvents(ArticleState* article);

// Helpers shared by the passes.
const SentenceMention* EntityMentionAt(const SentenceState& sentence, size_t word);
bool IsActorLabel(const std::string& label);
Mention MentionOf(const SentenceState& sentence, size_t begin, size_t end,
                  const std::string& article_text);

}  // namespace kg::extract
