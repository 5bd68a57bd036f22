#pragma once
// fixMmapThreshold is the process-wide malloc setting of the long-running binaries (webhook, controller),
// called first in main, before any thread starts.

namespace sessiongate {

// fixMmapThreshold fixes glibc's mmap threshold at 64 KiB: buffers past it (request bodies grown by doubling,
// list pages, watch chunks) are mapped on their own and returned on free. Left to glibc, the threshold rises
// to the largest buffer freed so far, and later buffers are carved from an arena whose freed holes stay
// resident (2,000 streaming clients raised the webhook's peak RSS to 82 MB with 19 MB in use). Limiting the
// arenas as well was measured in the controller (bench/controller_bench.sh, 500 sessions) and saved at most
// 0.6 MB, within noise. Does nothing on other C libraries.
void fixMmapThreshold();

}  // namespace sessiongate
