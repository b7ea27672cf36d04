#include "kg/core/ingest_pipeline.h"

#include <algorithm>
#include <cctype>
#include <chrono>
#include <condition_variable>
#include <deque>
#include <exception>
#include <thread>
#include <unordered_map>
#include <unordered_set>

#include "kg/core/text_pipeline.h"

namespace kg {

void ProblemLog::Add(const std::string& where, const std::string& reason) {
  std::lock_guard<std::mutex> lock(mu_);
  ++count_;
  ++reasons_[ProblemClass(reason)];
  if (on_problem_) on_problem_(where, reason);
}

uint64_t ProblemLog::count() const {
  std::lock_guard<std::mutex> lock(mu_);
  return count_;
}

std::map<std::string, uint64_t> ProblemLog::reasons() const {
  std::lock_guard<std::mutex> lock(mu_);
  return reasons_;
}

std::string ProblemClass(const std::string& reason) {
  size_t stop = reason.find_first_of(":(");
  std::string head = reason.substr(0, stop);
  while (!head.empty() && head.back() == ' ') head.pop_back();
  std::string out;
  for (size_t i = 0; i < head.size(); ++i) {
    if (std::isdigit(static_cast<unsigned char>(head[i]))) {
      if (out.empty() || out.back() != 'N') out.push_back('N');
      continue;
    }
    out.push_back(head[i]);
  }
  return out;
}

namespace {

using Clock = std::chrono::steady_clock;

// What a worker made of one article.
struct Outcome {
  enum class Kind { kExtracted, kPresent, kFailed };
  Kind kind = Kind::kFailed;
  Extraction extraction;
  std::string where;   // the article's origin, for problems
  std::string hash;    // content hash
  std::string reason;  // kFailed
};

class Pipeline {
 public:
  Pipeline(DumpReader& reader, const Extractor& extractor, ArticleSink& sink,
           const IngestOptions& options)
      : reader_(reader), extractor_(extractor), sink_(sink), options_(options) {
    unsigned hardware = std::max(1u, std::thread::hardware_concurrency());
    workers_ = options.workers > 0 ? options.workers : static_cast<int>(hardware);
    max_in_flight_ = options.max_in_flight > 0 ? options.max_in_flight
                                               : static_cast<size_t>(4 * workers_ + 4);
  }

  Result<IngestSummary> Run() {
    start_ = Clock::now();
    counters_.input_bytes_total = reader_.total_input_bytes();
    std::thread reader_thread([this] { ReadLoop(); });
    std::vector<std::thread> worker_threads;
    for (int i = 0; i < workers_; ++i) worker_threads.emplace_back([this] { WorkLoop(); });
    WriteLoop();
    {
      std::lock_guard<std::mutex> lock(mu_);
      stop_ = true;
    }
    cv_.notify_all();
    reader_thread.join();
    for (auto& thread : worker_threads) thread.join();
    if (!fatal_.ok()) return fatal_;
    IngestSummary summary;
    UpdateShared();
    if (!cancelled_ && counters_.input_bytes_total) {
      counters_.input_bytes_done = *counters_.input_bytes_total;  // all read
    }
    summary.counters = counters_;
    if (options_.problems) summary.bad_reasons = options_.problems->reasons();
    summary.cancelled = cancelled_;
    if (options_.on_progress) options_.on_progress(summary.counters);
    return summary;
  }

 private:
  void Fail(Status status) {
    std::lock_guard<std::mutex> lock(mu_);
    if (fatal_.ok()) fatal_ = std::move(status);
    stop_ = true;
    cv_.notify_all();
  }

  void ReadLoop() {
    uint64_t seq = 0;
    while (true) {
      {
        std::unique_lock<std::mutex> lock(mu_);
        cv_.wait(lock, [&] { return stop_ || in_flight_ < max_in_flight_; });
        if (stop_) break;
      }
      if (options_.cancel != nullptr && options_.cancel->load()) {
        cancelled_ = true;
        break;
      }
      Result<std::optional<Article>> next = reader_.Next();
      reader_problems_.store(reader_.stats().problems);
      input_bytes_done_.store(reader_.stats().input_bytes_done);
      if (!next) {
        Fail(next.error());
        break;
      }
      if (!next->has_value()) break;
      articles_read_.fetch_add(1);
      text_bytes_.fetch_add((*next)->text.size());
      {
        std::lock_guard<std::mutex> lock(mu_);
        work_.emplace_back(seq++, std::move(**next));
        ++in_flight_;
      }
      cv_.notify_all();
    }
    std::lock_guard<std::mutex> lock(mu_);
    reader_done_ = true;
    total_ = seq;
    cv_.notify_all();
  }

  void WorkLoop() {
    while (true) {
      std::pair<uint64_t, Article> item;
      {
        std::unique_lock<std::mutex> lock(mu_);
        cv_.wait(lock, [&] { return stop_ || !work_.empty() || reader_done_; });
        if (stop_ || work_.empty()) return;
        item = std::move(work_.front());
        work_.pop_front();
      }
      Outcome outcome = Process(item.second);
      {
        std::lock_guard<std::mutex> lock(mu_);
        done_.emplace(item.first, std::move(outcome));
      }
      cv_.notify_all();
    }
  }

  Outcome Process(Article& article) {
    Outcome outcome;
    outcome.where = article.origin;
    DocumentInfo doc = ToDocumentInfo(article);
    outcome.hash = doc.content_hash;
    Result<bool> present = sink_.Contains(doc.content_hash);
    if (!present) {
      Fail(present.error());
      return outcome;
    }
    if (*present) {
      outcome.kind = Outcome::Kind::kPresent;
      return outcome;
    }
    try {
      AnnotatedText annotated =
          extractor_.needs_tokens() ? AnnotateText(doc.text) : AnnotateSentences(doc.text);
      outcome.extraction = extractor_.Extract(doc, annotated);
      outcome.extraction.doc = std::move(doc);
      outcome.kind = Outcome::Kind::kExtracted;
    } catch (const std::exception& e) {
      outcome.kind = Outcome::Kind::kFailed;
      outcome.reason = std::string("extraction failed: ") + e.what();
    }
    return outcome;
  }

  void UpdateShared() {
    counters_.articles_read = articles_read_.load();
    counters_.text_bytes = text_bytes_.load();
    counters_.input_bytes_done = input_bytes_done_.load();
    counters_.bad = (options_.problems ? options_.problems->count()
                                       : reader_problems_.load() + extraction_failures_);
    counters_.seconds = std::chrono::duration<double>(Clock::now() - start_).count();
  }

  void WriteLoop() {
    uint64_t next = 0;
    auto interval = std::chrono::milliseconds(std::max(10, options_.progress_interval_ms));
    auto last_progress = Clock::now();
    while (true) {
      Outcome outcome;
      {
        std::unique_lock<std::mutex> lock(mu_);
        while (true) {
          if (stop_) return;
          if (done_.count(next) > 0) break;
          if (reader_done_ && next == total_) return;
          cv_.wait_for(lock, interval);
          if (Clock::now() - last_progress >= interval && options_.on_progress) {
            lock.unlock();
            UpdateShared();
            options_.on_progress(counters_);
            last_progress = Clock::now();
            lock.lock();
          }
        }
        auto it = done_.find(next);
        outcome = std::move(it->second);
        done_.erase(it);
      }
      if (!Handle(outcome)) return;
      {
        std::lock_guard<std::mutex> lock(mu_);
        --in_flight_;
        ++next;
      }
      cv_.notify_all();
      if (options_.on_progress && Clock::now() - last_progress >= interval) {
        UpdateShared();
        options_.on_progress(counters_);
        last_progress = Clock::now();
      }
    }
  }

  // Returns false when the run must stop.
  bool Handle(Outcome& outcome) {
    switch (outcome.kind) {
      case Outcome::Kind::kPresent:
        if (written_this_run_.count(HashKey(outcome.hash)) > 0) {
          ++counters_.skipped_duplicate;
        } else {
          ++counters_.skipped_present;
        }
        return true;
      case Outcome::Kind::kFailed:
        ++extraction_failures_;
        if (options_.problems) options_.problems->Add(outcome.where, outcome.reason);
        if (options_.strict) {
          Fail(Status::InvalidArgument(outcome.where + ": " + outcome.reason));
          return false;
        }
        return true;
      case Outcome::Kind::kExtracted:
        break;
    }
    Result<SinkWriteResult> written = sink_.Write(outcome.extraction);
    if (!written) {
      Fail(Status(written.error()));
      return false;
    }
    if (written->already_present) {
      // The worker saw it absent, so an earlier article of this run stored the same text.
      ++counters_.skipped_duplicate;
      return true;
    }
    ++counters_.ingested;
    written_this_run_.insert(HashKey(outcome.hash));
    counters_.entities_added += written->entities_added;
    counters_.entities_merged += written->entities_merged;
    counters_.edges_added += written->edges_added;
    counters_.evidence_added += written->evidence_added;
    return true;
  }

  DumpReader& reader_;
  const Extractor& extractor_;
  ArticleSink& sink_;
  const IngestOptions& options_;
  int workers_ = 1;
  size_t max_in_flight_ = 8;
  Clock::time_point start_;

  std::mutex mu_;
  std::condition_variable cv_;
  // Guarded by mu_.
  std::deque<std::pair<uint64_t, Article>> work_;
  std::unordered_map<uint64_t, Outcome> done_;
  size_t in_flight_ = 0;
  bool reader_done_ = false;
  uint64_t total_ = 0;
  bool stop_ = false;
  Status fatal_;

  // Written by the reader thread.
  std::atomic<uint64_t> articles_read_{0};
  std::atomic<uint64_t> text_bytes_{0};
  std::atomic<uint64_t> input_bytes_done_{0};
  std::atomic<uint64_t> reader_problems_{0};
  bool cancelled_ = false;  // read after join

  // The first 64 bits of a content hash (32 hex digits): enough to tell this run's duplicates
  // from articles stored by earlier runs, at 8 bytes per article.
  static uint64_t HashKey(const std::string& hash) {
    uint64_t key = 0;
    for (size_t i = 0; i < 16 && i < hash.size(); ++i) {
      char c = hash[i];
      key = key * 16 + static_cast<uint64_t>(c <= '9' ? c - '0' : (c | 0x20) - 'a' + 10);
    }
    return key;
  }

  // Writer thread only.
  std::unordered_set<uint64_t> written_this_run_;
  IngestCounters counters_;
  uint64_t extraction_failures_ = 0;
};

}  // namespace

Result<IngestSummary> RunIngest(DumpReader& reader, const Extractor& extractor, ArticleSink& sink,
                                const IngestOptions& options) {
  Pipeline pipeline(reader, extractor, sink, options);
  return pipeline.Run();
}

}  // namespace kg
