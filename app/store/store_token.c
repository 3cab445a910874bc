/* Renewing a case's code for a reprint. Only a hash of the token is kept,
 * so a reprinted receipt cannot carry the old code: a reprint gets a new
 * token. It is staged first (token_next_hash, valid beside the old code)
 * and replaces the old code only when the new receipt has printed
 * (store_case_set_printed); a print that fails, or a process killed while
 * printing, leaves the old receipt's code working. The hash is the one
 * store_cases.c checks (store_token_hash in store_private.h). */
#include "store/store.h"

#include "store/store_private.h"

int store_case_stage_token(struct store *s, const char *case_id, const char *token_hex,
			   struct kiosk_why *why)
{
	char norm[CASE_TOKEN_HEX + 1];
	unsigned char hash[STORE_TOKEN_HASH_BYTES];
	if (store_token_normalise(token_hex, norm))
		return kiosk_fail(why, KIOSK_EINVAL, "The case token must be %d hexadecimal digits.",
				  CASE_TOKEN_HEX);
	store_token_hash(norm, hash);

	int64_t seq;
	int rc = store_tx_begin_case(s, case_id, why);
	if (rc)
		return rc;
	if ((rc = store_case_seq(s, case_id, &seq, why)))
		goto fail;
	struct db_stmt *st =
		store_stmt(s, "UPDATE cases SET token_next_hash = ?2 WHERE seq = ?1", why);
	if (!st) {
		rc = KIOSK_EIO;
		goto fail;
	}
	db_bind_int64(st, 1, seq);
	db_bind_blob(st, 2, hash, (int)sizeof hash);
	if ((rc = store_step_done(s, st, "prepare a new case code", why)) ||
	    (rc = store_tx_commit_quiet(s, why)))
		goto fail;
	return 0;
fail:
	store_tx_rollback(s);
	return rc;
}
