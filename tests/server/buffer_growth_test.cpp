// growFor: a request buffer grows by doubling, never past its bound unless more is needed.
#include <catch2/catch.hpp>
#include <string>
#include <vector>

#include "webhook/server/tls_connection.h"

using namespace sessiongate::webhook;

TEST_CASE("request buffers double up to their bound and no further", "[server][buffers]") {
  struct Case {
    std::string name;
    std::size_t capacity;  // reserved first (from an empty string: exactly this)
    std::size_t size;      // bytes in it
    std::size_t needed;
    std::size_t most;
    std::size_t grown;  // capacity after
  };
  const std::vector<Case> cases = {
      {"room enough: unchanged", 1024, 1000, 1024, 7340032, 1024},
      {"doubles far from the bound", 1024, 1024, 1025, 7340032, 2048},
      {"needs more than double: exactly what it needs", 1024, 1024, 20000, 7340032, 20000},
      {"a 7 MiB Content-Length body past 4 MiB takes 7 MiB, not 8", 4194304, 4194304, 4210688, 7340032, 7340032},
      {"just below the bound: the bound", 7000000, 7000000, 7000001, 7340032, 7340032},
      {"past the bound when needed (a chunked body's last read)", 7340032, 7340032, 7356416, 7340032, 7356416},
      {"a bound below the capacity does not shrink it", 65536, 65536, 65537, 4096, 65537},
  };
  for (const auto& c : cases) {
    INFO(c.name);
    std::string buffer;
    buffer.reserve(c.capacity);
    REQUIRE(buffer.capacity() == c.capacity);
    buffer.assign(c.size, 'x');
    buffer[0] = 'a';
    growFor(buffer, c.needed, c.most);
    CHECK(buffer.capacity() == c.grown);
    CHECK(buffer.size() == c.size);
    CHECK(buffer.front() == 'a');  // the bytes held are kept
  }
}
