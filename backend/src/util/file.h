/* file.h -- read a whole small file (SQL scripts) into memory. */
#ifndef DL_UTIL_FILE_H
#define DL_UTIL_FILE_H

#include <stddef.h>

/* The file's bytes with a terminating NUL, or NULL (errno set). Caller frees. */
char *file_read_all(const char *path, size_t *len_out);

#endif
