// core/object_meta: metadata read without throwing or inserting. Each row is an object as it may arrive (from
// the API server, a file or a hostile fixture) and exactly what every accessor reads from it.
#include "core/object_meta.h"

#include <catch2/catch.hpp>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

namespace sessiongate {

TEST_CASE("object metadata reads absent and wrong-typed members as empty, present ones as they are",
          "[core][object_meta]") {
  struct Row {
    const char* what;
    const char* object;
    bool present;
    const char* name;
    const char* ns;
    const char* uid;
    const char* resourceVersion;
    const char* deletionTimestamp;
    bool deleting;
    std::optional<std::string_view> sessionLabel;
    std::optional<std::string_view> ownerAnnotation;
    std::size_t labelCount;
    std::vector<std::string_view> finalizers;
  };
  const Row rows[] = {
      {"not an object", R"([1, 2])", false, "", "", "", "", "", false, std::nullopt, std::nullopt, 0, {}},
      {"null", R"(null)", false, "", "", "", "", "", false, std::nullopt, std::nullopt, 0, {}},
      {"no metadata", R"({"kind": "Pod"})", false, "", "", "", "", "", false, std::nullopt, std::nullopt, 0, {}},
      {"metadata is a string", R"({"metadata": "x"})", false, "", "", "", "", "", false, std::nullopt,
       std::nullopt, 0, {}},
      {"empty metadata", R"({"metadata": {}})", true, "", "", "", "", "", false, std::nullopt, std::nullopt, 0, {}},
      {"every member of the wrong type",
       R"({"metadata": {"name": 7, "namespace": ["a"], "uid": {"a": 1}, "resourceVersion": true,
           "deletionTimestamp": 5, "labels": ["sessiongate.io/session"], "annotations": "x",
           "finalizers": {"a": "b"}}})",
       true, "", "", "", "", "", true, std::nullopt, std::nullopt, 0, {}},
      {"map entries of the wrong type",
       R"({"metadata": {"labels": {"sessiongate.io/session": 1, "app": "web"},
           "annotations": {"sessiongate.io/owner": null}, "finalizers": ["a", 2, null, "b"]}})",
       true, "", "", "", "", "", false, std::nullopt, std::nullopt, 2, {"a", "b"}},
      {"null deletionTimestamp is not a deletion", R"({"metadata": {"deletionTimestamp": null}})", true, "", "", "",
       "", "", false, std::nullopt, std::nullopt, 0, {}},
      {"a full object",
       R"({"metadata": {"name": "sess-alice-1", "namespace": "ns", "uid": "u-1", "resourceVersion": "42",
           "deletionTimestamp": "2026-12-04T10:00:00Z", "labels": {"sessiongate.io/session": "alice-1"},
           "annotations": {"sessiongate.io/owner": "usersessions.sessiongate.io/alice-1"},
           "finalizers": ["sessiongate.io/cleanup"]}})",
       true, "sess-alice-1", "ns", "u-1", "42", "2026-12-04T10:00:00Z", true, "alice-1",
       "usersessions.sessiongate.io/alice-1", 1, {"sessiongate.io/cleanup"}},
      {"empty strings are present but empty", R"({"metadata": {"name": "", "labels": {"sessiongate.io/session": ""}}})",
       true, "", "", "", "", "", false, "", std::nullopt, 1, {}},
  };
  for (const Row& row : rows) {
    INFO(row.what);
    const Json object = Json::parse(row.object);
    const Json before = object;
    const ObjectMeta meta(object);
    CHECK(meta.present() == row.present);
    CHECK(meta.name() == row.name);
    CHECK(meta.ns() == row.ns);
    CHECK(meta.uid() == row.uid);
    CHECK(meta.resourceVersion() == row.resourceVersion);
    CHECK(meta.deletionTimestamp() == row.deletionTimestamp);
    CHECK(meta.deleting() == row.deleting);
    CHECK(meta.label("sessiongate.io/session") == row.sessionLabel);
    CHECK(meta.annotation("sessiongate.io/owner") == row.ownerAnnotation);
    CHECK(meta.labels().is_object());
    CHECK(meta.labels().size() == row.labelCount);
    CHECK(meta.annotations().is_object());
    CHECK(meta.finalizers() == row.finalizers);
    for (std::string_view finalizer : row.finalizers) CHECK(meta.hasFinalizer(finalizer));
    CHECK_FALSE(meta.hasFinalizer("other.io/finalizer"));
    CHECK(object == before);  // reading inserted nothing
  }
}

TEST_CASE("metaOf reads one field of a temporary view", "[core][object_meta]") {
  const Json pod = {{"metadata", {{"name", "worker"}, {"namespace", "sess-a"}}}};
  CHECK(metaOf(pod).name() == "worker");
  CHECK(std::string(metaOf(pod).ns()) + "/" + std::string(metaOf(pod).name()) == "sess-a/worker");
}

}  // namespace sessiongate
