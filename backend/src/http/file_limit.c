/* file_limit.c -- see file_limit.h. */
#include "http/file_limit.h"

#include <sys/resource.h>

#include "util/log.h"

#define FILES_BESIDES_CONNECTIONS 128   /* database connections, the log, the listener... */

int file_limit_fit(int wanted)
{
    struct rlimit rl;
    if (getrlimit(RLIMIT_NOFILE, &rl) != 0)
        return wanted;
    rlim_t need = (rlim_t)wanted + FILES_BESIDES_CONNECTIONS;
    if (rl.rlim_cur < need) {
        rl.rlim_cur = rl.rlim_max == RLIM_INFINITY || rl.rlim_max >= need ? need : rl.rlim_max;
        if (setrlimit(RLIMIT_NOFILE, &rl) != 0)
            getrlimit(RLIMIT_NOFILE, &rl);
    }
    if (rl.rlim_cur >= need)
        return wanted;
    int fits = rl.rlim_cur > 2 * FILES_BESIDES_CONNECTIONS
                   ? (int)(rl.rlim_cur - FILES_BESIDES_CONNECTIONS) : FILES_BESIDES_CONNECTIONS;
    log_warn("the open-file limit (%llu) allows %d connections, not %d: raise LimitNOFILE",
             (unsigned long long)rl.rlim_cur, fits, wanted);
    return fits;
}
