/* The store's file and schema: a fresh database, the upgrade of a frozen
 * version-1 database with its data intact, refusals (newer schema, not a
 * database), and the audit log that refuses UPDATE and DELETE even from
 * another SQLite connection. */
#include <sqlite3.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

#include "ktest.h"
#include "store/store.h"
#include "store/sqlite/db_sqlite.h"
#include "store_fixture.h"

#ifndef STORE_TEST_DIR
#error "STORE_TEST_DIR must point at tests/store"
#endif

static char *read_file(const char *path)
{
	FILE *f = fopen(path, "rb");
	if (!f)
		return NULL;
	fseek(f, 0, SEEK_END);
	long n = ftell(f);
	fseek(f, 0, SEEK_SET);
	char *buf = malloc((size_t)n + 1);
	if (buf && fread(buf, 1, (size_t)n, f) != (size_t)n) {
		free(buf);
		buf = NULL;
	}
	if (buf)
		buf[n] = 0;
	fclose(f);
	return buf;
}

static void test_fresh(void)
{
	struct fixture f;
	KT_CHECK(fixture_open(&f, 1) == 0, "fresh open");
	sqlite3 *db = lite_open(&f);
	KT_INTEQ(lite_int(db, "PRAGMA user_version"), store_schema_version(), 0);
	KT_CHECK(store_schema_version() >= 2, "at least two migrations, got %d",
		 store_schema_version());
	char mode[16];
	lite_text(db, "PRAGMA journal_mode", mode, sizeof mode);
	KT_STREQ(mode, "wal", 0);
	/* a new file has 16 KiB pages (the import's rate, README) and no index
	 * for a cache refresh that reads PostgreSQL (version 13) */
	KT_INTEQ(lite_int(db, "PRAGMA page_size"), 16384, 0);
	KT_INTEQ(lite_int(db, "SELECT count(*) FROM sqlite_master"
			      " WHERE name = 'receipts_store_purchased'"), 0, 0);
	/* every table the issue names exists */
	static const char *const tables[] = {"stores", "receipts", "receipt_lines", "cases",
					     "case_lines", "case_events", "staff", "staff_calls",
					     "audit_log"};
	for (int i = 0; i < (int)KT_ARRAY_SIZE(tables); i++) {
		char sql[128];
		snprintf(sql, sizeof sql, "SELECT count(*) FROM sqlite_master WHERE name = '%s'",
			 tables[i]);
		KT_CHECK(lite_int(db, sql) == 1, "i:%d table %s missing", i, tables[i]);
	}
	sqlite3_close(db);
	/* the database holds contact details: its files are the owner's only */
	static const char *const suffix[] = {"", "-wal", "-shm", "-writers"};
	for (int i = 0; i < (int)KT_ARRAY_SIZE(suffix); i++) {
		char p[1100];
		struct stat st;
		snprintf(p, sizeof p, "%s%s", f.path, suffix[i]);
		KT_CHECK(stat(p, &st) == 0, "i:%d %s exists", i, p);
		KT_INTEQ(st.st_mode & 0777, 0600, i);
	}
	/* opening again is a no-op, not a second migration */
	store_close(f.s);
	struct kiosk_why why = {{0}};
	KT_INTEQ(store_open(&f.s, f.path, &why), 0, 0);
	fixture_close(&f);
}

/* Refusals of store_open: the sentence is exact and the file is left
 * exactly as it was. */
static void test_open_refused(void)
{
	static const struct item {
		const char *setup_sql;   /* run on a raw connection first; NULL: write text */
		int want_rc;
		const char *want_why;    /* %s is the database path; NULL: the version sentence */
		long long version_after; /* -1: not a database */
	} data[] = {
		/* 0*/ {"PRAGMA user_version = 77;", KIOSK_EVERSION, NULL, 77},
		/* 1*/ {"CREATE TABLE x (a); PRAGMA user_version = 99;", KIOSK_EVERSION, NULL, 99},
		/* 2*/ {NULL, KIOSK_EIO, "%s is not a kiosk database (file is not a database).", -1},
	};
	for (int i = 0; i < (int)KT_ARRAY_SIZE(data); i++) {
		if (!KT_ROW_SELECTED(i))
			continue;
		struct fixture f;
		fixture_open(&f, 0);
		if (data[i].setup_sql) {
			sqlite3 *db = lite_open(&f);
			KT_CHECK(sqlite3_exec(db, data[i].setup_sql, NULL, NULL, NULL) == SQLITE_OK,
				 "i:%d setup", i);
			sqlite3_close(db);
		} else {
			FILE *fp = fopen(f.path, "w");
			fputs("receipt_id,store\nthis is a CSV file, not a database, and long enough "
			      "to fill the SQLite header of one hundred bytes...............\n",
			      fp);
			fclose(fp);
		}
		struct kiosk_why why = {{0}};
		char want[KIOSK_WHY_MAX];
		if (data[i].want_why)
			snprintf(want, sizeof want, data[i].want_why, f.path);
		else
			snprintf(want, sizeof want,
				 "The database has schema version %lld, newer than the version %d this "
				 "program knows; use a newer kiosk program with it.",
				 data[i].version_after, store_schema_version());
		KT_INTEQ(store_open(&f.s, f.path, &why), data[i].want_rc, i);
		KT_CHECK(f.s == NULL, "i:%d no handle on failure", i);
		KT_STREQ(why.text, want, i);
		if (data[i].version_after >= 0) {
			sqlite3 *db = lite_open(&f);
			KT_INTEQ(lite_int(db, "PRAGMA user_version"), data[i].version_after, i);
			KT_INTEQ(lite_int(db, "SELECT count(*) FROM sqlite_master WHERE name = 'cases'"),
				 0, i);
			sqlite3_close(db);
		}
		fixture_close(&f);
	}
}

/* A database written by version 1, opened by this program: upgraded in
 * place, every row still there and usable through the current API. */
static void test_upgrade_v1(void)
{
	struct fixture f;
	struct kiosk_why why = {{0}};
	fixture_open(&f, 0);
	char *sql = read_file(STORE_TEST_DIR "/v1_database.sql");
	KT_CHECK(sql != NULL, "read v1_database.sql");
	if (!sql)
		return;
	sqlite3 *db = lite_open(&f);
	KT_CHECK(sqlite3_exec(db, sql, NULL, NULL, NULL) == SQLITE_OK, "load v1: %s",
		 sqlite3_errmsg(db));
	free(sql);
	KT_INTEQ(lite_int(db, "PRAGMA user_version"), 1, 0);
	sqlite3_close(db);

	KT_INTEQ(store_open(&f.s, f.path, &why), 0, 0);
	if (!f.s) {
		fprintf(stderr, "%s\n", why.text);
		fixture_close(&f);
		return;
	}
	db = lite_open(&f);
	KT_INTEQ(lite_int(db, "PRAGMA user_version"), store_schema_version(), 0);
	/* an existing file keeps its pages; version 10's index came and went */
	KT_INTEQ(lite_int(db, "PRAGMA page_size"), 4096, 0);
	KT_INTEQ(lite_int(db, "SELECT count(*) FROM sqlite_master"
			      " WHERE name = 'receipts_store_purchased'"), 0, 0);

	/* receipt and its derived returned quantity */
	struct receipt r;
	KT_INTEQ(store_receipt_get(f.s, "RS004200320261001000017", &r, &why), 0, 1);
	KT_INTEQ(r.n_lines, 2, 1);
	if (r.n_lines == 2) {
		KT_STREQ(r.lines[0].description, "Hörlurar Åke", 1);
		KT_INTEQ(r.lines[0].unit_price, 129900, 1);
		KT_INTEQ(r.lines[0].returned_quantity, 1, 1);
		KT_INTEQ(r.lines[1].returned_quantity, 0, 1);
	}
	/* the same receipt imported again is recognised (digest kept) */
	int n_new = -1;
	KT_INTEQ(store_receipts_import(f.s, &r, 1, &n_new, &why), 0, 2);
	KT_INTEQ(n_new, 0, 2);
	receipt_free(&r);

	/* cases, lines, timeline, token */
	int64_t today = T_DAY(T_NOW);
	struct case_record c;
	KT_INTEQ(store_case_get(f.s, "K-000001", today, &c, &why), 0, 3);
	KT_STREQ(c.contact, "anna@example.se", 3);
	KT_INTEQ(c.state, CASE_CLOSED, 3);
	KT_INTEQ(c.n_lines, 1, 3);
	KT_STREQ(c.decision.explanation, "Du köpte varan för 4 dagar sedan.", 3);
	case_record_free(&c);
	KT_INTEQ(store_case_check_token(f.s, "K-000001", "0123456789abcdef", &why), 0, 4);
	KT_INTEQ(store_case_check_token(f.s, "K-000001", "fedcba9876543210", &why), KIOSK_EDENIED, 4);
	struct case_event *ev = NULL;
	int n_ev = 0;
	KT_INTEQ(store_case_events(f.s, "K-000002", &ev, &n_ev, &why), 0, 5);
	KT_INTEQ(n_ev, 2, 5);
	free(ev);
	struct case_filter filt = {.today = today, .overdue_only = true};
	struct case_record *list = NULL;
	int n = 0;
	KT_INTEQ(store_case_list(f.s, &filt, &list, &n, &why), 0, 6);
	KT_INTEQ(n, 1, 6);
	if (n == 1)
		KT_STREQ(list[0].case_id, "K-000002", 6);
	for (int i = 0; i < n; i++)
		case_record_free(&list[i]);
	free(list);

	/* version 2 back-filled the close time: the old closed case's contact
	 * is purged once it is older than the retention period */
	KT_INTEQ(lite_int(db, "SELECT closed_s FROM cases WHERE id = 'K-000001'"),
		 lite_int(db, "SELECT at_s FROM case_events WHERE id = 2"), 7);
	int purged = -1;
	KT_INTEQ(store_purge_contacts_at(f.s, at(T_NOW - 30 * 86400), at(T_NOW), &purged, &why), 0,
		 7);
	KT_INTEQ(purged, 1, 7);

	/* the old staff member logs in with the old PIN hash */
	struct staff_record st;
	KT_INTEQ(store_staff_login(f.s, "KS1:S001", "2468", at(T_NOW), &st, &why), 0, 8);
	KT_STREQ(st.staff_id, "S001", 8);
	KT_INTEQ(st.role, ROLE_MANAGER, 8);

	/* numbering continues after the old cases; the old audit rows stay
	 * append-only */
	struct case_line lbuf;
	struct case_record nc = make_case(CASE_RETURN, "RS004200320261001000017", 2, 1,
					  OUTCOME_REFUND, &lbuf);
	KT_INTEQ(store_case_create(f.s, &nc, "00000000000000aa", at(T_NOW), "kiosk", &why), 0, 9);
	KT_STREQ(nc.case_id, "K-000003", 9);
	KT_CHECK(sqlite3_exec(db, "DELETE FROM audit_log WHERE id = 1", NULL, NULL, NULL) != SQLITE_OK,
		 "old audit row deletable");
	KT_INTEQ(lite_int(db, "SELECT count(*) FROM audit_log WHERE id <= 2"), 2, 9);
	sqlite3_close(db);
	fixture_close(&f);
}

/* A database left at version 1 by db_sqlite_migrate_raw (as an old program would
 * have made it) upgrades to the current version on open. */
static void test_upgrade_empty_v1(void)
{
	struct fixture f;
	struct kiosk_why why = {{0}};
	fixture_open(&f, 0);
	sqlite3 *db = lite_open(&f);
	KT_INTEQ(db_sqlite_migrate_raw(db, 1, &why), 0, 0);
	KT_INTEQ(lite_int(db, "PRAGMA user_version"), 1, 0);
	KT_INTEQ(lite_int(db, "SELECT count(*) FROM sqlite_master WHERE name = 'staff_calls'"), 0, 0);
	sqlite3_close(db);
	KT_INTEQ(store_open(&f.s, f.path, &why), 0, 1);
	db = lite_open(&f);
	KT_INTEQ(lite_int(db, "PRAGMA user_version"), store_schema_version(), 1);
	KT_INTEQ(lite_int(db, "SELECT count(*) FROM sqlite_master WHERE name = 'staff_calls'"), 1, 1);
	sqlite3_close(db);
	fixture_close(&f);
}

static void test_audit_append_only(void)
{
	static const struct item {
		const char *sql;
	} data[] = {
		/* 0*/ {"UPDATE audit_log SET detail = 'nothing happened' WHERE id = 1"},
		/* 1*/ {"UPDATE audit_log SET actor = 'someone else'"},
		/* 2*/ {"DELETE FROM audit_log WHERE id = 2"},
		/* 3*/ {"DELETE FROM audit_log"},
		/* 4*/ {"INSERT OR REPLACE INTO audit_log (id, at_s, at_off, actor, action, detail)"
			" VALUES (1, 0, 0, 'x', 'x', 'x')"},
	};
	struct fixture f;
	struct kiosk_why why = {{0}};
	fixture_open(&f, 1);
	KT_INTEQ(store_audit_append(f.s, at(T_NOW), "staff:S001", "case.override", "K-000001: ok",
				    &why),
		 0, -1);
	KT_INTEQ(store_audit_append(f.s, at(T_NOW + 1), "system", "purge", "1 case", &why), 0, -1);
	KT_INTEQ(store_audit_append(f.s, at(T_NOW), "system", "", "no action", &why), KIOSK_EINVAL,
		 -1);
	KT_STREQ(why.text, "An audit-log entry needs an action.", -1);
	sqlite3 *db = lite_open(&f);
	/* with the chain's function, as any kiosk connection has it: the
	 * guards themselves refuse, not a missing function */
	KT_INTEQ(db_sqlite_add_functions(db), SQLITE_OK, -1);
	for (int i = 0; i < (int)KT_ARRAY_SIZE(data); i++) {
		if (!KT_ROW_SELECTED(i))
			continue;
		KT_CHECK(sqlite3_exec(db, data[i].sql, NULL, NULL, NULL) != SQLITE_OK,
			 "i:%d audit change was allowed", i);
		KT_STREQ(sqlite3_errmsg(db), "the audit log is append-only", i);
		KT_INTEQ(lite_int(db, "SELECT count(*) FROM audit_log"), 2, i);
		char detail[64];
		lite_text(db, "SELECT detail FROM audit_log WHERE id = 1", detail, sizeof detail);
		KT_STREQ(detail, "K-000001: ok", i);
	}
	sqlite3_close(db);
	fixture_close(&f);
}

KT_MAIN(KT_FUNC(test_fresh), KT_FUNC(test_open_refused), KT_FUNC(test_upgrade_v1),
	KT_FUNC(test_upgrade_empty_v1), KT_FUNC(test_audit_append_only))
