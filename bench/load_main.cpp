// bench-load: a closed-loop load generator over TLS keep-alive. Each thread owns its share of the
// connections and sends one request at a time, cycling over them, so the requests in flight equal the
// threads. Prints one line: requests, errors, requests/s, p50 and p99 latency in microseconds.
#include <httplib.h>

#include <algorithm>
#include <atomic>
#include <chrono>
#include <cstdio>
#include <fstream>
#include <map>
#include <memory>
#include <sstream>
#include <string>
#include <thread>
#include <vector>

namespace {

using Clock = std::chrono::steady_clock;

struct LoadOptions {
  int port = 8443;
  std::string ca;
  std::string path = "/mutate";
  std::string bodyFile;
  int connections = 8;
  int threads = 8;
  double seconds = 10;
  double warmupSeconds = 1;
};

bool parse(int argc, char** argv, LoadOptions& o) {
  std::map<std::string, std::string> values;
  for (int i = 1; i + 1 < argc; i += 2) values[argv[i]] = argv[i + 1];
  if (argc % 2 == 0) return false;
  for (const auto& [flag, value] : values) {
    if (flag == "--port")
      o.port = std::stoi(value);
    else if (flag == "--ca")
      o.ca = value;
    else if (flag == "--path")
      o.path = value;
    else if (flag == "--body")
      o.bodyFile = value;
    else if (flag == "--connections")
      o.connections = std::stoi(value);
    else if (flag == "--threads")
      o.threads = std::stoi(value);
    else if (flag == "--duration")
      o.seconds = std::stod(value);
    else if (flag == "--warmup")
      o.warmupSeconds = std::stod(value);
    else
      return false;
  }
  return !o.ca.empty() && !o.bodyFile.empty() && o.threads > 0 && o.connections >= o.threads;
}

}  // namespace

int main(int argc, char** argv) {
  LoadOptions o;
  if (!parse(argc, argv, o)) {
    std::fprintf(stderr,
                 "usage: bench-load --port N --ca FILE --body FILE [--path /mutate] [--connections 8] "
                 "[--threads 8] [--duration 10] [--warmup 1]\n");
    return 2;
  }
  std::ifstream in(o.bodyFile, std::ios::binary);
  std::stringstream text;
  text << in.rdbuf();
  const std::string body = text.str();

  std::atomic<bool> measuring{false};
  std::atomic<bool> stop{false};
  std::atomic<long> errors{0};
  std::atomic<int> firstStatus{0};
  std::vector<std::vector<std::uint32_t>> latencies(o.threads);
  std::vector<std::thread> workers;
  for (int t = 0; t < o.threads; ++t) {
    workers.emplace_back([&, t] {
      std::vector<std::unique_ptr<httplib::SSLClient>> clients;
      for (int c = t; c < o.connections; c += o.threads) {
        auto client = std::make_unique<httplib::SSLClient>("127.0.0.1", o.port);
        client->set_ca_cert_path(o.ca);
        client->enable_server_certificate_verification(true);
        client->set_keep_alive(true);
        client->set_tcp_nodelay(true);  // as Go's client, the API server's, does
        clients.push_back(std::move(client));
      }
      auto& mine = latencies[t];
      mine.reserve(1 << 16);
      for (std::size_t i = 0; !stop; ++i) {
        auto& client = *clients[i % clients.size()];
        auto started = Clock::now();
        auto res = client.Post(o.path.c_str(), body, "application/json");
        auto micros = std::chrono::duration_cast<std::chrono::microseconds>(Clock::now() - started).count();
        if (res) {
          int expected = 0;
          firstStatus.compare_exchange_strong(expected, res->status);
        }
        if (!measuring) continue;
        if (!res || res->status != 200) {
          ++errors;
          continue;
        }
        mine.push_back(static_cast<std::uint32_t>(micros));
      }
    });
  }
  std::this_thread::sleep_for(std::chrono::duration<double>(o.warmupSeconds));
  measuring = true;
  auto started = Clock::now();
  std::this_thread::sleep_for(std::chrono::duration<double>(o.seconds));
  measuring = false;
  double elapsed = std::chrono::duration<double>(Clock::now() - started).count();
  stop = true;
  for (auto& w : workers) w.join();

  std::vector<std::uint32_t> all;
  for (auto& l : latencies) all.insert(all.end(), l.begin(), l.end());
  std::sort(all.begin(), all.end());
  auto percentile = [&](double p) -> std::uint32_t {
    if (all.empty()) return 0;
    return all[std::min(all.size() - 1, static_cast<std::size_t>(p * static_cast<double>(all.size())))];
  };
  std::printf("requests=%zu errors=%ld rps=%.0f p50_us=%u p99_us=%u first_status=%d\n", all.size(),
              errors.load(), static_cast<double>(all.size()) / elapsed, percentile(0.50), percentile(0.99),
              firstStatus.load());
  return errors.load() == 0 && !all.empty() ? 0 : 1;
}
