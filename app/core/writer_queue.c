/* writer_queue.h: a robust process-shared mutex in PATH-writers.
 *
 * A mutex's waiters sleep on a futex and an unlock wakes the one that has
 * waited longest, so turns go nearly in arrival order (one that arrives
 * just as the mutex is let go can still take it first). */
#include "core/writer_queue.h"

#include <errno.h>
#include <fcntl.h>
#include <limits.h>
#include <pthread.h>
#include <stdbool.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <sys/file.h>
#include <sys/mman.h>
#include <sys/stat.h>
#include <time.h>
#include <unistd.h>

/* "kioskwq" and the layout's version: a file of another layout is made again */
#define QUEUE_MAGIC 0x6b696f736b777101ULL
#define QUEUE_BYTES 4096

struct shared {
	uint64_t magic; /* QUEUE_MAGIC once m is made */
	pthread_mutex_t m;
};

struct writer_queue {
	int fd;
	struct shared *sh;
};

_Static_assert(sizeof(struct shared) <= QUEUE_BYTES, "the queue fits its file");

/* Make the mutex in a new (or foreign) file; under the file's flock, so
 * two processes opening it at once make it once. */
static int make_mutex(struct shared *sh)
{
	pthread_mutexattr_t a;
	if (pthread_mutexattr_init(&a))
		return -1;
	int rc = pthread_mutexattr_setpshared(&a, PTHREAD_PROCESS_SHARED) ||
		 pthread_mutexattr_setrobust(&a, PTHREAD_MUTEX_ROBUST) ||
		 pthread_mutex_init(&sh->m, &a);
	pthread_mutexattr_destroy(&a);
	if (rc)
		return -1;
	__atomic_store_n(&sh->magic, QUEUE_MAGIC, __ATOMIC_RELEASE);
	return 0;
}

struct writer_queue *writer_queue_open(const char *path)
{
	char qpath[PATH_MAX];
	if (!path || !*path || path[0] == ':' ||
	    snprintf(qpath, sizeof qpath, "%s-writers", path) >= (int)sizeof qpath)
		return NULL;
	struct stat db;
	bool have_db = stat(path, &db) == 0;
	mode_t mode = have_db ? db.st_mode & 0666 : 0644;
	int fd = open(qpath, O_RDWR | O_CREAT | O_CLOEXEC | O_NOFOLLOW, mode);
	if (fd < 0)
		return NULL;
	struct writer_queue *q = NULL;
	struct stat st;
	if (flock(fd, LOCK_EX) || fstat(fd, &st))
		goto fail;
	if (st.st_size == 0) {
		/* as SQLite does for its -wal and -shm: the database's mode
		 * (not the umask's) and, made by root, its owner */
		if (fchmod(fd, mode) || (have_db && getuid() == 0 && fchown(fd, db.st_uid, db.st_gid)))
			goto fail;
	}
	/* the blocks allocated now, so that a full disk is an error here and
	 * never a SIGBUS when the mutex is touched */
	if (st.st_size < QUEUE_BYTES && posix_fallocate(fd, 0, QUEUE_BYTES))
		goto fail;
	q = calloc(1, sizeof *q);
	if (!q)
		goto fail;
	q->fd = fd;
	q->sh = mmap(NULL, QUEUE_BYTES, PROT_READ | PROT_WRITE, MAP_SHARED, fd, 0);
	if (q->sh == MAP_FAILED)
		goto fail;
	if (__atomic_load_n(&q->sh->magic, __ATOMIC_ACQUIRE) != QUEUE_MAGIC && make_mutex(q->sh)) {
		munmap(q->sh, QUEUE_BYTES);
		goto fail;
	}
	flock(fd, LOCK_UN);
	return q;
fail:
	free(q);
	close(fd);
	return NULL;
}

void writer_queue_close(struct writer_queue *q)
{
	if (!q)
		return;
	munmap(q->sh, QUEUE_BYTES);
	close(q->fd);
	free(q);
}

int writer_queue_enter(struct writer_queue *q, int ms)
{
	struct timespec until;
	clock_gettime(CLOCK_REALTIME, &until);
	until.tv_sec += ms / 1000;
	until.tv_nsec += (long)(ms % 1000) * 1000000;
	if (until.tv_nsec >= 1000000000) {
		until.tv_sec++;
		until.tv_nsec -= 1000000000;
	}
	int rc = pthread_mutex_timedlock(&q->sh->m, &until);
	if (rc == EOWNERDEAD) /* the writer before was killed in its turn */
		rc = pthread_mutex_consistent(&q->sh->m);
	return rc ? -1 : 0;
}

void writer_queue_leave(struct writer_queue *q)
{
	pthread_mutex_unlock(&q->sh->m);
}
