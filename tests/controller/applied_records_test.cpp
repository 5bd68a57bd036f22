#include <catch2/catch.hpp>

#include "controller/reconcile/applied_records.h"

using namespace sessiongate::controller;

TEST_CASE("a child is skipped only while its desired form and stored version are what we applied",
          "[controller][reconcile][applied]") {
  AppliedRecords records;
  const std::string pod = childKey("pods", "sess-a", "worker");
  const std::string ns = childKey("namespaces", "", "sess-a");
  CHECK(pod == "pods sess-a/worker");
  CHECK(ns == "namespaces /sess-a");

  struct Row {
    const char* what;
    std::size_t hash;
    const char* cachedVersion;
    bool upToDate;
  };
  CHECK_FALSE(records.upToDate(pod, 1, "10"));  // never applied (a restart): apply
  records.record(pod, 1, "10");
  records.record(ns, 7, "3");
  const Row rows[] = {
      {"unchanged", 1, "10", true},
      {"edited by someone else", 1, "11", false},
      {"cache still behind our apply", 1, "9", false},
      {"desired form changed", 2, "10", false},
      {"no version in the cache", 1, "", false},
  };
  for (const Row& row : rows) {
    INFO(row.what);
    CHECK(records.upToDate(pod, row.hash, row.cachedVersion) == row.upToDate);
  }

  records.forgetNamespace("sess-a");
  CHECK_FALSE(records.upToDate(pod, 1, "10"));
  CHECK_FALSE(records.upToDate(ns, 7, "3"));
}

TEST_CASE("forgetting one session's namespace keeps the others", "[controller][reconcile][applied]") {
  AppliedRecords records;
  records.record(childKey("pods", "sess-a", "worker"), 1, "1");
  records.record(childKey("pods", "sess-ab", "worker"), 1, "2");
  records.forgetNamespace("sess-a");
  CHECK_FALSE(records.upToDate(childKey("pods", "sess-a", "worker"), 1, "1"));
  CHECK(records.upToDate(childKey("pods", "sess-ab", "worker"), 1, "2"));
}
