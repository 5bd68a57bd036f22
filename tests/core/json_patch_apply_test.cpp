// applyJsonPatch: RFC 6902 operations applied the strict way, one row per rule; the errors say which
// operation failed and why.
#include "core/json_patch_apply.h"

#include <catch2/catch.hpp>

namespace sessiongate {
namespace {

struct Row {
  const char* name;
  const char* document;
  const char* patch;
  const char* expected;  // the patched document, or null when the patch must fail
  const char* error;     // the exact error when it fails
};

const Row kRows[] = {
    {"add a member", R"({"a":1})", R"([{"op":"add","path":"/b","value":2}])", R"({"a":1,"b":2})", nullptr},
    {"add replaces an existing member", R"({"a":1})", R"([{"op":"add","path":"/a","value":[1]}])",
     R"({"a":[1]})", nullptr},
    {"add replaces a null member", R"({"a":null})", R"([{"op":"add","path":"/a","value":{}}])", R"({"a":{}})",
     nullptr},
    {"add appends with -", R"({"a":[1]})", R"([{"op":"add","path":"/a/-","value":2}])", R"({"a":[1,2]})",
     nullptr},
    {"add inserts at an index", R"({"a":[1,3]})", R"([{"op":"add","path":"/a/1","value":2}])",
     R"({"a":[1,2,3]})", nullptr},
    {"add at the array's size appends", R"({"a":[1]})", R"([{"op":"add","path":"/a/1","value":2}])",
     R"({"a":[1,2]})", nullptr},
    {"add with escaped tokens", R"({"l":{}})", R"([{"op":"add","path":"/l/a~1b~0c","value":"x"}])",
     R"({"l":{"a/b~c":"x"}})", nullptr},
    {"add the whole document", R"({"a":1})", R"([{"op":"add","path":"","value":[]}])", R"([])", nullptr},
    {"remove a member", R"({"a":1,"b":2})", R"([{"op":"remove","path":"/a"}])", R"({"b":2})", nullptr},
    {"remove an element", R"({"a":[1,2,3]})", R"([{"op":"remove","path":"/a/1"}])", R"({"a":[1,3]})", nullptr},
    {"replace a nested value", R"({"a":{"b":[0,{"c":1}]}})", R"([{"op":"replace","path":"/a/b/1/c","value":2}])",
     R"({"a":{"b":[0,{"c":2}]}})", nullptr},
    {"move a member", R"({"a":{"x":1},"b":{}})", R"([{"op":"move","from":"/a/x","path":"/b/y"}])",
     R"({"a":{},"b":{"y":1}})", nullptr},
    {"copy a member", R"({"a":[1]})", R"([{"op":"copy","from":"/a","path":"/b"}])", R"({"a":[1],"b":[1]})",
     nullptr},
    {"test passes", R"({"a":"x"})", R"([{"op":"test","path":"/a","value":"x"}])", R"({"a":"x"})", nullptr},
    {"an empty patch", R"({"a":1})", R"([])", R"({"a":1})", nullptr},

    {"add under a missing parent", R"({})", R"([{"op":"add","path":"/metadata/labels","value":{}}])", nullptr,
     R"(JSON patch operation 0: path "/metadata/labels": member "metadata" does not exist)"},
    {"add into a null parent", R"({"l":null})", R"([{"op":"add","path":"/l/k","value":1}])", nullptr,
     R"(JSON patch operation 0: path "/l/k": the parent is a null, not an object or array)"},
    {"add into a string", R"({"c":["x"]})", R"([{"op":"add","path":"/c/0/resources","value":{}}])", nullptr,
     R"(JSON patch operation 0: path "/c/0/resources": the parent is a string, not an object or array)"},
    {"descend through a number", R"({"c":5})", R"([{"op":"add","path":"/c/0/x","value":{}}])", nullptr,
     R"(JSON patch operation 0: path "/c/0/x": cannot descend into a number)"},
    {"add past the end", R"({"a":[1]})", R"([{"op":"add","path":"/a/2","value":2}])", nullptr,
     R"(JSON patch operation 0: path "/a/2": index 2 is out of bounds)"},
    {"an index with a leading zero", R"({"a":[1,2]})", R"([{"op":"replace","path":"/a/01","value":2}])", nullptr,
     R"(JSON patch operation 0: path "/a/01": "01" is not an array index)"},
    {"- outside add", R"({"a":[1]})", R"([{"op":"remove","path":"/a/-"}])", nullptr,
     R"(JSON patch operation 0: path "/a/-": "-" is not an array index)"},
    {"replace a missing member", R"({"a":1})", R"([{"op":"replace","path":"/b","value":1}])", nullptr,
     R"(JSON patch operation 0: path "/b": member "b" does not exist)"},
    {"remove a missing member", R"({"a":1})", R"([{"op":"remove","path":"/b"}])", nullptr,
     R"(JSON patch operation 0: path "/b": member "b" does not exist)"},
    {"remove from an empty array", R"({"a":[]})", R"([{"op":"remove","path":"/a/0"}])", nullptr,
     R"(JSON patch operation 0: path "/a/0": index 0 is out of bounds)"},
    {"remove the whole document", R"({"a":1})", R"([{"op":"remove","path":""}])", nullptr,
     R"(JSON patch operation 0: cannot remove the whole document)"},
    {"move into its own child", R"({"a":{"b":1}})", R"([{"op":"move","from":"/a","path":"/a/c"}])", nullptr,
     R"(JSON patch operation 0: cannot move "/a" into its own child "/a/c")"},
    {"test fails", R"({"a":"x"})", R"([{"op":"test","path":"/a","value":"y"}])", nullptr,
     R"(JSON patch operation 0: test failed: the value at "/a" differs)"},
    {"the second operation fails", R"({})", R"([{"op":"add","path":"/a","value":1},{"op":"copy","from":"/b","path":"/c"}])",
     nullptr, R"(JSON patch operation 1: path "/b": member "b" does not exist)"},
    {"a path that is not a pointer", R"({})", R"([{"op":"add","path":"a","value":1}])", nullptr,
     R"(JSON patch operation 0: path "a" is not a JSON pointer (it must start with /))"},
    {"a bad escape", R"({})", R"([{"op":"add","path":"/a~2","value":1}])", nullptr,
     R"(JSON patch operation 0: path "/a~2" has a ~ that is not ~0 or ~1)"},
    {"an unknown op", R"({})", R"([{"op":"merge","path":"/a","value":1}])", nullptr,
     R"(JSON patch operation 0: unknown op "merge")"},
    {"an op without a value", R"({})", R"([{"op":"add","path":"/a"}])", nullptr,
     R"(JSON patch operation 0: missing "value")"},
    {"an op that is not an object", R"({})", R"([1])", nullptr,
     R"(JSON patch operation 0: an operation must be an object)"},
    {"a path that is not a string", R"({})", R"([{"op":"add","path":1,"value":1}])", nullptr,
     R"(JSON patch operation 0: "path" is not a string)"},
    {"a patch that is not an array", R"({})", R"({"op":"add"})", nullptr,
     R"(a JSON patch must be an array of operations)"},
};

}  // namespace

TEST_CASE("applyJsonPatch applies RFC 6902 strictly", "[core][json_patch]") {
  for (const Row& row : kRows) {
    DYNAMIC_SECTION(row.name) {
      auto result = applyJsonPatch(Json::parse(row.document), Json::parse(row.patch));
      if (row.expected) {
        INFO((result.ok() ? std::string() : result.error()));
        REQUIRE(result.ok());
        CHECK(*result == Json::parse(row.expected));
      } else {
        REQUIRE_FALSE(result.ok());
        CHECK(result.error() == row.error);
      }
    }
  }
}

}  // namespace sessiongate
