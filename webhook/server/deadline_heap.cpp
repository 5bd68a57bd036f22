#include "webhook/server/deadline_heap.h"

namespace sessiongate::webhook {

std::optional<Clock::TimePoint> DeadlineHeap::next() const {
  if (heap_.empty()) return std::nullopt;
  return heap_.top().at;
}

std::optional<DeadlineHeap::Entry> DeadlineHeap::popDue(Clock::TimePoint now) {
  if (heap_.empty() || heap_.top().at > now) return std::nullopt;
  auto entry = heap_.top();
  heap_.pop();
  return entry;
}

}  // namespace sessiongate::webhook
