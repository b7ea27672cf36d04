// Passes 1 and 2 of the news extractor: mentions in each sentence, then entities.

#include <algorithm>
#include <cctype>
#include <cstdint>
#include <set>
#include <string_view>
#include <unordered_set>

#include "extract/article.h"
#include "extract/word_set.h"
#include "kg/core/labels.h"

namespace kg::extract {
namespace {

const WordSet kStopWords = {
    "the", "a", "an", "but", "and", "or", "last", "next", "this", "that", "these", "those",
    "according", "in", "on", "at", "for", "of", "to", "from", "by", "with", "if", "when", "while",
    "after", "before", "as", "it", "he", "she", "they", "we", "i", "you", "his", "her", "their",
    "our", "its", "my", "your", "there", "here", "some", "many", "most", "one", "two", "three",
    "all", "both", "each", "no", "not", "so", "yet", "also", "however", "although", "though",
    "because", "since", "until", "what", "who", "which", "where", "why", "how", "then", "than",
    "such", "other", "another", "more", "less", "only", "even", "still", "now", "today",
    "yesterday", "tomorrow", "meanwhile", "earlier", "later", "instead", "despite", "during",
    "under", "over", "among", "between", "about", "after", "print", "read", "click", "share",
    "mr", "mrs", "ms", "dr", "mr.", "mrs.", "ms.", "dr.", "sir", "is", "was", "are", "were",
    "will", "would", "can", "could", "should", "may", "might", "must", "do", "does", "did",
    "have", "has", "had", "be", "been", "being", "said", "says", "told", "asked", "former",
    "new", "senior", "top", "chief", "deputy", "acting", "veteran", "ex"};

const WordSet kMonths = {
    "january", "february", "march", "april", "may", "june", "july", "august", "september",
    "october", "november", "december", "jan.", "feb.", "mar.", "apr.", "jun.", "jul.", "aug.",
    "sep.", "sept.", "oct.", "nov.", "dec.", "jan", "feb", "mar", "apr", "jun", "jul", "aug",
    "sep", "sept", "oct", "nov", "dec"};

const WordSet kWeekdays = {
    "monday", "tuesday", "wednesday", "thursday", "friday", "saturday", "sunday"};

// Every word a date phrase can start with, numbers aside (the first words MatchDate tests):
// most words are in none, and one probe here turns them away instead of two set probes and a
// dozen string comparisons.
const WordSet kDateStarts = {
    "january", "february", "march", "april", "may", "june", "july", "august", "september",
    "october", "november", "december", "jan.", "feb.", "mar.", "apr.", "jun.", "jul.", "aug.",
    "sep.", "sept.", "oct.", "nov.", "dec.", "jan", "feb", "mar", "apr", "jun", "jul", "aug",
    "sep", "sept", "oct", "nov", "dec", "monday", "tuesday", "wednesday", "thursday", "friday",
    "saturday", "sunday", "the", "next", "last", "this", "yesterday", "today", "tomorrow"};

const WordSet kHonorifics = {
    "mr", "mrs", "ms", "dr", "mr.", "mrs.", "ms.", "dr.", "sir", "lord", "lady", "dame",
    "rep.", "sen.", "gov.", "gen.", "madam", "mister"};

const WordSet kGovernmentNouns = {
    "government", "administration", "authorities", "officials", "leadership", "regime",
    "military", "forces", "side", "embassy", "cabinet", "diplomats"};

const WordSet kLocatives = {
    "in", "at", "near", "to", "from", "into", "outside", "around", "across", "inside", "toward",
    "towards", "via", "visit", "visited", "visiting", "arrived", "capital"};

const WordSet kOrgHeads = {
    "ministry", "bank", "university", "party", "inc.", "corp.", "corporation", "company", "co.",
    "ltd.", "agency", "council", "commission", "committee", "association", "institute",
    "foundation", "fund", "union", "federation", "airlines", "airways", "motors", "department",
    "office", "court", "army", "navy", "police", "assembly", "parliament", "congress", "senate",
    "post", "times", "news", "journal", "press", "network", "group", "organization",
    "organisation", "bureau", "service", "agency", "club", "church", "school", "college",
    "hospital", "airport", "exchange", "board", "league", "alliance", "front", "movement",
    "television", "radio", "tv", "reuters", "cooperation"};

const WordSet kPlaceHeads = {
    "prefecture", "province", "county", "city", "island", "islands", "river", "mountains",
    "region", "district", "oblast", "krai", "canton", "valley", "peninsula", "sea", "ocean",
    "lake", "bay", "strait", "state", "territory", "voivodeship", "village", "town"};

const WordSet kNameConnectors = {
    "de", "bin", "al", "van", "von", "der", "la", "du", "da", "del", "ibn", "le"};

const WordSet kEventHeads = {
    "summit", "talks", "meeting", "meetings", "conference"};

// "will not be meeting with": the head noun used as a verb.
const WordSet kAuxiliaries = {
    "be", "is", "are", "was", "were", "been", "not", "am", "'re", "'m", "will", "to"};

bool IsYear(std::string_view w) {
  return w.size() == 4 && std::all_of(w.begin(), w.end(), [](char c) { return std::isdigit(static_cast<unsigned char>(c)); }) &&
         (w[0] == '1' || w[0] == '2');
}

bool IsDayNumber(std::string_view w) {
  if (w.empty() || w.size() > 2) return false;
  for (char c : w) {
    if (!std::isdigit(static_cast<unsigned char>(c))) return false;
  }
  int d = std::stoi(std::string(w));
  return d >= 1 && d <= 31;
}

// A capitalised word that can be part of a name.
bool IsNameWord(const Word& w, size_t index, const ArticleState& article) {
  if (w.is_punct || !w.capitalized) return false;
  if (kStopWords.count(w.lower) > 0) return false;
  if (kMonths.count(w.lower) > 0 || kWeekdays.count(w.lower) > 0) return false;
  // A sentence-initial capital proves nothing: "Staging ..." is a common word if the article
  // also writes it in lower case.
  if (index == 0 && article.lowercase_words.count(w.lower) > 0) return false;
  return true;
}

bool HasUpperAfterHyphen(std::string_view text) {
  auto pos = text.find('-');
  return pos != std::string_view::npos && pos + 1 < text.size() &&
         std::isupper(static_cast<unsigned char>(text[pos + 1]));
}

// Gazetteer tokens: "U.S" (a dropped final period) is looked up as "U.S.".
std::vector<std::string> GazetteerTokens(const std::vector<Word>& words) {
  std::vector<std::string> tokens;
  tokens.reserve(words.size());
  for (const auto& w : words) {
    std::string t = w.norm;
    if (t.size() >= 3 && t.back() != '.' && t[t.size() - 2] == '.' &&
        std::isupper(static_cast<unsigned char>(t.back()))) {
      t += '.';
    }
    tokens.push_back(std::move(t));
  }
  return tokens;
}

bool IsPossessive(const std::vector<Word>& words, size_t end) {
  return end < words.size() && (words[end].norm == "'s" || words[end].norm == "'");
}

size_t PrevWord(const std::vector<Word>& words, size_t index) {
  return index == 0 ? words.size() : index - 1;
}

// Finds a date phrase starting at `i`; returns its end or i.
size_t MatchDate(const std::vector<Word>& words, size_t i) {
  auto lower = [&](size_t k) -> std::string_view {
    return k < words.size() ? std::string_view(words[k].lower) : std::string_view();
  };
  // Each phrase below starts with a month, a day number or year (digits), or a kDateStarts word.
  const std::string_view first = lower(i);
  if ((first.empty() || !std::isdigit(static_cast<unsigned char>(first[0]))) &&
      kDateStarts.count(first) == 0) {
    return i;
  }
  if (kMonths.count(lower(i)) > 0 && i + 1 < words.size() && IsDayNumber(lower(i + 1))) {
    // "may" is a month only before a day number.
    size_t end = i + 2;
    if (lower(end) == "," && IsYear(lower(end + 1))) end += 2;
    else if (IsYear(lower(end))) end += 1;
    return end;
  }
  if (IsDayNumber(lower(i)) && kMonths.count(lower(i + 1)) > 0 && lower(i + 1) != "may") {
    size_t end = i + 2;
    if (IsYear(lower(end))) end += 1;
    return end;
  }
  if (lower(i) == "the" && (lower(i + 1) == "previous" || lower(i + 1) == "following" ||
                            lower(i + 1) == "next") &&
      lower(i + 2) == "day") {
    return i + 3;
  }
  if (lower(i) == "the" && lower(i + 1) == "day" &&
      (lower(i + 2) == "before" || lower(i + 2) == "after")) {
    return i + 3;
  }
  if ((lower(i) == "next" || lower(i) == "last" || lower(i) == "this") &&
      (lower(i + 1) == "week" || lower(i + 1) == "month" || lower(i + 1) == "year")) {
    return i + 2;
  }
  if (lower(i) == "yesterday" || lower(i) == "today" || lower(i) == "tomorrow" ||
      kWeekdays.count(lower(i)) > 0) {
    return i + 1;
  }
  if (IsYear(lower(i)) && i > 0 && (lower(i - 1) == "in" || lower(i - 1) == "since")) {
    return i + 1;
  }
  return i;
}

// The tagger's span that covers word `i`, or null.
const EntitySpan* NerSpanAt(const SentenceState& sentence, size_t i) {
  for (const auto& span : sentence.ner) {
    if (span.begin <= i && i < span.end) return &span;
  }
  return nullptr;
}

// Words that may sit inside a name the tagger found ("Bank of England", "Marks and Spencer").
const WordSet kInnerNameWords = {
    "of", "and", "&", "for", "the", "de", "al", "du", "la", "le", "von", "van", "der", "da", "del",
    "y", "on", "upon"};

// True when [begin, end) reads as one name: capitalised words, with connectors only inside.
bool NameShaped(const std::vector<Word>& words, size_t begin, size_t end) {
  if (begin >= end || end > words.size()) return false;
  if (!words[begin].capitalized || !words[end - 1].capitalized) return false;
  for (size_t k = begin; k < end; ++k) {
    const Word& w = words[k];
    if (w.capitalized && !w.is_punct) continue;
    if (kInnerNameWords.count(w.lower) > 0) continue;
    if (std::isdigit(static_cast<unsigned char>(w.norm[0]))) continue;  // "Formula 1 Group"
    return false;
  }
  return true;
}

// The graph label of a tagger type. LOC is a Place here: countries are the gazetteer's.
std::string LabelOfNer(EntityType type) {
  switch (type) {
    case EntityType::kPer: return std::string(labels::kPerson);
    case EntityType::kOrg: return std::string(labels::kOrganization);
    case EntityType::kLoc: return std::string(labels::kPlace);
    case EntityType::kMisc: return std::string(labels::kOther);
  }
  return std::string(labels::kOther);
}

}  // namespace

std::vector<std::pair<uint32_t, uint32_t>> FallbackSentences(std::string_view text) {
  std::vector<std::pair<uint32_t, uint32_t>> out;
  size_t start = 0;
  auto flush = [&](size_t end) {
    size_t b = start;
    while (b < end && std::isspace(static_cast<unsigned char>(text[b]))) ++b;
    size_t e = end;
    while (e > b && std::isspace(static_cast<unsigned char>(text[e - 1]))) --e;
    if (e > b) out.emplace_back(static_cast<uint32_t>(b), static_cast<uint32_t>(e));
    start = end;
  };
  for (size_t i = 0; i < text.size(); ++i) {
    if (text[i] == '\n') {
      // A line break ends a sentence when the line is a heading or a list item, i.e. always:
      // news dumps put paragraphs on their own lines.
      flush(i);
      continue;
    }
    if ((text[i] == '.' || text[i] == '!' || text[i] == '?') && i + 2 < text.size() &&
        text[i + 1] == ' ' && (std::isupper(static_cast<unsigned char>(text[i + 2])) ||
                               text[i + 2] == '"')) {
      // Not after an abbreviation ("Dec. 16", "U.S. President", "Mr. Abe").
      size_t w = i;
      while (w > start && !std::isspace(static_cast<unsigned char>(text[w - 1]))) --w;
      std::string word = Lower(text.substr(w, i + 1 - w));
      static const WordSet kNoBreak = {
          "mr.", "mrs.", "ms.", "dr.", "st.", "gen.", "gov.", "sen.", "rep.", "u.s.", "u.k.",
          "jan.", "feb.", "mar.", "apr.", "jun.", "jul.", "aug.", "sep.", "sept.", "oct.",
          "nov.", "dec.", "no.", "jr.", "lt.", "col.", "prof.", "inc.", "corp.", "co.", "vs."};
      bool initial = word.size() == 2 && std::isalpha(static_cast<unsigned char>(word[0]));
      if (kNoBreak.count(word) > 0 || initial) continue;
      flush(i + 1);
    }
  }
  flush(text.size());
  return out;
}

bool IsActorLabel(const std::string& label) {
  return label == labels::kCountry || label == labels::kPerson ||
         label == labels::kOrganization || label == labels::kGroup;
}

Mention MentionOf(const SentenceState& sentence, size_t begin, size_t end,
                  const std::string& article_text) {
  Mention m;
  m.start = sentence.words[begin].start;
  m.end = sentence.words[end - 1].end;
  m.text = article_text.substr(m.start, m.end - m.start);
  return m;
}

const SentenceMention* EntityMentionAt(const SentenceState& sentence, size_t word) {
  for (const auto& m : sentence.mentions) {
    if (m.entity >= 0 && m.begin <= word && word < m.end) return &m;
  }
  return nullptr;
}

void FindMentions(const Lexicon& lexicon, const ArticleState& article, SentenceState* sentence) {
  const auto& words = sentence->words;
  const Gazetteer& gazetteer = lexicon.gazetteer();
  size_t content_words = 0;
  for (const auto& w : words) content_words += w.is_punct ? 0 : 1;
  if (words.empty() || content_words < 3 || words[0].norm == "\xE2\x80\xA2" ||
      words[0].norm == "*" || words[0].norm == "-" || words[0].norm == "\xC2\xB7") {
    sentence->boilerplate = true;
    return;
  }
  std::vector<std::string> tokens = GazetteerTokens(words);
  auto& out = sentence->mentions;

  size_t i = 0;
  while (i < words.size()) {
    const Word& w = words[i];
    if (w.is_punct) { ++i; continue; }

    if (size_t end = MatchDate(words, i); end > i) {
      SentenceMention m;
      m.kind = MentionKind::kDate;
      m.begin = i;
      m.end = end;
      out.push_back(m);
      i = end;
      continue;
    }

    size_t before_head = PrevWord(words, i);
    bool verb_use = before_head < words.size() && kAuxiliaries.count(words[before_head].lower) > 0;
    if (kEventHeads.count(w.lower) > 0 && !verb_use) {
      SentenceMention m;
      m.kind = MentionKind::kEventHead;
      m.begin = i;
      m.end = i + 1;
      m.canonical = w.lower == "meetings" ? "meeting" : w.lower;
      if (w.lower == "summit" && i + 1 < words.size() && words[i + 1].lower == "meeting") {
        m.end = i + 2;
      }
      out.push_back(m);
      i = m.end;
      continue;
    }

    // Gazetteer phrases. Lower-case words only start positions ("chief executive").
    auto match = gazetteer.LongestMatchAt(tokens, i);
    // The tagger's longer name wins over a gazetteer word inside it ("Manchester United",
    // "British Airways", "Michael Jordan"); titles stay the gazetteer's.
    if (match && sentence->tagged && match->entry->label != labels::kPosition) {
      const EntitySpan* span = NerSpanAt(*sentence, i);
      if (span != nullptr && span->begin == i && span->end > match->end &&
          NameShaped(words, i, span->end)) {
        match.reset();
      }
    }
    if (match && (w.capitalized || match->entry->label == labels::kPosition ||
                  std::isdigit(static_cast<unsigned char>(w.norm[0])))) {
      const GazetteerEntry& entry = *match->entry;
      size_t end = match->end;
      // "Washington Post", "Bank of Japan": the gazetteer word is part of a longer name.
      bool part_of_name = end < words.size() && words[end].capitalized &&
                          kOrgHeads.count(words[end].lower) > 0 &&
                          entry.label != labels::kPosition;
      bool code_ok = entry.kind != GazetteerKind::kCode || w.norm.size() == 3 ||
                     w.norm == "US" || w.norm == "UK";
      if (!part_of_name && code_ok) {
        SentenceMention m;
        m.begin = i;
        m.end = end;
        if (entry.label == labels::kPosition) {
          m.kind = MentionKind::kTitle;
          m.canonical = entry.canonical;
        } else if (entry.kind == GazetteerKind::kDemonym) {
          if (end < words.size() && kGovernmentNouns.count(words[end].lower) > 0) {
            m.kind = MentionKind::kName;
            m.label = std::string(labels::kCountry);
            m.canonical = entry.country;
            m.end = end + 1;
          } else {
            m.kind = MentionKind::kDemonym;
            m.country = entry.country;
          }
        } else if (entry.kind == GazetteerKind::kCapital) {
          size_t prev = PrevWord(words, i);
          bool locative = prev < words.size() && kLocatives.count(words[prev].lower) > 0;
          m.kind = MentionKind::kName;
          if (locative) {
            m.label = std::string(labels::kPlace);
            m.canonical = entry.canonical;
          } else {
            // A capital as a sentence actor stands for its government.
            m.label = std::string(labels::kCountry);
            m.canonical = entry.country;
            m.keep_alias = false;
          }
        } else {
          m.kind = MentionKind::kName;
          m.label = entry.label;
          m.canonical = entry.canonical;
          if (entry.label == labels::kCountry && end < words.size() &&
              kGovernmentNouns.count(words[end].lower) > 0) {
            m.end = end + 1;
          }
        }
        if (m.end - m.begin >= 2 && words[m.begin].lower == "the") ++m.begin;
        m.from_gazetteer = true;
        m.possessive = IsPossessive(words, m.end);
        out.push_back(m);
        i = m.end;
        continue;
      }
    }

    if (!IsNameWord(w, i, article) && !(HasUpperAfterHyphen(w.norm) && !w.is_punct)) {
      ++i;
      continue;
    }
    // A run of name words; connectors ("al", "de", "of" after an organisation head) inside.
    // At most kMaxNameRun words: a name is never longer, and each mention rescans its run, so
    // an unbounded run made a sentence of 10,000 capitalised words quadratic (7 s).
    constexpr size_t kMaxNameRun = 16;
    size_t j = i + 1;
    while (j < words.size() && j - i < kMaxNameRun) {
      const Word& next = words[j];
      bool name_like = IsNameWord(next, j, article) || HasUpperAfterHyphen(next.norm);
      if (name_like) {
        auto inner = gazetteer.LongestMatchAt(tokens, j);
        // Stop at a gazetteer phrase ("Shinzo Abe and Russian ..."), unless it continues a
        // name that ends with an organisation head ("Bank of Japan" is handled below).
        if (inner && inner->entry->label != labels::kPosition) break;
        if (inner && inner->entry->label == labels::kPosition) break;
        ++j;
        continue;
      }
      bool connector = kNameConnectors.count(next.lower) > 0 ||
                       (next.lower == "of" && kOrgHeads.count(words[j - 1].lower) > 0);
      if (connector && j + 1 < words.size() && words[j + 1].capitalized &&
          !words[j + 1].is_punct) {
        j += 2;
        continue;
      }
      break;
    }
    // With the tagger: its span decides where the name ends and what it is; a run it does not
    // tag is no name, unless a title or honorific precedes it, a head noun types it, or it is the
    // short form of a full name found elsewhere (decided in pass 2).
    const EntitySpan* span = nullptr;
    if (sentence->tagged) {
      span = NerSpanAt(*sentence, i);
      if (span != nullptr) {
        j = NameShaped(words, i, span->end) ? span->end : std::min<size_t>(j, span->end);
        // "in Harrogate Mr Kennedy": an honorific inside starts another name; what precedes it
        // is left untyped (the span's type belongs to the whole).
        for (size_t k = i + 1; k < j; ++k) {
          if (kHonorifics.count(words[k].lower) > 0) {
            j = k;
            span = nullptr;
            break;
          }
        }
      }
      if (span == nullptr) {
        for (size_t k = i + 1; k < j; ++k) {
          if (NerSpanAt(*sentence, k) != nullptr) {
            j = k;
            break;
          }
        }
      }
    }
    SentenceMention m;
    m.kind = MentionKind::kName;
    m.begin = i;
    m.end = j;
    const std::string& last = words[j - 1].lower;
    size_t prev = PrevWord(words, i);
    bool after_title = !out.empty() && out.back().kind == MentionKind::kTitle &&
                       out.back().end == i;
    bool after_honorific = prev < words.size() && kHonorifics.count(words[prev].lower) > 0;
    bool hyphen_pair = j - i == 1 && HasUpperAfterHyphen(w.norm) &&
                       std::isupper(static_cast<unsigned char>(w.norm[0]));
    bool leader_gov = j - i == 1 && j < words.size() &&
                      (words[j].lower == "administration" || words[j].lower == "government");
    if (!sentence->tagged) {
      // No tagger: capitalisation heuristics alone.
      if (hyphen_pair) {
        m.kind = MentionKind::kCompound;
      } else if (j - i >= 2 && kPlaceHeads.count(last) > 0) {
        m.label = std::string(labels::kPlace);
      } else if (j - i >= 2 && kOrgHeads.count(last) > 0) {
        m.label = std::string(labels::kOrganization);
      } else if (after_title || after_honorific) {
        m.label = std::string(labels::kPerson);
      } else if (leader_gov) {
        m.kind = MentionKind::kLeaderGov;
        m.end = j + 1;
      } else if (j - i >= 2 && j - i <= 4) {
        m.label = std::string(labels::kPerson);
      } else if (j - i == 1 && prev < words.size() && kLocatives.count(words[prev].lower) > 0) {
        m.label = std::string(labels::kPlace);
      }
    } else if (hyphen_pair) {
      // "Abe-Putin" splits into its names in pass 2; when its parts are no names
      // ("Rolls-Royce") it is the name the tagger typed, if any.
      m.kind = MentionKind::kCompound;
      if (span != nullptr) m.short_label = LabelOfNer(span->type);
    } else if (after_title || after_honorific) {
      m.label = std::string(labels::kPerson);
    } else if (leader_gov && (span == nullptr || span->type == EntityType::kPer)) {
      m.kind = MentionKind::kLeaderGov;
      m.end = j + 1;
    } else if (j - i >= 2 && kOrgHeads.count(last) > 0) {
      m.label = std::string(labels::kOrganization);
    } else if (j - i >= 2 && kPlaceHeads.count(last) > 0 &&
               (span == nullptr || span->type != EntityType::kOrg)) {
      m.label = std::string(labels::kPlace);  // but "Hull City" the club stays the tagger's ORG
    } else if (span != nullptr) {
      // "European markets", "Christmas sales": a MISC word used as a modifier is no entity.
      if (span->type == EntityType::kMisc && j - i == 1 && j < words.size() &&
          !words[j].is_punct && !words[j].capitalized &&
          std::isalpha(static_cast<unsigned char>(words[j].norm[0]))) {
        i = j;
        continue;
      }
      m.label = LabelOfNer(span->type);
    } else if (j - i >= 2) {
      i = j;  // an untagged run of capitalised words ("Ad Sales Boost") is no name
      continue;
    } else {
      m.link_only = true;
    }
    // Otherwise the label stays empty: a short name resolved in pass 2.
    std::string name;
    for (size_t k = i; k < j; ++k) {
      if (!name.empty()) name += ' ';
      name += words[k].norm;
    }
    m.canonical = name;
    m.possessive = IsPossessive(words, m.end);
    out.push_back(m);
    i = m.end;
  }
}

void ResolveEntities(ArticleState* article) {
  auto& entities = article->entities;
  const std::string& text = article->doc->text;
  // Full names first, so short forms anywhere in the article can link to them.
  std::map<std::string, std::set<int>> by_last_word;   // persons
  std::map<std::string, std::set<int>> by_first_word;  // multi-word places and organisations
  for (auto& sentence : article->sentences) {
    for (auto& m : sentence.mentions) {
      if (m.kind != MentionKind::kName || m.label.empty()) continue;
      if (!m.from_gazetteer && m.end - m.begin == 1) {
        m.short_label = m.label;  // decided after the full names are known
        m.label.clear();
        continue;
      }
      m.entity = entities.Intern(m.canonical, m.label);
      entities.AddMention(m.entity, MentionOf(sentence, m.begin, m.end, text), m.keep_alias);
      if (m.end - m.begin >= 2 && m.label == labels::kPerson) {
        by_last_word[sentence.words[m.end - 1].norm].insert(m.entity);
      }
      if (m.end - m.begin >= 2 &&
          (m.label == labels::kPlace || m.label == labels::kOrganization)) {
        by_first_word[sentence.words[m.begin].norm].insert(m.entity);
      }
    }
  }
  auto resolve_short = [&](const std::string& word) -> int {
    auto it = by_last_word.find(word);
    if (it != by_last_word.end() && it->second.size() == 1) return *it->second.begin();
    auto jt = by_first_word.find(word);
    if (jt != by_first_word.end() && jt->second.size() == 1) return *jt->second.begin();
    return -1;
  };
  for (auto& sentence : article->sentences) {
    for (auto& m : sentence.mentions) {
      if (m.kind == MentionKind::kName && m.label.empty()) {
        int target = m.end - m.begin == 1 ? resolve_short(sentence.words[m.begin].norm) : -1;
        if (target < 0 && m.link_only) continue;  // dropped below
        if (target < 0) {
          target = entities.Intern(
              m.canonical, m.short_label.empty() ? std::string(labels::kOther) : m.short_label);
        }
        m.entity = target;
        m.label = entities.at(target).label;
        entities.AddMention(target, MentionOf(sentence, m.begin, m.end, text));
      } else if (m.kind == MentionKind::kCompound) {
        const Word& w = sentence.words[m.begin];
        std::vector<std::pair<size_t, size_t>> parts;  // byte ranges within the word
        size_t from = 0;
        for (size_t k = 0; k <= w.text.size(); ++k) {
          if (k == w.text.size() || w.text[k] == '-') {
            parts.emplace_back(from, k);
            from = k + 1;
          }
        }
        std::vector<int> resolved;
        for (auto [b, e] : parts) {
          int target = resolve_short(w.text.substr(b, e - b));
          if (target < 0 || entities.at(target).label != labels::kPerson) {
            resolved.clear();
            break;
          }
          resolved.push_back(target);
        }
        if (resolved.size() < 2 && !m.short_label.empty()) {
          m.kind = MentionKind::kName;
          m.entity = entities.Intern(m.canonical, m.short_label);
          m.label = entities.at(m.entity).label;
          entities.AddMention(m.entity, MentionOf(sentence, m.begin, m.end, text));
        } else if (resolved.size() >= 2) {
          m.compound_entities = resolved;
          for (size_t p = 0; p < parts.size(); ++p) {
            Mention mention;
            mention.start = w.start + static_cast<uint32_t>(parts[p].first);
            mention.end = w.start + static_cast<uint32_t>(parts[p].second);
            mention.text = text.substr(mention.start, mention.end - mention.start);
            entities.AddMention(resolved[p], mention);
          }
        }
      }
    }
    // Untagged words that linked to no full name are no entities.
    auto& mentions = sentence.mentions;
    mentions.erase(std::remove_if(mentions.begin(), mentions.end(),
                                  [](const SentenceMention& m) {
                                    return m.kind == MentionKind::kName && m.entity < 0 &&
                                           m.link_only;
                                  }),
                   mentions.end());
  }
}

}  // namespace kg::extract
