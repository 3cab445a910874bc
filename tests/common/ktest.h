/* A small table-test helper in the manner of zint's backend tests: tests
 * are functions over a local `struct item` table with row comments; a
 * failure names the row (i:%d). Run one test with `-f NAME`, one row with
 * `-i N`; `-g` asks a test to regenerate its golden file. */
#ifndef KIOSK_KTEST_H
#define KIOSK_KTEST_H

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

struct ktest_state {
	const char *only_func; /* -f */
	int only_row;          /* -i, -1 for all */
	int generate;          /* -g */
	int failures;
	int checks;
};

extern struct ktest_state ktest;

#define KT_ARRAY_SIZE(a) (sizeof(a) / sizeof((a)[0]))

/* Skip rows other than the selected one. */
#define KT_ROW_SELECTED(i) (ktest.only_row < 0 || ktest.only_row == (i))

#define KT_CHECK(cond, ...)                                                  \
	do {                                                                 \
		ktest.checks++;                                              \
		if (!(cond)) {                                               \
			ktest.failures++;                                    \
			fprintf(stderr, "%s:%d: FAIL: ", __FILE__, __LINE__); \
			fprintf(stderr, __VA_ARGS__);                        \
			fputc('\n', stderr);                                 \
		}                                                            \
	} while (0)

/* Compare strings, treating NULL as "". */
static inline int ktest_streq(const char *got, const char *want, int i, const char *what,
			      const char *file, int line)
{
	got = got ? got : "";
	want = want ? want : "";
	ktest.checks++;
	if (strcmp(got, want) == 0)
		return 1;
	ktest.failures++;
	fprintf(stderr, "%s:%d: FAIL: i:%d %s: got \"%s\", want \"%s\"\n", file, line, i, what,
		got, want);
	return 0;
}
#define KT_STREQ(got, want, i) ktest_streq((got), (want), (i), #got, __FILE__, __LINE__)

#define KT_INTEQ(got, want, i)                                                         \
	KT_CHECK((long long)(got) == (long long)(want), "i:%d %s: got %lld, want %lld", (i), \
		 #got, (long long)(got), (long long)(want))

struct ktest_func {
	const char *name;
	void (*fn)(void);
};

/* Define main() running the given NULL-terminated table of tests. */
#define KT_MAIN(...)                                                                \
	struct ktest_state ktest = {NULL, -1, 0, 0, 0};                             \
	int main(int argc, char **argv)                                             \
	{                                                                           \
		static const struct ktest_func funcs[] = {__VA_ARGS__, {NULL, NULL}}; \
		for (int a = 1; a < argc; a++) {                                    \
			if (!strcmp(argv[a], "-f") && a + 1 < argc)                 \
				ktest.only_func = argv[++a];                        \
			else if (!strcmp(argv[a], "-i") && a + 1 < argc)            \
				ktest.only_row = atoi(argv[++a]);                   \
			else if (!strcmp(argv[a], "-g"))                            \
				ktest.generate = 1;                                 \
		}                                                                   \
		int ran = 0;                                                        \
		for (const struct ktest_func *f = funcs; f->name; f++) {            \
			if (ktest.only_func && strcmp(ktest.only_func, f->name))    \
				continue;                                           \
			int before = ktest.failures;                                \
			f->fn();                                                    \
			ran++;                                                      \
			printf("%s %s\n", ktest.failures == before ? "ok  " : "FAIL", \
			       f->name);                                            \
		}                                                                   \
		printf("%d checks in %d tests, %d failed\n", ktest.checks, ran,     \
		       ktest.failures);                                             \
		return ktest.failures || !ran || !ktest.checks ? 1 : 0;             \
	}

#define KT_FUNC(f) {#f, f}

/* Remove an SQLite database made in its own folder dir: the file, the
 * files the store keeps beside it (WAL, shared memory, the writers'
 * queue) and the folder, so a test leaves nothing behind. */
static inline void kt_db_remove(const char *dir, const char *db_path)
{
	static const char *const beside[] = {"", "-wal", "-shm", "-writers"};
	for (size_t i = 0; i < KT_ARRAY_SIZE(beside); i++) {
		char f[4200];
		snprintf(f, sizeof f, "%s%s", db_path, beside[i]);
		unlink(f);
	}
	rmdir(dir);
}

#endif
