// The controller's authority on maxSessionsPerUser and its never-adopt rule, as tables of sessions and
// namespaces with the exact verdict.
#include <catch2/catch.hpp>

#include "controller/reconcile/ownership.h"
#include "controller/reconcile/session_limit.h"

namespace sessiongate::controller {
namespace {

Json sessionObject(const std::string& name, const std::string& user, const std::string& created,
                   bool deleting = false) {
  Json metadata = {{"name", name}, {"uid", "uid-" + name}, {"creationTimestamp", created}};
  if (deleting) metadata["deletionTimestamp"] = "2026-01-01T00:05:00Z";
  return {{"apiVersion", "sessiongate.io/v1alpha1"},
          {"kind", "UserSession"},
          {"metadata", metadata},
          {"spec", {{"user", user}, {"profile", "shell"}}}};
}

UserSession parsed(const Json& object) { return parseUserSession(object).session; }

}  // namespace

TEST_CASE("the oldest maxSessionsPerUser sessions of a user are within the limit", "[controller][limit]") {
  const std::vector<Json> cluster{
      sessionObject("a-3", "alice", "2026-01-01T00:00:03Z"), sessionObject("a-1", "alice", "2026-01-01T00:00:01Z"),
      sessionObject("a-2b", "alice", "2026-01-01T00:00:02Z"), sessionObject("a-2a", "alice", "2026-01-01T00:00:02Z"),
      sessionObject("a-0", "alice", "2026-01-01T00:00:00Z", /*deleting=*/true),
      sessionObject("b-0", "bob", "2025-01-01T00:00:00Z")};
  struct Row {
    std::string session;
    int max;
    bool over;
    std::vector<std::string> within;
    std::size_t total;
  };
  const std::vector<Row> rows{
      {"a-1", 2, false, {"a-1", "a-2a"}, 4},
      {"a-2a", 2, false, {"a-1", "a-2a"}, 4},  // same second as a-2b: the name decides
      {"a-2b", 2, true, {"a-1", "a-2a"}, 4},
      {"a-3", 2, true, {"a-1", "a-2a"}, 4},
      {"a-3", 4, false, {"a-1", "a-2a", "a-2b", "a-3"}, 4},
      {"a-3", 0, false, {}, 0},  // no limit
  };
  for (const Row& row : rows) {
    INFO(row.session << " max " << row.max);
    Json self;
    for (const Json& s : cluster)
      if (s["metadata"]["name"] == row.session) self = s;
    std::vector<kube::SharedObject> alices;
    for (const Json& s : cluster)
      if (s["spec"]["user"] == "alice") alices.push_back(std::make_shared<const Json>(s));
    LimitVerdict verdict = checkSessionLimit(alices, parsed(self), row.max);
    CHECK(verdict.overLimit == row.over);
    CHECK(verdict.withinLimit == row.within);
    CHECK(verdict.total == row.total);
  }
  SECTION("a session the cache has not seen yet still counts") {
    LimitVerdict verdict =
        checkSessionLimit({std::make_shared<const Json>(sessionObject("a-1", "alice", "2026-01-01T00:00:01Z"))},
                          parsed(sessionObject("a-9", "alice", "2026-01-01T00:00:09Z")), 1);
    CHECK(verdict.overLimit);
    CHECK(verdict.pastLimit == std::vector<std::string>{"a-9"});
    CHECK(overLimitMessage(parsed(sessionObject("a-9", "alice", "2026-01-01T00:00:09Z")), verdict, 1) ==
          "alice has 2 sessions and the policy's maxSessionsPerUser is 1: only the oldest (a-1) are provisioned "
          "and this one gets no namespace; delete it, or delete an older session and it will be provisioned");
  }
}

TEST_CASE("a namespace is the session's only with its uid in sessiongate.io/owner-uid", "[controller][ownership]") {
  UserSession session = parsed(sessionObject("s1", "alice", "2026-01-01T00:00:00Z"));
  auto ns = [](Json annotations) {
    Json object = {{"apiVersion", "v1"}, {"kind", "Namespace"}, {"metadata", {{"name", "sess-s1"}}}};
    if (!annotations.is_null()) object["metadata"]["annotations"] = annotations;
    return object;
  };
  CHECK(namespaceOwner(Json(), session) == NamespaceOwner::Absent);
  CHECK(namespaceOwner(ns({{"sessiongate.io/owner-uid", "uid-s1"}}), session) == NamespaceOwner::Ours);
  CHECK(namespaceOwner(ns({{"sessiongate.io/owner-uid", "uid-old"}}), session) == NamespaceOwner::Foreign);
  CHECK(namespaceOwner(ns({{"sessiongate.io/owner", "usersessions.sessiongate.io/s1"}}), session) ==
        NamespaceOwner::Foreign);
  CHECK(namespaceOwner(ns(Json()), session) == NamespaceOwner::Foreign);
  CHECK(namespaceOwner(ns({{"sessiongate.io/owner-uid", ""}}), session) == NamespaceOwner::Foreign);
  CHECK(foreignNamespaceMessage(ns(Json()), session) ==
        "namespace sess-s1 already exists and was not created for this session (it has no "
        "sessiongate.io/owner-uid annotation); sessiongate does not adopt it and changes nothing in it: delete "
        "this session and create one with another name, or ask an admin to remove the namespace");
}

}  // namespace sessiongate::controller
