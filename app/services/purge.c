/* The contact purge (purge.h). */
#include "services/purge.h"

#include "store/store.h"

#define DEFAULT_RETENTION_DAYS 30
#define MAX_RETENTION_DAYS 3650

int purge_cutoff(const struct kiosk_config *cfg, struct kiosk_time now, long *days,
		 struct kiosk_time *cutoff, struct kiosk_why *why)
{
	*days = config_get_int(cfg, "privacy", "contact_retention_days", DEFAULT_RETENTION_DAYS);
	if (*days < 0 || *days > MAX_RETENTION_DAYS)
		return kiosk_fail(why, KIOSK_EINVAL,
				  "[privacy] contact_retention_days must be 0 to %d days, not %ld.",
				  MAX_RETENTION_DAYS, *days);
	cutoff->unix_s = now.unix_s - (int64_t)*days * 86400;
	cutoff->offset_min = now.offset_min;
	return 0;
}

int purge_contacts(struct store *s, const struct kiosk_config *cfg, struct kiosk_time now,
		   int *n, struct kiosk_why *why)
{
	long days;
	struct kiosk_time cutoff;
	*n = 0;
	int rc = purge_cutoff(cfg, now, &days, &cutoff, why);
	return rc ? rc : store_purge_contacts_at(s, cutoff, now, n, why);
}
