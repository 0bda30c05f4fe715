/* file_limit.c -- see file_limit.h. */
#include "http/file_limit.h"

#include <sys/resource.h>

#include "util/log.h"

#define FILES_FIXED 128         /* the log, the listener, the sweep, libraries... */
#define FILES_PER_THREAD 3      /* epoll, its wake-up eventfd, one to spare */

int file_limit_besides(int threads, int db_connections)
{
    return FILES_FIXED + FILES_PER_THREAD * threads + db_connections;
}

int file_limit_room(unsigned long long limit, int wanted, int besides)
{
    if (limit <= (unsigned long long)besides)
        return 0;
    unsigned long long room = limit - (unsigned long long)besides;
    return room < (unsigned long long)wanted ? (int)room : wanted;
}

int file_limit_fit(int wanted, int besides)
{
    struct rlimit rl;
    if (getrlimit(RLIMIT_NOFILE, &rl) != 0)
        return wanted;
    rlim_t need = (rlim_t)wanted + (rlim_t)besides;
    if (rl.rlim_cur < need) {
        rl.rlim_cur = rl.rlim_max == RLIM_INFINITY || rl.rlim_max >= need ? need : rl.rlim_max;
        if (setrlimit(RLIMIT_NOFILE, &rl) != 0)
            getrlimit(RLIMIT_NOFILE, &rl);
    }
    int fits = file_limit_room((unsigned long long)rl.rlim_cur, wanted, besides);
    if (fits == 0)
        log_error("the open-file limit (%llu) leaves no room for connections beside the %d "
                  "files the server needs: raise LimitNOFILE (ulimit -n)",
                  (unsigned long long)rl.rlim_cur, besides);
    else if (fits < wanted)
        log_warn("the open-file limit (%llu) allows %d connections, not %d: raise LimitNOFILE",
                 (unsigned long long)rl.rlim_cur, fits, wanted);
    return fits;
}
