// The handshake scheduler's turns: round-robin over client addresses, the bound on handshakes in progress,
// and who gives way when it is reached. Each fixture is a script of steps with the exact answer of each
// "next".
#include "webhook/server/handshake_scheduler.h"

#include <catch2/catch.hpp>
#include <sstream>
#include <string>
#include <vector>

using namespace sessiongate::webhook;

namespace {

struct Fixture {
  std::string name;
  std::size_t maxInProgress;
  // "queue ID ADDRESS", "forget ID", "next ID", "next ID evicts ID", "next none"
  std::vector<std::string> steps;
  std::size_t inProgressAtEnd;
};

const std::vector<Fixture> fixtures = {
    {"addresses take turns, one handshake each",
     10,
     {"queue 1 a", "queue 2 a", "queue 3 a", "queue 4 b", "queue 5 c", "next 1", "next 4", "next 5", "next 2",
      "next 3", "next none"},
     5},
    {"a new address starts within one round, ahead of a backlog",
     10,
     {"queue 1 a", "queue 2 a", "queue 3 a", "queue 4 a", "next 1", "queue 9 new", "next 2", "next 9",
      "next 3"},
     4},
    {"at the bound an address holding the most waits for a slot to free",
     2,
     {"queue 1 a", "queue 2 a", "queue 3 a", "next 1", "next 2", "next none", "forget 1", "next 3",
      "next none"},
     2},
    {"at the bound a new address takes the oldest slot of the address holding the most",
     2,
     {"queue 1 a", "queue 2 a", "next 1", "next 2", "queue 7 b", "next 7 evicts 1", "next none"},
     2},
    {"among addresses holding as many, the oldest handshake gives way",
     3,
     {"queue 1 a", "queue 2 b", "queue 3 c", "next 1", "next 2", "next 3", "forget 1", "queue 4 a", "next 4",
      "queue 5 d", "next 5 evicts 2", "queue 6 e", "next 6 evicts 3", "queue 7 f", "next 7 evicts 4"},
     3},
    {"an address holding as many as the biggest holder does not evict it; a freed slot goes in turn",
     2,
     {"queue 1 a", "queue 2 b", "next 1", "next 2", "queue 3 a", "queue 4 b", "next none", "forget 2",
      "next 3", "next 4 evicts 1", "next none"},
     2},
    {"a connection that left the queue is not started, nor is a finished handshake counted",
     2,
     {"queue 1 a", "queue 2 a", "queue 3 b", "forget 1", "next 2", "forget 2", "forget 2", "next 3",
      "next none"},
     1},
    {"an evicted handshake forgotten again frees nothing more",
     1,
     {"queue 1 a", "next 1", "queue 2 b", "next 2 evicts 1", "forget 1", "queue 3 a", "next 3 evicts 2",
      "forget 2", "queue 4 a", "next none"},
     1},
    {"a connection queued twice is queued once", 5, {"queue 1 a", "queue 1 a", "next 1", "next none"}, 1},
};

}  // namespace

TEST_CASE("handshakes start round-robin over addresses, bounded, and the biggest holder gives way",
          "[server][handshakes]") {
  for (const auto& fixture : fixtures) {
    SECTION(fixture.name) {
      HandshakeScheduler scheduler(fixture.maxInProgress);
      for (const auto& step : fixture.steps) {
        INFO(step);
        std::istringstream words(step);
        std::string verb;
        words >> verb;
        if (verb == "queue") {
          std::uint64_t id = 0;
          std::string address;
          words >> id >> address;
          scheduler.enqueue(id, address);
        } else if (verb == "forget") {
          std::uint64_t id = 0;
          words >> id;
          scheduler.forget(id);
        } else {
          REQUIRE(verb == "next");
          auto start = scheduler.next();
          std::string got = start ? std::to_string(start->id) : "none";
          if (start && start->evicted) got += " evicts " + std::to_string(*start->evicted);
          CHECK("next " + got == step);
        }
      }
      CHECK(scheduler.inProgress() == fixture.inProgressAtEnd);
    }
  }
}
