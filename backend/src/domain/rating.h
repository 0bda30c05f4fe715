/* rating.h -- a school's rating of a resolution (docs/ratings-and-directives.md): 1 to 5,
 * "was the problem really solved?", given only when confirming; a 1 or a 2 is told to the
 * supervisors. Pure C. */
#ifndef DL_DOMAIN_RATING_H
#define DL_DOMAIN_RATING_H

#include <stdbool.h>

#include "domain/types.h"

#define RATING_MIN 1
#define RATING_MAX 5
#define RATING_LOW_MAX 2      /* this or less flags the issue for a supervisor */

bool rating_valid(int rating);
/* Only a confirmation carries a rating. */
bool rating_belongs_to(enum action a);
bool rating_is_low(int rating);

#endif
