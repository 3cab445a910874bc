/* The queue of an SQLite file's writers (core/writer_queue.h), with real
 * processes: writers take their turns in the order they came, a writer
 * killed in its turn hands it on, one that waits too long is told so, and
 * the queue's file takes the database's mode. */
#define _GNU_SOURCE /* mkdtemp, kill */
#include <errno.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <sys/syscall.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

#include "core/writer_queue.h"
#include "ktest.h"

static char g_db[256];

static void sleep_ms(int ms)
{
	struct timespec t = {ms / 1000, (long)(ms % 1000) * 1000000};
	nanosleep(&t, NULL);
}

/* Has pid gone to sleep in the kernel on a futex (its queue's mutex)?
 * Where /proc does not say (no permission), a generous pause instead. */
static void wait_blocked(pid_t pid)
{
	char path[64], buf[64];
	snprintf(path, sizeof path, "/proc/%d/syscall", (int)pid);
	for (int i = 0; i < 1000; i++) {
		FILE *f = fopen(path, "r");
		size_t n = f ? fread(buf, 1, sizeof buf - 1, f) : 0;
		if (f)
			fclose(f);
		if (!n) {
			sleep_ms(500);
			return;
		}
		buf[n] = 0;
		if (atol(buf) == SYS_futex)
			return;
		sleep_ms(5);
	}
}

/* A writer process: takes its turn (up to ms), writes its name to fd, holds
 * the turn hold_ms, leaves; exits 0, or 1 when the wait ran out. */
static pid_t writer(char name, int fd, int ms, int hold_ms)
{
	pid_t pid = fork();
	if (pid)
		return pid;
	struct writer_queue *q = writer_queue_open(g_db);
	if (!q || writer_queue_enter(q, ms))
		_exit(1);
	if (write(fd, &name, 1) != 1)
		_exit(2);
	sleep_ms(hold_ms);
	writer_queue_leave(q);
	writer_queue_close(q);
	_exit(0);
}

static int exit_code(pid_t pid)
{
	int st = 0;
	waitpid(pid, &st, 0);
	return WIFEXITED(st) ? WEXITSTATUS(st) : 128 + WTERMSIG(st);
}

static void test_turns_in_order(void)
{
	int p[2];
	KT_CHECK(pipe(p) == 0, "pipe: %s", strerror(errno));
	struct writer_queue *q = writer_queue_open(g_db);
	KT_CHECK(q != NULL, "the queue opens");
	if (!q)
		return;
	KT_INTEQ(writer_queue_enter(q, 5000), 0, 0);
	/* three writers come while the turn is taken, one after the other */
	pid_t a = writer('a', p[1], 20000, 20);
	wait_blocked(a);
	pid_t b = writer('b', p[1], 20000, 20);
	wait_blocked(b);
	pid_t c = writer('c', p[1], 20000, 20);
	wait_blocked(c);
	writer_queue_leave(q);
	KT_INTEQ(exit_code(a), 0, 0);
	KT_INTEQ(exit_code(b), 0, 1);
	KT_INTEQ(exit_code(c), 0, 2);
	close(p[1]);
	char order[8] = "";
	ssize_t n = read(p[0], order, sizeof order - 1);
	order[n > 0 ? n : 0] = 0;
	close(p[0]);
	KT_STREQ(order, "abc", 0);
	writer_queue_close(q);
}

static void test_killed_in_turn(void)
{
	int p[2];
	KT_CHECK(pipe(p) == 0, "pipe: %s", strerror(errno));
	/* it takes its turn and is killed holding it */
	pid_t k = writer('k', p[1], 5000, 60000);
	char got = 0;
	KT_CHECK(read(p[0], &got, 1) == 1 && got == 'k', "the writer has its turn");
	kill(k, SIGKILL);
	KT_INTEQ(exit_code(k), 128 + SIGKILL, 0);
	struct writer_queue *q = writer_queue_open(g_db);
	KT_CHECK(q && writer_queue_enter(q, 5000) == 0, "the next writer has its turn");
	if (q) {
		writer_queue_leave(q);
		KT_CHECK(writer_queue_enter(q, 5000) == 0, "and the one after it");
		writer_queue_leave(q);
	}
	writer_queue_close(q);
	close(p[0]);
	close(p[1]);
}

static void test_wait_runs_out(void)
{
	int p[2];
	KT_CHECK(pipe(p) == 0, "pipe: %s", strerror(errno));
	struct writer_queue *q = writer_queue_open(g_db);
	KT_CHECK(q && writer_queue_enter(q, 5000) == 0, "the turn is taken");
	pid_t w = writer('w', p[1], 200, 0);
	KT_INTEQ(exit_code(w), 1, 0); /* waited 200 ms and gave up */
	if (q)
		writer_queue_leave(q);
	w = writer('w', p[1], 200, 0);
	KT_INTEQ(exit_code(w), 0, 1); /* free again */
	writer_queue_close(q);
	close(p[0]);
	close(p[1]);
}

static void test_file_mode(void)
{
	char db[300], side[320];
	snprintf(db, sizeof db, "%s.mode", g_db);
	snprintf(side, sizeof side, "%s-writers", db);
	FILE *f = fopen(db, "w");
	KT_CHECK(f != NULL, "database file made");
	if (f)
		fclose(f);
	chmod(db, 0660);
	mode_t old = umask(077);
	struct writer_queue *q = writer_queue_open(db);
	umask(old);
	struct stat st = {0};
	KT_CHECK(q && stat(side, &st) == 0, "%s made", side);
	KT_INTEQ((int)(st.st_mode & 0777), 0660, 0); /* the database's, not the umask's */
	writer_queue_close(q);
	KT_CHECK(writer_queue_open(":memory:") == NULL, "no queue for an in-memory database");
	KT_CHECK(writer_queue_open("/nonexistent-dir/kiosk.db") == NULL,
		 "no queue where its file cannot be made");
}

static char g_dir[64];

static void cleanup(void)
{
	char cmd[128];
	snprintf(cmd, sizeof cmd, "rm -rf '%s'", g_dir);
	if (g_dir[0] && system(cmd) != 0)
		fprintf(stderr, "could not remove %s\n", g_dir);
}

static void setup(void)
{
	snprintf(g_dir, sizeof g_dir, "/tmp/kiosk-queue-XXXXXX");
	if (!mkdtemp(g_dir)) {
		perror("mkdtemp");
		exit(1);
	}
	atexit(cleanup);
	snprintf(g_db, sizeof g_db, "%s/kiosk.db", g_dir);
}

static void run_all(void)
{
	setup();
	test_turns_in_order();
	test_killed_in_turn();
	test_wait_runs_out();
	test_file_mode();
}

KT_MAIN(KT_FUNC(run_all))
