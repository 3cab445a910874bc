/* A small probe for the printer's end-to-end and umockdev tests:
 *
 *   printer_tool sample OUT [sv|en] [80|58] [fault]  a sample case's receipt bytes
 *   printer_tool code OUT qr|code128 DATA [dots]  a receipt holding just one code
 *   printer_tool render IN PNG [dots]        bytes -> PNG (printer_render_png)
 *   printer_tool print SPEC FILE             print FILE's bytes on SPEC
 *   printer_tool status SPEC                 print the DLE EOT status
 *   printer_tool make-case DB [sv|en]        store the sample case, print its id
 *   printer_tool check-token DB CASE TOKEN   does the store accept this code?
 *
 * Results go to stdout as one line; failures as "error: <reason>" with
 * exit 1, so a test can assert the exact sentence. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "core/config.h"
#include "core/paths.h"
#include "domain/case_receipt.h"
#include "drivers/printer.h"
#include "services/receipt_print.h"
#include "store/store.h"
#include "sample_case.h"

static int fail(const struct kiosk_why *why)
{
	printf("error: %s\n", why->text);
	return 1;
}

static int read_all(const char *path, uint8_t **out, size_t *len)
{
	FILE *f = fopen(path, "rb");
	if (!f)
		return -1;
	size_t cap = 1 << 16, n = 0;
	uint8_t *b = malloc(cap);
	size_t r;
	while (b && (r = fread(b + n, 1, cap - n, f)) > 0) {
		n += r;
		if (n == cap) {
			uint8_t *nb = realloc(b, cap *= 2);
			if (!nb) {
				free(b);
				b = NULL;
			}
			b = nb;
		}
	}
	fclose(f);
	*out = b;
	*len = n;
	return b ? 0 : -1;
}

static int cmd_sample(int argc, char **argv)
{
	const char *lang = argc > 3 ? argv[3] : "sv";
	const char *mm = argc > 4 ? argv[4] : "80";
	struct kiosk_why why = {""};
	struct kiosk_config cfg = {0};
	char ini[64];
	snprintf(ini, sizeof(ini), "[printer]\npaper_mm = %s\n", mm);
	int dots, rc;
	if ((rc = config_load(&cfg, paths_assets_dir(), NULL, &why)) ||
	    (rc = config_read_string(&cfg, ini, &why)) ||
	    (rc = receipt_paper_dots(&cfg, &dots, &why)))
		return fail(&why);
	struct case_record c;
	bool fault = argc > 5 && !strcmp(argv[5], "fault");
	if (fault)
		sample_fault_case(&c, lang);
	else
		sample_case(&c, lang);
	struct escpos e;
	rc = receipt_print_encode(&c, &cfg, paths_assets_dir(), SAMPLE_TOKEN, dots, NULL, &e, &why);
	config_destroy(&cfg);
	if (rc)
		return fail(&why);
	FILE *f = fopen(argv[2], "wb");
	bool ok = f && fwrite(e.data, 1, e.len, f) == e.len;
	if (f && fclose(f))
		ok = false;
	escpos_free(&e);
	if (!ok) {
		printf("error: cannot write %s\n", argv[2]);
		return 1;
	}
	printf("KC1:%s:%s\n", c.case_id, SAMPLE_TOKEN);
	return 0;
}

static int cmd_code(int argc, char **argv)
{
	struct receipt_doc d;
	receipt_doc_init(&d, argc > 5 ? atoi(argv[5]) : 576);
	struct kiosk_why why = {""};
	struct escpos e;
	int rc = receipt_doc_code(&d, strcmp(argv[3], "qr") ? DOC_CODE128 : DOC_QR, argv[4]);
	if (!rc)
		rc = escpos_encode_doc(&d, &e, &why);
	receipt_doc_free(&d);
	if (rc)
		return fail(&why);
	FILE *f = fopen(argv[2], "wb");
	bool ok = f && fwrite(e.data, 1, e.len, f) == e.len;
	if (f && fclose(f))
		ok = false;
	escpos_free(&e);
	if (!ok) {
		printf("error: cannot write %s\n", argv[2]);
		return 1;
	}
	printf("ok\n");
	return 0;
}

static int cmd_render(int argc, char **argv)
{
	uint8_t *b;
	size_t n;
	if (read_all(argv[2], &b, &n)) {
		printf("error: cannot read %s\n", argv[2]);
		return 1;
	}
	struct kiosk_why why = {""};
	int rc = printer_render_png(b, n, argc > 4 ? atoi(argv[4]) : 576, argv[3], &why);
	free(b);
	if (rc)
		return fail(&why);
	printf("ok\n");
	return 0;
}

static int cmd_print(int argc, char **argv)
{
	uint8_t *b;
	size_t n;
	if (read_all(argv[3], &b, &n)) {
		printf("error: cannot read %s\n", argv[3]);
		return 1;
	}
	struct printer *p;
	struct kiosk_why why = {""};
	int rc = printer_create(&p, argv[2], 576, &why);
	if (!rc) {
		rc = printer_print(p, b, n, &why);
		if (!rc) {
			struct printer_status st;
			printer_last_status(p, &st);
			printf("printed %zu bytes on %s%s\n", n, printer_kind(p),
			       st.paper_near_end ? " (paper near end)" : "");
		}
		printer_destroy(p);
	}
	free(b);
	return rc ? fail(&why) : 0;
}

static int cmd_status(int argc, char **argv)
{
	struct printer *p;
	struct kiosk_why why = {""};
	int rc = printer_create(&p, argv[2], 576, &why);
	if (rc)
		return fail(&why);
	struct printer_status st;
	rc = printer_status(p, &st, &why);
	if (!rc) {
		const char *problem = printer_status_problem(&st);
		printf("%s known=%d online=%d paper_out=%d near_end=%d cover_open=%d: %s\n",
		       printer_kind(p), st.known, st.online, st.paper_out, st.paper_near_end,
		       st.cover_open, problem ? problem : "ready");
	}
	printer_destroy(p);
	return rc ? fail(&why) : 0;
}

static int cmd_make_case(int argc, char **argv)
{
	struct store *s;
	struct kiosk_why why = {""};
	if (store_open(&s, argv[2], &why))
		return fail(&why);
	struct case_record c;
	sample_case(&c, argc > 3 ? argv[3] : "sv");
	c.receipt_id[0] = 0;        /* no imported receipt behind it */
	c.lines[0].receipt_line = 0;
	int rc = store_case_create(s, &c, SAMPLE_TOKEN, c.created_at, "kiosk", &why);
	store_close(s);
	if (rc)
		return fail(&why);
	printf("%s\n", c.case_id);
	return 0;
}

static int cmd_check_token(int argc, char **argv)
{
	struct store *s;
	struct kiosk_why why = {""};
	if (store_open(&s, argv[2], &why))
		return fail(&why);
	int rc = store_case_check_token(s, argv[3], argv[4], &why);
	store_close(s);
	if (rc)
		return fail(&why);
	printf("ok\n");
	return 0;
}

int main(int argc, char **argv)
{
	static const struct {
		const char *name;
		int min_args;
		int (*fn)(int, char **);
	} cmds[] = {
		{"sample", 3, cmd_sample},   {"render", 4, cmd_render},
		{"code", 5, cmd_code},
		{"print", 4, cmd_print},     {"status", 3, cmd_status},
		{"make-case", 3, cmd_make_case}, {"check-token", 5, cmd_check_token},
	};
	for (size_t i = 0; argc > 1 && i < sizeof(cmds) / sizeof(cmds[0]); i++)
		if (!strcmp(argv[1], cmds[i].name))
			return argc < cmds[i].min_args ? 2 : cmds[i].fn(argc, argv);
	fprintf(stderr, "usage: printer_tool sample|code|render|print|status|make-case|check-token ...\n");
	return 2;
}
