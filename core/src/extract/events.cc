// Events: summits, talks, meetings and conferences, with participants, place and date. Mentions
// of one event across the article are merged ("a planned summit between Abe and Putin in
// Tokyo", "the Abe-Putin meeting", "the summit for Dec. 16"); "another meeting" starts a new one.

#include <algorithm>
#include <cctype>
#include <set>

#include "extract/article.h"
#include "kg/core/labels.h"

namespace kg::extract {
namespace {

struct EventInfo {
  std::string kind;  // summit, talks, meeting, conference
  std::vector<int> participants;
  bool participants_inferred = false;
  int place = -1;
  std::string date;       // ISO "2016-12-16", "--12-16" (year unknown), or a resolved period
  std::string date_text;  // as written
  int entity = -1;
  // (participant, sentence) pairs, (sentence) of place and date, for evidence.
  std::vector<std::pair<int, size_t>> participant_evidence;
  std::vector<size_t> place_evidence;
  std::vector<size_t> date_evidence;
  std::vector<size_t> sentences;
};

const std::set<std::string, std::less<>> kNpModifiers = {
    "planned", "bilateral", "proposed", "first", "second", "third", "annual", "formal",
    "informal", "historic", "upcoming", "two-day", "three-day", "one-day", "trilateral",
    "emergency", "peace", "leaders", "crucial", "key", "landmark", "rare", "brief", "private"};

const std::set<std::string, std::less<>> kDeterminers = {
    "a", "an", "the", "this", "that", "another", "such", "its", "their", "his", "her"};

int MonthNumber(std::string_view word) {
  static const char* kNames[] = {"jan", "feb", "mar", "apr", "may", "jun",
                                 "jul", "aug", "sep", "oct", "nov", "dec"};
  std::string w = Lower(word);
  while (!w.empty() && w.back() == '.') w.pop_back();
  if (w.size() < 3) return 0;
  for (int m = 0; m < 12; ++m) {
    if (w.compare(0, 3, kNames[m]) == 0) return m + 1;
  }
  return 0;
}

// "Dec. 16" / "16 December" (with an optional year) without an article date: "--12-16" or a
// full ISO date when the year is written.
std::string ParseMonthDay(const std::vector<Word>& words, size_t begin, size_t end) {
  int month = 0, day = 0, year = 0;
  for (size_t k = begin; k < end; ++k) {
    const std::string& w = words[k].lower;
    if (int m = MonthNumber(w); m > 0 && month == 0 && !std::isdigit(static_cast<unsigned char>(w[0]))) {
      month = m;
    } else if (!w.empty() && std::all_of(w.begin(), w.end(), ::isdigit)) {
      int v = std::stoi(w);
      if (w.size() == 4) year = v;
      else if (v >= 1 && v <= 31) day = v;
    }
  }
  if (month == 0 || day == 0) return {};
  if (year > 0 && IsValidDate(year, month, day)) return CivilDate{year, month, day}.ToIso();
  char buf[16];
  std::snprintf(buf, sizeof(buf), "--%02d-%02d", month, day);
  return buf;
}

// Shifts an ISO or "--MM-DD" date by `days`; empty when it cannot.
std::string ShiftDate(const std::string& date, int days) {
  if (date.size() == 10) {
    auto d = ParseIsoDate(date);
    if (!d) return {};
    return CivilDate::FromDaysSinceEpoch(d->DaysSinceEpoch() + days).ToIso();
  }
  if (date.size() == 7 && date[0] == '-' && date[1] == '-') {
    // Year unknown: shift within a non-leap year.
    auto d = ParseIsoDate("2001" + date.substr(1));
    if (!d) return {};
    return "--" + CivilDate::FromDaysSinceEpoch(d->DaysSinceEpoch() + days).ToIso().substr(5);
  }
  return {};
}

std::string JoinWords(const std::vector<Word>& words, size_t begin, size_t end) {
  std::string out;
  for (size_t k = begin; k < end; ++k) {
    if (!out.empty()) out += ' ';
    out += words[k].norm;
  }
  return out;
}

bool Contains(const std::vector<int>& v, int x) { return std::find(v.begin(), v.end(), x) != v.end(); }

bool Subset(const std::vector<int>& a, const std::vector<int>& b) {
  return std::all_of(a.begin(), a.end(), [&](int x) { return Contains(b, x); });
}

std::string ShortName(const ExtractedEntity& e) {
  if (e.label != labels::kPerson) return e.name;
  auto pos = e.name.rfind(' ');
  return pos == std::string::npos ? e.name : e.name.substr(pos + 1);
}

int KindRank(const std::string& kind) {
  if (kind == "summit") return 3;
  if (kind == "conference") return 2;
  if (kind == "talks") return 1;
  return 0;
}

}  // namespace

void FindEvents(ArticleState* article) {
  auto& entities = article->entities;
  std::vector<EventInfo> events;
  for (size_t si = 0; si < article->sentences.size(); ++si) {
    auto& s = article->sentences[si];
    if (s.boilerplate) continue;
    int previous_in_sentence = -1;
    for (size_t hi = 0; hi < s.mentions.size(); ++hi) {
      auto& head = s.mentions[hi];
      if (head.kind != MentionKind::kEventHead) continue;
      EventInfo c;
      c.kind = head.canonical;
      // Back over the noun phrase: modifiers, hyphenated name pairs, up to a determiner.
      std::string det;
      size_t p = head.begin;
      while (p > 0) {
        const Word& w = s.words[p - 1];
        const SentenceMention* compound = nullptr;
        for (const auto& m : s.mentions) {
          if (m.kind == MentionKind::kCompound && m.end == p) compound = &m;
        }
        if (compound != nullptr) {
          for (int e : compound->compound_entities) {
            if (!Contains(c.participants, e)) c.participants.push_back(e);
          }
          p = compound->begin;
          continue;
        }
        if (kNpModifiers.count(w.lower) > 0) {
          --p;
          continue;
        }
        if (kDeterminers.count(w.lower) > 0) det = w.lower;
        break;
      }
      // After the head: "between X and Y", "with X", "in <place>", a date.
      size_t q = head.end;
      auto take_participant = [&](size_t at) -> size_t {
        const SentenceMention* m = EntityMentionAt(s, at);
        if (m == nullptr || m->begin != at) return at;
        const auto& label = entities.at(m->entity).label;
        if (label == labels::kPerson || label == labels::kCountry ||
            label == labels::kOrganization || label == labels::kGroup) {
          if (!Contains(c.participants, m->entity)) c.participants.push_back(m->entity);
        }
        return m->end;
      };
      auto skip_title = [&](size_t at) {
        for (const auto& m : s.mentions) {
          if (m.begin == at && (m.kind == MentionKind::kTitle || m.kind == MentionKind::kDemonym)) {
            return m.end;
          }
        }
        return at;
      };
      if (q < s.words.size() && s.words[q].lower == "between") {
        ++q;
        for (int n = 0; n < 2 && q < s.words.size(); ++n) {
          if (s.words[q].lower == "the") ++q;
          for (size_t guard = 0; guard < 3; ++guard) q = skip_title(q);
          size_t next = take_participant(q);
          if (next == q) break;
          q = next;
          if (q < s.words.size() && s.words[q].lower == "and") ++q;
        }
      } else if (q < s.words.size() && s.words[q].lower == "with") {
        size_t r = q + 1;
        for (size_t guard = 0; guard < 3; ++guard) r = skip_title(r);
        size_t next = take_participant(r);
        if (next != r) q = next;
      }
      for (size_t r = q; r < s.words.size() && r < q + 8; ++r) {
        const std::string& w = s.words[r].lower;
        if (w == "," || w == "." || w == ";" || w == "but") break;
        bool next_head = false;
        for (const auto& m : s.mentions) {
          if (m.begin == r && m.kind == MentionKind::kEventHead) next_head = true;
        }
        if (next_head) break;
        if ((w == "in" || w == "at") && c.place < 0) {
          size_t t = r + 1;
          if (t < s.words.size() && s.words[t].lower == "the") ++t;
          const SentenceMention* m = EntityMentionAt(s, t);
          if (m != nullptr && m->begin == t) {
            const auto& label = entities.at(m->entity).label;
            if (label == labels::kPlace || label == labels::kCountry) c.place = m->entity;
          }
        }
        for (const auto& m : s.mentions) {
          if (m.begin != r || m.kind != MentionKind::kDate || !c.date_text.empty()) continue;
          c.date_text = JoinWords(s.words, m.begin, m.end);
          std::string lower = Lower(c.date_text);
          if (lower == "the previous day" || lower == "the day before") {
            if (previous_in_sentence >= 0) c.date = ShiftDate(events[previous_in_sentence].date, -1);
          } else if (lower == "the following day" || lower == "the next day" ||
                     lower == "the day after") {
            if (previous_in_sentence >= 0) c.date = ShiftDate(events[previous_in_sentence].date, 1);
          } else if (article->anchor) {
            if (auto resolved = ResolveDatePhrase(c.date_text, *article->anchor)) {
              c.date = resolved->ToString();
            }
          } else {
            c.date = ParseMonthDay(s.words, m.begin, m.end);
          }
        }
      }
      // Merge with an earlier mention of the same event, or start a new one.
      bool has_info = !c.participants.empty() || c.place >= 0;
      auto compatible = [&](const EventInfo& e) {
        if (c.place >= 0 && e.place >= 0 && c.place != e.place) return false;
        if (!c.date.empty() && !e.date.empty() && c.date != e.date) return false;
        if (!c.participants.empty() && !e.participants.empty() &&
            !Subset(c.participants, e.participants) && !Subset(e.participants, c.participants)) {
          return false;
        }
        return true;
      };
      int target = -1;
      if (det != "another") {
        if (!c.participants.empty()) {
          for (size_t e = 0; e < events.size() && target < 0; ++e) {
            if (compatible(events[e]) && !events[e].participants.empty()) target = static_cast<int>(e);
          }
        }
        if (target < 0 && c.place >= 0) {
          for (size_t e = events.size(); e-- > 0 && target < 0;) {
            if (compatible(events[e]) && events[e].place == c.place) target = static_cast<int>(e);
          }
        }
        if (target < 0 && !has_info && (det == "the" || det == "this" || det == "that")) {
          for (size_t e = events.size(); e-- > 0 && target < 0;) {
            if (compatible(events[e]) && events[e].kind == c.kind) target = static_cast<int>(e);
          }
          for (size_t e = events.size(); e-- > 0 && target < 0;) {
            if (compatible(events[e])) target = static_cast<int>(e);
          }
        }
      }
      if (target < 0) {
        if (!has_info && det != "another") continue;
        if (c.participants.empty() && det == "another" && !events.empty()) {
          c.participants = events.back().participants;
          c.participants_inferred = true;
        }
        if (!has_info && c.participants.empty()) continue;
        events.push_back(EventInfo{});
        target = static_cast<int>(events.size() - 1);
        events[target].kind = c.kind;
        events[target].participants_inferred = c.participants_inferred;
      }
      EventInfo& e = events[static_cast<size_t>(target)];
      if (KindRank(c.kind) > KindRank(e.kind)) e.kind = c.kind;
      for (int participant : c.participants) {
        if (!Contains(e.participants, participant)) e.participants.push_back(participant);
        if (!c.participants_inferred) e.participant_evidence.emplace_back(participant, si);
      }
      if (c.place >= 0 && e.place < 0) e.place = c.place;
      if (c.place >= 0) e.place_evidence.push_back(si);
      if (!c.date.empty() && e.date.empty()) {
        e.date = c.date;
        e.date_text = c.date_text;
      }
      if (!c.date.empty()) e.date_evidence.push_back(si);
      if (std::find(e.sentences.begin(), e.sentences.end(), si) == e.sentences.end()) {
        e.sentences.push_back(si);
      }
      head.entity = -2 - target;  // resolved to the event's entity below
      previous_in_sentence = target;
    }
  }

  // Name each event once its facts are known; names are unique enough to merge across
  // articles only when participants, kind, place and date (or, undated, the day it was
  // reported) all agree.
  for (size_t k = 0; k < events.size(); ++k) {
    auto& e = events[k];
    std::string name;
    std::vector<std::string> people;
    for (int p : e.participants) people.push_back(ShortName(entities.at(p)));
    for (size_t n = 0; n < people.size(); ++n) name += (n ? "-" : "") + people[n];
    name += name.empty() ? e.kind : " " + e.kind;
    if (e.place >= 0) name += " in " + entities.at(e.place).name;
    if (!e.date.empty()) {
      name += " on " + e.date;
    } else if (article->anchor) {
      // Undated, an event is known from its article alone: "meeting in London" of six BBC
      // articles was six meetings, one node. Reports of one day may tell of one event.
      name += ", reported " + article->anchor->ToIso();
    } else if (!article->doc->id.empty()) {
      name += " (" + article->doc->id + ")";
    }
    e.entity = entities.Intern(name, std::string(labels::kEvent));
    auto& props = entities.at(e.entity).properties;
    props["kind"] = e.kind;
    if (!e.date.empty()) props["date"] = e.date;
    if (!e.date_text.empty()) props["date_text"] = e.date_text;
    if (e.place >= 0) props["place"] = entities.at(e.place).name;
  }
  for (auto& s : article->sentences) {
    for (auto& m : s.mentions) {
      if (m.kind == MentionKind::kEventHead && m.entity <= -2) {
        auto& e = events[static_cast<size_t>(-2 - m.entity)];
        m.entity = e.entity;
        entities.AddMention(e.entity, MentionOf(s, m.begin, m.end, article->doc->text), false);
      }
    }
  }
  for (const auto& e : events) {
    double inferred = e.participants_inferred ? 0.6 : 0.85;
    for (const auto& [participant, si] : e.participant_evidence) {
      article->relations.Add("PARTICIPANT_IN", participant, e.entity, EmptyProperties(),
                             MakeEvidence(article->sentences[si], "pattern:event_participants",
                                          0.85));
    }
    if (e.participants_inferred) {
      for (int participant : e.participants) {
        article->relations.Add("PARTICIPANT_IN", participant, e.entity, EmptyProperties(),
                               MakeEvidence(article->sentences[e.sentences.front()],
                                            "pattern:event_another_same_parties", inferred));
      }
    }
    for (size_t si : e.place_evidence) {
      article->relations.Add("HELD_IN", e.entity, e.place, EmptyProperties(),
                             MakeEvidence(article->sentences[si], "pattern:event_place", 0.85));
    }
    if (e.date.size() == 10) {
      int date = entities.Intern(e.date, std::string(labels::kDate));
      for (size_t si : e.date_evidence) {
        article->relations.Add("ON_DATE", e.entity, date, EmptyProperties(),
                               MakeEvidence(article->sentences[si], "pattern:event_date", 0.8));
      }
    }
    // MEETS between the people who take part.
    for (size_t a = 0; a < e.participants.size(); ++a) {
      for (size_t b = a + 1; b < e.participants.size(); ++b) {
        int pa = e.participants[a], pb = e.participants[b];
        if (entities.at(pa).label != labels::kPerson || entities.at(pb).label != labels::kPerson) {
          continue;
        }
        Properties props = EmptyProperties();
        props["event"] = entities.at(e.entity).name;
        article->relations.Add("MEETS", pa, pb, props,
                               MakeEvidence(article->sentences[e.sentences.front()],
                                            "pattern:event_participants", inferred));
      }
    }
  }
}

}  // namespace kg::extract
