/* bench_receipt: how long the kiosk takes to turn a case into the ESC/POS
 * bytes of its receipt (layout, code page, zint QR, raster), and how many
 * bytes that is. Where node is installed, the same receipt (the same lines,
 * styles and QR bitmap) goes through @point-of-sale/receipt-printer-encoder
 * in the same run, and the ratios are printed.
 *
 *   bench_receipt [--iterations N] [--no-peer] [--no-install]
 *
 * The peer gets the lines already wrapped and the QR already drawn, so its
 * time leaves out work the kiosk's time includes: the ratio is a lower
 * bound. Figures only; nothing here asserts on time. */
#define _POSIX_C_SOURCE 200809L
#include <cjson/cJSON.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#include "core/config.h"
#include "core/i18n.h"
#include "core/paths.h"
#include "domain/case_receipt.h"
#include "drivers/escpos.h"
#include "drivers/raster.h"
#include "sample_case.h"

static double now_us(void)
{
	struct timespec ts;
	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (double)ts.tv_sec * 1e6 + (double)ts.tv_nsec / 1e3;
}

/* One receipt from the case, as the service does it (minus the store). */
static int encode_once(const struct case_record *c, const struct kiosk_config *cfg,
		       const struct i18n *t, struct receipt_doc *doc, struct escpos *e)
{
	struct kiosk_why why;
	int rc = case_receipt_build(c, cfg, t, 576, SAMPLE_CODE, NULL, doc, &why);
	if (!rc)
		rc = escpos_encode_doc(doc, e, &why);
	if (rc)
		fprintf(stderr, "bench_receipt: %s\n", why.text);
	return rc;
}

/* The document and its QR bitmap as JSON for the peer script. */
static int export_doc(const struct receipt_doc *d, const char *path)
{
	cJSON *root = cJSON_CreateObject();
	cJSON *items = cJSON_AddArrayToObject(root, "items");
	static const char *const align[] = {"left", "center", "right"};
	for (int i = 0; i < d->n; i++) {
		const struct doc_item *it = &d->items[i];
		cJSON *o = cJSON_CreateObject();
		cJSON_AddItemToArray(items, o);
		if (it->kind == DOC_TEXT) {
			cJSON_AddStringToObject(o, "text", it->text);
			cJSON_AddStringToObject(o, "align", align[it->align]);
			cJSON_AddBoolToObject(o, "bold", it->bold);
			cJSON_AddNumberToObject(o, "size", it->dbl ? 2 : 1);
		} else if (it->kind == DOC_FEED) {
			cJSON_AddNumberToObject(o, "feed", it->feed);
		} else {
			struct raster r;
			struct kiosk_why why;
			if (raster_code(&r, RASTER_QR, it->text, d->paper_dots, &why))
				return -1;
			cJSON_AddNumberToObject(o, "width", r.width);
			cJSON_AddNumberToObject(o, "height", r.height);
			char *hex = malloc((size_t)r.stride * (size_t)r.height * 2 + 1);
			for (int k = 0; k < r.stride * r.height; k++)
				sprintf(hex + 2 * k, "%02x", r.bits[k]);
			cJSON_AddStringToObject(o, "bits", hex);
			free(hex);
			raster_free(&r);
		}
	}
	char *s = cJSON_PrintUnformatted(root);
	cJSON_Delete(root);
	FILE *f = fopen(path, "w");
	int rc = f && fputs(s, f) >= 0 ? 0 : -1;
	if (f && fclose(f))
		rc = -1;
	free(s);
	return rc;
}

static int have_node(void)
{
	return system("command -v node >/dev/null 2>&1") == 0;
}

int main(int argc, char **argv)
{
	long iterations = 2000;
	int peer = 1, install = 1;
	for (int i = 1; i < argc; i++) {
		if (!strcmp(argv[i], "--iterations") && i + 1 < argc)
			iterations = atol(argv[++i]);
		else if (!strcmp(argv[i], "--no-peer"))
			peer = 0;
		else if (!strcmp(argv[i], "--no-install"))
			install = 0;
		else {
			fprintf(stderr, "usage: bench_receipt [--iterations N] [--no-peer] [--no-install]\n");
			return 2;
		}
	}
	if (iterations < 1)
		iterations = 1;
	const char *assets = paths_assets_dir();
	struct kiosk_config cfg = {0};
	struct kiosk_why why;
	struct i18n *t;
	if (config_load(&cfg, assets, NULL, &why) || i18n_create(&t, assets, "sv", &why)) {
		fprintf(stderr, "bench_receipt: %s\n", why.text);
		return 1;
	}
	struct case_record c;
	sample_case(&c, "sv");

	struct receipt_doc doc;
	struct escpos e;
	if (encode_once(&c, &cfg, t, &doc, &e))
		return 1;
	size_t bytes = e.len;
	escpos_free(&e);
	receipt_doc_free(&doc);
	double t0 = now_us();
	for (long i = 0; i < iterations; i++) {
		if (encode_once(&c, &cfg, t, &doc, &e))
			return 1;
		escpos_free(&e);
		receipt_doc_free(&doc);
	}
	double us = (now_us() - t0) / (double)iterations;
	printf("kiosk  case receipt (sv, 80 mm, QR raster): %zu bytes, %.1f us/receipt "
	       "(%ld iterations)\n", bytes, us, iterations);

	int rc = 0;
	if (peer && have_node()) {
		/* the peer package lives in tests/bench/node_modules, never the product */
		char dir[1024], cmd[4096], json[] = "/tmp/kiosk-bench-receipt-XXXXXX";
		snprintf(dir, sizeof(dir), "%s", KIOSK_BENCH_DIR);
		snprintf(cmd, sizeof(cmd), "test -d '%s/node_modules/@point-of-sale/receipt-printer-encoder'",
			 dir);
		if (system(cmd) != 0 && install) {
			snprintf(cmd, sizeof(cmd),
				 "npm install --prefix '%s' --no-audit --no-fund --silent >/dev/null 2>&1", dir);
			if (system(cmd) != 0)
				printf("peer   npm install failed: no comparison\n");
		}
		int fd = mkstemp(json);
		encode_once(&c, &cfg, t, &doc, &e);
		escpos_free(&e);
		if (fd < 0 || export_doc(&doc, json)) {
			fprintf(stderr, "bench_receipt: cannot write %s\n", json);
			rc = 1;
		} else {
			snprintf(cmd, sizeof(cmd), "node '%s/receipt_peer.mjs' '%s' %ld", dir, json,
				 iterations);
			FILE *p = popen(cmd, "r");
			size_t pbytes = 0;
			double pus = 0;
			if (p && fscanf(p, "%zu %lf", &pbytes, &pus) == 2) {
				printf("peer   @point-of-sale/receipt-printer-encoder, same lines + QR bitmap: "
				       "%zu bytes, %.1f us/receipt\n", pbytes, pus);
				printf("ratio  bytes kiosk/peer %.2f, speed peer/kiosk %.1fx\n",
				       (double)bytes / (double)pbytes, pus / us);
			} else {
				printf("peer   not available (node_modules missing?): no comparison\n");
			}
			if (p)
				pclose(p);
		}
		receipt_doc_free(&doc);
		if (fd >= 0) {
			close(fd);
			unlink(json);
		}
	} else if (peer) {
		printf("peer   node not installed: no comparison\n");
	}
	i18n_destroy(t);
	config_destroy(&cfg);
	return rc;
}
