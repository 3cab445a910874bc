/* Checking the audit log: `kiosk audit verify` recomputes its hash chain
 * and names each row that was changed, deleted or added unchained, and
 * each guarding trigger that is gone. The chain's head (its newest link)
 * is what a store writes down or exports: a log cut back to an earlier
 * head is caught by comparing heads, which nothing inside the database
 * can do. */
#ifndef KIOSK_SERVICES_AUDIT_H
#define KIOSK_SERVICES_AUDIT_H

#include <stdint.h>

#include "core/err.h"
#include "store/store_handle.h"

struct audit_verdict {
	int64_t rows;      /* audit rows */
	int64_t links;     /* links checked */
	int64_t problems;  /* sentences given to the callback */
	int64_t head_seq;  /* number of the newest link, 0: none */
	char head_hex[65]; /* the newest link, hex ("" when none) */
};

/* Verify the audit log; each problem is one sentence to problem. Returns
 * 0 when the log could be read (then see v->problems), else the failure. */
int audit_verify(struct store *s, void (*problem)(void *arg, const char *sentence), void *arg,
		 struct audit_verdict *v, struct kiosk_why *why);

#endif
