/* write_behind.h: one thread, woken every 50 ms or by stop. */
#define _GNU_SOURCE /* sync_file_range */
#include "core/write_behind.h"

#include <fcntl.h>
#include <pthread.h>
#include <stdbool.h>
#include <stdlib.h>
#include <time.h>
#include <unistd.h>

#define MAX_FILES 4
#define EVERY_NS 50000000L

struct write_behind {
	pthread_t thread;
	pthread_mutex_t mu;
	pthread_cond_t cv;
	bool stop;
	int fd[MAX_FILES];
	int n;
};

static void *run(void *arg)
{
	struct write_behind *wb = arg;
	pthread_mutex_lock(&wb->mu);
	while (!wb->stop) {
		struct timespec at;
		clock_gettime(CLOCK_MONOTONIC, &at);
		at.tv_nsec += EVERY_NS;
		if (at.tv_nsec >= 1000000000L) {
			at.tv_sec++;
			at.tv_nsec -= 1000000000L;
		}
		while (!wb->stop && pthread_cond_timedwait(&wb->cv, &wb->mu, &at) == 0)
			;
		if (wb->stop)
			break;
		pthread_mutex_unlock(&wb->mu);
		for (int i = 0; i < wb->n; i++)
			sync_file_range(wb->fd[i], 0, 0, SYNC_FILE_RANGE_WRITE);
		pthread_mutex_lock(&wb->mu);
	}
	pthread_mutex_unlock(&wb->mu);
	return NULL;
}

static void close_all(struct write_behind *wb)
{
	for (int i = 0; i < wb->n; i++)
		close(wb->fd[i]);
}

struct write_behind *write_behind_start(const char *const *paths, int n)
{
	struct write_behind *wb = calloc(1, sizeof *wb);
	if (!wb)
		return NULL;
	for (int i = 0; i < n && wb->n < MAX_FILES; i++) {
		int fd = open(paths[i], O_RDONLY | O_CLOEXEC);
		if (fd >= 0)
			wb->fd[wb->n++] = fd;
	}
	pthread_condattr_t ca;
	bool made = false;
	if (wb->n && !pthread_condattr_init(&ca)) {
		made = !pthread_condattr_setclock(&ca, CLOCK_MONOTONIC) &&
		       !pthread_cond_init(&wb->cv, &ca);
		pthread_condattr_destroy(&ca);
	}
	if (!made) {
		close_all(wb);
		free(wb);
		return NULL;
	}
	pthread_mutex_init(&wb->mu, NULL);
	if (pthread_create(&wb->thread, NULL, run, wb)) {
		pthread_cond_destroy(&wb->cv);
		pthread_mutex_destroy(&wb->mu);
		close_all(wb);
		free(wb);
		return NULL;
	}
	return wb;
}

void write_behind_stop(struct write_behind *wb)
{
	if (!wb)
		return;
	pthread_mutex_lock(&wb->mu);
	wb->stop = true;
	pthread_cond_signal(&wb->cv);
	pthread_mutex_unlock(&wb->mu);
	pthread_join(wb->thread, NULL);
	pthread_cond_destroy(&wb->cv);
	pthread_mutex_destroy(&wb->mu);
	close_all(wb);
	free(wb);
}
