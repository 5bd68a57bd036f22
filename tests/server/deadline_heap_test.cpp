// The event loop's timers on a FakeClock: which reminders come due and in what order, with the exact time
// left until the next one, and nothing waited for. Each fixture is a script of steps with the exact answer
// of each "next", "pop" and "due".
#include "webhook/server/deadline_heap.h"

#include <algorithm>
#include <catch2/catch.hpp>
#include <sstream>
#include <string>
#include <vector>

#include "tests/support/fake_clock.h"

using namespace sessiongate;
using namespace sessiongate::webhook;

namespace {

struct Fixture {
  std::string name;
  // "push ID MS" (due MS milliseconds from now), "advance MS", "next MS" (milliseconds left until the
  // earliest entry) or "next none", "pop ID" or "pop none" (the earliest entry if due), "due ID..." or
  // "due none" (every entry due now, ids in increasing order).
  std::vector<std::string> steps;
  std::size_t sizeAtEnd;
};

const std::vector<Fixture> fixtures = {
    {"an empty heap has nothing next and nothing due",
     {"next none", "pop none", "advance 1000", "due none"},
     0},
    {"entries come due in the order of their times, not of their pushes",
     {"push 1 300", "push 2 100", "push 3 200", "next 100", "pop none", "advance 100", "pop 2", "pop none",
      "next 100", "advance 250", "pop 3", "pop 1", "pop none", "next none"},
     0},
    {"an entry is due at its time exactly, not a millisecond before",
     {"push 1 10000", "advance 9999", "next 1", "pop none", "advance 1", "next 0", "pop 1"},
     0},
    {"an entry long overdue is still due, and says how overdue it is",
     {"push 1 50", "advance 10000", "next -9950", "pop 1", "next none"},
     0},
    {"entries due at the same time come due together",
     {"push 4 500", "push 2 500", "push 9 500", "push 3 501", "advance 500", "due 2 4 9", "next 1"},
     1},
    {"a connection's later reminder does not replace its earlier one: both stay until due (the loop skips "
     "the stale one)",
     {"push 7 100", "push 7 500", "advance 100", "pop 7", "next 400", "advance 400", "pop 7", "pop none"},
     0},
    {"entries pushed as time goes by are due by their own times",
     {"push 1 1000", "advance 600", "push 2 300", "next 300", "advance 300", "due 2", "next 100",
      "advance 100", "due 1"},
     0},
};

}  // namespace

TEST_CASE("the loop's deadlines come due in time order on the server's clock", "[server][deadlines]") {
  for (const auto& fixture : fixtures) {
    SECTION(fixture.name) {
      FakeClock clock;
      DeadlineHeap heap;
      for (const auto& step : fixture.steps) {
        INFO(step);
        std::istringstream words(step);
        std::string verb;
        words >> verb;
        if (verb == "push") {
          std::uint64_t id = 0;
          long long ms = 0;
          words >> id >> ms;
          heap.push({clock.now() + std::chrono::milliseconds(ms), id});
        } else if (verb == "advance") {
          long long ms = 0;
          words >> ms;
          clock.advance(std::chrono::milliseconds(ms));
        } else if (verb == "next") {
          auto next = heap.next();
          std::string got = "none";
          if (next)
            got = std::to_string(
                std::chrono::duration_cast<std::chrono::milliseconds>(*next - clock.now()).count());
          CHECK("next " + got == step);
        } else if (verb == "pop") {
          auto entry = heap.popDue(clock.now());
          CHECK("pop " + (entry ? std::to_string(entry->connection) : std::string("none")) == step);
        } else {
          REQUIRE(verb == "due");
          std::vector<std::uint64_t> ids;
          while (auto entry = heap.popDue(clock.now())) ids.push_back(entry->connection);
          std::sort(ids.begin(), ids.end());
          std::string got;
          for (auto id : ids) got += " " + std::to_string(id);
          CHECK("due" + (got.empty() ? std::string(" none") : got) == step);
        }
      }
      CHECK(heap.size() == fixture.sizeAtEnd);
    }
  }
}
