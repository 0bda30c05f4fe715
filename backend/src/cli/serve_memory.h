/* serve_memory.h -- the allocator settings of `directline serve` (see serve_memory.c). */
#ifndef DL_CLI_SERVE_MEMORY_H
#define DL_CLI_SERVE_MEMORY_H

/* Before anything else runs: unless GLIBC_TUNABLES already sets the threads' cache
 * limit, sets it and starts the same binary again with the same arguments (the process
 * keeps its id). Returns only when that is not needed or not possible. */
void serve_memory_restart_tuned(char **argv);
/* One arena, and large blocks mapped on their own; at the start of serving. */
void serve_memory_tune(void);
/* Gives free pages back to the system; once a minute. */
void serve_memory_trim(void);

#endif
