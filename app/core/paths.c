/* Asset and data locations. */
#include "core/paths.h"

#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

const char *paths_assets_dir(void)
{
	const char *env = getenv("KIOSK_ASSETS");
	return env && *env ? env : KIOSK_SOURCE_ASSETS;
}

int paths_make_parent(const char *path, struct kiosk_why *why)
{
	char buf[4096];
	snprintf(buf, sizeof buf, "%s", path);
	char *slash = strrchr(buf, '/');
	if (!slash || slash == buf)
		return 0;
	*slash = 0;
	for (char *p = buf + 1; *p; p++) {
		if (*p != '/')
			continue;
		*p = 0;
		if (mkdir(buf, 0700) && errno != EEXIST)
			return kiosk_fail(why, KIOSK_EIO, "cannot create folder %s: %s", buf, strerror(errno));
		*p = '/';
	}
	if (mkdir(buf, 0700) && errno != EEXIST)
		return kiosk_fail(why, KIOSK_EIO, "cannot create folder %s: %s", buf, strerror(errno));
	return 0;
}

int paths_default_db(char *buf, size_t len, struct kiosk_why *why)
{
	const char *xdg = getenv("XDG_DATA_HOME");
	const char *home = getenv("HOME");
	if (xdg && *xdg)
		snprintf(buf, len, "%s/kiosk/kiosk.db", xdg);
	else if (home && *home)
		snprintf(buf, len, "%s/.local/share/kiosk/kiosk.db", home);
	else
		return kiosk_fail(why, KIOSK_EINVAL, "neither XDG_DATA_HOME nor HOME is set; give --db PATH");
	return paths_make_parent(buf, why);
}
