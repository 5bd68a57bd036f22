// bench-echo: the webhook's HTTPS stack (WebhookServer: same TLS setup, same worker model, same limits)
// with a handler that answers the body it got. What it serves per second is the transport's ceiling, the
// reference the real webhook is measured against.
#include <signal.h>
#include <spdlog/spdlog.h>

#include <cstdio>
#include <string>
#include <thread>

#include "webhook/server/webhook_server.h"

using namespace sessiongate::webhook;

int main(int argc, char** argv) {
  if (argc != 4) {
    std::fprintf(stderr, "usage: bench-echo PORT TLS_CERT TLS_KEY\n");
    return 2;
  }
  spdlog::set_level(spdlog::level::warn);
  sigset_t stopSignals;
  sigemptyset(&stopSignals);
  sigaddset(&stopSignals, SIGTERM);
  sigaddset(&stopSignals, SIGINT);
  pthread_sigmask(SIG_BLOCK, &stopSignals, nullptr);

  ServerOptions options;
  options.host = "127.0.0.1";
  options.port = std::stoi(argv[1]);
  options.certFile = argv[2];
  options.keyFile = argv[3];
  auto server = WebhookServer::create(options,
                                      [](Endpoint, std::string_view body) {
                                        return ReviewAnswer{200, std::string(body), "Echo", "allowed"};
                                      },
                                      {});
  if (!server) {
    std::fprintf(stderr, "bench-echo: %s\n", server.error().c_str());
    return 1;
  }
  std::thread serving([&] { (*server)->serve(); });
  int signal = 0;
  sigwait(&stopSignals, &signal);
  (*server)->shutdown(std::chrono::seconds(2));
  serving.join();
  return 0;
}
