/* Renewing a case's code for a reprint. Only a hash of the token is kept,
 * so a reprinted receipt cannot carry the old code: a reprint gets a new
 * token. It is staged first (token_next_hash, valid beside the old code)
 * and replaces the old code only when the new receipt has printed
 * (store_case_set_printed); a print that fails leaves the old receipt's
 * code working.
 *
 * A process killed while printing may or may not have got its paper out,
 * so its staged code stays valid too: token_next_hash holds every staged
 * code not yet known to have printed or failed (up to
 * STORE_PENDING_TOKENS, 32 bytes each, oldest first). A reprint that then
 * prints replaces them all; one that fails drops only its own. The hash
 * is the one store_cases.c checks (store_token_hash in store_private.h). */
#include <string.h>

#include "store/store.h"

#include "store/store_private.h"

int store_case_pending_tokens(struct store *s, int64_t seq, unsigned char *out, int *n,
			      struct kiosk_why *why)
{
	struct db_stmt *st = store_stmt(s, "SELECT token_next_hash FROM cases WHERE seq = ?1", why);
	if (!st)
		return KIOSK_EIO;
	db_bind_int64(st, 1, seq);
	int rc = db_step(st), len = 0;
	*n = 0;
	if (rc == DB_ROW) {
		const void *p = db_col_blob(st, 0, &len);
		len -= len % STORE_TOKEN_HASH_BYTES;
		if (len > STORE_PENDING_TOKENS * STORE_TOKEN_HASH_BYTES)
			len = STORE_PENDING_TOKENS * STORE_TOKEN_HASH_BYTES;
		if (p && len > 0) {
			memcpy(out, p, (size_t)len);
			*n = len / STORE_TOKEN_HASH_BYTES;
		}
	}
	db_reset(st);
	return rc == DB_ROW ? 0 : store_sql_fail(s, "read the case's new codes", why);
}

int store_case_put_pending(struct store *s, int64_t seq, const unsigned char *tokens, int n,
			   struct kiosk_why *why)
{
	static const char sql_set[] = "UPDATE cases SET token_next_hash = ?2 WHERE seq = ?1";
	static const char sql_clear[] = "UPDATE cases SET token_next_hash = NULL WHERE seq = ?1";
	struct db_stmt *st = store_stmt(s, n > 0 ? sql_set : sql_clear, why);
	if (!st)
		return KIOSK_EIO;
	db_bind_int64(st, 1, seq);
	if (n > 0)
		db_bind_blob(st, 2, tokens, n * STORE_TOKEN_HASH_BYTES);
	return store_step_done(s, st, "prepare a new case code", why);
}

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
	unsigned char pending[(STORE_PENDING_TOKENS + 1) * STORE_TOKEN_HASH_BYTES];
	int n;
	int rc = store_tx_begin_case(s, case_id, why);
	if (rc)
		return rc;
	if ((rc = store_case_seq(s, case_id, &seq, why)) ||
	    (rc = store_case_pending_tokens(s, seq, pending, &n, why)))
		goto fail;
	/* the new code after those that may be on paper; the oldest goes when
	 * there are too many unconfirmed prints */
	memcpy(pending + (size_t)n * STORE_TOKEN_HASH_BYTES, hash, sizeof hash);
	n++;
	int from = n > STORE_PENDING_TOKENS ? n - STORE_PENDING_TOKENS : 0;
	if ((rc = store_case_put_pending(s, seq, pending + (size_t)from * STORE_TOKEN_HASH_BYTES,
					 n - from, why)) ||
	    (rc = store_tx_commit_quiet(s, why)))
		goto fail;
	return 0;
fail:
	store_tx_rollback(s);
	return rc;
}
