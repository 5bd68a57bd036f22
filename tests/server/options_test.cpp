// Command line of sessiongate-webhook: defaults, every flag, and the message of each kind of mistake.
#include "webhook/server/options.h"

#include <catch2/catch.hpp>


using namespace sessiongate::webhook;

namespace {

std::vector<std::string> argv(std::vector<std::string> rest) {
  rest.insert(rest.begin(), "sessiongate-webhook");
  return rest;
}

}  // namespace

TEST_CASE("flags are parsed with their defaults", "[server][options]") {
  auto parsed = parseWebhookFlags(argv({"--tls-cert", "/tls/tls.crt", "--tls-key=/tls/tls.key", "--policies",
                                        "policies/a.yaml,policies/b", "--policies", "/etc/extra"}));
  REQUIRE(parsed);
  CHECK(parsed->listenHost == "0.0.0.0");
  CHECK(parsed->listenPort == 8443);
  CHECK(parsed->tlsCert == "/tls/tls.crt");
  CHECK(parsed->tlsKey == "/tls/tls.key");
  CHECK_FALSE(parsed->clientCA);
  CHECK(parsed->policies ==
        std::vector<std::filesystem::path>{"policies/a.yaml", "policies/b", "/etc/extra"});
  CHECK(parsed->policyName == "default");
  CHECK(parsed->logFormat == LogFormat::Text);
  CHECK(parsed->logLevel == "info");
  CHECK(parsed->maxBodyBytes == 7340032);
  CHECK(parsed->drainTimeout == std::chrono::seconds(25));
  CHECK(parsed->shutdownGrace == std::chrono::seconds(5));
  CHECK(parsed->maxWorkers == 4);
  CHECK(parsed->maxHeaderBytes == 65536);
  CHECK(parsed->maxConnectionsPerClient == 512);
}

TEST_CASE("every flag sets its value", "[server][options]") {
  auto parsed = parseWebhookFlags(argv({"--listen",
                                        "[::1]:9443",
                                        "--tls-cert",
                                        "c",
                                        "--tls-key",
                                        "k",
                                        "--client-ca",
                                        "ca.pem",
                                        "--policies",
                                        "p",
                                        "--policy-name",
                                        "strict",
                                        "--controller-service-account",
                                        "system:serviceaccount:ns:ctl",
                                        "--log-format",
                                        "json",
                                        "--log-level",
                                        "debug",
                                        "--max-body-bytes",
                                        "1024",
                                        "--drain-timeout",
                                        "1500ms",
                                        "--max-workers",
                                        "64",
                                        "--shutdown-grace",
                                        "2s",
                                        "--max-header-bytes",
                                        "4096",
                                        "--max-connections-per-client",
                                        "8"}));
  REQUIRE(parsed);
  CHECK(parsed->listenHost == "::1");
  CHECK(parsed->listenPort == 9443);
  CHECK(parsed->clientCA == std::filesystem::path("ca.pem"));
  CHECK(parsed->policyName == "strict");
  CHECK(parsed->controllerServiceAccount == "system:serviceaccount:ns:ctl");
  CHECK(parsed->logFormat == LogFormat::Json);
  CHECK(parsed->logLevel == "debug");
  CHECK(parsed->maxBodyBytes == 1024);
  CHECK(parsed->drainTimeout == std::chrono::milliseconds(1500));
  CHECK(parsed->maxWorkers == 64);
  CHECK(parsed->shutdownGrace == std::chrono::seconds(2));
  CHECK(parsed->maxHeaderBytes == 4096);
  CHECK(parsed->maxConnectionsPerClient == 8);
}

TEST_CASE("bad flags give a message naming the flag", "[server][options]") {
  const std::vector<std::string> required = {"--tls-cert", "c", "--tls-key", "k", "--policies", "p"};
  struct Case {
    std::vector<std::string> args;
    std::string error;
  };
  const std::vector<Case> cases = {
      {{"--tls-key", "k", "--policies", "p"},
       "--tls-cert and --tls-key are required: the webhook serves HTTPS only"},
      {{"--kubeconfig", "kc"},
       "--policies and --kubeconfig/--context exclude each other: read the policy from files or from the "
       "cluster, not both"},
      {{"--bogus"}, "unknown flag --bogus"},
      {{"serve"}, "unexpected argument \"serve\"; flags start with --"},
      {{"--listen", "8443"}, "--listen: \"8443\" has no port; write ADDR:PORT"},
      {{"--listen", "0.0.0.0:99999"}, "--listen: port \"99999\" is not in 1..65535"},
      {{"--log-format", "xml"}, "--log-format: \"xml\" is neither text nor json"},
      {{"--log-level", "loud"},
       "--log-level: \"loud\" is not one of trace, debug, info, warn, error, critical, off"},
      {{"--max-body-bytes", "7MiB"}, "--max-body-bytes: \"7MiB\" is not a positive whole number"},
      {{"--drain-timeout", "soon"},
       "--drain-timeout: \"soon\" is not a duration; write a number with ms, s or m, e.g. 25s"},
      {{"--policies", "a,,b"}, "--policies: empty path in \"a,,b\""},
      {{"--max-workers", "1024"},
       "--max-workers: 1024 threads is more than 256; requests are CPU work, give about one per core"},
      {{"--max-workers", "0"}, "--max-workers: \"0\" is not a positive whole number"},
      {{"--policy-name"}, "--policy-name needs a value: --policy-name NAME"},
      {{"--help=yes"}, "--help takes no value"},
  };
  for (const auto& c : cases) {
    auto args = c.args;
    if (c.error.find("required") == std::string::npos)
      args.insert(args.end(), required.begin(), required.end());
    auto parsed = parseWebhookFlags(argv(args));
    INFO(c.error);
    REQUIRE_FALSE(parsed);
    CHECK(parsed.error() == c.error);
  }
}

TEST_CASE("without --policies the webhook reads the cluster", "[server][options]") {
  auto implicit = parseWebhookFlags(argv({"--tls-cert", "c", "--tls-key", "k"}));
  REQUIRE(implicit);
  CHECK(implicit->policies.empty());
  CHECK(implicit->kubeconfig.empty());
  auto named = parseWebhookFlags(argv({"--tls-cert", "c", "--tls-key", "k", "--kubeconfig", "/etc/kc", "--context",
                                       "local"}));
  REQUIRE(named);
  CHECK(named->kubeconfig == "/etc/kc");
  CHECK(named->context == "local");
}

TEST_CASE("--help needs no other flag and the usage has a line per flag", "[server][options]") {
  auto parsed = parseWebhookFlags(argv({"--help"}));
  REQUIRE(parsed);
  CHECK(parsed->help);
  auto usage = webhookUsage();
  for (const char* flag :
       {"--listen ADDR:PORT", "--tls-cert FILE", "--tls-key FILE", "--client-ca FILE", "--policies PATH", "--kubeconfig FILE", "--context NAME",
        "--policy-name NAME", "--controller-service-account USER", "--log-format text|json",
        "--log-level LEVEL", "--max-body-bytes N", "--drain-timeout DURATION", "--max-workers N", "--help"}) {
    INFO(flag);
    CHECK(usage.find("\n  " + std::string(flag) + " ") != std::string::npos);
  }
}
