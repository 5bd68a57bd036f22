// Who may own and act on a session: the owner-name table (one safe path segment) and the requester table
// (owner, admin, controller, anyone else) for each verb.
#include "webhook/validators/session_owner.h"

#include <catch2/catch.hpp>
#include <string>

namespace sessiongate::webhook {
namespace {

const std::string kController = "system:serviceaccount:sessiongate-system:sessiongate-controller";

SessionPolicy adminPolicy() {
  SessionPolicy policy;
  policy.adminGroups = {"sessiongate:admins"};
  return policy;
}

std::string messages(const FieldErrors& errors) {
  std::string out;
  for (const auto& e : errors) out += (out.empty() ? "" : " | ") + e.message();
  return out;
}

}  // namespace

TEST_CASE("owner names must stay one path segment", "[webhook][owner]") {
  struct Row {
    std::string name;
    bool safe;
  };
  const std::vector<Row> rows{
      {"alice", true},
      {"dave@example.org", true},
      {"first.last+lab", true},
      {"system:serviceaccount:ci:runner", true},
      {"0wen_2", true},
      {"", false},
      {".", false},
      {"..", false},
      {"../bob", false},
      {"alice/../bob", false},
      {"alice/", false},
      {".hidden", false},
      {"-rf", false},
      {std::string("alice\0bob", 9), false},
      {"alice bob", false},
      {"al\\ice", false},
      {"{user}", false},
      {"https://idp.example.org#alice", false},
      {std::string(253, 'a'), true},
      {std::string(254, 'a'), false},
  };
  for (const Row& row : rows) {
    INFO("name: " << row.name);
    CHECK(isSafePathSegment(row.name) == row.safe);
  }
}

TEST_CASE("only the owner, an admin or the controller act on a session", "[webhook][owner]") {
  SessionPolicy policy = adminPolicy();
  struct Row {
    std::string username;
    std::vector<std::string> groups;
    std::string verb;
    std::string errors;  // exact messages, " | "-joined; empty: allowed
  };
  const std::string only = "; only members of adminGroups [sessiongate:admins] may";
  const std::vector<Row> rows{
      {"alice", {"system:authenticated"}, "delete", ""},
      {"alice", {"system:authenticated"}, "update", ""},
      {"carol", {"sessiongate:admins"}, "delete", ""},
      {"carol", {"sessiongate:admins"}, "create", ""},
      {"admin", {"system:masters", "system:authenticated"}, "delete", ""},  // cluster admins clean up
      {kController, {"system:serviceaccounts"}, "delete", ""},
      {kController, {"system:serviceaccounts"}, "update", ""},
      {kController, {"system:serviceaccounts"}, "create",
       "spec.user: Forbidden: " + kController + " may not create a session for alice" + only},
      {"bob", {"system:authenticated"}, "delete", "spec.user: Forbidden: bob may not delete a session for alice" + only},
      {"bob", {"system:authenticated", "sessiongate:users"}, "update",
       "spec.user: Forbidden: bob may not update a session for alice" + only},
      {"system:serviceaccount:sess-alice-shell:default", {"system:serviceaccounts:sess-alice-shell"}, "delete",
       "spec.user: Forbidden: system:serviceaccount:sess-alice-shell:default may not delete a session for alice" + only},
      {"Alice", {"system:authenticated"}, "delete", "spec.user: Forbidden: Alice may not delete a session for alice" + only},
  };
  for (const Row& row : rows) {
    UserInfo user{row.username, row.groups};
    Requester requester{user, &policy, kController};
    INFO(row.username << " " << row.verb);
    CHECK(messages(actingErrors("alice", requester, row.verb)) == row.errors);
  }
  SECTION("without a policy nobody is an admin") {
    UserInfo carol{"carol", {"sessiongate:admins"}};
    Requester requester{carol, nullptr, kController};
    CHECK(messages(actingErrors("alice", requester, "delete")) ==
          "spec.user: Forbidden: carol may not delete a session for alice; only members of adminGroups [] may");
  }
}

TEST_CASE("service accounts and system identities own sessions only when an admin says so", "[webhook][owner]") {
  SessionPolicy policy = adminPolicy();
  UserInfo sa{"system:serviceaccount:sess-a:default", {"system:serviceaccounts"}};
  UserInfo carol{"carol", {"sessiongate:admins"}};
  Requester bySa{sa, &policy, kController};
  Requester byAdmin{carol, &policy, kController};
  CHECK(messages(ownerNameErrors("system:serviceaccount:sess-a:default", bySa)) ==
        "spec.user: Forbidden: system:serviceaccount:sess-a:default is a service account and cannot own a session "
        "unless a member of adminGroups [sessiongate:admins] creates the session for it");
  CHECK(messages(ownerNameErrors("system:node:worker-1", bySa)) ==
        "spec.user: Forbidden: system:node:worker-1 is a system identity and cannot own a session unless a member "
        "of adminGroups [sessiongate:admins] creates the session for it");
  CHECK(messages(ownerNameErrors("system:serviceaccount:sess-a:default", byAdmin)).empty());
  CHECK(messages(ownerNameErrors("alice", bySa)).empty());
}

}  // namespace sessiongate::webhook
