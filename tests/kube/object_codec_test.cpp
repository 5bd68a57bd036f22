// ObjectCodec: the first objects make the dictionary and stay plain; later ones are compressed against it and
// read back exactly, from any thread.
#include "core/kube/object_codec.h"

#include <catch2/catch.hpp>
#include <string>
#include <thread>
#include <vector>

namespace sessiongate::kube {
namespace {

// networkPolicy is one of a session's NetworkPolicies, as the controller's store holds it.
Json networkPolicy(const std::string& session) {
  const std::string ns = "sess-" + session;
  return Json::parse(R"({"apiVersion": "networking.k8s.io/v1", "kind": "NetworkPolicy",
      "metadata": {"name": "allow-egress", "namespace": ")" +
                     ns + R"(", "resourceVersion": "4711",
        "labels": {"sessiongate.io/session": ")" +
                     session + R"(", "sessiongate.io/user": "bench-user-7"},
        "sessiongate.io/ownershipDigest": 1234567890123},
      "spec": {"podSelector": {}, "policyTypes": ["Egress"], "egress": [
        {"to": [{"namespaceSelector": {"matchLabels": {"kubernetes.io/metadata.name": "kube-system"}},
                 "podSelector": {"matchLabels": {"k8s-app": "kube-dns"}}}],
         "ports": [{"port": 53, "protocol": "UDP"}, {"port": 53, "protocol": "TCP"}]},
        {"to": [{"ipBlock": {"cidr": "0.0.0.0/0", "except": ["10.0.0.0/8", "169.254.0.0/16"]}}]}]}})");
}

std::size_t packedSize(const Json& object) {
  return Json::to_msgpack(object).size();
}

TEST_CASE("a codec keeps its first objects plain, then compresses against them", "[kube][codec]") {
  ObjectCodec codec(2);
  struct Row {
    const char* session;
    char tag;
  };
  const Row rows[] = {
      {"alice-1", 'P'}, {"alice-2", 'P'}, {"bob-1", 'Z'}, {"carol-17", 'Z'}, {"alice-1", 'Z'}};
  std::size_t sampled = 0;
  for (const Row& row : rows) {
    INFO(row.session);
    const Json object = networkPolicy(row.session);
    const std::string stored = codec.encode(object);
    REQUIRE_FALSE(stored.empty());
    CHECK(stored[0] == row.tag);
    CHECK(*codec.decode(stored) == object);
    if (row.tag == 'P') {
      sampled += packedSize(object);
      CHECK(stored.size() == 1 + packedSize(object));
    } else {
      // Against two siblings, an object is mostly references to them: under a quarter of its MessagePack.
      CHECK(stored.size() * 4 < packedSize(object));
    }
  }
  CHECK(codec.dictionarySize() == sampled);
}

TEST_CASE("a codec's objects decode exactly on every thread", "[kube][codec]") {
  ObjectCodec codec;
  for (int i = 0; i < 4; ++i) codec.encode(networkPolicy("seed-" + std::to_string(i)));
  std::vector<std::thread> threads;
  std::vector<int> mismatches(4, 0);
  for (int t = 0; t < 4; ++t) {
    threads.emplace_back([&codec, &mismatches, t] {
      for (int i = 0; i < 200; ++i) {
        const Json object = networkPolicy("user-" + std::to_string(t) + "-" + std::to_string(i));
        if (*codec.decode(codec.encode(object)) != object) ++mismatches[t];
      }
    });
  }
  for (std::thread& thread : threads) thread.join();
  CHECK(mismatches == std::vector<int>{0, 0, 0, 0});
}

TEST_CASE("a codec refuses a form it did not make", "[kube][codec]") {
  ObjectCodec codec(1);
  struct Row {
    const char* what;
    std::string stored;
  };
  const Row before[] = {
      {"empty", ""}, {"compressed before any dictionary", "Z\x28\xb5\x2f\xfd"}, {"unknown tag", "Q\x80"}};
  for (const Row& row : before) {
    INFO(row.what);
    CHECK_THROWS(codec.decode(row.stored));
  }
  codec.encode(networkPolicy("alice-1"));
  CHECK_THROWS(codec.decode(std::string("Z") + "not a zstd frame"));
}

}  // namespace
}  // namespace sessiongate::kube
