/* Renewing a case's code for a reprint. Only a hash of the token is kept,
 * so a reprinted receipt cannot carry the old code: a reprint gets a new
 * token, and the old receipt's code stops working (whoever holds the new
 * paper holds the case). The hash must be the one store_cases.c checks:
 * BLAKE2b-256 (crypto_generichash, no key) of the 16 lowercase hex digits.
 * TODO(store): share token_hash() through store_private.h so both files
 * use one definition. */
#include "store/store.h"

#include <ctype.h>
#include <sodium.h>
#include <string.h>

#include "store/store_private.h"

#define ROTATE_HASH_BYTES 32

int store_case_rotate_token(struct store *s, const char *case_id, const char *token_hex,
			    struct kiosk_time at, const char *actor, struct kiosk_why *why)
{
	char norm[CASE_TOKEN_HEX + 1];
	if (!token_hex || strlen(token_hex) != CASE_TOKEN_HEX)
		return kiosk_fail(why, KIOSK_EINVAL, "The case token must be %d hexadecimal digits.",
				  CASE_TOKEN_HEX);
	for (int i = 0; i < CASE_TOKEN_HEX; i++) {
		if (!isxdigit((unsigned char)token_hex[i]))
			return kiosk_fail(why, KIOSK_EINVAL,
					  "The case token must be %d hexadecimal digits.",
					  CASE_TOKEN_HEX);
		norm[i] = (char)tolower((unsigned char)token_hex[i]);
	}
	norm[CASE_TOKEN_HEX] = 0;
	unsigned char hash[ROTATE_HASH_BYTES];
	crypto_generichash(hash, sizeof(hash), (const unsigned char *)norm, CASE_TOKEN_HEX, NULL, 0);

	int64_t seq;
	int rc = store_tx_begin(s, why);
	if (rc)
		return rc;
	if ((rc = store_case_seq(s, case_id, &seq, why)))
		goto fail;
	sqlite3_stmt *st = store_stmt(s, "UPDATE cases SET token_hash = ?2 WHERE seq = ?1", why);
	if (!st) {
		rc = KIOSK_EIO;
		goto fail;
	}
	sqlite3_bind_int64(st, 1, seq);
	sqlite3_bind_blob(st, 2, hash, sizeof(hash), SQLITE_TRANSIENT);
	if ((rc = store_step_done(s, st, "renew the case code", why)) ||
	    (rc = store_event_row(s, seq, case_id, at, actor && *actor ? actor : "system",
				  "code_renewed",
				  "a new case code was issued; the code on earlier receipts no longer works",
				  why)) ||
	    (rc = store_tx_commit(s, why)))
		goto fail;
	return 0;
fail:
	store_tx_rollback(s);
	return rc;
}
