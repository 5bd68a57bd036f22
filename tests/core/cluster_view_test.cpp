// MemoryClusterView keeps each user's count of sessions not being deleted as sessions are added, updated,
// removed and replaced wholesale: a table of steps, each followed by the exact counts of every user, which
// must always equal a count made by walking the sessions the view holds.
#include <catch2/catch.hpp>
#include <functional>
#include <map>
#include <string>
#include <vector>

#include "core/cluster_view.h"

namespace sessiongate {
namespace {

UserSession session(const std::string& name, const std::string& user, bool deleting = false) {
  UserSession s;
  s.name = name;
  s.spec.user = user;
  s.spec.profile = "standard";
  s.deleting = deleting;
  return s;
}

using Sessions = std::map<std::string, UserSession, std::less<>>;

Sessions sessions(std::vector<UserSession> list) {
  Sessions out;
  for (auto& s : list) out.emplace(s.name, std::move(s));
  return out;
}

struct Step {
  const char* what;
  std::function<void(MemoryClusterView&)> change;
  std::map<std::string, std::size_t> counts;  // every user asked about below; absent users count 0
  std::vector<std::string> names;             // the sessions the view holds afterwards
};

const std::vector<std::string> kUsers{"alice", "bob", "carol", ""};

}  // namespace

TEST_CASE("per-user session counts follow adds, updates, deletes and relists", "[core][cluster_view]") {
  const std::vector<Step> steps{
      {"empty", [](MemoryClusterView&) {}, {}, {}},
      {"alice's first session", [](auto& v) { v.upsertSession(session("a1", "alice")); }, {{"alice", 1}}, {"a1"}},
      {"alice's second session", [](auto& v) { v.upsertSession(session("a2", "alice")); }, {{"alice", 2}},
       {"a1", "a2"}},
      {"the same session updated again (a resync)", [](auto& v) { v.upsertSession(session("a2", "alice")); },
       {{"alice", 2}}, {"a1", "a2"}},
      {"a1 being terminated stops counting", [](auto& v) { v.upsertSession(session("a1", "alice", true)); },
       {{"alice", 1}}, {"a1", "a2"}},
      {"a1 updated again while terminating", [](auto& v) { v.upsertSession(session("a1", "alice", true)); },
       {{"alice", 1}}, {"a1", "a2"}},
      {"a1 deleted after termination", [](auto& v) { v.removeSession("a1"); }, {{"alice", 1}}, {"a2"}},
      {"a delete of a session never seen", [](auto& v) { v.removeSession("ghost"); }, {{"alice", 1}}, {"a2"}},
      {"a2's owner changes to bob", [](auto& v) { v.upsertSession(session("a2", "bob")); }, {{"bob", 1}},
       {"a2"}},
      {"a session first seen while terminating", [](auto& v) { v.upsertSession(session("c1", "carol", true)); },
       {{"bob", 1}}, {"a2", "c1"}},
      {"a session without an owner counts for the empty user",
       [](auto& v) { v.upsertSession(session("x", "")); }, {{"bob", 1}, {"", 1}}, {"a2", "c1", "x"}},
      {"a live session deleted", [](auto& v) { v.removeSession("a2"); }, {{"", 1}}, {"c1", "x"}},
      {"a reload replaces everything",
       [](auto& v) {
         v.replaceObjects(sessions({session("a1", "alice"), session("a3", "alice"), session("b1", "bob", true),
                                    session("c1", "carol")}),
                          {});
       },
       {{"alice", 2}, {"carol", 1}}, {"a1", "a3", "b1", "c1"}},
      {"an update after the reload", [](auto& v) { v.upsertSession(session("b1", "bob")); },
       {{"alice", 2}, {"bob", 1}, {"carol", 1}}, {"a1", "a3", "b1", "c1"}},
      {"a file reload replaces sessions and namespaces",
       [](auto& v) { v.replaceObjects(sessions({session("c2", "carol")}), {}); }, {{"carol", 1}}, {"c2"}},
      {"a reload to nothing", [](auto& v) { v.replaceObjects({}, {}); }, {}, {}},
  };
  MemoryClusterView view;
  for (const auto& step : steps) {
    INFO(step.what);
    step.change(view);
    for (const std::string& user : kUsers) {
      INFO("user \"" << user << "\"");
      auto expected = step.counts.count(user) ? step.counts.at(user) : 0;
      CHECK(view.sessionCountForUser(user) == expected);
      std::size_t walked = 0;
      for (const auto& name : step.names) {
        auto s = view.session(name);
        REQUIRE(s != nullptr);
        if (s->spec.user == user && !s->deleting) ++walked;
      }
      CHECK(walked == expected);
    }
  }
}

TEST_CASE("the view keeps sessions without their status and shares them read-only", "[core][cluster_view]") {
  MemoryClusterView view;
  UserSession s = session("a1", "alice");
  s.status = Json{{"phase", "Ready"}, {"namespace", "sess-a1"}};
  view.upsertSession(s);
  auto first = view.session("a1");
  auto second = view.session("a1");
  REQUIRE(first != nullptr);
  CHECK(first == second);  // one object, two pointers: a lookup copies nothing
  CHECK(first->status.is_null());
  CHECK(first->spec.user == "alice");
  CHECK(view.session("a2") == nullptr);
  view.upsertSession(session("a1", "bob"));
  CHECK(first->spec.user == "alice");  // a reader's pointer stays valid and unchanged after an update
  CHECK(view.session("a1")->spec.user == "bob");
}

}  // namespace sessiongate
