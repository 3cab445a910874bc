/* AAMVA PDF417 reader (AAMVA DL/ID Card Design Standard, versions 1-10).
 *
 * Layout: "@" LF RS CR, "ANSI ", issuer identification number (6 digits),
 * AAMVA version (2), jurisdiction version (2, from version 2 on), number
 * of entries (2), then one 10-byte designator per subfile: type (2),
 * offset (4) and length (4) from the start of the data. A subfile repeats
 * its type, then elements "IDvalue" separated by LF, ended by CR.
 *
 * Dates: version 1 writes CCYYMMDD; from version 2 on the U.S. writes
 * MMDDCCYY and Canada CCYYMMDD. */
#include <string.h>
#include "core/date.h"
#include "core/err.h"
#include "domain/aamva.h"
#include "domain/scan_private.h"

static const char compliance[4] = {'@', '\n', 0x1e, '\r'};
static const char file_type[5] = {'A', 'N', 'S', 'I', ' '};

#define AAMVA_VERSION_MAX 10

/* DCG values seen on cards and the ISO 3166 alpha-3 they mean. */
static const struct {
	const char *dcg, *iso;
} countries[] = {
	{"USA", "USA"}, {"US", "USA"}, {"CAN", "CAN"}, {"CA", "CAN"}, {"MEX", "MEX"}, {"MX", "MEX"},
};

/* Canadian jurisdictions (DAJ), for cards without DCG (versions 1-2). */
static const char *const canadian[] = {"AB", "BC", "MB", "NB", "NL", "NS", "NT",
				       "NU", "ON", "PE", "QC", "SK", "YT"};

/* The elements this reader uses. */
enum { E_DAQ, E_DCS, E_DAB, E_DAC, E_DAD, E_DCT, E_DAA, E_DBB, E_DBA, E_DCG, E_DAJ, E_COUNT };
static const struct {
	const char *id, *what;
} elements[E_COUNT] = {
	[E_DAQ] = {"DAQ", "document number"}, [E_DCS] = {"DCS", "family name"},
	[E_DAB] = {"DAB", "family name"},     [E_DAC] = {"DAC", "first name"},
	[E_DAD] = {"DAD", "middle names"},    [E_DCT] = {"DCT", "given names"},
	[E_DAA] = {"DAA", "full name"},       [E_DBB] = {"DBB", "birth date"},
	[E_DBA] = {"DBA", "expiry date"},     [E_DCG] = {"DCG", "country"},
	[E_DAJ] = {"DAJ", "jurisdiction"},
};

struct aamva_value {
	const char *s;
	size_t n;
};

bool aamva_candidate(const uint8_t *data, size_t len)
{
	return len >= sizeof(compliance) && !memcmp(data, compliance, sizeof(compliance));
}

/* Collect the elements of one subfile body [p, end). */
static void read_elements(const char *p, const char *end, struct aamva_value *v)
{
	while (p < end && *p != '\r') {
		const char *e = p;
		while (e < end && *e != '\n' && *e != '\r')
			e++;
		if (e - p >= 3) {
			for (int k = 0; k < E_COUNT; k++)
				if (!memcmp(p, elements[k].id, 3) && !v[k].s) {
					v[k].s = p + 3;
					v[k].n = (size_t)(e - p - 3);
					while (v[k].n && v[k].s[v[k].n - 1] == ' ')
						v[k].n--;
				}
		}
		p = e < end && *e == '\n' ? e + 1 : e;
	}
}

static bool value_is(struct aamva_value v, const char *s)
{
	return v.s && v.n == strlen(s) && !memcmp(v.s, s, v.n);
}

/* Append v to dst (cap bytes) after a space when dst is not empty; ','
 * (the separator inside DAA and DCT) becomes a space. */
static bool append_words(char *dst, size_t cap, struct aamva_value v)
{
	size_t o = strlen(dst);
	if (!v.s || !v.n || value_is(v, "NONE") || value_is(v, "unavl"))
		return true;
	if (o && o + 1 < cap)
		dst[o++] = ' ';
	for (size_t i = 0; i < v.n; i++) {
		if (o + 1 >= cap)
			return false;
		char c = v.s[i] == ',' ? ' ' : v.s[i];
		if (c == ' ' && (o == 0 || dst[o - 1] == ' '))
			continue;
		dst[o++] = c;
	}
	while (o && dst[o - 1] == ' ')
		o--;
	dst[o] = '\0';
	return true;
}

static int parse_names(struct aamva_value *v, struct scan_id_document *out, char *err,
		       size_t errlen)
{
	struct aamva_value sur = v[E_DCS].s ? v[E_DCS] : v[E_DAB];
	bool ok = true;
	if (sur.s && sur.n) {
		ok = append_words(out->surname, sizeof(out->surname), sur);
		if (v[E_DAC].s)
			ok = ok && append_words(out->given_names, sizeof(out->given_names), v[E_DAC]) &&
			     append_words(out->given_names, sizeof(out->given_names), v[E_DAD]);
		else
			ok = ok && append_words(out->given_names, sizeof(out->given_names), v[E_DCT]);
	} else if (v[E_DAA].s && v[E_DAA].n) {
		/* Version 1: "FAMILY,FIRST,MIDDLE" in one element. */
		const char *comma = memchr(v[E_DAA].s, ',', v[E_DAA].n);
		size_t fn = comma ? (size_t)(comma - v[E_DAA].s) : v[E_DAA].n;
		struct aamva_value fam = {v[E_DAA].s, fn};
		ok = append_words(out->surname, sizeof(out->surname), fam);
		if (comma) {
			struct aamva_value rest = {comma + 1, v[E_DAA].n - fn - 1};
			ok = ok && append_words(out->given_names, sizeof(out->given_names), rest);
		}
	}
	if (!ok)
		return scan_fail(err, errlen, "A name on the AAMVA licence is too long.");
	if (!out->surname[0])
		return scan_fail(err, errlen, "The AAMVA licence has no family name (DCS).");
	return 0;
}

static int parse_issuer(struct aamva_value *v, struct scan_id_document *out, char *err,
			size_t errlen)
{
	const char *iso = "USA";
	if (v[E_DCG].s) {
		iso = NULL;
		for (size_t i = 0; i < sizeof(countries) / sizeof(countries[0]); i++)
			if (value_is(v[E_DCG], countries[i].dcg))
				iso = countries[i].iso;
		if (!iso)
			return scan_fail(err, errlen,
					 "The country (DCG) on the AAMVA licence is not USA, CAN or MEX.");
	} else {
		for (size_t i = 0; i < sizeof(canadian) / sizeof(canadian[0]); i++)
			if (value_is(v[E_DAJ], canadian[i]))
				iso = "CAN";
	}
	scan_copy(out->issuer, sizeof(out->issuer), iso, 3);
	return 0;
}

/* An 8-digit date in the order the version and country use. */
static int parse_date(struct aamva_value val, int k, bool ccyy_first, int64_t *days, char *err,
		      size_t errlen)
{
	const char *order = ccyy_first ? "CCYYMMDD" : "MMDDCCYY";
	long y = -1, m = -1, d = -1;
	if (!val.s)
		return scan_fail(err, errlen, "The AAMVA licence has no %s (%s).", elements[k].what,
				 elements[k].id);
	if (val.n == 8) {
		y = scan_digits(val.s + (ccyy_first ? 0 : 4), 4);
		m = scan_digits(val.s + (ccyy_first ? 4 : 0), 2);
		d = scan_digits(val.s + (ccyy_first ? 6 : 2), 2);
	}
	if (y < 0 || m < 0 || d < 0 || !date_valid((int)y, (int)m, (int)d))
		return scan_fail(err, errlen, "The %s (%s) on the AAMVA licence is not a real date in %s order.",
				 elements[k].what, elements[k].id, order);
	*days = date_days_from_civil((int)y, (int)m, (int)d);
	return 0;
}

/* Check the header and find the first DL or ID subfile's body. */
static int find_subfile(const char *s, size_t len, int *version, const char **body,
			const char **body_end, char *type, char *err, size_t errlen)
{
	if (len < 21 || memcmp(s + 4, file_type, sizeof(file_type)))
		return scan_fail(err, errlen, "The AAMVA header does not have the file type \"ANSI \".");
	if (scan_digits(s + 9, 6) < 0)
		return scan_fail(err, errlen, "The issuer identification number in the AAMVA header is "
				 "not 6 digits.");
	long ver = scan_digits(s + 15, 2);
	if (ver < 0 || ver > AAMVA_VERSION_MAX)
		return scan_fail(err, errlen, "The AAMVA version in the header is not 01 to %02d.",
				 AAMVA_VERSION_MAX);
	size_t at = ver >= 2 ? 19 : 17; /* version 2 added the jurisdiction version */
	long entries = scan_digits(s + at, 2);
	at += 2;
	if (entries < 1 || at + 10 * (size_t)entries > len)
		return scan_fail(err, errlen, "The number of subfiles in the AAMVA header does not fit "
				 "the data.");
	*version = (int)ver;
	for (long e = 0; e < entries; e++, at += 10) {
		const char *d = s + at;
		long off = scan_digits(d + 2, 4), n = scan_digits(d + 6, 4);
		if (d[0] < 'A' || d[0] > 'Z' || d[1] < 'A' || d[1] > 'Z' || off < 0 || n < 0)
			return scan_fail(err, errlen, "Subfile designator %ld of the AAMVA header is "
					 "malformed.", e + 1);
		if ((size_t)off + (size_t)n > len || n < 2)
			return scan_fail(err, errlen, "Subfile %ld lies outside the AAMVA data.", e + 1);
		if (memcmp(s + off, d, 2))
			return scan_fail(err, errlen, "Subfile %ld is not at the offset the AAMVA header "
					 "gives.", e + 1);
		if (!memcmp(d, "DL", 2) || !memcmp(d, "ID", 2)) {
			memcpy(type, d, 2);
			type[2] = '\0';
			*body = s + off + 2;
			*body_end = s + off + n;
			return 0;
		}
	}
	return scan_fail(err, errlen, "The AAMVA data has no DL or ID subfile.");
}

int aamva_parse(const uint8_t *data, size_t len, int64_t today, struct scan_id_document *out,
		char *err, size_t errlen)
{
	const char *s = (const char *)data;
	memset(out, 0, sizeof(*out));
	out->format = ID_AAMVA;
	/* After the compliance indicator only its element separator (LF) and
	 * segment terminator (CR) may appear; a trailing Tab is a scanner's
	 * suffix. */
	size_t end = len;
	while (end > 4 && s[end - 1] == '\t')
		end--;
	for (size_t i = 4; i < end; i++) {
		unsigned char c = (unsigned char)s[i];
		if ((c < 0x20 && c != '\n' && c != '\r') || c == 0x7f)
			return scan_fail(err, errlen, "The AAMVA data contains a control character at byte "
					 "%zu.", i + 1);
	}
	int version = 0;
	const char *body = NULL, *body_end = NULL;
	int rc = find_subfile(s, len, &version, &body, &body_end, out->document_type, err, errlen);
	if (rc)
		return rc;
	struct aamva_value v[E_COUNT] = {{0}};
	read_elements(body, body_end, v);
	if (!v[E_DAQ].s || !v[E_DAQ].n)
		return scan_fail(err, errlen, "The AAMVA licence has no document number (DAQ).");
	if (!scan_copy(out->document_number, sizeof(out->document_number), v[E_DAQ].s, v[E_DAQ].n))
		return scan_fail(err, errlen, "The document number (DAQ) on the AAMVA licence is too "
				 "long.");
	rc = parse_names(v, out, err, errlen);
	if (!rc)
		rc = parse_issuer(v, out, err, errlen);
	if (rc)
		return rc;
	bool ccyy_first = version < 2 || !strcmp(out->issuer, "CAN");
	rc = parse_date(v[E_DBB], E_DBB, ccyy_first, &out->birth_date, err, errlen);
	if (!rc)
		rc = parse_date(v[E_DBA], E_DBA, ccyy_first, &out->expiry_date, err, errlen);
	if (rc)
		return rc;
	if (out->birth_date > today)
		return scan_fail(err, errlen, "The birth date (DBB) on the AAMVA licence is in the "
				 "future.");
	out->expired = out->expiry_date < today;
	return 0;
}
