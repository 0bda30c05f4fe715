/* file_limit.h -- one open file per client connection: the process's soft limit on open
 * files (often 1024) is raised toward the hard one so that the connection limit fits. */
#ifndef DL_HTTP_FILE_LIMIT_H
#define DL_HTTP_FILE_LIMIT_H

/* Raises RLIMIT_NOFILE for `wanted` connections and the server's other files; returns how
 * many connections fit (fewer than wanted, with a warning, when the hard limit is low). */
int file_limit_fit(int wanted);

#endif
