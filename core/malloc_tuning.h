#pragma once
// The process-wide malloc settings of the long-running binaries (webhook, controller), called first in main,
// before any thread starts. Both do nothing on C libraries other than glibc.

namespace sessiongate {

// fixMmapThreshold fixes glibc's mmap threshold at 64 KiB: buffers past it (request bodies grown by doubling,
// list pages, watch chunks) are mapped on their own and returned on free. Left to glibc, the threshold rises
// to the largest buffer freed so far, and later buffers are carved from an arena whose freed holes stay
// resident (2,000 streaming clients raised the webhook's peak RSS to 82 MB with 19 MB in use).
void fixMmapThreshold();

// limitMallocArenas caps glibc's malloc arenas at `arenas`. By default glibc gives threads up to 8 arenas a
// core, and each keeps its own free memory: the controller's 16 workers, informers and pooled clients spread
// 5,000 sessions' objects over 16 arenas holding about 1 MB free each. Measured with
// bench/controller_bench.sh at 5,000 sessions, two arenas cut the peak RSS by 14 MB (84.8 to 70.9 MB); at 500
// the saving is within noise. Threads then share arenas, which costs nothing a 2-core bench could see: the
// workers spend their time waiting on the API server, not in malloc.
void limitMallocArenas(int arenas);

}  // namespace sessiongate
