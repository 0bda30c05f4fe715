/* serve_memory.c -- how `directline serve` keeps glibc's allocator from growing its
 * resident size over days of load while the memory in use stays flat.
 *
 * What a 30-minute soak showed (tests/bench/soak.sh; heaptrack, and a walk of the heap's
 * chunks): the memory in use is flat at about 3.4 MB, yet the resident size crept up by
 * steps. Three causes, three answers:
 * - glibc gives each thread an arena of its own, and each arena kept the pages of its own
 *   busiest moment: one arena for all threads;
 * - blocks that are freed leave holes that pin pages: blocks of 32 KiB and more
 *   (libmicrohttpd's connection pools among them) are mapped on their own, with a fixed
 *   threshold (glibc would otherwise raise it as large blocks are freed), and free pages
 *   go back to the system once a minute;
 * - each thread keeps up to 7 freed blocks of every size up to 1 KiB for itself, and the
 *   dozen threads' caches filled slowly, one rare size at a time, to 1.4 MB scattered
 *   over the heap, where neither trimming nor other threads can reach them: the caches
 *   keep blocks up to 256 bytes only (most blocks: JSON nodes, short strings). That
 *   setting is read only when a process starts, from GLIBC_TUNABLES, so the server
 *   starts itself again once with it set. */
#include "cli/serve_memory.h"

#include <malloc.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "util/log.h"

#define OWN_MAPPING_FROM_BYTES (32 * 1024)
#define THREAD_CACHE_TUNABLE "glibc.malloc.tcache_max"
#define THREAD_CACHE_SETTING THREAD_CACHE_TUNABLE "=256"

void serve_memory_restart_tuned(char **argv)
{
    const char *tunables = getenv("GLIBC_TUNABLES");
    if (tunables && strstr(tunables, THREAD_CACHE_TUNABLE))
        return;                        /* already set: by us, or by the operator */
    char value[512];
    int n = tunables && tunables[0]
                ? snprintf(value, sizeof value, "%s:%s", tunables, THREAD_CACHE_SETTING)
                : snprintf(value, sizeof value, "%s", THREAD_CACHE_SETTING);
    if (n < 0 || (size_t)n >= sizeof value || setenv("GLIBC_TUNABLES", value, 1) != 0)
        return;
    execv("/proc/self/exe", argv);
    /* Still here: no /proc, say. The server runs as well, its resident size less flat. */
    unsetenv("GLIBC_TUNABLES");
    if (tunables)
        setenv("GLIBC_TUNABLES", tunables, 1);
    log_warn("could not restart with %s: resident memory may creep up under load",
             THREAD_CACHE_SETTING);
}

void serve_memory_tune(void)
{
    if (mallopt(M_ARENA_MAX, 1) != 1 || mallopt(M_MMAP_THRESHOLD, OWN_MAPPING_FROM_BYTES) != 1)
        log_warn("could not tune the allocator: resident memory may grow under load");
}

void serve_memory_trim(void)
{
    malloc_trim(0);
}
