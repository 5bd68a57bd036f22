#include "core/malloc_tuning.h"

// A C library header first: it is what defines __GLIBC__. Tested without one, every setting below compiled to
// nothing.
#include <cstdlib>

#ifdef __GLIBC__
#include <malloc.h>
#endif

namespace sessiongate {

bool mallocTuningSupported() {
#ifdef __GLIBC__
  return true;
#else
  return false;
#endif
}

void fixMmapThreshold() {
#ifdef __GLIBC__
  mallopt(M_MMAP_THRESHOLD, 64 * 1024);
#endif
}

void limitMallocArenas([[maybe_unused]] int arenas) {
#ifdef __GLIBC__
  mallopt(M_ARENA_MAX, arenas);
#endif
}

}  // namespace sessiongate
