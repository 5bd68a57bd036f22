#pragma once
// The process-wide malloc settings of the long-running binaries (webhook, controller), called first in main,
// before any thread starts. Both do nothing on C libraries other than glibc.

namespace sessiongate {

// fixMmapThreshold fixes glibc's mmap threshold at 64 KiB: buffers past it (request bodies grown by doubling,
// list pages, watch chunks) are mapped on their own and returned on free. Left to glibc, the threshold rises
// to the largest buffer freed so far, and later buffers are carved from an arena whose freed holes stay
// resident (2,000 streaming clients raised the webhook's peak RSS to 82 MB with 19 MB in use).
void fixMmapThreshold();

// mallocTuningSupported is whether the settings here do anything: built against glibc.
bool mallocTuningSupported();

// limitMallocArenas caps glibc's malloc arenas at `arenas`. By default glibc gives threads up to 8 arenas a
// core, and memory one arena freed is not reused by threads of another: the controller's start-up list of
// every session, freed once stored, stayed resident beside the children's objects, which its informers'
// threads allocate in other arenas (malloc_stats at 5,000 sessions: 16 arenas). The controller uses one.
// Measured with bench/controller_bench.sh at 5,000 sessions, with both settings here the peak RSS is 48.0 MB
// against 55.2 MB without them, at the same rate (19.8 and 20.0 sessions/s): its threads spend their time
// waiting on the API server, not in malloc.
void limitMallocArenas(int arenas);

}  // namespace sessiongate
