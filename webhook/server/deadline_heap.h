#pragma once
// DeadlineHeap is the event loop's timers: each connection has one deadline at a time (handshake, idle
// keep-alive, request head, body, answer write, lingering close). An entry is only a reminder to look at
// the connection: a later deadline replaces an earlier one without touching the heap (the loop pushes the
// new one when the old reminder comes up), an earlier one is pushed at once; so a busy keep-alive
// connection does not leave an entry per request behind. Times are the server's Clock (core/clock.h), so a
// test drives them with a FakeClock.
#include <cstdint>
#include <optional>
#include <queue>
#include <vector>

#include "core/clock.h"

namespace sessiongate::webhook {

class DeadlineHeap {
 public:
  struct Entry {
    Clock::TimePoint at;
    std::uint64_t connection;
    bool operator>(const Entry& other) const { return at > other.at; }
  };

  void push(Entry entry) { heap_.push(entry); }
  // next is when the earliest entry is due, stale or not.
  std::optional<Clock::TimePoint> next() const;
  // popDue removes and returns the earliest entry if it is due at now.
  std::optional<Entry> popDue(Clock::TimePoint now);
  std::size_t size() const { return heap_.size(); }

 private:
  std::priority_queue<Entry, std::vector<Entry>, std::greater<>> heap_;
};

}  // namespace sessiongate::webhook
