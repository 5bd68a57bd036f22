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

}  // namespace sessiongate
