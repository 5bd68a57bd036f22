// ActivityCache: one read of the trackers per round, shared by the reconciles of that round.
#include "controller/inactivity/activity_cache.h"
#include "tests/support/fake_clock.h"

#include <catch2/catch.hpp>

namespace sessiongate::controller {
namespace {

// CountingReader answers with the number of the read as the tracker's source.
class CountingReader : public TrackerReader {
 public:
  std::vector<TrackerReading> read(std::optional<tracker::WallTime> since) override {
    ++reads;
    sinceGiven = since.has_value();
    TrackerReading reading;
    reading.source = "read-" + std::to_string(reads);
    return {reading};
  }
  int reads = 0;
  bool sinceGiven = false;
};

}  // namespace

TEST_CASE(
    "activity cache: the trackers are read once per max age, again after it or when the clock goes back",
    "[controller][inactivity]") {
  CountingReader reader;
  FakeClock clock;
  clock.setWall(*parseTimestamp("2026-01-01T00:00:00Z"));
  ActivityCache cache(reader, clock, std::chrono::seconds(5));
  struct Row {
    std::chrono::milliseconds advance;
    std::string source;
  };
  const std::vector<Row> rows = {
      {std::chrono::milliseconds(0), "read-1"},     {std::chrono::milliseconds(4999), "read-1"},
      {std::chrono::milliseconds(1), "read-2"},     {std::chrono::milliseconds(100), "read-2"},
      {std::chrono::milliseconds(-1000), "read-3"},  // the clock went back
      {std::chrono::milliseconds(5000), "read-4"},
  };
  for (const Row& row : rows) {
    clock.setWall(clock.wallNow() + row.advance);
    auto readings = cache.readings();
    REQUIRE(readings.size() == 1);
    CHECK(readings[0].source == row.source);
  }
  CHECK(reader.reads == 4);
  CHECK_FALSE(reader.sinceGiven);
}

}  // namespace sessiongate::controller
