// sessiongate-tracker: flags, logging, signals, one InterfaceCapture per interface and the HTTP endpoint.
// The logic lives in the files next to this one.
#include <signal.h>
#include <spdlog/spdlog.h>

#include <iostream>
#include <memory>

#include "controller/tracker/tracker_options.h"
#include "controller/tracker/tracker_server.h"
#include "core/logging.h"

using namespace sessiongate;
using namespace sessiongate::tracker;

int main(int argc, char** argv) {
  auto options = parseTrackerOptions(std::vector<std::string>(argv + 1, argv + argc));
  if (!options) {
    std::cerr << usageError("sessiongate-tracker", options.error());
    return kExitUsage;
  }
  if (options->help) {
    std::cout << helpText(trackerCommand());
    return 0;
  }
  if (auto logging = configureLogging("sessiongate-tracker", options->logFormat, options->logLevel);
      !logging) {
    std::cerr << usageError("sessiongate-tracker", logging.error());
    return kExitUsage;
  }

  // Block the stop signals before any thread starts, so that only sigwait() below receives them.
  sigset_t stopSignals;
  sigemptyset(&stopSignals);
  sigaddset(&stopSignals, SIGTERM);
  sigaddset(&stopSignals, SIGINT);
  pthread_sigmask(SIG_BLOCK, &stopSignals, nullptr);

  ActivityTable table(options->maxEntries);
  FrameClassifier classifier(options->selection, table);
  std::vector<std::unique_ptr<InterfaceCapture>> captures;
  for (const std::string& interface : options->interfaces)
    captures.push_back(std::make_unique<InterfaceCapture>(interface, options->capture, classifier, realClock()));

  TrackerSources sources;
  sources.name = options->name;
  sources.table = &table;
  sources.classifier = &classifier;
  sources.captures = [&captures] {
    std::vector<CaptureStatus> all;
    for (const auto& c : captures) all.push_back(c->status());
    return all;
  };
  sources.clock = &realClock();
  TrackerServer server(sources);
  auto port = server.start(options->listen);
  if (!port) {
    spdlog::critical("cannot start: {}", port.error());
    return 1;
  }
  spdlog::info("serving /metrics and /activity on {} (port {}); filter: {}", options->listen, *port,
               bpfFilter(options->selection));
  for (auto& c : captures) c->start();

  int signal = 0;
  sigwait(&stopSignals, &signal);
  spdlog::info("received {}, stopping", signal == SIGTERM ? "SIGTERM" : "SIGINT");
  for (auto& c : captures) c->stop();
  server.stop();
  return 0;
}
