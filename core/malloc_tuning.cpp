#include "core/malloc_tuning.h"

#ifdef __GLIBC__
#include <malloc.h>
#endif

namespace sessiongate {

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
