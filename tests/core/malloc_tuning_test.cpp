// The malloc settings compile to something on glibc: the guard once read __GLIBC__ before any C library
// header had defined it, and every setting was silently a no-op.
#include "core/malloc_tuning.h"

#include <catch2/catch.hpp>
#include <cstdlib>

TEST_CASE("the malloc settings are built in wherever the C library is glibc", "[core][malloc]") {
#ifdef __GLIBC__
  CHECK(sessiongate::mallocTuningSupported());
#else
  CHECK_FALSE(sessiongate::mallocTuningSupported());
#endif
}
