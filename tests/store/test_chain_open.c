/* The chain's database opened on a worker (services/chain_open.h), as a
 * kiosk that started without its chain does between customers: the handle
 * arrives whole on the caller's thread, a chain that cannot be reached
 * comes back as its one-line reason, and the worker wakes its caller once.
 * Runs under ThreadSanitizer in CI (label threaded). */
#include <stdatomic.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#include "ktest.h"
#include "services/chain_open.h"

static atomic_int wakes;

static void wake(void *arg)
{
	(void)arg;
	atomic_fetch_add(&wakes, 1);
}

/* Poll as a kiosk's tick does, up to 10 s: did the worker finish? */
static bool done_within(const struct chain_open *j)
{
	for (int i = 0; i < 1000; i++) {
		if (chain_open_done(j))
			return true;
		nanosleep(&(struct timespec){0, 10 * 1000 * 1000}, NULL);
	}
	return false;
}

static void opens_a_file(void)
{
	char dir[] = "/tmp/kiosk-chain-open-XXXXXX";
	KT_CHECK(mkdtemp(dir) != NULL, "a temp folder");
	char path[4200];
	snprintf(path, sizeof path, "%s/kiosk.db", dir);
	atomic_store(&wakes, 0);
	struct chain_open *j = NULL;
	struct kiosk_why why = {{0}};
	KT_INTEQ(chain_open_start(&j, path, wake, NULL, &why), 0, 0);
	KT_CHECK(done_within(j), "the worker opened the database");
	KT_INTEQ(atomic_load(&wakes), 1, 0);
	struct store *s = NULL;
	KT_INTEQ(chain_open_finish(j, &s, &why), 0, 0);
	KT_CHECK(s != NULL, "the handle is the caller's");
	KT_INTEQ(store_reach(s, &why), 1, 0);
	KT_CHECK(!store_is_shared(s), "an SQLite file");
	store_close(s);
	kt_db_remove(dir, path);
}

static void says_why_it_cannot(void)
{
	atomic_store(&wakes, 0);
	struct chain_open *j = NULL;
	struct kiosk_why why = {{0}};
	KT_INTEQ(chain_open_start(&j, "host=/nonexistent-kiosk-socket dbname=chain", wake, NULL,
				  &why),
		 0, 0);
	KT_CHECK(done_within(j), "the worker gave up");
	KT_INTEQ(atomic_load(&wakes), 1, 0);
	struct store *s = (struct store *)&why; /* must be cleared */
	KT_INTEQ(chain_open_finish(j, &s, &why), KIOSK_EIO, 0);
	KT_CHECK(s == NULL, "no handle");
	KT_CHECK(strstr(why.text, "could not be reached") != NULL && !strchr(why.text, '\n'),
		 "one line that says so: %s", why.text);
}

/* A kiosk that closes while the worker still opens waits for it, and
 * gets what it opened. */
static void finish_waits(void)
{
	char dir[] = "/tmp/kiosk-chain-open-XXXXXX";
	KT_CHECK(mkdtemp(dir) != NULL, "a temp folder");
	char path[4200];
	snprintf(path, sizeof path, "%s/kiosk.db", dir);
	struct chain_open *j = NULL;
	struct kiosk_why why = {{0}};
	KT_INTEQ(chain_open_start(&j, path, NULL, NULL, &why), 0, 0);
	struct store *s = NULL;
	KT_INTEQ(chain_open_finish(j, &s, &why), 0, 0);
	KT_CHECK(s != NULL, "the handle, though nobody polled");
	store_close(s);
	kt_db_remove(dir, path);
	s = (struct store *)&why;
	KT_INTEQ(chain_open_finish(NULL, &s, &why), 0, 0);
	KT_CHECK(s == NULL, "no job: no handle");
}

KT_MAIN(KT_FUNC(opens_a_file), KT_FUNC(says_why_it_cannot), KT_FUNC(finish_waits))
