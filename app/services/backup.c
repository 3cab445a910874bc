/* A backup of a kiosk's own database (backup.h). The copy is written under
 * a name of its own beside dest (mkstemp: owner-only, since it holds
 * customers' contacts), checked and flushed by the store, then renamed over
 * dest and the folder flushed, so a power cut leaves the old backup or the
 * new one. What dest may be is checked first and nothing is written when it
 * is refused. */
#include "services/backup.h"

#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "store/store.h"

/* dest may be written: absent, or an SQLite file that is not the database. */
static int dest_allowed(const char *db_path, const char *dest, struct kiosk_why *why)
{
	struct stat d, db;
	if (lstat(dest, &d)) {
		if (errno == ENOENT)
			return 0;
		return kiosk_fail(why, KIOSK_EIO, "%s cannot be looked at: %s.", dest, strerror(errno));
	}
	if (!S_ISREG(d.st_mode))
		return kiosk_fail(why, KIOSK_EINVAL, "%s is not a file; give the backup a file name.",
				  dest);
	if (!stat(db_path, &db) && db.st_dev == d.st_dev && db.st_ino == d.st_ino)
		return kiosk_fail(why, KIOSK_EINVAL,
				  "%s is the database itself; give the backup another name.", dest);
	static const char magic[16] = "SQLite format 3";
	char head[16] = {0};
	FILE *f = fopen(dest, "rb");
	size_t n = f ? fread(head, 1, sizeof head, f) : 0;
	if (f)
		fclose(f);
	if (n != sizeof head || memcmp(head, magic, sizeof magic))
		return kiosk_fail(why, KIOSK_EINVAL,
				  "%s is there already and is not a database backup; the backup does "
				  "not write over it.",
				  dest);
	return 0;
}

/* Flush the folder that holds path, so a rename in it lasts. */
static int flush_folder(const char *path)
{
	char dir[4096];
	snprintf(dir, sizeof dir, "%s", path);
	char *slash = strrchr(dir, '/');
	if (!slash)
		snprintf(dir, sizeof dir, ".");
	else if (slash == dir)
		dir[1] = '\0';
	else
		*slash = '\0';
	int fd = open(dir, O_RDONLY | O_DIRECTORY | O_CLOEXEC);
	int rc = fd < 0 || fsync(fd) ? -1 : 0;
	int saved = errno;
	if (fd >= 0)
		close(fd);
	errno = saved;
	return rc;
}

int backup_database(struct store *s, const char *db_path, const char *dest, int64_t *bytes,
		    struct kiosk_why *why)
{
	*bytes = 0;
	if (store_is_shared(s))
		return store_backup(s, dest, why); /* says where such a database is backed up */
	if (!dest || !*dest)
		return kiosk_fail(why, KIOSK_EINVAL, "No file was named for the backup.");
	int rc = dest_allowed(db_path, dest, why);
	if (rc)
		return rc;
	char tmp[4096];
	if (snprintf(tmp, sizeof tmp, "%s.XXXXXX", dest) >= (int)sizeof tmp)
		return kiosk_fail(why, KIOSK_EINVAL, "The backup's file name is too long.");
	int fd = mkstemp(tmp);
	if (fd < 0)
		return kiosk_fail(why, KIOSK_EIO, "The backup cannot be written beside %s: %s.", dest,
				  strerror(errno));
	close(fd);
	struct stat st;
	if ((rc = store_backup(s, tmp, why)))
		goto fail;
	if (stat(tmp, &st) || rename(tmp, dest)) {
		rc = kiosk_fail(why, KIOSK_EIO, "The backup could not be put in place as %s: %s.", dest,
				strerror(errno));
		goto fail;
	}
	if (flush_folder(dest))
		return kiosk_fail(why, KIOSK_EIO,
				  "The backup is in place as %s, but its folder could not be written to "
				  "the disk: %s.",
				  dest, strerror(errno));
	*bytes = st.st_size;
	return 0;
fail:
	unlink(tmp);
	return rc;
}
