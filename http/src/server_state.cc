#include "server_state.h"

#include <chrono>

namespace kg::http::internal {
namespace {

int64_t NowMs() {
  return std::chrono::duration_cast<std::chrono::milliseconds>(
             std::chrono::steady_clock::now().time_since_epoch())
      .count();
}

}  // namespace

std::unique_ptr<kg::store::ReadView> ServerState::NewView() {
  MaybeCatchUp();
  return store_.NewReadView();
}

void ServerState::MaybeCatchUp() {
  if (store_.read_only()) {
    int64_t now = NowMs();
    if (now - last_catch_up_ms_.load(std::memory_order_relaxed) >= options_.catch_up_interval_ms) {
      std::unique_lock<std::mutex> lock(catch_up_mu_, std::try_to_lock);
      if (lock.owns_lock() &&
          now - last_catch_up_ms_.load(std::memory_order_relaxed) >=
              options_.catch_up_interval_ms) {
        (void)store_.CatchUp();
        last_catch_up_ms_.store(NowMs(), std::memory_order_relaxed);
      }
    }
  }
}

}  // namespace kg::http::internal
