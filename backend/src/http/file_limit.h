/* file_limit.h -- one open file per client connection: the process's soft limit on open
 * files (often 1024) is raised toward the hard one so that the connection limit fits
 * beside the files the server needs anyway. */
#ifndef DL_HTTP_FILE_LIMIT_H
#define DL_HTTP_FILE_LIMIT_H

/* Files the server holds besides its client connections: a fixed allowance (the log,
 * the listener, the sweep, libraries), an epoll descriptor, an event descriptor and a
 * spare for each of the `threads` libmicrohttpd workers, and the `db_connections`
 * database connections. */
int file_limit_besides(int threads, int db_connections);
/* How many connections fit under an open-file limit of `limit` (at most `wanted`, 0
 * when `besides` takes it all). */
int file_limit_room(unsigned long long limit, int wanted, int besides);
/* Raises RLIMIT_NOFILE for `wanted` connections and `besides` other files; returns how
 * many connections fit (fewer than wanted, with a warning, when the hard limit is low;
 * 0, with an error logged, when none does). */
int file_limit_fit(int wanted, int besides);

#endif
