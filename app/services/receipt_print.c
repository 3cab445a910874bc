/* Case receipt printing: store -> layout -> ESC/POS -> printer -> store. */
#include "services/receipt_print.h"

#include <sodium.h>
#include <stdio.h>
#include <string.h>

#include "core/i18n.h"
#include "domain/case_receipt.h"
#include "domain/scan.h"
#include "services/case_register.h"
#include "store/store.h"

int receipt_print_encode(const struct case_record *c, const struct kiosk_config *cfg,
			 const char *assets_dir, const char *token_hex, int paper_dots,
			 const struct kiosk_time *reprinted_at, struct escpos *out,
			 struct kiosk_why *why)
{
	char code[96];
	if (scan_format_case_code(code, sizeof(code), c->case_id, token_hex))
		return kiosk_fail(why, KIOSK_EINVAL, "Case %s has no printable case code.", c->case_id);
	struct i18n *t;
	int rc = i18n_create(&t, assets_dir, c->lang[0] ? c->lang : cfg->lang, why);
	if (rc)
		return rc;
	struct receipt_doc doc;
	rc = case_receipt_build(c, cfg, t, paper_dots, code, reprinted_at, &doc, why);
	if (!rc)
		rc = escpos_encode_doc(&doc, out, why);
	receipt_doc_free(&doc);
	i18n_destroy(t);
	return rc;
}

int receipt_print_case(struct store *s, struct printer *p, const struct kiosk_config *cfg,
		       const char *assets_dir, const char *case_id, const char *token_hex,
		       struct kiosk_time now, struct kiosk_why *why)
{
	struct kiosk_why local;
	if (!why)
		why = &local; /* the print's reason is recorded even if nobody asks */
	struct case_record c;
	memset(&c, 0, sizeof(c));
	int rc = store_case_get(s, case_id, time_local_days(now), &c, why);
	if (rc)
		return rc;
	char fresh[CASE_TOKEN_HEX + 1] = "";
	const struct kiosk_time *reprinted_at = token_hex ? NULL : &now;
	if (!token_hex) {
		if ((rc = case_token_new(fresh, why)) ||
		    (rc = store_case_stage_token(s, c.case_id, fresh, why)))
			goto out;
		token_hex = fresh;
	}
	struct escpos bytes;
	rc = receipt_print_encode(&c, cfg, assets_dir, token_hex, printer_paper_dots(p),
				  reprinted_at, &bytes, why);
	if (!rc) {
		rc = printer_print(p, bytes.data, bytes.len, why);
		escpos_free(&bytes);
	}
	/* Record the outcome either way; a failure to record a failure keeps
	 * the print's reason, which is what the person at the kiosk needs. */
	struct kiosk_why rec_why;
	int rec = store_case_set_printed(s, c.case_id, rc == 0, now, rc ? why->text : NULL,
					 &rec_why);
	if (!rc && rec) {
		rc = rec;
		*why = rec_why;
	}
out:
	sodium_memzero(fresh, sizeof(fresh));
	case_record_free(&c);
	return rc;
}

void receipt_print_unreachable(struct store *s, const char *case_id, const char *reason,
			       struct kiosk_time now)
{
	struct kiosk_why ignore;
	store_case_set_printed(s, case_id, false, now, reason, &ignore);
}
