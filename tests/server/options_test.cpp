// Command line of sessiongate-webhook: defaults, every flag, and the exact message of each kind of mistake.
#include "webhook/server/options.h"

#include <catch2/catch.hpp>

using namespace sessiongate;
using namespace sessiongate::webhook;

TEST_CASE("flags are parsed with their defaults", "[server][options]") {
  auto parsed = parseWebhookFlags({"--tls-cert", "/tls/tls.crt", "--tls-key=/tls/tls.key", "--policies",
                                   "policies/a.yaml,policies/b", "--policies", "/etc/extra"});
  REQUIRE(parsed);
  CHECK(parsed->listenHost == "0.0.0.0");
  CHECK(parsed->listenPort == 8443);
  CHECK(parsed->tlsCert == "/tls/tls.crt");
  CHECK(parsed->tlsKey == "/tls/tls.key");
  CHECK_FALSE(parsed->clientCA);
  CHECK(parsed->policies == std::vector<std::filesystem::path>{"policies/a.yaml", "policies/b", "/etc/extra"});
  CHECK(parsed->policyName == "default");
  CHECK(parsed->controllerServiceAccount == "system:serviceaccount:sessiongate-system:sessiongate-controller");
  CHECK(parsed->logFormat == "text");
  CHECK(parsed->logLevel == "info");
  CHECK(parsed->maxBodyBytes == 7340032);
  CHECK(parsed->drainTimeout == std::chrono::seconds(25));
  CHECK(parsed->shutdownGrace == std::chrono::seconds(5));
  CHECK(parsed->maxWorkers == 4);
  CHECK(parsed->maxHeaderBytes == 65536);
  CHECK(parsed->maxConnectionsPerClient == 512);
  CHECK(parsed->maxHandshakes == 64);
}

TEST_CASE("every flag sets its value", "[server][options]") {
  auto parsed = parseWebhookFlags({"--listen",
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
                                   "8",
                                   "--max-handshakes",
                                   "4096"});
  REQUIRE(parsed);
  CHECK(parsed->listenHost == "::1");
  CHECK(parsed->listenPort == 9443);
  CHECK(parsed->clientCA == std::filesystem::path("ca.pem"));
  CHECK(parsed->policyName == "strict");
  CHECK(parsed->controllerServiceAccount == "system:serviceaccount:ns:ctl");
  CHECK(parsed->logFormat == "json");
  CHECK(parsed->logLevel == "debug");
  CHECK(parsed->maxBodyBytes == 1024);
  CHECK(parsed->drainTimeout == std::chrono::milliseconds(1500));
  CHECK(parsed->maxWorkers == 64);
  CHECK(parsed->shutdownGrace == std::chrono::seconds(2));
  CHECK(parsed->maxHeaderBytes == 4096);
  CHECK(parsed->maxConnectionsPerClient == 8);
  CHECK(parsed->maxHandshakes == 4096);
}

TEST_CASE("bad webhook command lines give a message naming the flag", "[server][options]") {
  const std::vector<std::string> required = {"--tls-cert", "c", "--tls-key", "k", "--policies", "p"};
  struct Case {
    std::vector<std::string> args;
    std::string error;
    bool withRequired = true;  // append the required flags after args
  };
  const std::vector<Case> cases = {
      {{"--tls-key", "k", "--policies", "p"}, "missing required flag --tls-cert FILE", false},
      {{"--tls-cert", "c", "--policies", "p"}, "missing required flag --tls-key FILE", false},
      {{"--kubeconfig", "kc"},
       "--policies and --kubeconfig/--context exclude each other: read the policy from files or from the "
       "cluster, not both"},
      {{"--bogus"}, "unknown flag --bogus"},
      {{"-v"}, "unknown flag -v"},
      {{"serve"}, "unexpected argument \"serve\""},
      {{"--listen", "8443"}, "flag --listen: \"8443\" has no port; write ADDR:PORT"},
      {{"--listen", "0.0.0.0:99999"}, "flag --listen: port \"99999\" is not in 1..65535"},
      {{"--log-format", "xml"}, "flag --log-format: \"xml\" is not one of text, json"},
      {{"--log-level", "loud"},
       "flag --log-level: \"loud\" is not one of trace, debug, info, warn, error, critical, off"},
      {{"--log-level=informational"},
       "flag --log-level: \"informational\" is not one of trace, debug, info, warn, error, critical, off"},
      {{"--max-body-bytes", "7MiB"},
       "flag --max-body-bytes: expected a whole number from 1 to 1099511627776, got \"7MiB\""},
      {{"--max-workers", "0"}, "flag --max-workers: expected a whole number from 1 to 256, got \"0\""},
      {{"--max-workers", "257"}, "flag --max-workers: expected a whole number from 1 to 256, got \"257\""},
      {{"--max-handshakes", "0"}, "flag --max-handshakes: expected a whole number from 1 to 4096, got \"0\""},
      {{"--max-handshakes", "4097"},
       "flag --max-handshakes: expected a whole number from 1 to 4096, got \"4097\""},
      {{"--max-handshakes", "-1"}, "flag --max-handshakes: expected a whole number from 1 to 4096, got \"-1\""},
      {{"--drain-timeout", "soon"},
       "flag --drain-timeout: expected a duration such as 25s, 1m30s or 500ms, got \"soon\""},
      {{"--shutdown-grace", "-1s"},
       "flag --shutdown-grace: expected a duration such as 25s, 1m30s or 500ms, got \"-1s\""},
      {{"--policies", "a,,b"}, "flag --policies: empty item in \"a,,b\""},
      {{"--policy-name"}, "flag --policy-name needs a value (NAME) but is followed by --tls-cert; write "
                          "--policy-name=VALUE if the value starts with --"},
      {{"--policy-name="}, "flag --policy-name needs a value (NAME)"},
      {{"--policy-name", "a", "--policy-name", "b"}, "flag --policy-name given twice"},
      {{"--listen", "127.0.0.1:1", "--listen=127.0.0.1:2"}, "flag --listen given twice"},
      {{"--tls-cert"}, "flag --tls-cert needs a value (FILE)", false},
      {{"--help=yes"}, "flag --help takes no value"},
  };
  for (const auto& c : cases) {
    auto args = c.args;
    if (c.withRequired) args.insert(args.end(), required.begin(), required.end());
    CAPTURE(args);
    auto parsed = parseWebhookFlags(args);
    REQUIRE_FALSE(parsed);
    CHECK(parsed.error() == c.error);
  }
}

TEST_CASE("without --policies the webhook reads the cluster", "[server][options]") {
  auto implicit = parseWebhookFlags({"--tls-cert", "c", "--tls-key", "k"});
  REQUIRE(implicit);
  CHECK(implicit->policies.empty());
  CHECK(implicit->kubeconfig.empty());
  auto named = parseWebhookFlags({"--tls-cert", "c", "--tls-key", "k", "--kubeconfig", "/etc/kc", "--context", "local"});
  REQUIRE(named);
  CHECK(named->kubeconfig == "/etc/kc");
  CHECK(named->context == "local");
}

TEST_CASE("--help needs no other flag and the help has a line per flag with its default", "[server][options]") {
  for (const std::vector<std::string>& args : {std::vector<std::string>{"--help"}, {"-h"}, {"--bogus", "--help"}}) {
    auto parsed = parseWebhookFlags(args);
    REQUIRE(parsed);
    CHECK(parsed->help);
  }
  auto help = helpText(webhookCommand());
  for (const char* line :
       {"--listen ADDR:PORT", "--tls-cert FILE", "--tls-key FILE", "--client-ca FILE", "--policies PATH",
        "--kubeconfig FILE", "--context NAME", "--policy-name NAME", "--controller-service-account USER",
        "--log-format FORMAT", "--log-level LEVEL", "--max-body-bytes N", "--drain-timeout DURATION",
        "--shutdown-grace DURATION", "--max-workers N", "--max-header-bytes N",
        "--max-connections-per-client N", "--max-handshakes N", "-h, --help"}) {
    INFO(line);
    CHECK(help.find("\n  " + std::string(line) + " ") != std::string::npos);
  }
  CHECK(help.find("(default 0.0.0.0:8443)") != std::string::npos);
  CHECK(help.find("(one of trace, debug, info, warn, error, critical, off) (default info)") != std::string::npos);
}
