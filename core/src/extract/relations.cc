// MEMBER_OF, STANCE, ANNEXED, PART_OF / LOCATED_IN: patterns over the words and resolved
// mentions of one sentence. Each pattern is general English syntax, tested on sentences of its
// own in tests/core/relation_patterns_test.cc.

#include <algorithm>
#include <initializer_list>
#include <set>
#include <string_view>

#include "extract/article.h"
#include "kg/core/labels.h"

namespace kg::extract {
namespace {

using WordList = std::vector<std::string_view>;

// True when the lower-cased words from `at` are `pattern` (any random-access list of strings).
template <typename Pattern>
bool WordsAt(const SentenceState& s, size_t at, const Pattern& pattern) {
  if (at + pattern.size() > s.words.size()) return false;
  for (size_t k = 0; k < pattern.size(); ++k) {
    if (s.words[at + k].lower != pattern.begin()[k]) return false;
  }
  return true;
}
// A literal pattern, {"members", "of"}: no vector or strings built per call (these are tested
// at every word of every sentence).
bool WordsAt(const SentenceState& s, size_t at, std::initializer_list<std::string_view> pattern) {
  return WordsAt<std::initializer_list<std::string_view>>(s, at, pattern);
}

const SentenceMention* EntityStartingAt(const SentenceState& s, size_t begin) {
  for (const auto& m : s.mentions) {
    if (m.begin == begin && m.entity >= 0) return &m;
  }
  return nullptr;
}

const SentenceMention* EntityEndingAt(const SentenceState& s, size_t end) {
  for (const auto& m : s.mentions) {
    if (m.end == end && m.entity >= 0 && m.kind != MentionKind::kEventHead) return &m;
  }
  return nullptr;
}

const std::set<std::string, std::less<>> kDeterminers = {"the", "a", "an", "its", "their",
                                                         "his", "her", "this", "that"};

// Parses "X, Y(,) and Z" from `at`; returns the entities (Country/Organization/Person/Group/
// Place) in order and sets *end past the list.
std::vector<int> ParseList(const ArticleState& article, const SentenceState& s, size_t at,
                           size_t* end) {
  std::vector<int> items;
  size_t p = at;
  while (p < s.words.size()) {
    const std::string& w = s.words[p].lower;
    if (w == "," || w == "and" || w == "the" || w == "as" || w == "well" || w == "plus") {
      ++p;
      continue;
    }
    const SentenceMention* m = EntityStartingAt(s, p);
    if (m == nullptr || m->kind == MentionKind::kEventHead) break;
    const auto& label = article.entities.at(m->entity).label;
    if (label == labels::kPosition || label == labels::kDate || label == labels::kEvent) break;
    items.push_back(m->entity);
    p = m->end;
  }
  // Do not count trailing connectors as part of the list.
  while (p > at && (s.words[p - 1].lower == "," || s.words[p - 1].lower == "and" ||
                    s.words[p - 1].lower == "the")) {
    --p;
  }
  *end = p;
  return items;
}

bool IsGroupLike(const std::string& label) {
  return label == labels::kGroup || label == labels::kOrganization;
}

// The actor "its"/"their" refers to: the nearest Country/Organization/Group before `at`.
int NearestActorBefore(const ArticleState& article, const SentenceState& s, size_t at,
                       int exclude) {
  int found = -1;
  for (const auto& m : s.mentions) {
    if (m.entity < 0 || m.end > at || m.entity == exclude || m.kind == MentionKind::kEventHead) {
      continue;
    }
    const auto& label = article.entities.at(m.entity).label;
    if (label == labels::kCountry || label == labels::kOrganization || label == labels::kGroup) {
      found = m.entity;
    }
  }
  return found;
}

const std::set<std::string, std::less<>> kClauseBreaks = {"but", ";", "while", "whereas",
                                                          "although", "though", "however"};

// The subject of the clause holding word `at`: the first actor after the last clause break
// before it, skipping "according to X".
int ClauseSubject(const ArticleState& article, const SentenceState& s, size_t at, int exclude) {
  size_t clause_start = 0;
  for (size_t k = 0; k < at; ++k) {
    if (kClauseBreaks.count(s.words[k].lower) > 0) clause_start = k + 1;
  }
  for (int pass = 0; pass < 2; ++pass) {
    size_t from = pass == 0 ? clause_start : 0;
    for (const auto& m : s.mentions) {
      if (m.begin < from || m.begin >= at || m.entity < 0 || m.entity == exclude ||
          m.kind == MentionKind::kEventHead) {
        continue;
      }
      if (m.begin >= 2 && s.words[m.begin - 1].lower == "to" &&
          s.words[m.begin - 2].lower == "according") {
        continue;
      }
      if (IsActorLabel(article.entities.at(m.entity).label)) return m.entity;
    }
    if (clause_start == 0) break;
  }
  return -1;
}

}  // namespace

void FindMemberships(ArticleState* article) {
  static const std::vector<WordList> kListTriggers = {
      {"groups"},           {"includes"},          {"include"},
      {"comprises"},        {"consists", "of"},    {"is", "made", "up", "of"},
      {"brings", "together"}, {"members", "include"}, {"members", "are"},
      {"members", ":"},     {"member", "states", "are"}, {"member", "countries", "are"},
      {"members", "include", ":"}};
  for (const auto& s : article->sentences) {
    if (s.boilerplate) continue;
    for (const auto& g : s.mentions) {
      if (g.entity < 0 || g.kind == MentionKind::kEventHead ||
          !IsGroupLike(article->entities.at(g.entity).label)) {
        continue;
      }
      size_t at = g.end;
      if (at < s.words.size() && s.words[at].norm == "'s") ++at;
      for (const auto& trigger : kListTriggers) {
        if (!WordsAt(s, at, trigger)) continue;
        size_t end = 0;
        auto members = ParseList(*article, s, at + trigger.size(), &end);
        if (members.size() < 2) continue;
        for (int member : members) {
          article->relations.Add("MEMBER_OF", member, g.entity, EmptyProperties(),
                                 MakeEvidence(s, "pattern:member_enumeration", 0.9));
        }
        break;
      }
    }
    // "members of G include X, Y and Z"
    for (size_t k = 0; k + 2 < s.words.size(); ++k) {
      if (!WordsAt(s, k, {"members", "of"})) continue;
      size_t g_at = k + 2;
      if (s.words[g_at].lower == "the") ++g_at;
      const SentenceMention* g = EntityStartingAt(s, g_at);
      if (g == nullptr || !IsGroupLike(article->entities.at(g->entity).label)) continue;
      size_t v = g->end;
      if (!(WordsAt(s, v, {"include"}) || WordsAt(s, v, {"are"}))) continue;
      size_t end = 0;
      auto members = ParseList(*article, s, v + 1, &end);
      if (members.size() < 2) continue;
      for (int member : members) {
        article->relations.Add("MEMBER_OF", member, g->entity, EmptyProperties(),
                               MakeEvidence(s, "pattern:member_enumeration", 0.9));
      }
    }
    // "X, a member of G" / "X is a member of G" / "X became a member of G"
    for (size_t k = 0; k + 2 < s.words.size(); ++k) {
      if (!WordsAt(s, k, {"member", "of"})) continue;
      size_t g_at = k + 2;
      if (g_at < s.words.size() && s.words[g_at].lower == "the") ++g_at;
      const SentenceMention* g = EntityStartingAt(s, g_at);
      if (g == nullptr || !IsGroupLike(article->entities.at(g->entity).label)) continue;
      if (k < 2 || (s.words[k - 1].lower != "a" && s.words[k - 1].lower != "an")) continue;
      size_t x_end = k - 1;
      if (x_end > 0 && (s.words[x_end - 1].lower == "also" || s.words[x_end - 1].lower == "founding")) {
        --x_end;
      }
      if (x_end == 0) continue;
      const std::string& link = s.words[x_end - 1].lower;
      if (link == "," || link == "is" || link == "was" || link == "became" || link == "remains") {
        const SentenceMention* x = EntityEndingAt(s, x_end - 1);
        if (x != nullptr && x->entity != g->entity) {
          article->relations.Add("MEMBER_OF", x->entity, g->entity, EmptyProperties(),
                                 MakeEvidence(s, "pattern:member_apposition", 0.85));
        }
      }
    }
  }
}

void FindStances(const Lexicon& lexicon, ArticleState* article) {
  auto& entities = article->entities;
  for (const auto& s : article->sentences) {
    if (s.boilerplate) continue;
    int last_object = -1;
    size_t k = 0;
    while (k < s.words.size()) {
      const StanceCue* cue = nullptr;
      if (const auto* candidates = lexicon.CuesStartingWith(s.words[k].lower)) {
        for (uint32_t c : *candidates) {
          if (WordsAt(s, k, lexicon.stance_cues()[c].words)) {
            cue = &lexicon.stance_cues()[c];
            break;
          }
        }
      }
      if (cue == nullptr) {
        ++k;
        continue;
      }
      size_t cue_begin = k;
      size_t cue_end = k + cue->words.size();
      k = cue_end;
      std::string cue_text;
      for (size_t w = cue_begin; w < cue_end; ++w) {
        if (!cue_text.empty()) cue_text += ' ';
        cue_text += s.words[w].lower;
      }
      // The object: the first entity or event within the next few words of the same phrase.
      std::vector<int> objects;
      for (size_t p = cue_end; p < s.words.size() && p < cue_end + 7; ++p) {
        const std::string& w = s.words[p].lower;
        if (w == "," || w == "." || w == "that" || w == "which" || w == "who" || w == "because" ||
            w == "but" || w == ";" || w == "over" || w == "for") {
          break;
        }
        // "opposition to the treaty with Libya": the object is the treaty, not Libya.
        if (p > cue_end && !cue->mutual &&
            (w == "with" || w == "between" || w == "of" || w == "in" || w == "on" || w == "at" ||
             w == "from" || w == "by")) {
          break;
        }
        const SentenceMention* m = EntityStartingAt(s, p);
        if (m == nullptr) continue;
        const auto& label = entities.at(m->entity).label;
        if (label == labels::kPosition || label == labels::kDate) continue;
        objects.push_back(m->entity);
        p = m->end - 1;
        if (!cue->mutual || objects.size() == 2) break;
      }
      if (objects.empty()) continue;
      Properties edge = EmptyProperties();
      edge["polarity"] = cue->polarity > 0 ? "positive" : "negative";
      Properties evidence_props = EmptyProperties();
      evidence_props["cue"] = cue_text;
      if (cue->mutual) {
        if (objects.size() == 2) {
          article->relations.Add("STANCE", objects[0], objects[1], edge,
                                 MakeEvidence(s, "pattern:stance_mutual", 0.7, evidence_props));
          article->relations.Add("STANCE", objects[1], objects[0], edge,
                                 MakeEvidence(s, "pattern:stance_mutual", 0.7, evidence_props));
        }
        continue;
      }
      int object = objects[0];
      // The holder: "U.S. opposition", "Washington's objection"; "its objection" -> the nearest
      // actor; "critical of X for backing Y" -> X backs Y; else the clause subject.
      int holder = -1;
      std::string rule = "pattern:stance_subject";
      size_t before = cue_begin;
      if (before > 0 && s.words[before - 1].norm == "'s") --before;
      const SentenceMention* demonym = nullptr;
      for (const auto& m : s.mentions) {
        if (m.kind == MentionKind::kDemonym && m.end == cue_begin) demonym = &m;
      }
      if (const SentenceMention* m = EntityEndingAt(s, before);
          m != nullptr && before > 0 && IsActorLabel(entities.at(m->entity).label)) {
        holder = m->entity;
        rule = "pattern:stance_possessor";
      } else if (demonym != nullptr) {
        // "French opposition to X": France.
        holder = entities.Intern(demonym->country, std::string(labels::kCountry));
        rule = "pattern:stance_possessor";
      } else if (cue_begin > 0 && (s.words[cue_begin - 1].lower == "its" ||
                                   s.words[cue_begin - 1].lower == "their")) {
        holder = NearestActorBefore(*article, s, cue_begin, object);
        rule = "pattern:stance_possessor";
      } else if (cue_begin > 0 && last_object >= 0 &&
                 (s.words[cue_begin - 1].lower == "for" || s.words[cue_begin - 1].lower == "over") &&
                 s.words[cue_begin].lower.size() > 3 &&
                 s.words[cue_begin].lower.compare(s.words[cue_begin].lower.size() - 3, 3, "ing") == 0) {
        holder = last_object;
        rule = "pattern:stance_criticised_for";
      }
      if (holder < 0) holder = ClauseSubject(*article, s, cue_begin, object);
      last_object = object;
      if (holder < 0 || holder == object) continue;
      double confidence = rule == "pattern:stance_subject" ? 0.7 : 0.8;
      article->relations.Add("STANCE", holder, object, edge,
                             MakeEvidence(s, rule, confidence, evidence_props));
      // A head of state or government speaks for the country.
      auto leader = article->leader_of.find(holder);
      if (leader != article->leader_of.end() && leader->second != object) {
        Properties via = evidence_props;
        via["via"] = entities.at(holder).name;
        article->relations.Add("STANCE", leader->second, object, edge,
                               MakeEvidence(s, "pattern:stance_via_leader", confidence * 0.9, via));
      }
    }
  }
}

void FindAnnexations(ArticleState* article) {
  auto& entities = article->entities;
  for (const auto& s : article->sentences) {
    if (s.boilerplate) continue;
    for (size_t k = 0; k < s.words.size(); ++k) {
      const std::string& w = s.words[k].lower;
      // Most words are none of the five: one prefix test instead of five comparisons (they
      // were 1.4 % of an ingest's instructions).
      if (w.size() < 5 || w.compare(0, 5, "annex") != 0) continue;
      bool noun = w == "annexation";
      bool verb = w == "annexed" || w == "annexes" || w == "annexing" || w == "annex";
      if (!noun && !verb) continue;
      size_t t = k + 1;
      if (noun) {
        if (!WordsAt(s, t, {"of"})) continue;
        ++t;
      }
      if (t < s.words.size() && s.words[t].lower == "the") ++t;
      const SentenceMention* target = EntityStartingAt(s, t);
      if (target == nullptr || target->kind == MentionKind::kEventHead) continue;
      int annexer = -1;
      size_t after = target->end;
      if (noun && WordsAt(s, after, {"by"})) {
        const SentenceMention* by = EntityStartingAt(s, after + 1);
        if (by == nullptr && after + 2 < s.words.size() && s.words[after + 1].lower == "the") {
          by = EntityStartingAt(s, after + 2);
        }
        if (by != nullptr) annexer = by->entity;
      }
      size_t before = k;
      if (annexer < 0 && before > 0 && s.words[before - 1].norm == "'s") {
        if (const auto* m = EntityEndingAt(s, before - 1)) annexer = m->entity;
      }
      if (annexer < 0 && before > 0 &&
          (s.words[before - 1].lower == "its" || s.words[before - 1].lower == "their")) {
        annexer = NearestActorBefore(*article, s, before - 1, target->entity);
      }
      if (annexer < 0 && verb) {
        annexer = NearestActorBefore(*article, s, k, target->entity);
      }
      if (annexer < 0 || annexer == target->entity) continue;
      if (entities.at(target->entity).label == labels::kOther) {
        entities.at(target->entity).label = std::string(labels::kPlace);
      }
      Properties props = EmptyProperties();
      // "in 2014" right after the annexed place.
      for (const auto& m : s.mentions) {
        if (m.kind == MentionKind::kDate && m.begin >= after && m.begin <= after + 2) {
          const std::string& year = s.words[m.end - 1].lower;
          if (year.size() == 4 && std::all_of(year.begin(), year.end(), ::isdigit)) {
            props["year"] = std::stoi(year);
          }
        }
      }
      article->relations.Add("ANNEXED", annexer, target->entity, props,
                             MakeEvidence(s, noun ? "pattern:annexation_of" : "pattern:annexed",
                                          0.85));
    }
  }
}

void FindPartOf(const Lexicon& lexicon, ArticleState* article) {
  auto& entities = article->entities;
  for (const auto& s : article->sentences) {
    if (s.boilerplate) continue;
    for (const auto& m : s.mentions) {
      if (m.entity < 0 || m.kind != MentionKind::kName) continue;
      if (entities.at(m.entity).label != labels::kPlace) continue;
      // "Yamaguchi Prefecture": the designation names the country.
      if (m.end - m.begin >= 2) {
        std::string country = lexicon.CountryOfDesignation(s.words[m.end - 1].norm);
        if (!country.empty()) {
          if (auto c = entities.Find(country); c && entities.at(*c).label == labels::kCountry) {
            Properties ev = EmptyProperties();
            ev["designation"] = s.words[m.end - 1].norm;
            article->relations.Add("PART_OF", m.entity, *c, EmptyProperties(),
                                   MakeEvidence(s, "lexicon:admin_division", 0.8, ev));
          }
        }
      }
      // "Perugia, Italy" / "in Osaka, Japan".
      if (m.end + 1 < s.words.size() && s.words[m.end].norm == ",") {
        const SentenceMention* c = EntityStartingAt(s, m.end + 1);
        if (c != nullptr && c->kind == MentionKind::kName &&
            entities.at(c->entity).label == labels::kCountry &&
            (c->end >= s.words.size() || s.words[c->end].is_punct)) {
          article->relations.Add("LOCATED_IN", m.entity, c->entity, EmptyProperties(),
                                 MakeEvidence(s, "pattern:place_comma_country", 0.8));
        }
      }
    }
  }
}

}  // namespace kg::extract
