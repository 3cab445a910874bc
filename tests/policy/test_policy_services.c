/* Tests of the keyed ID hash (a known HMAC-SHA256 answer, normalising,
 * the key file) and of case registration end to end against a real SQLite
 * file in a temporary folder: rows run in order against one database, so
 * returned quantities and no-receipt credit add up as in a store. At the
 * end the database bytes are searched for the document numbers and the
 * tokens, which must not be there. */
#define _GNU_SOURCE /* memmem, nftw */
#include "ktest.h"
#include "ktest_db.h"

#include <fcntl.h>
#include <ftw.h>
#include <stdio.h>
#include <stdlib.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <unistd.h>
#include "core/config.h"
#include "core/i18n.h"
#include "core/paths.h"
#include "domain/policy.h"
#include "services/case_register.h"
#include "services/id_hash.h"
#include "store/store.h"

static char tmp[64];

static int rm_one(const char *path, const struct stat *st, int flag, struct FTW *f)
{
	return remove(path);
}

static void cleanup(void)
{
	if (tmp[0])
		nftw(tmp, rm_one, 8, FTW_DEPTH | FTW_PHYS);
}

static const char *tmp_dir(void)
{
	if (!tmp[0]) {
		snprintf(tmp, sizeof tmp, "/tmp/kiosk-policy-XXXXXX");
		if (!mkdtemp(tmp)) {
			perror("mkdtemp");
			exit(1);
		}
		atexit(cleanup);
	}
	return tmp;
}

static int write_file(const char *path, const void *data, size_t n, mode_t mode)
{
	int fd = open(path, O_WRONLY | O_CREAT | O_TRUNC, mode);
	if (fd < 0)
		return -1;
	ssize_t w = write(fd, data, n);
	fchmod(fd, mode);
	close(fd);
	return w == (ssize_t)n ? 0 : -1;
}

/* ---- ID hash ------------------------------------------------------------ */

static void test_id_hash_known_answer(void)
{
	static const struct item {
		const char *issuer, *number, *hex;
	} data[] = {
		/* HMAC-SHA256 with key bytes 00..1f of "SWE:AB1234567" and
		 * "D:C01X00T47", from Python's hmac module. */
		/* 0*/ {"SWE", "AB1234567", "aca78e83a017fd458670244703a377716d80582a17e60d3ffff4467309f880d9"},
		/* 1*/ {"swe", " ab-123 4567<<", "aca78e83a017fd458670244703a377716d80582a17e60d3ffff4467309f880d9"},
		/* 2*/ {"D<<", "C01X00T47", "ebe8b3570a1003c51128d9b0640475263607f63a16bf8c09aaf695b5e3a4cb1a"},
	};
	unsigned char key[32];
	char path[128], hex[ID_HASH_HEX];
	struct id_hasher *h = NULL;
	struct kiosk_why why = {""};
	for (int i = 0; i < 32; i++)
		key[i] = (unsigned char)i;
	snprintf(path, sizeof path, "%s/known.key", tmp_dir());
	KT_INTEQ(write_file(path, key, sizeof key, 0600), 0, 0);
	KT_INTEQ(id_hash_open(&h, path, &why), 0, 0);
	if (!h)
		return;
	for (int i = 0; i < (int)KT_ARRAY_SIZE(data); i++) {
		if (!KT_ROW_SELECTED(i))
			continue;
		KT_INTEQ(id_hash_compute(h, data[i].issuer, data[i].number, hex, &why), 0, i);
		KT_STREQ(hex, data[i].hex, i);
	}
	id_hash_close(h);
}

static void test_id_hash_key_file(void)
{
	char db[128], path[160], other[160], a[ID_HASH_HEX], b[ID_HASH_HEX], c[ID_HASH_HEX];
	struct id_hasher *h = NULL, *g = NULL;
	struct kiosk_why why = {""};
	struct stat st;
	snprintf(db, sizeof db, "%s/kiosk.db", tmp_dir());
	KT_INTEQ(id_hash_key_path(NULL, db, path, sizeof path, &why), 0, 0);
	snprintf(other, sizeof other, "%s/kiosk.key", tmp_dir());
	KT_STREQ(path, other, 0);
	KT_CHECK(stat(path, &st) < 0, "i:1 the key file exists before first use");
	KT_INTEQ(id_hash_open(&h, path, &why), 0, 2);
	KT_INTEQ(stat(path, &st), 0, 3);
	KT_INTEQ(st.st_mode & 0777, 0600, 4);
	KT_INTEQ(st.st_size, 32, 5);
	if (!h)
		return;
	id_hash_compute(h, "SWE", "AB1234567", a, &why);
	id_hash_close(h);
	h = NULL;
	/* Reopened: the same key, the same hash. */
	KT_INTEQ(id_hash_open(&h, path, &why), 0, 6);
	KT_INTEQ(stat(path, &st), 0, 7);
	KT_INTEQ(st.st_size, 32, 7);
	if (!h)
		return;
	id_hash_compute(h, "SWE", "AB1234567", b, &why);
	KT_STREQ(b, a, 8);
	id_hash_compute(h, "NOR", "AB1234567", c, &why);
	KT_CHECK(strcmp(c, a) != 0, "i:9 another issuer gives the same hash");
	id_hash_compute(h, "SWE", "AB1234568", c, &why);
	KT_CHECK(strcmp(c, a) != 0, "i:10 another number gives the same hash");
	id_hash_compute(h, "SW", "EAB1234567", c, &why);
	KT_CHECK(strcmp(c, a) != 0, "i:11 issuer and number run together");
	/* Another key (another store): another hash for the same document. */
	snprintf(other, sizeof other, "%s/other.key", tmp_dir());
	KT_INTEQ(id_hash_open(&g, other, &why), 0, 12);
	if (g) {
		id_hash_compute(g, "SWE", "AB1234567", c, &why);
		KT_CHECK(strcmp(c, a) != 0, "i:13 two random keys gave the same hash");
		id_hash_close(g);
	}
	id_hash_close(h);
	/* [privacy] key_file wins over "next to the database". */
	struct kiosk_config cfg = {0};
	config_read_string(&cfg, "[privacy]\nkey_file = /srv/kiosk/secret.key\n", &why);
	KT_INTEQ(id_hash_key_path(&cfg, db, path, sizeof path, &why), 0, 14);
	KT_STREQ(path, "/srv/kiosk/secret.key", 14);
	config_destroy(&cfg);
}

/* Kiosks starting together: each creates the key if it is missing, and
 * all must end up with one key (the link() in create_key). */
static void test_id_hash_key_race(void)
{
	enum { N = 6 };
	char path[128], mine[ID_HASH_HEX], got[N][ID_HASH_HEX];
	int fds[N][2];
	pid_t pids[N];
	struct kiosk_why why = {""};
	snprintf(path, sizeof path, "%s/race.key", tmp_dir());
	for (int i = 0; i < N; i++) {
		if (pipe(fds[i]) < 0)
			return;
		pids[i] = fork();
		if (pids[i] == 0) {
			struct id_hasher *h = NULL;
			char hex[ID_HASH_HEX] = "failed";
			if (!id_hash_open(&h, path, &why))
				id_hash_compute(h, "SWE", "AB1234567", hex, &why);
			id_hash_close(h);
			ssize_t w = write(fds[i][1], hex, sizeof hex);
			_exit(w == (ssize_t)sizeof hex ? 0 : 1);
		}
		close(fds[i][1]);
	}
	for (int i = 0; i < N; i++) {
		int st = -1;
		memset(got[i], 0, sizeof got[i]);
		ssize_t r = read(fds[i][0], got[i], sizeof got[i]);
		close(fds[i][0]);
		waitpid(pids[i], &st, 0);
		KT_CHECK(r == (ssize_t)sizeof got[i] && WIFEXITED(st) && WEXITSTATUS(st) == 0,
			 "i:%d child failed", i);
		got[i][ID_HASH_HEX - 1] = 0;
	}
	struct id_hasher *h = NULL;
	KT_INTEQ(id_hash_open(&h, path, &why), 0, N);
	if (!h)
		return;
	id_hash_compute(h, "SWE", "AB1234567", mine, &why);
	id_hash_close(h);
	for (int i = 0; i < N; i++)
		KT_STREQ(got[i], mine, i);
}

static void test_id_hash_refused(void)
{
	static const struct item {
		const char *key_bytes; /* NULL: a good key */
		size_t key_len;
		mode_t mode;
		const char *issuer, *number;
		int ret;
		const char *why; /* "%s" is the key file's path */
	} data[] = {
		/* 0*/ {NULL, 32, 0600, "", "AB1", KIOSK_EINVAL, "the document's issuer is missing"},
		/* 1*/ {NULL, 32, 0600, "SWE", "<<<", KIOSK_EINVAL, "the document number is missing"},
		/* 2*/ {NULL, 32, 0600, "SWE", "AB#1", KIOSK_EINVAL,
			"the document number may hold only letters and digits"},
		/* 3*/ {NULL, 32, 0600, "SWE", "A12345678901234567890123456789012345678901234567890123456789012345",
			KIOSK_EINVAL, "the document number is too long"},
		/* 4*/ {"0123456789abcdef0123456789abcdef", 32, 0644, "SWE", "AB1", KIOSK_EDENIED,
			"the key file %s may be read by others: run chmod 600 on it"},
		/* 5*/ {"short", 5, 0600, "SWE", "AB1", KIOSK_EINVAL,
			"the key file %s must hold 32 bytes, not 5"},
	};
	for (int i = 0; i < (int)KT_ARRAY_SIZE(data); i++) {
		if (!KT_ROW_SELECTED(i))
			continue;
		char path[128], want[256], hex[ID_HASH_HEX] = "untouched";
		struct id_hasher *h = NULL;
		struct kiosk_why why = {""};
		snprintf(path, sizeof path, "%s/refused%d.key", tmp_dir(), i);
		if (data[i].key_bytes)
			write_file(path, data[i].key_bytes, data[i].key_len, data[i].mode);
		int ret = id_hash_open(&h, path, &why);
		if (!ret) {
			ret = id_hash_compute(h, data[i].issuer, data[i].number, hex, &why);
			id_hash_close(h);
		}
		KT_INTEQ(ret, data[i].ret, i);
		snprintf(want, sizeof want, data[i].why, path);
		KT_STREQ(why.text, want, i);
		KT_STREQ(hex, "untouched", i);
	}
}

/* ---- case registration -------------------------------------------------- */

#define RECEIPT "RS004200320251001000123"

static int import_receipt(struct store *s, struct kiosk_why *why)
{
	static const struct receipt_line lines[] = {
		{1, "1001", "Hörlurar med brusreducering", 2, 49900, "electronics", 0, 0},
		{2, "2001", "Tvål, lavendel", 1, 2990, "hygiene", 0, 0},
		{3, "3001", "Soffa Öland", 1, 899900, "furniture", 0, 0},
	};
	struct receipt r = {RECEIPT, "0042", "003", {0, 0}, "SEK", 3,
			    (struct receipt_line *)lines};
	int n_new = 0;
	time_parse_iso("2025-10-01T14:30:00+02:00", &r.purchased_at);
	return store_receipts_import(s, &r, 1, &n_new, why);
}

static void test_case_register(void)
{
	static const struct item {
		enum case_kind kind;
		const char *receipt;  /* NULL: none */
		const char *id_doc;   /* document number (issuer SWE), NULL: no ID */
		int line, quantity;   /* receipt line (0: none), how many */
		int64_t price;        /* caller's price: ignored with a receipt */
		enum item_condition cond;
		const char *text;     /* customer's words */
		const char *now;
		int ret;
		enum case_outcome outcome;
		const char *rule;
		enum case_state state;
		int64_t amount;
		const char *why;
	} data[] = {
		/* 0*/ {CASE_RETURN, RECEIPT, NULL, 1, 1, 1, COND_UNOPENED, "", "2025-10-13T10:00:00+02:00",
			0, OUTCOME_REFUND, "return.unopened.refund", CASE_REGISTERED, 49900, ""},
		/* 1*/ {CASE_RETURN, RECEIPT, NULL, 1, 2, 1, COND_UNOPENED, "", "2025-10-13T10:05:00+02:00",
			KIOSK_EINVAL, 0, "", 0, 0, "receipt line 1: 2 to return, but only 1 left to return"},
		/* 2*/ {CASE_RETURN, RECEIPT, NULL, 1, 1, 1, COND_USED, "", "2025-10-31T23:59:00+01:00",
			0, OUTCOME_STORE_CREDIT, "return.used.store_credit", CASE_REGISTERED, 49900, ""},
		/* 3*/ {CASE_RETURN, RECEIPT, NULL, 1, 1, 1, COND_UNOPENED, "", "2025-10-14T10:00:00+02:00",
			KIOSK_EINVAL, 0, "", 0, 0, "receipt line 1 has already been returned in full"},
		/* 4*/ {CASE_RETURN, RECEIPT, NULL, 2, 1, 1, COND_UNOPENED, "", "2025-10-02T09:00:00+02:00",
			0, OUTCOME_STAFF, "return.outside_window", CASE_WAITING_STAFF, 0, ""},
		/* 5*/ {CASE_RETURN, RECEIPT, NULL, 9, 1, 1, COND_UNOPENED, "", "2025-10-02T09:00:00+02:00",
			KIOSK_EINVAL, 0, "", 0, 0, "receipt " RECEIPT " has no line 9"},
		/* 6*/ {CASE_RETURN, "RS004200320251001999999", NULL, 1, 1, 1, COND_UNOPENED, "",
			"2025-10-02T09:00:00+02:00", KIOSK_ENOTFOUND, 0, "", 0, 0,
			"Receipt RS004200320251001999999 is not in the database."},
		/* 7*/ {CASE_RETURN, NULL, "AB1234567", 0, 1, 60000, COND_UNOPENED, "", "2025-10-13T10:00:00+02:00",
			0, OUTCOME_STORE_CREDIT, "return.no_receipt.credit", CASE_REGISTERED, 60000, ""},
		/* 8*/ {CASE_RETURN, NULL, "ab 123 4567", 0, 2, 20000, COND_UNOPENED, "", "2025-10-13T11:00:00+02:00",
			0, OUTCOME_STORE_CREDIT, "return.no_receipt.credit", CASE_REGISTERED, 40000, ""},
		/* 9*/ {CASE_RETURN, NULL, "AB1234567", 0, 1, 1, COND_UNOPENED, "", "2025-12-24T12:00:00+01:00",
			0, OUTCOME_STAFF, "return.no_receipt.over_limit", CASE_WAITING_STAFF, 0, ""},
		/*10*/ {CASE_RETURN, NULL, "XB7654321", 0, 1, 1, COND_UNOPENED, "", "2025-12-24T12:00:00+01:00",
			0, OUTCOME_STORE_CREDIT, "return.no_receipt.credit", CASE_REGISTERED, 1, ""},
		/*11*/ {CASE_RETURN, NULL, NULL, 0, 1, 100, COND_UNOPENED, "", "2025-12-24T12:00:00+01:00",
			0, OUTCOME_STAFF, "return.no_receipt.no_id", CASE_WAITING_STAFF, 0, ""},
		/*12*/ {CASE_RETURN, NULL, "AB1234567", 0, 1, 1, COND_UNOPENED, "", "2026-10-12T12:00:00+02:00",
			0, OUTCOME_STAFF, "return.no_receipt.over_limit", CASE_WAITING_STAFF, 0, ""},
		/*13*/ {CASE_RETURN, NULL, "AB1234567", 0, 1, 1, COND_UNOPENED, "", "2026-10-13T12:00:00+02:00",
			0, OUTCOME_STORE_CREDIT, "return.no_receipt.credit", CASE_REGISTERED, 1, ""},
		/*14*/ {CASE_FAULT, RECEIPT, NULL, 3, 1, 1, COND_FAULTY, "Ett ben har lossnat.",
			"2028-01-21T10:00:00+01:00", 0, OUTCOME_REPAIR, "fault.responsible", CASE_REGISTERED, 0, ""},
		/*15*/ {CASE_FAULT, RECEIPT, NULL, 3, 1, 1, COND_FAULTY, "", "2028-01-21T10:00:00+01:00",
			KIOSK_EINVAL, 0, "", 0, 0, "a fault report needs the fault in the customer's words"},
		/*16*/ {CASE_FAULT, NULL, NULL, 0, 0, 0, COND_FAULTY, "The screen stays black.",
			"2026-01-05T10:00:00+01:00", 0, OUTCOME_STAFF, "fault.no_receipt", CASE_WAITING_STAFF, 0, ""},
	};
	char db[1024], key[160], hashes[2][ID_HASH_HEX], tokens[KT_ARRAY_SIZE(data)][CASE_TOKEN_HEX + 1];
	struct kiosk_config cfg = {0};
	struct policy p;
	struct i18n *t = NULL;
	struct store *s = NULL, *reader = NULL;
	struct id_hasher *h = NULL;
	struct kiosk_why why = {""};
	int n_cases = 0;
	memset(tokens, 0, sizeof tokens);
	char key_ini[256];
	ktest_db_new(db, sizeof db, tmp_dir(), "cases.db");
	/* a chain's database has no folder: its ID key is configured */
	snprintf(key_ini, sizeof key_ini, "[privacy]\nkey_file = %s/chain.key\n", tmp_dir());
	if (config_load(&cfg, paths_assets_dir(), NULL, &why) ||
	    (ktest_db_is_pg() && config_read_string(&cfg, key_ini, &why)) ||
	    policy_load(&p, &cfg, &why) ||
	    i18n_create(&t, paths_assets_dir(), "en", &why) || store_open(&s, db, &why) ||
	    store_open(&reader, db, &why) || import_receipt(s, &why) ||
	    id_hash_key_path(&cfg, db, key, sizeof key, &why) || id_hash_open(&h, key, &why) ||
	    id_hash_compute(h, "SWE", "AB1234567", hashes[0], &why) ||
	    id_hash_compute(h, "SWE", "XB7654321", hashes[1], &why)) {
		KT_CHECK(0, "set-up failed: %s", why.text);
		goto out;
	}
	for (int i = 0; i < (int)KT_ARRAY_SIZE(data); i++) {
		const struct item *d = &data[i];
		struct case_line line = {d->line, "caller-sku", "caller's words", d->quantity, d->price,
					 "electronics", d->cond == COND_FAULTY ? REASON_FAULTY
									     : REASON_CHANGED_MIND,
					 d->cond};
		char hash[ID_HASH_HEX] = "";
		if (d->id_doc)
			id_hash_compute(h, "SWE", d->id_doc, hash, &why);
		struct case_request req = {
			.kind = d->kind,
			.store = i % 2 ? cfg.store_id : NULL, /* NULL: the policy's store */
			.receipt_id = d->receipt,
			.id_hash = d->id_doc ? hash : NULL,
			.n_lines = d->quantity ? 1 : 0,
			.lines = &line,
			.customer_text = d->text,
			.wants_updates = i == 14,
			.contact = i == 14 ? "070-123 45 67" : "ignored@example.com",
		};
		struct kiosk_time now;
		struct case_record c = {0}, got = {0};
		struct decision preview = {.rule = "untouched"};
		time_parse_iso(d->now, &now);
		why.text[0] = 0;
		/* The preview says what registering will do, and saves nothing. */
		int ret = case_decide(s, &p, t, &req, now, &preview, &why);
		KT_INTEQ(ret, d->ret, i);
		KT_STREQ(why.text, d->why, i);
		KT_STREQ(preview.rule, ret ? "untouched" : d->rule, i);
		why.text[0] = 0;
		/* Rows build on each other, so every row runs even when -i picks one. */
		ret = case_register(s, &p, t, &req, now, &c, tokens[i], &why);
		KT_INTEQ(ret, d->ret, i);
		KT_STREQ(why.text, d->why, i);
		if (ret) {
			KT_STREQ(tokens[i], "", i);
			struct case_record *all = NULL;
			int n = -1;
			struct case_filter f = {.today = 0};
			store_case_list(reader, &f, &all, &n, &why);
			KT_INTEQ(n, n_cases, i); /* nothing saved */
			for (int k = 0; k < n; k++)
				case_record_free(&all[k]);
			free(all);
			continue;
		}
		n_cases++;
		KT_INTEQ(c.decision.outcome, d->outcome, i);
		KT_STREQ(c.decision.rule, d->rule, i);
		KT_INTEQ(c.state, d->state, i);
		KT_INTEQ(c.decision.amount, d->amount, i);
		KT_INTEQ(strlen(tokens[i]), CASE_TOKEN_HEX, i);
		/* Committed: another connection sees it, with the receipt's data. */
		KT_INTEQ(store_case_get(reader, c.case_id, time_local_days(now), &got, &why), 0, i);
		KT_STREQ(got.decision.rule, d->rule, i);
		KT_STREQ(got.decision.explanation, c.decision.explanation, i);
		KT_STREQ(got.lang, "en", i);
		KT_STREQ(got.store, "0042", i);
		KT_STREQ(preview.explanation, c.decision.explanation, i);
		KT_INTEQ(preview.amount, c.decision.amount, i);
		KT_STREQ(got.id_hash, d->id_doc && !d->receipt ? hash : "", i);
		KT_STREQ(got.contact, i == 14 ? "+46701234567" : "", i); /* E.164 */
		KT_INTEQ(got.n_lines, req.n_lines, i);
		if (got.n_lines == 1 && d->receipt) {
			KT_CHECK(got.lines[0].unit_price != d->price, "i:%d caller's price was kept", i);
			KT_CHECK(strcmp(got.lines[0].sku, "caller-sku") != 0, "i:%d caller's sku kept", i);
		}
		KT_INTEQ(store_case_check_token(reader, c.case_id, tokens[i], &why), 0, i);
		char wrong[CASE_TOKEN_HEX + 1];
		memcpy(wrong, tokens[i], sizeof wrong);
		wrong[0] = wrong[0] == '0' ? '1' : '0';
		KT_INTEQ(store_case_check_token(reader, c.case_id, wrong, &why), KIOSK_EDENIED, i);
		case_record_free(&got);
		case_record_free(&c);
	}
	/* Tokens are random: no two alike. */
	for (int i = 0; i < (int)KT_ARRAY_SIZE(data); i++)
		for (int k = 0; k < i; k++)
			KT_CHECK(!tokens[i][0] || strcmp(tokens[i], tokens[k]),
				 "i:%d token equals row %d's", i, k);
out:
	store_close(reader);
	store_close(s);
	id_hash_close(h);
	i18n_destroy(t);
	config_destroy(&cfg);
	if (!n_cases)
		return;
	/* Search what the database holds: the file and a WAL, if one is left;
	 * every row on PostgreSQL. */
	size_t total = 0;
	char *bytes = ktest_db_bytes(db, &total);
	static const char *const absent[] = {"AB1234567", "XB7654321", "ab 123 4567"};
	KT_CHECK(total > 0, "i:200 database file is empty");
	for (size_t k = 0; k < KT_ARRAY_SIZE(absent); k++)
		KT_CHECK(!memmem(bytes, total, absent[k], strlen(absent[k])),
			 "i:%d document number %s is in the database file", 201 + (int)k, absent[k]);
	for (int i = 0; i < (int)KT_ARRAY_SIZE(tokens); i++)
		KT_CHECK(!tokens[i][0] || !memmem(bytes, total, tokens[i], CASE_TOKEN_HEX),
			 "i:%d token %s is in the database file", i, tokens[i]);
	/* The search can find things: the keyed hashes are there. */
	for (int k = 0; k < 2; k++)
		KT_CHECK(memmem(bytes, total, hashes[k], 64) != NULL,
			 "i:%d the ID hash is not found in the file either", 210 + k);
	free(bytes);
}

KT_MAIN(KT_FUNC(test_id_hash_known_answer), KT_FUNC(test_id_hash_key_file), KT_FUNC(test_id_hash_key_race),
	KT_FUNC(test_id_hash_refused), KT_FUNC(test_case_register))
