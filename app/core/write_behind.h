/* Write-behind for a long write: while it runs, a thread asks the kernel
 * every 50 ms to start writing the files' dirty pages (sync_file_range),
 * so the fsync at the end finds little left to write. Makes nothing
 * durable by itself; the writer still flushes. */
#ifndef KIOSK_CORE_WRITE_BEHIND_H
#define KIOSK_CORE_WRITE_BEHIND_H

struct write_behind;

/* Start on the n files at paths (those that cannot be opened are left
 * out). NULL when nothing could be started: the write goes on without. */
struct write_behind *write_behind_start(const char *const *paths, int n);

/* Stop the thread and close the files; NULL is fine. */
void write_behind_stop(struct write_behind *wb);

#endif
