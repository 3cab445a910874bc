/* bench_scan: how fast scan_parse reads what customers scan.
 *
 *   bench_scan [--seconds S] [--no-install] [--no-peer]
 *
 * Prints MRZ parses per second (ICAO specimens and built documents, TD1,
 * TD2, TD3, with the separators scanners use) and classifications per
 * second over a mix of every kind, valid and refused. Where node is
 * installed, the same MRZ inputs go through the npm package "mrz"
 * (tests/bench/mrz_peer.js) in the same run and the ratio is printed.
 * A benchmark prints figures; it asserts nothing about time. */
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>
#include "core/date.h"
#include "domain/scan.h"

static const char *const mrz_inputs[] = {
	"P<UTOERIKSSON<<ANNA<MARIA<<<<<<<<<<<<<<<<<<<\nL898902C36UTO7408122F1204159ZE184226B<<<<<10",
	"I<UTOD231458907<<<<<<<<<<<<<<<\n7408122F1204159UTO<<<<<<<<<<<6\nERIKSSON<<ANNA<MARIA<<<<<<<<<<",
	"I<UTOERIKSSON<<ANNA<MARIA<<<<<<<<<<<\nD231458907UTO7408122F1204159<<<<<<<6",
	"I<SWEAB123456718112289874<<<<<\r\n8112288M3001019SWE<<<<<<<<<<<6\r\nSVENSSON<<LARS<ERIK<<<<<<<<<<<",
	"P<D<<MUSTERMANN<<ERIKA<<<<<<<<<<<<<<<<<<<<<<\nC01X00T478D<<6408125F2702283<<<<<<<<<<<<<<<4",
	"I<UTOD23145890<12341<<<<<<<<<<\n7408122F4604152UTO<<<<<<<<<<<0\nERIKSSON<<ANNA<MARIA<<<<<<<<<<",
	"P<SWEANDERSSON<<KARIN<MARIA<SOFIA<<<<<<<<<<<\n91234567<9SWE5506079F29060705506071231<<<<22",
	"P<NORHANSEN<<OLA<<<<<<<<<<<<<<<<<<<<<<<<<<<<\n1234567897NOR8001014M2611239<<<<<<<<<<<<<<<2",
};

/* What a kiosk sees in a day: mostly receipts and products, some ID
 * documents and the kiosk's own codes, and junk. */
static const char *const mix_inputs[] = {
	"RS004200320261122001234",
	"RS004200320261322001234",
	"4006381333931",
	"036000291452",
	"96385074",
	"4006381333932",
	"KC1:K-000123:9f3a6b2c1d4e5f60",
	"KS1:S001",
	"P<UTOERIKSSON<<ANNA<MARIA<<<<<<<<<<<<<<<<<<<\nL898902C36UTO7408122F1204159ZE184226B<<<<<10",
	"I<SWEAB123456718112289874<<<<<\r\n8112288M3001019SWE<<<<<<<<<<<6\r\nSVENSSON<<LARS<ERIK<<<<<<<<<<<",
	"@\n\x1e\rANSI 636014080001DL00310063DLDAQD1234562\nDCSPUBLIC\nDACJOHN\nDBB01231970\nDBA08232030\nDCGUSA\r",
	"https://example.com/return?id=42",
	"\x1b[31mRED",
	"Hej d\xc3\xa5",
};

#define N_MRZ (sizeof(mrz_inputs) / sizeof(mrz_inputs[0]))
#define N_MIX (sizeof(mix_inputs) / sizeof(mix_inputs[0]))

static double now_s(void)
{
	struct timespec ts;
	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (double)ts.tv_sec + (double)ts.tv_nsec / 1e9;
}

/* Parse the inputs in passes until `seconds` have gone by; returns parses
 * per second and the number of valid results in the last pass. */
static double run(const char *const *inputs, size_t n, double seconds, int *valid)
{
	static const struct receipt_code_layout layout = {"RS", 4, 3, 6};
	const int64_t today = date_days_from_civil(2026, 11, 23);
	size_t lens[32];
	for (size_t i = 0; i < n; i++)
		lens[i] = strlen(inputs[i]);
	struct scan_result r;
	long parses = 0;
	double t0 = now_s(), t;
	do {
		*valid = 0;
		for (size_t i = 0; i < n; i++) {
			scan_parse((const uint8_t *)inputs[i], lens[i], &layout, today, &r);
			*valid += r.valid;
		}
		parses += (long)n;
	} while ((t = now_s() - t0) < seconds);
	return (double)parses / t;
}

/* One JSON array of lines per document, for the node peer. */
static int write_inputs(const char *path)
{
	FILE *f = fopen(path, "w");
	if (!f)
		return -1;
	for (size_t i = 0; i < N_MRZ; i++) {
		fputs("[\"", f);
		for (const char *p = mrz_inputs[i]; *p; p++) {
			if (*p == '\r')
				continue;
			fputs(*p == '\n' ? "\",\"" : (char[2]){*p, 0}, f);
		}
		fputs("\"]\n", f);
	}
	return fclose(f);
}

static double run_peer(const char *dir, double seconds, bool install, int *valid)
{
	char cmd[1024], path[] = "/tmp/bench_scan_XXXXXX";
	if (system("command -v node >/dev/null 2>&1") != 0) {
		printf("peer            node not installed: no comparison\n");
		return 0;
	}
	snprintf(cmd, sizeof(cmd), "test -d '%s/node_modules/mrz'", dir);
	if (system(cmd) != 0) {
		if (!install) {
			printf("peer            npm package mrz not installed (--no-install): no comparison\n");
			return 0;
		}
		snprintf(cmd, sizeof(cmd),
			 "npm install --prefix '%s' --no-audit --no-fund --silent >/dev/null 2>&1", dir);
		if (system(cmd) != 0) {
			printf("peer            npm install failed: no comparison\n");
			return 0;
		}
	}
	int fd = mkstemp(path);
	if (fd >= 0)
		close(fd);
	if (fd < 0 || write_inputs(path)) {
		printf("peer            could not write the inputs: no comparison\n");
		return 0;
	}
	snprintf(cmd, sizeof(cmd), "node '%s/mrz_peer.js' '%s' %.3f", dir, path, seconds);
	FILE *p = popen(cmd, "r");
	double rate = 0;
	if (p) {
		char line[256];
		while (fgets(line, sizeof(line), p))
			if (sscanf(line, "parses_per_s=%lf valid=%d", &rate, valid) == 2)
				break;
		pclose(p);
	}
	unlink(path);
	if (rate <= 0)
		printf("peer            mrz_peer.js gave no figure: no comparison\n");
	return rate;
}

int main(int argc, char **argv)
{
	double seconds = 1.0;
	bool install = true, peer = true;
	for (int i = 1; i < argc; i++) {
		if (!strcmp(argv[i], "--seconds") && i + 1 < argc) {
			seconds = atof(argv[++i]);
		} else if (!strcmp(argv[i], "--no-install")) {
			install = false;
		} else if (!strcmp(argv[i], "--no-peer")) {
			peer = false;
		} else {
			fprintf(stderr, "usage: bench_scan [--seconds S] [--no-install] [--no-peer]\n");
			return 2;
		}
	}
	int valid_mrz, valid_mix, valid_peer = 0;
	double mrz = run(mrz_inputs, N_MRZ, seconds, &valid_mrz);
	double mix = run(mix_inputs, N_MIX, seconds, &valid_mix);
	printf("kiosk scan_parse  MRZ parses/s       %12.0f  (%zu documents, %d valid)\n", mrz, N_MRZ,
	       valid_mrz);
	printf("kiosk scan_parse  classifications/s  %12.0f  (%zu payloads, %d valid)\n", mix, N_MIX,
	       valid_mix);
	if (valid_mrz != (int)N_MRZ) {
		fprintf(stderr, "bench_scan: %d of %zu MRZ inputs did not parse\n", valid_mrz, N_MRZ);
		return 1;
	}
	if (!peer)
		return 0;
	double other = run_peer(KIOSK_BENCH_DIR, seconds, install, &valid_peer);
	if (other > 0) {
		printf("npm mrz parse()   MRZ parses/s       %12.0f  (same %zu documents, %d valid)\n",
		       other, N_MRZ, valid_peer);
		printf("ratio             kiosk / npm mrz    %12.1fx\n", mrz / other);
	}
	return 0;
}
