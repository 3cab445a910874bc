/* Staff members: adding (PIN as an argon2id hash), listing, disabling, and
 * logging in with a staff card and PIN, with a lockout after five wrong
 * PINs in a row. Every login attempt, right or wrong, is in the audit log;
 * the PIN itself never is. */
#include <sodium.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "domain/scan.h"
#include "store/store.h"
#include "store/store_private.h"

#define LOGIN_MAX_WRONG 5
#define LOCK_SECONDS (5 * 60)


static int pin_check(const char *pin, struct kiosk_why *why)
{
	size_t n = pin ? strlen(pin) : 0;
	if (n < PIN_MIN_DIGITS || n > PIN_MAX_DIGITS)
		return kiosk_fail(why, KIOSK_EINVAL, "The PIN must be %d to %d digits.",
				  PIN_MIN_DIGITS, PIN_MAX_DIGITS);
	for (size_t i = 0; i < n; i++)
		if (pin[i] < '0' || pin[i] > '9')
			return kiosk_fail(why, KIOSK_EINVAL, "The PIN must be digits only.");
	return 0;
}

/* A name printed on screens and in the audit log: not blank, no control
 * characters (a tab or newline would break both), fits the record. */
static int name_check(const char *name, size_t cap, struct kiosk_why *why)
{
	bool blank = true;
	for (const unsigned char *p = (const unsigned char *)(name ? name : ""); *p; p++) {
		if (*p < 0x20 || *p == 0x7f)
			return kiosk_fail(why, KIOSK_EINVAL,
					  "The name must not contain control characters.");
		if (*p != ' ')
			blank = false;
	}
	if (blank)
		return kiosk_fail(why, KIOSK_EINVAL, "The name must not be empty.");
	if (strlen(name) >= cap)
		return kiosk_fail(why, KIOSK_EINVAL, "The name must be at most %d bytes.",
				  (int)cap - 1);
	return 0;
}

int store_staff_add(struct store *s, const char *name, enum staff_role role, const char *pin,
		    struct kiosk_time now, struct staff_record *out, struct kiosk_why *why)
{
	static const char sql_insert[] =
		"INSERT INTO staff (seq, id, name, role, pin_hash, active, card_code, created_s)"
		" VALUES (?, ?, ?, ?, ?, 1, ?, ?)";
	char hash[crypto_pwhash_STRBYTES];
	memset(out, 0, sizeof *out);
	int rc = name_check(name, sizeof out->name, why);
	if (rc)
		return rc;
	if ((unsigned)role > ROLE_MANAGER)
		return kiosk_fail(why, KIOSK_EINVAL, "The role must be staff or manager.");
	if ((rc = pin_check(pin, why)))
		return rc;
	if (pin_is_weak(pin))
		return kiosk_fail(why, KIOSK_EINVAL,
				  "The PIN must not be one digit repeated or a run such as 1234 or 9876.");
	/* hashing takes a tenth of a second: do it before taking the lock */
	if (crypto_pwhash_str(hash, pin, strlen(pin), crypto_pwhash_OPSLIMIT_INTERACTIVE,
			      crypto_pwhash_MEMLIMIT_INTERACTIVE))
		return kiosk_fail(why, KIOSK_ENOMEM, "Out of memory hashing the PIN.");
	/* Staff are numbered in turns with each other (the key), not with the
	 * chain's kiosks, counters and imports: under the whole database a
	 * staff add waited for a running import, and every registration of the
	 * chain waited behind it. */
	static const char *const keys[] = {"staff"};
	if ((rc = store_tx_begin_for(s, keys, 1, why)))
		goto out;
	int64_t seq;
	if ((rc = store_next_seq(s, "SELECT COALESCE(MAX(seq), 0) + 1 FROM staff", "number the staff member", &seq,
				 why)))
		goto fail;
	snprintf(out->staff_id, sizeof out->staff_id, "S%03lld", (long long)seq);
	/* the code the card prints is the one the scanner parses back */
	if (scan_format_staff_code(out->card_code, sizeof out->card_code, out->staff_id) < 0) {
		rc = kiosk_fail(why, KIOSK_EINVAL, "No staff card code for %s.", out->staff_id);
		goto fail;
	}
	snprintf(out->name, sizeof out->name, "%s", name);
	out->role = role;
	out->active = true;
	struct db_stmt *st = store_stmt(s, sql_insert, why);
	if (!st) {
		rc = KIOSK_EIO;
		goto fail;
	}
	db_bind_int64(st, 1, seq);
	store_bind_text(st, 2, out->staff_id);
	store_bind_text(st, 3, name);
	store_bind_text(st, 4, staff_role_name(role));
	store_bind_text(st, 5, hash);
	store_bind_text(st, 6, out->card_code);
	db_bind_int64(st, 7, now.unix_s);
	char detail[160];
	snprintf(detail, sizeof detail, "%s %s (%s)", out->staff_id, name, staff_role_name(role));
	if ((rc = store_step_done(s, st, "save the staff member", why)) ||
	    (rc = store_audit_row(s, now, "system", "staff.add", detail, why)) ||
	    (rc = store_tx_commit(s, why)))
		goto fail;
	goto out;
fail:
	store_tx_rollback(s);
	memset(out, 0, sizeof *out);
out:
	sodium_memzero(hash, sizeof hash);
	return rc;
}

int store_staff_list(struct store *s, struct staff_record **out, int *n, struct kiosk_why *why)
{
	static const char sql[] = "SELECT id, name, role, active, card_code FROM staff ORDER BY seq";
	*out = NULL;
	*n = 0;
	struct db_stmt *st = store_stmt(s, sql, why);
	if (!st)
		return KIOSK_EIO;
	int rc, cap = 0;
	struct staff_record *arr = NULL;
	while ((rc = db_step(st)) == DB_ROW) {
		if (!store_grow((void **)&arr, *n, &cap, sizeof *arr)) {
			db_reset(st);
			free(arr);
			*n = 0;
			return kiosk_fail(why, KIOSK_ENOMEM, "Out of memory listing staff.");
		}
		struct staff_record *r = &arr[(*n)++];
		memset(r, 0, sizeof *r);
		store_col_text(st, 0, r->staff_id, sizeof r->staff_id);
		store_col_text(st, 1, r->name, sizeof r->name);
		staff_role_parse(db_col_text(st, 2), &r->role);
		r->active = db_col_int(st, 3) != 0;
		store_col_text(st, 4, r->card_code, sizeof r->card_code);
	}
	db_reset(st);
	if (rc != DB_DONE) {
		free(arr);
		*n = 0;
		return store_sql_fail(s, "list the staff", why);
	}
	*out = arr;
	return 0;
}

int store_staff_disable(struct store *s, const char *staff_id, struct kiosk_time now,
			struct kiosk_why *why)
{
	/* in turns with the card's logins (their key), so that a login either
	 * ends before the disable or finds the card disabled */
	char card[64], key[96];
	if (!staff_id || scan_format_staff_code(card, sizeof card, staff_id) < 0)
		return kiosk_fail(why, KIOSK_ENOTFOUND, "Staff member %.16s does not exist.",
				  staff_id ? staff_id : "");
	snprintf(key, sizeof key, "card:%s", card);
	const char *keys[] = {"staff", key};
	int rc = store_tx_begin_for(s, keys, 2, why);
	if (rc)
		return rc;
	struct db_stmt *st = store_stmt(s, "UPDATE staff SET active = 0 WHERE id = ?", why);
	if (!st) {
		rc = KIOSK_EIO;
		goto fail;
	}
	store_bind_text(st, 1, staff_id);
	if ((rc = store_step_done(s, st, "disable the staff member", why)))
		goto fail;
	if (db_changes(s->db) == 0) {
		rc = kiosk_fail(why, KIOSK_ENOTFOUND, "Staff member %.16s does not exist.",
				staff_id ? staff_id : "");
		goto fail;
	}
	if ((rc = store_audit_row(s, now, "system", "staff.disable", staff_id, why)) ||
	    (rc = store_tx_commit(s, why)))
		goto fail;
	return 0;
fail:
	store_tx_rollback(s);
	return rc;
}

/* ---- login ----------------------------------------------------------- */

struct login_row {
	int64_t seq;
	struct staff_record rec;
	char hash[crypto_pwhash_STRBYTES];
	int64_t locked_until;
};

static int login_read(struct store *s, const char *card_code, struct login_row *r,
		      struct kiosk_why *why)
{
	static const char sql[] =
		"SELECT seq, id, name, role, active, card_code, pin_hash, locked_until_s"
		" FROM staff WHERE card_code = ?";
	struct db_stmt *st = store_stmt(s, sql, why);
	if (!st)
		return KIOSK_EIO;
	store_bind_text(st, 1, card_code);
	int rc = db_step(st);
	if (rc == DB_ROW) {
		r->seq = db_col_int64(st, 0);
		store_col_text(st, 1, r->rec.staff_id, sizeof r->rec.staff_id);
		store_col_text(st, 2, r->rec.name, sizeof r->rec.name);
		staff_role_parse(db_col_text(st, 3), &r->rec.role);
		r->rec.active = db_col_int(st, 4) != 0;
		store_col_text(st, 5, r->rec.card_code, sizeof r->rec.card_code);
		store_col_text(st, 6, r->hash, sizeof r->hash);
		r->locked_until = db_col_int64(st, 7);
	}
	db_reset(st);
	if (rc == DB_DONE)
		return KIOSK_ENOTFOUND;
	return rc == DB_ROW ? 0 : store_sql_fail(s, "look up the staff card", why);
}

/* "HH:MM" of an instant in its own offset. */
static void clock_text(struct kiosk_time t, char *buf, size_t len)
{
	char iso[32];
	time_format_iso(t, iso, sizeof iso);
	snprintf(buf, len, "%.5s", iso + 11);
}

/* Count one wrong PIN; the fifth in a row locks the card. Returns the
 * count after this attempt (0 when it locked). */
static int login_wrong(struct store *s, int64_t seq, struct kiosk_time now, int *count,
		       struct kiosk_why *why)
{
	static const char sql[] =
		"UPDATE staff SET failed_count = CASE WHEN failed_count + 1 >= ?2 THEN 0"
		" ELSE failed_count + 1 END,"
		" locked_until_s = CASE WHEN failed_count + 1 >= ?2 THEN ?3 ELSE locked_until_s END"
		" WHERE seq = ?1 RETURNING failed_count";
	struct db_stmt *st = store_stmt(s, sql, why);
	if (!st)
		return KIOSK_EIO;
	db_bind_int64(st, 1, seq);
	db_bind_int(st, 2, LOGIN_MAX_WRONG);
	db_bind_int64(st, 3, now.unix_s + LOCK_SECONDS);
	int rc = db_step(st);
	if (rc == DB_ROW)
		*count = db_col_int(st, 0);
	db_reset(st);
	return rc == DB_ROW ? 0 : store_sql_fail(s, "count a wrong PIN", why);
}

/* The card may not try at all: unknown, disabled or locked. */
static int login_refusal(const struct login_row *r, bool found, struct kiosk_time now,
			 const char **detail, struct kiosk_why *why)
{
	char until[8];
	clock_text((struct kiosk_time){r->locked_until, now.offset_min}, until, sizeof until);
	if (!found) {
		*detail = "refused: unknown card";
		return kiosk_fail(why, KIOSK_EDENIED, "This staff card is not known.");
	}
	if (!r->rec.active) {
		*detail = "refused: staff member disabled";
		return kiosk_fail(why, KIOSK_EDENIED, "This staff card has been disabled.");
	}
	*detail = "refused: card locked";
	return kiosk_fail(why, KIOSK_EBUSY,
			  "This staff card is locked after five wrong PINs; try again at %s.", until);
}

/* Login in two short write transactions around the slow PIN check:
 *  1. read the card and, when it may try, count this try as a wrong PIN
 *     (locking the card at the fifth) before the PIN is checked;
 *  2. check the PIN (argon2id) outside any lock;
 *  3. a right PIN clears the count; the result goes to the audit log.
 * Each try takes its place in the count before it is checked, so however
 * many counters try one card at once, at most five wrong PINs are ever
 * checked before the lock. */
int store_staff_login(struct store *s, const char *card_code, const char *pin,
		      struct kiosk_time now, struct staff_record *out, struct kiosk_why *why)
{
	struct login_row r;
	memset(&r, 0, sizeof r);
	memset(out, 0, sizeof *out);
	char actor[48], text[96];
	const char *detail;
	int result, count = 0;
	/* the lockout counts this card's tries: they take turns */
	char key[96];
	const char *keys[1] = {key};
	snprintf(key, sizeof key, "card:%.80s", card_code ? card_code : "");
	int rc = store_tx_begin_for(s, keys, 1, why);
	if (rc)
		return rc;
	rc = login_read(s, card_code ? card_code : "", &r, why);
	if (rc && rc != KIOSK_ENOTFOUND)
		goto fail;
	bool found = rc == 0;
	snprintf(actor, sizeof actor, "staff:%s", found ? r.rec.staff_id : "unknown");
	if (!found || !r.rec.active || r.locked_until > now.unix_s) {
		sodium_memzero(r.hash, sizeof r.hash);
		result = login_refusal(&r, found, now, &detail, why);
		goto record;
	}
	if ((rc = login_wrong(s, r.seq, now, &count, why)) || (rc = store_tx_commit(s, why)))
		goto fail;

	bool right = pin && !pin_check(pin, NULL) &&
		     crypto_pwhash_str_verify(r.hash, pin, strlen(pin)) == 0;
	sodium_memzero(r.hash, sizeof r.hash);

	if ((rc = store_tx_begin_for(s, keys, 1, why)))
		return rc;
	if (right) {
		struct db_stmt *st = store_stmt(
			s, "UPDATE staff SET failed_count = 0, locked_until_s = 0 WHERE seq = ?", why);
		if (!st) {
			rc = KIOSK_EIO;
			goto fail;
		}
		db_bind_int64(st, 1, r.seq);
		if ((rc = store_step_done(s, st, "record the login", why)))
			goto fail;
		detail = "ok";
		result = 0;
	} else if (count == 0) {
		char until[8];
		clock_text((struct kiosk_time){now.unix_s + LOCK_SECONDS, now.offset_min}, until,
			   sizeof until);
		result = kiosk_fail(why, KIOSK_EBUSY,
				    "Wrong PIN five times: this staff card is locked until %s.", until);
		detail = "refused: wrong PIN, card locked";
	} else {
		result = kiosk_fail(why, KIOSK_EDENIED,
				    "Wrong PIN; %d more wrong and the card is locked for five minutes.",
				    LOGIN_MAX_WRONG - count);
		snprintf(text, sizeof text, "refused: wrong PIN (%d of %d)", count, LOGIN_MAX_WRONG);
		detail = text;
	}
record:
	if ((rc = store_audit_row(s, now, actor, "staff.login", detail, why)) ||
	    (rc = store_tx_commit(s, why)))
		goto fail;
	if (result == 0)
		*out = r.rec;
	return result;
fail:
	store_tx_rollback(s);
	return rc;
}
