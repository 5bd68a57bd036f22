// Command line of sessiongate-controller: defaults, every flag, and the exact message of each kind of mistake.
#include "controller/options.h"

#include <catch2/catch.hpp>

namespace sessiongate::controller {

TEST_CASE("controller flags have their documented defaults", "[controller][options]") {
  auto defaults = parseOptions({});
  REQUIRE(defaults);
  CHECK(defaults->kubeconfig.empty());
  CHECK(defaults->context.empty());
  CHECK(defaults->policyName == "default");
  CHECK(defaults->workers == 4);
  CHECK_FALSE(defaults->leaderElect);
  CHECK(defaults->leaderElectNamespace == "sessiongate-system");
  CHECK(defaults->leaderElectName == "sessiongate-controller");
  CHECK(defaults->leaderElectIdentity == defaultIdentity());
  CHECK(defaults->metricsListen == "127.0.0.1:8081");
  CHECK(defaults->logFormat == "text");
  CHECK(defaults->logLevel == "info");
  CHECK(defaults->trackerUrls.empty());
  CHECK(defaults->idleWarningLead == std::chrono::minutes(10));
  CHECK(defaults->trackerSelector.empty());
  CHECK(defaults->trackerNamespaces.empty());
  CHECK(defaults->trackerPort == "activity");
}

TEST_CASE("every controller flag sets its value", "[controller][options]") {
  auto set = parseOptions({"--kubeconfig", "/etc/kc", "--context=local", "--policy-name", "strict",
                           "--leader-elect", "--leader-election-namespace=ns1", "--workers", "8",
                           "--leader-elect-name", "lease-a", "--metrics-listen=0.0.0.0:8080",
                           "--leader-elect-identity", "pod-a", "--log-format=json", "--log-level", "debug",
                           "--tracker-url=http://10.0.0.4:9470/", "--tracker-url",
                           "http://a.example:1,http://[fd00::1]:9470", "--idle-warning-lead", "90s"});
  REQUIRE(set);
  CHECK(set->kubeconfig == "/etc/kc");
  CHECK(set->context == "local");
  CHECK(set->policyName == "strict");
  CHECK(set->leaderElect);
  CHECK(set->leaderElectNamespace == "ns1");
  CHECK(set->leaderElectName == "lease-a");
  CHECK(set->workers == 8);
  CHECK(set->leaderElectIdentity == "pod-a");
  CHECK(set->metricsListen == "0.0.0.0:8080");
  CHECK(set->logFormat == "json");
  CHECK(set->logLevel == "debug");
  CHECK(set->trackerUrls ==
        std::vector<std::string>{"http://10.0.0.4:9470", "http://a.example:1", "http://[fd00::1]:9470"});
  CHECK(set->idleWarningLead == std::chrono::seconds(90));

  auto found = parseOptions({"--tracker-selector", "app.kubernetes.io/name=sessiongate-tracker",
                             "--tracker-namespace=sessiongate-tracker,gw", "--tracker-namespace", "gw",
                             "--tracker-port=9470"});
  REQUIRE(found);
  CHECK(found->trackerSelector == "app.kubernetes.io/name=sessiongate-tracker");
  CHECK(found->trackerNamespaces == std::vector<std::string>{"sessiongate-tracker", "gw"});
  CHECK(found->trackerPort == "9470");

  auto off = parseOptions({"--leader-elect=false", "--leader-elect-namespace", "ns2"});
  REQUIRE(off);
  CHECK_FALSE(off->leaderElect);
  CHECK(off->leaderElectNamespace == "ns2");
}

TEST_CASE("bad controller command lines give a message naming the flag", "[controller][options]") {
  struct Row {
    std::vector<std::string> args;
    std::string error;
  };
  const std::string trackerHint = "flag --tracker-url: expected http://HOST:PORT (a comma list or the flag repeated), got ";
  const std::vector<Row> rows = {
      {{"--workers", "0"}, "flag --workers: expected a whole number from 1 to 1024, got \"0\""},
      {{"--workers", "four"}, "flag --workers: expected a whole number from 1 to 1024, got \"four\""},
      {{"--workers"}, "flag --workers needs a value (N)"},
      {{"--workers", "--leader-elect"},
       "flag --workers needs a value (N) but is followed by --leader-elect; write --workers=VALUE if the value "
       "starts with --"},
      {{"--nope"}, "unknown flag --nope"},
      {{"stray"}, "unexpected argument \"stray\""},
      {{"--log-format=xml"}, "flag --log-format: \"xml\" is not one of text, json"},
      {{"--log-level=informational"},
       "flag --log-level: \"informational\" is not one of trace, debug, info, warn, error, critical, off"},
      {{"--log-level=WARN"},
       "flag --log-level: \"WARN\" is not one of trace, debug, info, warn, error, critical, off"},
      {{"--leader-elect=maybe"}, "flag --leader-elect is a switch: give it alone, or as --leader-elect=true or =false"},
      {{"--leader-elect", "--leader-elect"}, "flag --leader-elect given twice"},
      {{"--leader-elect-namespace=a", "--leader-election-namespace=b"}, "flag --leader-elect-namespace given twice"},
      {{"--policy-name", "a", "--policy-name", "b"}, "flag --policy-name given twice"},
      {{"--policy-name="}, "flag --policy-name needs a value (NAME)"},
      {{"--help=true"}, "flag --help takes no value"},
      {{"--tracker-url=10.0.0.4:9470"}, trackerHint + "\"10.0.0.4:9470\""},
      {{"--tracker-url=https://t:9470"}, trackerHint + "\"https://t:9470\""},
      {{"--tracker-url=http://a:1,,http://b:2"}, "flag --tracker-url: empty item in \"http://a:1,,http://b:2\""},
      {{"--tracker-url=http://a:1/activity"}, trackerHint + "\"http://a:1/activity\""},
      {{"--tracker-url"}, "flag --tracker-url needs a value (URL)"},
      {{"--idle-warning-lead=10"},
       "flag --idle-warning-lead: expected a duration of at least 1s such as 25s, 1m30s or 500ms, got \"10\""},
      {{"--idle-warning-lead=0s"},
       "flag --idle-warning-lead: expected a duration of at least 1s such as 25s, 1m30s or 500ms, got \"0s\""},
      {{"--idle-warning-lead=-5m"},
       "flag --idle-warning-lead: expected a duration of at least 1s such as 25s, 1m30s or 500ms, got \"-5m\""},
      {{"--tracker-selector=app=t"},
       "flag --tracker-selector needs --tracker-namespace: the controller looks for trackers only in the "
       "namespaces it is allowed to list EndpointSlices in (manifests/tracker/rbac.yaml)"},
      {{"--tracker-namespace=t"},
       "flag --tracker-namespace needs --tracker-selector (the labels of the trackers' Services)"},
      {{"--tracker-selector="}, "flag --tracker-selector needs a value (SELECTOR)"},
      {{"--tracker-selector", "app = t"},
       "flag --tracker-selector: expected a label selector such as app.kubernetes.io/name=sessiongate-tracker, "
       "got \"app = t\""},
      {{"--tracker-selector=a=b", "--tracker-selector=c=d"}, "flag --tracker-selector given twice"},
      {{"--tracker-namespace=a,Tracker"},
       "flag --tracker-namespace: expected a namespace name (a DNS label: lower-case letters, digits and '-'), "
       "a comma list or the flag repeated, got \"Tracker\""},
      {{"--tracker-namespace=a,"},
       "flag --tracker-namespace: expected a namespace name (a DNS label: lower-case letters, digits and '-'), "
       "a comma list or the flag repeated, got \"\""},
      {{"--tracker-port=0"}, "flag --tracker-port: expected a port number 1..65535 or a port name, got \"0\""},
      {{"--tracker-port=65536"},
       "flag --tracker-port: expected a port number 1..65535 or a port name, got \"65536\""},
      {{"--tracker-port=Activity"},
       "flag --tracker-port: expected a port name (lower-case letters, digits and '-', at most 15 characters, "
       "as in the tracker Service's ports[].name) or a number, got \"Activity\""},
  };
  for (const Row& row : rows) {
    CAPTURE(row.args);
    auto parsed = parseOptions(row.args);
    REQUIRE_FALSE(parsed);
    CHECK(parsed.error() == row.error);
  }
}

TEST_CASE("controller help has a line per flag, with defaults and the alias", "[controller][options]") {
  auto help = parseOptions({"--help"});
  REQUIRE(help);
  CHECK(help->help);
  const std::string text = helpText(controllerCommand());
  for (const char* line :
       {"--kubeconfig FILE", "--context NAME", "--policy-name NAME", "--workers N", "--leader-elect",
        "--leader-elect-namespace NS", "--leader-elect-name NAME", "--leader-elect-identity ID",
        "--metrics-listen HOST:PORT", "--tracker-url URL", "--tracker-selector SELECTOR",
        "--tracker-namespace NS", "--tracker-port NAME|N", "--idle-warning-lead DURATION", "--log-format FORMAT",
        "--log-level LEVEL", "-h, --help"}) {
    INFO(line);
    CHECK(text.find("\n  " + std::string(line) + " ") != std::string::npos);
  }
  CHECK(text.find("(default sessiongate-system) (also --leader-election-namespace)") != std::string::npos);
  CHECK(text.find("(repeatable)") != std::string::npos);
}

}  // namespace sessiongate::controller
