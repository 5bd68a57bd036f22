// SessionPolicy parsing and checks: each fixture in fixtures/policies/ with its exact list of errors, plus
// the parsed model of the complete and the minimal valid policies.
#include "core/policy.h"

#include <catch2/catch.hpp>
#include <string>
#include <vector>

#include "core/duration.h"
#include "core/object_loader.h"

using sessiongate::Json;
using sessiongate::parsePolicy;
using sessiongate::PolicyParse;

namespace {

const std::string kPolicyFixtures = std::string(SESSIONGATE_FIXTURES) + "/policies/";
const std::string kLabel =
    "a lowercase RFC 1123 label must consist of lower case alphanumeric characters or '-', and must start "
    "and "
    "end with an alphanumeric character (e.g. 'my-name',  or '123-abc', regex used for validation is "
    "'[a-z0-9]([-a-z0-9]*[a-z0-9])?')";
const std::string kQuantity =
    "quantities must match the regular expression '^([+-]?[0-9.]+)([eEinumkKMGTP]*[-+]?[0-9]*)$'";

PolicyParse parseFixture(const std::string& file) {
  auto objects = sessiongate::loadObjects(kPolicyFixtures + file);
  REQUIRE(objects.ok());
  REQUIRE(objects->size() == 1);
  return parsePolicy(objects->front());
}

std::vector<std::string> messages(const sessiongate::FieldErrors& errors) {
  std::vector<std::string> out;
  for (const auto& e : errors) out.push_back(e.message());
  return out;
}

struct PolicyFixture {
  const char* file;
  std::vector<std::string> errors;
};

const std::vector<PolicyFixture> kPolicyFixtureTable = {
    {"valid-complete.yaml", {}},
    {"minimal.yaml", {}},
    {"no-spec.yaml", {"spec: Required value"}},
    {"system-admin-groups.yaml",
     {
         "spec.adminGroups[1]: Invalid value: \"system:authenticated\": is a built-in group of every authenticated "
         "user; adminGroups may act for any user, so name a group only admins are in",
         "spec.adminGroups[2]: Invalid value: \"system:unauthenticated\": is a built-in group of every anonymous "
         "request; adminGroups may act for any user, so name a group only admins are in",
         "spec.adminGroups[3]: Invalid value: \"system:serviceaccounts\": is a built-in group of every service "
         "account; adminGroups may act for any user, so name a group only admins are in",
         "spec.adminGroups[4]: Invalid value: \"system:serviceaccounts:sess-alice-shell\": is a built-in group of "
         "every service account of namespace sess-alice-shell; adminGroups may act for any user, so name a group "
         "only admins are in",
         "spec.adminGroups[5]: Invalid value: \"system:nodes\": is a built-in group of every node (kubelet); "
         "adminGroups may act for any user, so name a group only admins are in",
         "spec.adminGroups[6]: Invalid value: \"system:bootstrappers\": is a built-in group of every bootstrap "
         "token (joining nodes); adminGroups may act for any user, so name a group only admins are in",
         "spec.adminGroups[7]: Invalid value: \"system:bootstrappers:kubeadm:default-node-token\": is a built-in "
         "group of every bootstrap token (joining nodes); adminGroups may act for any user, so name a group only "
         "admins are in",
     }},
    {"bad-types.yaml",
     {
         "spec.adminGroups: Invalid value: \"admins\": must be of type array",
         "spec.limits.maxSessionsPerUser: Invalid value: \"3\": must be of type integer",
         "spec.profiles[1]: Invalid value: \"just-a-string\": must be of type object",
         "spec.profiles[0].command[1]: Invalid value: 5: must be of type string",
         "spec.profiles[0].resources.requests[cpu]: Invalid value: [1]: must be of type string or number",
         "spec.profiles[0].maxTTL: Invalid value: 8: must be of type string",
         "spec.profiles[0].allowImageOverride: Invalid value: \"yes\": must be of type boolean",
         "spec.gateways[0].nativeSidecar: Invalid value: \"true\": must be of type boolean",
         "spec.network: Invalid value: []: must be of type object",
     }},
    {"bad-durations.yaml",
     {
         "spec.profiles[0].maxTTL: Invalid value: \"2x\": time: unknown unit \"x\" in duration \"2x\"",
         "spec.profiles[0].defaultTTL: Invalid value: \"1d\": time: unknown unit \"d\" in duration \"1d\"",
         "spec.profiles[0].maxInactivity: Invalid value: \"30\": time: missing unit in duration \"30\"",
         "spec.profiles[1].defaultTTL: Invalid value: \"10h0m0s\": must not be greater than maxTTL (8h0m0s)",
         "spec.profiles[1].maxInactivity: Invalid value: \"-5m0s\": must be positive",
         "spec.profiles[2].maxTTL: Required value: a positive duration such as 8h",
         "spec.profiles[2].maxInactivity: Required value: a positive duration such as 30m",
         "spec.profiles[3].defaultTTL: Invalid value: \"0s\": must be positive",
     }},
    {"bad-quantities.yaml",
     {
         "spec.profiles[0].resources.requests[ephemeral-storage]: Invalid value: \"1.5.3\": " + kQuantity,
         "spec.profiles[0].resources.requests[memory]: Invalid value: \"1Gb\": " + kQuantity,
         "spec.profiles[0].resources.requests[cpu]: Invalid value: \"2\": must be less than or equal to cpu "
         "limit "
         "of 1500m",
         "spec.profiles[0].quota.hard[limits.memory]: Invalid value: \"-1Gi\": must be greater than or equal "
         "to 0",
         "spec.profiles[0].quota.hard[requests.cpu]: Invalid value: \"abc\": " + kQuantity,
     }},
    {"bad-pool.yaml",
     {
         "spec.publicExposure.reservedPorts[2]: Invalid value: \"a-b\": must be a port such as 22 or a range "
         "of "
         "ports such as 8000-8100",
         "spec.publicExposure.ipPool[1]: Invalid value: \"10.0.0.300\": must be an IP address, a CIDR such "
         "as "
         "10.0.0.0/28 or a range such as 10.0.0.1-10.0.0.9",
         "spec.publicExposure.ipPool[3]: Invalid value: \"10.0.0.5/24\": host bits are set; the network is "
         "10.0.0.0/24",
         "spec.publicExposure.ipPool[6]: Invalid value: \"10.0.1.9-10.0.1.1\": the first address of a range "
         "must "
         "not be after the last",
         "spec.publicExposure.ipPool[2]: Invalid value: \"10.0.0.8/29\": overlaps "
         "spec.publicExposure.ipPool[0] "
         "(\"10.0.0.0/28\")",
         "spec.publicExposure.ipPool[5]: Invalid value: \"2001:db8::10-2001:db8::20\": overlaps "
         "spec.publicExposure.ipPool[4] (\"2001:db8::/120\")",
         "spec.publicExposure.autoPortRange: Invalid value: \"60000-50000\": the first port must not be "
         "greater "
         "than the last",
         "spec.publicExposure.reservedPorts[1]: Invalid value: \"70000\": ports must be between 1 and 65535, "
         "inclusive",
         "spec.publicExposure.reservedPorts[4]: Invalid value: \"9000-8000\": the first port must not be "
         "greater "
         "than the last",
         "spec.publicExposure.reservedPorts[5]: Invalid value: \"0-10\": ports must be between 1 and 65535, "
         "inclusive",
         "spec.publicExposure.ipAnnotation: Required value",
     }},
    {"bad-references.yaml",
     {
         "metadata.name: Required value",
         "spec.limits.maxSessionsPerUser: Invalid value: -1: must be greater than or equal to 0",
         "spec.profiles[0].allowedImages: Required value: allowImageOverride needs at least one image glob",
         "spec.profiles[0].gateways[1]: Unsupported value: \"vpn\": supported values: \"corp\", \"none\"",
         "spec.profiles[0].gateways[2]: Duplicate value: \"corp\"",
         "spec.profiles[0].defaultGateway: Unsupported value: \"lab\": supported values: \"corp\"",
         "spec.profiles[0].storage: Invalid value: true: needs spec.storage (NFS server and pathTemplate)",
         "spec.profiles[0].allowPublicExposure: Invalid value: true: needs spec.publicExposure with a "
         "non-empty "
         "ipPool",
         "spec.profiles[0].maxExposedPorts: Invalid value: -1: must be greater than or equal to 0",
         "spec.profiles[1].name: Duplicate value: \"dev\"",
         "spec.profiles[1].image: Required value",
         "spec.profiles[1].gateways: Required value: list at least one of spec.gateways, or set "
         "allowNoGateway",
         "spec.profiles[2].name: Invalid value: \"Data_Science\": " + kLabel,
         "spec.profiles[2].allowedImages[1]: Invalid value: \"\": must not be empty",
         "spec.gateways[0].dnsServers[1]: Invalid value: \"dns.example.com\": must be an IP address",
         "spec.gateways[1].name: Duplicate value: \"corp\"",
         "spec.gateways[1].address: Invalid value: \"not a host!\": must be an IP address or a DNS name such "
         "as "
         "host.example.com",
         "spec.gateways[2].name: Invalid value: \"none\": \"none\" means no gateway and cannot name one",
         "spec.gateways[2].address: Required value",
         "spec.gateways[2].image: Required value",
         "spec.gateways[3].name: Required value",
     }},
    {"bad-storage.yaml",
     {
         "spec.storage.server: Required value",
         "spec.storage.pathTemplate: Invalid value: \"exports/users\": must be an absolute path",
         "spec.storage.pathTemplate: Invalid value: \"exports/users\": must contain {user}, replaced by the "
         "session's user",
         "spec.storage.mountPath: Invalid value: \"media/mydrive\": must be an absolute path",
         "spec.publicExposure.ipPool: Required value: at least one IP address, CIDR or range",
         "spec.network.egressCIDRs[1]: Invalid value: \"10.1.2.3/16\": host bits are set; the network is "
         "10.1.0.0/16",
         "spec.network.egressCIDRs[2]: Invalid value: \"10.0.0.1\": a CIDR needs a prefix length, e.g. "
         "10.0.0.0/24",
     }},
};

}  // namespace

TEST_CASE("policy fixtures give exactly their expected errors", "[core][policy]") {
  for (const auto& fixture : kPolicyFixtureTable) {
    INFO("fixture " << fixture.file);
    const PolicyParse parsed = parseFixture(fixture.file);
    CHECK(messages(parsed.errors) == fixture.errors);
  }
}

TEST_CASE("the complete policy parses into the model", "[core][policy]") {
  using namespace std::chrono_literals;
  const PolicyParse parsed = parseFixture("valid-complete.yaml");
  REQUIRE(parsed.errors.empty());
  const auto& p = parsed.policy;
  CHECK(p.name == "default");
  CHECK(p.resourceVersion == "4711");
  CHECK(p.adminGroups == std::vector<std::string>{"sessiongate-admins", "system:masters"});
  CHECK(p.isAdmin({"students", "system:masters"}));
  CHECK_FALSE(p.isAdmin({"students"}));
  CHECK(p.maxSessionsPerUser == 3);
  REQUIRE(p.profiles.size() == 2);
  const auto* dev = p.profile("dev");
  REQUIRE(dev != nullptr);
  CHECK(dev->image == "registry.example.com/lab/devbox:1.4");
  CHECK(dev->command == std::vector<std::string>{"/usr/bin/tini", "--", "sleep", "infinity"});
  CHECK(dev->requests == std::map<std::string, std::string>{{"cpu", "500m"}, {"memory", "1Gi"}});
  CHECK(dev->limits == std::map<std::string, std::string>{{"cpu", "2"}, {"memory", "4Gi"}});
  CHECK(dev->quotaHard == std::map<std::string, std::string>{{"limits.memory", "16Gi"},
                                                             {"pods", "10"},
                                                             {"requests.cpu", "4"},
                                                             {"services.loadbalancers", "1"}});
  CHECK(dev->defaultTTL == 4h);
  CHECK(dev->maxTTL == 12h);
  CHECK(dev->maxInactivity == 45min);
  CHECK(dev->allowImageOverride);
  CHECK(dev->allowedImages ==
        std::vector<std::string>{"registry.example.com/lab/*", "docker.io/library/python:3.1?"});
  CHECK(dev->gateways == std::vector<std::string>{"corp", "lab"});
  CHECK(dev->defaultGateway == "lab");
  CHECK(dev->allowNoGateway);
  CHECK(dev->storage);
  CHECK(dev->allowPublicExposure);
  CHECK(dev->maxExposedPorts == 4);
  const auto* exam = p.profile("exam");
  REQUIRE(exam != nullptr);
  CHECK(exam->defaultTTL == 3h);          // defaults to maxTTL
  CHECK(exam->defaultGateway == "corp");  // defaults to the first gateway
  CHECK_FALSE(exam->allowNoGateway);
  CHECK(p.profile("missing") == nullptr);

  REQUIRE(p.gateways.size() == 2);
  const auto* corp = p.gateway("corp");
  REQUIRE(corp != nullptr);
  CHECK(corp->address == "gateway.corp.example.com");
  CHECK(corp->image == "ghcr.io/angelnu/pod-gateway:v1.10.0");
  CHECK(corp->dnsServers == std::vector<std::string>{"10.96.0.10", "fd00::10"});
  CHECK(corp->nativeSidecar);
  CHECK_FALSE(p.gateway("lab")->nativeSidecar);

  REQUIRE(p.storage.has_value());
  CHECK(p.storage->server == "nfs.example.com");
  CHECK(p.storage->pathTemplate == "/exports/users/{user}");
  CHECK(p.storage->mountPath == "/media/mydrive");
  CHECK_FALSE(p.storage->readOnly);

  REQUIRE(p.publicExposure.has_value());
  const auto& e = *p.publicExposure;
  CHECK(e.ipPool.size() == 4);
  CHECK(e.autoPortRange.first == 30000);
  CHECK(e.autoPortRange.last == 32767);
  REQUIRE(e.reservedPorts.size() == 4);
  CHECK(e.isReserved(22));
  CHECK(e.isReserved(80));
  CHECK(e.isReserved(10255));
  CHECK_FALSE(e.isReserved(10260));
  CHECK(e.ipAnnotation == "metallb.universe.tf/loadBalancerIPs");
  CHECK(e.sharedIPKey == "sessiongate");
  CHECK(e.commonAnnotations == std::map<std::string, std::string>{{"example.com/owner", "platform-team"}});

  CHECK(p.network.allowDNS);
  CHECK(p.network.egressCIDRs == std::vector<std::string>{"10.0.0.0/8", "2001:db8::/32"});
}

TEST_CASE("a minimal policy takes the documented defaults", "[core][policy]") {
  using namespace std::chrono_literals;
  const PolicyParse parsed = parseFixture("minimal.yaml");
  REQUIRE(parsed.errors.empty());
  const auto& p = parsed.policy;
  CHECK(p.maxSessionsPerUser == 0);
  CHECK(p.adminGroups.empty());
  CHECK(p.gateways.empty());
  CHECK_FALSE(p.storage.has_value());
  CHECK_FALSE(p.publicExposure.has_value());
  CHECK(p.network.allowDNS);
  const auto& basic = p.profiles.at(0);
  CHECK(basic.defaultTTL == 2h);
  CHECK(basic.defaultGateway == "none");
  CHECK_FALSE(basic.storage);
  CHECK(basic.maxExposedPorts == 0);

  const auto defaults = sessiongate::PublicExposureConfig{};
  CHECK(defaults.autoPortRange.first == 49152);
  CHECK(defaults.autoPortRange.last == 65535);
}

TEST_CASE("checkPolicy runs on a policy built in code", "[core][policy]") {
  using namespace std::chrono_literals;
  sessiongate::SessionPolicy policy;
  sessiongate::Profile profile;
  profile.name = "p";
  profile.image = "x";
  profile.maxTTL = 1h;
  profile.defaultTTL = 1h;
  profile.maxInactivity = 10min;
  profile.allowNoGateway = true;
  profile.defaultGateway = "none";
  policy.profiles.push_back(profile);
  CHECK(sessiongate::checkPolicy(policy).empty());
  policy.profiles.push_back(profile);
  CHECK(messages(sessiongate::checkPolicy(policy)) ==
        std::vector<std::string>{"spec.profiles[1].name: Duplicate value: \"p\""});
  CHECK(messages(parsePolicy(Json::array()).errors) ==
        std::vector<std::string>{"object: Invalid value: []: must be of type object"});
}
