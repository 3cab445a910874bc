/* The audit chain's link, one function below the seam: store_audit.c
 * checks the chain with it and the SQLite engine computes each new link
 * with it (kiosk_audit_link, called by the trigger that appends a row).
 * PostgreSQL's trigger function hashes the same bytes in SQL
 * (postgres/db_pg_schema.c). Includes nothing of the store. */
#ifndef KIOSK_STORE_AUDIT_LINK_H
#define KIOSK_STORE_AUDIT_LINK_H

#include <stddef.h>
#include <stdint.h>

#define AUDIT_LINK_BYTES 32

/* SHA-256(prev[0..prev_n) || at_s "\0" at_off "\0" actor "\0" action "\0"
 * detail), numbers in decimal, a NULL text as empty; the first link's prev
 * is empty. */
void audit_link(const unsigned char *prev, size_t prev_n, int64_t at_s, int64_t at_off,
		const char *actor, const char *action, const char *detail,
		unsigned char out[AUDIT_LINK_BYTES]);

#endif
