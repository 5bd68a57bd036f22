// PatchWriter writes RFC 6902 text that parses to exactly the operations asked for, escaping pointers.
#include "webhook/mutators/patch_writer.h"

#include <catch2/catch.hpp>

#include "core/json.h"
#include "core/json_patch.h"

namespace sessiongate::webhook {

TEST_CASE("PatchWriter writes the operations in order", "[webhook][patch]") {
  PatchWriter empty;
  CHECK(empty.empty());
  CHECK(std::move(empty).text() == "");

  PatchWriter patch;
  patch.add(pointer("metadata", "labels", "sessiongate.io/user"), jsonString("alice"));
  patch.replace("/spec/dnsPolicy", "\"None\"");
  patch.set(true, pointer("spec", "containers", 0, "resources"), R"({"limits":{"cpu":"1"}})");
  patch.set(false, "/spec/containers/-", R"({"name":"x"})");
  CHECK_FALSE(patch.empty());
  CHECK(Json::parse(std::move(patch).text()) == Json::parse(R"([
    {"op":"add","path":"/metadata/labels/sessiongate.io~1user","value":"alice"},
    {"op":"replace","path":"/spec/dnsPolicy","value":"None"},
    {"op":"replace","path":"/spec/containers/0/resources","value":{"limits":{"cpu":"1"}}},
    {"op":"add","path":"/spec/containers/-","value":{"name":"x"}}])"));
}

}  // namespace sessiongate::webhook
