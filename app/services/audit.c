#include <sodium.h>
#include <string.h>

#include "services/audit.h"
#include "store/store.h"

int audit_verify(struct store *s, void (*problem)(void *arg, const char *sentence), void *arg,
		 struct audit_verdict *v, struct kiosk_why *why)
{
	struct audit_check c;
	memset(v, 0, sizeof *v);
	int rc = store_audit_verify(s, problem, arg, &c, why);
	if (rc)
		return rc;
	v->rows = c.rows;
	v->links = c.links;
	v->problems = c.problems;
	v->head_seq = c.head_seq;
	if (c.head_seq)
		sodium_bin2hex(v->head_hex, sizeof v->head_hex, c.head, sizeof c.head);
	return 0;
}
