/* The contact purge (purge.h). */
#include "services/purge.h"

#include "store/store.h"

#define DEFAULT_RETENTION_DAYS 30
#define MAX_RETENTION_DAYS 3650

int purge_cutoff(const struct kiosk_config *cfg, struct kiosk_time now, long *days,
		 struct kiosk_time *cutoff, struct kiosk_why *why)
{
	int rc = config_int(cfg, "privacy", "contact_retention_days", DEFAULT_RETENTION_DAYS, 0,
			    MAX_RETENTION_DAYS, days, why);
	if (rc)
		return rc;
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
