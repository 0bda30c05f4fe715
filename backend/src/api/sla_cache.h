/* sla_cache.h -- the SLA settings (policies, working hours, holidays) kept in memory
 * between filings, under the version they were read at (db_sla_version). */
#ifndef DL_API_SLA_CACHE_H
#define DL_API_SLA_CACHE_H

#include "db/sla_store.h"

/* The settings of `version`, which the caller has just read in its transaction: those in
 * memory when they carry that version, else read now through db (and kept for the next
 * caller). Any thread; NULL with err set when reading fails. Give it back with
 * sla_cache_release. */
const struct sla_settings *sla_cache_get(struct db *db, long long version, struct error *err);
void sla_cache_release(const struct sla_settings *settings);

#endif
