/* delivery_retry.c -- the backoff of delivery_retry.h. */
#include "domain/delivery_retry.h"

long delivery_retry_delay(int attempts)
{
    if (attempts < 1 || attempts >= DELIVERY_MAX_ATTEMPTS)
        return -1;
    long delay = DELIVERY_FIRST_DELAY;
    for (int i = 1; i < attempts && delay < DELIVERY_MAX_DELAY; i++)
        delay *= 2;
    return delay < DELIVERY_MAX_DELAY ? delay : DELIVERY_MAX_DELAY;
}
