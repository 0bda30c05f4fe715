/* rating.c -- a resolution's rating, as rating.h says. */
#include "domain/rating.h"

bool rating_valid(int rating)
{
    return rating >= RATING_MIN && rating <= RATING_MAX;
}

bool rating_belongs_to(enum action a)
{
    return a == ACTION_CONFIRM;
}

bool rating_is_low(int rating)
{
    return rating_valid(rating) && rating <= RATING_LOW_MAX;
}
