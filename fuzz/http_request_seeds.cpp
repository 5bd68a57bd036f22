// Writes the request heads and chunked bodies of tests/server/http_request_cases.h as the seed corpus of
// http_request_fuzzer: one file per case (a chunked body behind a chunked request head).
#include <fstream>
#include <iostream>
#include <string>

#include "tests/server/http_request_cases.h"

using namespace sessiongate::webhook::testing;

int main(int argc, char** argv) {
  if (argc != 2) {
    std::cerr << "usage: http_request_seeds DIR\n";
    return 2;
  }
  int n = 0;
  auto write = [&](const std::string& bytes) {
    std::ofstream out(std::string(argv[1]) + "/request-" + std::to_string(n++), std::ios::binary);
    out << bytes;
    return static_cast<bool>(out);
  };
  bool ok = true;
  for (const auto& c : headCases()) ok = write(c.input) && ok;
  for (const auto& c : chunkedCases())
    ok = write("POST /mutate HTTP/1.1\r\nHost: x\r\nTransfer-Encoding: chunked\r\n\r\n" + c.input) && ok;
  if (!ok) {
    std::cerr << "http_request_seeds: cannot write into " << argv[1] << "\n";
    return 1;
  }
  return 0;
}
