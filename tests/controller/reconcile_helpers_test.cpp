// Tables for the reconciler's small pure helpers: label values, timestamps, the status patch.
#include <catch2/catch.hpp>

#include "controller/reconcile/names.h"
#include "controller/reconcile/status.h"
#include "core/timestamps.h"

namespace sessiongate::controller {

TEST_CASE("toLabelValue turns user names into valid label values", "[controller][reconcile]") {
  struct Row {
    std::string in, out;
  };
  std::vector<Row> rows = {
      {"alice", "alice"},
      {"system:serviceaccount:lab:runner", "system-serviceaccount-lab-runner"},
      {"alice@example.org", "alice-example.org"},
      {"-_bob_-", "bob"},
      {std::string(70, 'a'), std::string(63, 'a')},
      {std::string(62, 'a') + "@b", std::string(62, 'a')},
      {"", ""},
  };
  for (const Row& row : rows) {
    INFO(row.in);
    CHECK(toLabelValue(row.in) == row.out);
  }
  CHECK(namespaceFor("alice-1") == "sess-alice-1");
}

TEST_CASE("timestamps parse RFC 3339 and render metav1.Time and MicroTime", "[controller][reconcile]") {
  auto t = parseTimestamp("2026-01-01T00:00:00Z");
  REQUIRE(t);
  CHECK(formatTimestamp(*t) == "2026-01-01T00:00:00Z");
  CHECK(formatTimestamp(*t + std::chrono::hours(8) + std::chrono::milliseconds(1500)) ==
        "2026-01-01T08:00:01Z");
  CHECK(formatTimestamp(*t + std::chrono::microseconds(1234567), TimestampPrecision::Micros) == "2026-01-01T00:00:01.234567Z");
  auto offset = parseTimestamp("2026-01-01T02:00:00+02:00");
  REQUIRE(offset);
  CHECK(*offset == *t);
  auto fraction = parseTimestamp("2026-01-01T00:00:00.5Z");
  REQUIRE(fraction);
  CHECK(*fraction - *t == std::chrono::milliseconds(500));
  for (const char* bad : {"", "2026-01-01", "2026-01-01T00:00:00", "2026-01-01 00:00:00Z",
                          "2026-01-01T00:00:00.Z", "2026-13-01T00:00:00Zx"}) {
    INFO(bad);
    CHECK_FALSE(parseTimestamp(bad));
  }
}

TEST_CASE("status keeps transition times and patches only what changed", "[controller][reconcile]") {
  WallTime now = *parseTimestamp("2026-01-01T00:10:00Z");
  Json stored = {
      {"phase", "Provisioning"},
      {"lastActivity", "2026-01-01T00:09:00Z"},
      {"publicExposure", {{"phase", "Ready"}}},
      {"conditions",
       {{{"type", "Provisioned"}, {"status", "True"}, {"lastTransitionTime", "2026-01-01T00:00:05Z"}},
        {{"type", "Ready"}, {"status", "False"}, {"lastTransitionTime", "2026-01-01T00:00:05Z"}}}}};
  StatusReport report;
  report.phase = "Ready";
  report.message = "ok";
  report.generation = 2;
  report.ns = "sess-a";
  report.conditions = {{"Provisioned", true, "Applied", "m"}, {"Ready", true, "Provisioned", "m"}};
  Json desired = desiredStatus(stored, report, now);
  CHECK(desired["conditions"][0]["lastTransitionTime"] == "2026-01-01T00:00:05Z");
  CHECK(desired["conditions"][1]["lastTransitionTime"] == "2026-01-01T00:10:00Z");
  CHECK(desired["conditions"][1]["observedGeneration"] == 2);
  Json patch = statusPatch(stored, desired);
  CHECK(patch["status"]["publicExposure"].is_null());
  CHECK(patch["status"].contains("publicExposure"));
  CHECK_FALSE(patch["status"].contains("lastActivity"));
  CHECK(patch["status"]["phase"] == "Ready");
  Json applied = stored;
  applied.merge_patch(patch["status"]);
  CHECK(statusPatch(applied, desiredStatus(applied, report, now)).is_null());
  CHECK(conditionIsTrue(applied, "Ready"));
  CHECK_FALSE(conditionIsTrue(stored, "Ready"));
}

}  // namespace sessiongate::controller
