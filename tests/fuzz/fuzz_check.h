/* fuzz_check.h -- what the fuzz targets share: a check that turns a broken promise into a
 * crash libFuzzer records (with the input that caused it), in every build type. */
#ifndef DL_FUZZ_CHECK_H
#define DL_FUZZ_CHECK_H

#include <stdio.h>
#include <stdlib.h>

#define FUZZ_CHECK(cond)                                                                   \
    do {                                                                                   \
        if (!(cond)) {                                                                     \
            fprintf(stderr, "%s:%d: fuzz check failed: %s\n", __FILE__, __LINE__, #cond);   \
            abort();                                                                       \
        }                                                                                  \
    } while (0)

#endif
