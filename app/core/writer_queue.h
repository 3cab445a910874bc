/* A fair queue of the processes that write one file.
 *
 * SQLite lets one connection write at a time and makes the others retry
 * in its busy handler, sleeping longer the longer they have waited (up to
 * 100 ms at a time). Under many writers the lock goes to whoever looks in
 * the moment between one commit and the next BEGIN, so one that has
 * waited a while looks too seldom to win: with 32 writers on one file
 * some waited past the 5 s timeout and were told "busy" while the others
 * committed thousands of times. Writers that take their turn here first
 * sleep in the kernel until the one before them leaves, in the order they
 * came (README, Benchmarks).
 *
 * The queue is a robust process-shared mutex in a small file beside the
 * database (PATH-writers): a writer killed in its turn hands the turn on
 * (its transaction is SQLite's to roll back). Where that file cannot be
 * made, writers only have SQLite's own wait, which is correct, just not
 * fair. */
#ifndef KIOSK_CORE_WRITER_QUEUE_H
#define KIOSK_CORE_WRITER_QUEUE_H

struct writer_queue;

/* The queue of the database file at path; NULL where it cannot be made
 * (a read-only folder, no memory). The file takes the database's mode. */
struct writer_queue *writer_queue_open(const char *path);
void writer_queue_close(struct writer_queue *q);

/* Wait up to ms for this writer's turn: 0, or -1 when the time ran out.
 * One thread's turn: leave from the thread that entered. */
int writer_queue_enter(struct writer_queue *q, int ms);
void writer_queue_leave(struct writer_queue *q);

#endif
