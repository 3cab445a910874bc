/* ICAO 9303 machine readable zones. The three layouts differ only in
 * where the fields sit, so one table (from Doc 9303 part 4 for TD3, part 5
 * for TD1, part 6 for TD2) drives one reader. Offsets are into the lines
 * joined without separators. */
#include <string.h>
#include "core/date.h"
#include "core/err.h"
#include "domain/mrz.h"
#include "domain/scan_private.h"

struct mrz_span {
	int at, len;
};

struct mrz_layout {
	enum id_format format;
	const char *name;
	int lines, width;
	int names_at, names_len;
	int number_at;          /* 9 characters, its check digit right after */
	int nationality_at;
	int birth_at;           /* YYMMDD, check digit right after */
	int sex_at;
	int expiry_at;          /* YYMMDD, check digit right after */
	struct mrz_span opt[2]; /* optional data ({0,0}: none) */
	int opt_check_at;       /* check digit over opt[0]; -1 when the format has none */
	int composite_at;
	struct mrz_span composite[4]; /* what the composite check digit covers */
	bool number_overflow;   /* a long document number may continue in opt[0] */
	const char *codes;      /* allowed first letters of the document code */
};

static const struct mrz_layout layouts[] = {
	{ID_TD1, "TD1", 3, 30, 60, 30, 5, 45, 30, 37, 38, {{15, 15}, {48, 11}}, -1, 59,
	 {{5, 25}, {30, 7}, {38, 7}, {48, 11}}, true, "ACI"},
	{ID_TD2, "TD2", 2, 36, 5, 31, 36, 46, 49, 56, 57, {{64, 7}, {0, 0}}, -1, 71,
	 {{36, 10}, {49, 7}, {57, 14}, {0, 0}}, true, "ACI"},
	{ID_TD3, "TD3", 2, 44, 5, 39, 44, 54, 57, 64, 65, {{72, 14}, {0, 0}}, 86, 87,
	 {{44, 10}, {57, 7}, {65, 22}, {0, 0}}, false, "P"},
};

/* ICAO's own codes that are not ISO 3166 alpha-3 but name a country that
 * has one (Doc 9303 part 3): Germany writes "D<<". */
static const struct {
	const char *icao, *iso;
} issuer_aliases[] = {
	{"D", "DEU"},
};

#define MRZ_MAX 90 /* the longest layout, TD1 */

static bool is_mrz_char(char c)
{
	return (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') || c == '<';
}

int mrz_check_digit(const char *s, size_t n)
{
	static const int weights[3] = {7, 3, 1};
	int sum = 0;
	for (size_t i = 0; i < n; i++) {
		int v;
		if (s[i] >= '0' && s[i] <= '9')
			v = s[i] - '0';
		else if (s[i] >= 'A' && s[i] <= 'Z')
			v = s[i] - 'A' + 10;
		else if (s[i] == '<')
			v = 0;
		else
			return -1;
		sum += v * weights[i % 3];
	}
	return sum % 10;
}

bool luhn_valid(const char *digits, size_t n)
{
	int sum = 0;
	for (size_t i = 0; i < n; i++) {
		if (digits[i] < '0' || digits[i] > '9')
			return false;
		int d = digits[i] - '0';
		if ((n - 1 - i) % 2 == 1) { /* every second digit from the right doubles */
			d *= 2;
			if (d > 9)
				d -= 9;
		}
		sum += d;
	}
	return n > 0 && sum % 10 == 0;
}

bool mrz_candidate(const char *text, size_t len)
{
	if (len < 30 || text[0] < 'A' || text[0] > 'Z')
		return false;
	return memchr(text, '<', len) != NULL;
}

/* Does the check digit at joined[at] match s[0..n)? */
static bool check_ok(const char *joined, int at, const char *s, size_t n)
{
	int want = mrz_check_digit(s, n);
	return want >= 0 && joined[at] == '0' + want;
}

/* Join the lines (CR, LF, CRLF or nothing between them; spaces or tabs
 * before a line break or the end are dropped) into out. Returns the
 * layout, or NULL with err filled. */
static const struct mrz_layout *mrz_join(const char *text, size_t len, char *out, size_t *outlen,
					 char *err, size_t errlen)
{
	size_t seg_len[8];
	int nseg = 0;
	size_t total = 0, i = 0;
	while (i < len) {
		size_t start = i;
		while (i < len && text[i] != '\r' && text[i] != '\n')
			i++;
		size_t end = i;
		while (end > start && (text[end - 1] == ' ' || text[end - 1] == '\t'))
			end--;
		if (end > start) {
			if (nseg < 8)
				seg_len[nseg] = end - start;
			nseg++;
			for (size_t k = start; k < end; k++) {
				if (total < MRZ_MAX)
					out[total] = text[k];
				total++;
			}
		}
		while (i < len && (text[i] == '\r' || text[i] == '\n'))
			i++;
	}
	const struct mrz_layout *l = NULL;
	for (size_t k = 0; k < sizeof(layouts) / sizeof(layouts[0]); k++)
		if (total == (size_t)(layouts[k].lines * layouts[k].width))
			l = &layouts[k];
	/* Every line break must fall between two MRZ lines. */
	for (int k = 0; l && k < nseg; k++)
		if (k >= 8 || seg_len[k] % (size_t)l->width)
			l = NULL;
	if (!l) {
		scan_fail(err, errlen,
			  "The MRZ must be 3 lines of 30 characters (TD1), 2 of 36 (TD2) or 2 of 44 "
			  "(TD3); this one has %zu characters in %d line%s.",
			  total, nseg, nseg == 1 ? "" : "s");
		return NULL;
	}
	*outlen = total;
	return l;
}

/* Day number of a YYMMDD field; the century puts a birth date in the past
 * and an expiry date at most 20 years ahead of today. */
static int mrz_date(const char *s, bool birth, int64_t today, int64_t *days)
{
	long yy = scan_digits(s, 2), mm = scan_digits(s + 2, 2), dd = scan_digits(s + 4, 2);
	if (yy < 0 || mm < 0 || dd < 0)
		return KIOSK_EINVAL;
	int ty, tm, td;
	date_civil_from_days(today, &ty, &tm, &td);
	int y = ty - ty % 100 + (int)yy;
	if (birth) {
		if (y > ty || (y == ty && (mm > tm || (mm == tm && dd > td))))
			y -= 100;
	} else if (y > ty + 20) {
		y -= 100;
	} else if (y < ty - 79) {
		y += 100;
	}
	if (!date_valid(y, (int)mm, (int)dd))
		return KIOSK_EINVAL;
	*days = date_days_from_civil(y, (int)mm, (int)dd);
	return 0;
}

/* s[0..n) with '<' as spaces, runs collapsed, ends trimmed. */
static bool mrz_words(char *dst, size_t cap, const char *s, size_t n)
{
	size_t o = 0;
	bool space = false;
	for (size_t i = 0; i < n; i++) {
		if (s[i] == '<') {
			space = o > 0;
			continue;
		}
		if (o + 2 + space > cap)
			return false;
		if (space)
			dst[o++] = ' ';
		space = false;
		dst[o++] = s[i];
	}
	dst[o] = '\0';
	return true;
}

/* Length of s[0..n) without trailing fillers. */
static size_t mrz_trim(const char *s, size_t n)
{
	while (n > 0 && s[n - 1] == '<')
		n--;
	return n;
}

static int parse_names(const struct mrz_layout *l, const char *j, struct scan_id_document *out,
		       char *err, size_t errlen)
{
	const char *names = j + l->names_at;
	size_t n = mrz_trim(names, (size_t)l->names_len);
	if (n == 0)
		return scan_fail(err, errlen, "The name field of the MRZ is empty.");
	if (names[0] == '<')
		return scan_fail(err, errlen, "The MRZ has no surname.");
	size_t cut = n;
	for (size_t i = 0; i + 1 < n; i++)
		if (names[i] == '<' && names[i + 1] == '<') {
			cut = i;
			break;
		}
	mrz_words(out->surname, sizeof(out->surname), names, cut);
	if (cut < n)
		mrz_words(out->given_names, sizeof(out->given_names), names + cut + 2, n - cut - 2);
	return 0;
}

/* The document number, continued into opt[0] when the format allows it
 * (TD1/TD2 numbers longer than 9 characters: a '<' where the check digit
 * would be, then the rest of the number and its check digit, then a
 * filler). *opt_used tells how much of opt[0] the number took. */
static int parse_number(const struct mrz_layout *l, const char *j, struct scan_id_document *out,
			int *opt_used, char *err, size_t errlen)
{
	char full[32];
	size_t n = mrz_trim(j + l->number_at, 9);
	memcpy(full, j + l->number_at, 9);
	int cd_at = l->number_at + 9;
	*opt_used = 0;
	if (j[cd_at] == '<' && l->number_overflow && j[l->opt[0].at] != '<') {
		const char *ext = j + l->opt[0].at;
		size_t e = 0;
		while (e < (size_t)l->opt[0].len && ext[e] != '<')
			e++;
		if (e < 2)
			return scan_fail(err, errlen,
					 "The document number continues in the optional data but has no "
					 "check digit there.");
		memcpy(full + 9, ext, e - 1);
		n = 9 + e - 1;
		cd_at = l->opt[0].at + (int)e - 1;
		*opt_used = (int)e;
	}
	if (n == 0)
		return scan_fail(err, errlen, "The document number in the MRZ is empty.");
	if (!check_ok(j, cd_at, full, n))
		return scan_fail(err, errlen, "The check digit of the document number does not match.");
	for (size_t i = 0; i < n; i++)
		if (full[i] == '<')
			return scan_fail(err, errlen,
					 "The document number in the MRZ has a filler inside it.");
	scan_copy(out->document_number, sizeof(out->document_number), full, n);
	return 0;
}

/* A Swedish personal number (YYMMDDNNNN, or with the century) alone in an
 * optional data field of a Swedish document. Day + 60 is a coordination
 * number, which has the same form. Returns 1 found, 0 none, or an error. */
static int parse_personal_number(const char *opt, size_t len, struct scan_id_document *out,
				 char *err, size_t errlen)
{
	size_t n = mrz_trim(opt, len);
	if ((n != 10 && n != 12) || scan_digits(opt, n) < 0)
		return 0;
	const char *p = opt + n - 10;
	if (!luhn_valid(p, 10))
		return scan_fail(err, errlen,
				 "The check digit of the Swedish personal number does not match.");
	long mm = scan_digits(p + 2, 2), dd = scan_digits(p + 4, 2);
	if (dd > 60)
		dd -= 60;
	if (!date_valid(2000, (int)mm, (int)dd))
		return scan_fail(err, errlen,
				 "The Swedish personal number does not start with a real date.");
	memcpy(out->personal_number, p, 6);
	out->personal_number[6] = '-';
	memcpy(out->personal_number + 7, p + 6, 4);
	out->personal_number[11] = '\0';
	return 1;
}

static int parse_code_and_issuer(const struct mrz_layout *l, const char *j,
				 struct scan_id_document *out, char *err, size_t errlen)
{
	bool code_ok = strchr(l->codes, j[0]) != NULL && (j[1] == '<' || (j[1] >= 'A' && j[1] <= 'Z'));
	if (!code_ok)
		return scan_fail(err, errlen,
				 "The document code of this %s MRZ is not a passport (P) or an identity "
				 "card (I, A, C).",
				 l->name);
	scan_copy(out->document_type, sizeof(out->document_type), j, j[1] == '<' ? 1 : 2);
	size_t n = mrz_trim(j + 2, 3);
	for (size_t i = 0; i < n; i++)
		if (j[2 + i] < 'A' || j[2 + i] > 'Z')
			n = 0;
	if (n == 0)
		return scan_fail(err, errlen, "The issuing state in the MRZ is not a country code.");
	scan_copy(out->issuer, sizeof(out->issuer), j + 2, n);
	for (size_t i = 0; i < sizeof(issuer_aliases) / sizeof(issuer_aliases[0]); i++)
		if (!strcmp(out->issuer, issuer_aliases[i].icao))
			scan_copy(out->issuer, sizeof(out->issuer), issuer_aliases[i].iso, 3);
	return 0;
}

int mrz_parse(const char *text, size_t len, int64_t today, struct scan_id_document *out,
	      char *err, size_t errlen)
{
	char j[MRZ_MAX + 1];
	size_t n;
	memset(out, 0, sizeof(*out));
	const struct mrz_layout *l = mrz_join(text, len, j, &n, err, errlen);
	if (!l)
		return KIOSK_EINVAL;
	j[n] = '\0';
	for (size_t i = 0; i < n; i++)
		if (!is_mrz_char(j[i]))
			return scan_fail(err, errlen,
					 "Line %zu of the MRZ has a character other than A-Z, 0-9 and < at "
					 "position %zu.",
					 i / (size_t)l->width + 1, i % (size_t)l->width + 1);
	out->format = l->format;
	int rc = parse_code_and_issuer(l, j, out, err, errlen);
	int opt_used = 0;
	if (!rc)
		rc = parse_number(l, j, out, &opt_used, err, errlen);
	if (rc)
		return rc;
	if (!check_ok(j, l->birth_at + 6, j + l->birth_at, 6))
		return scan_fail(err, errlen, "The check digit of the birth date does not match.");
	if (!check_ok(j, l->expiry_at + 6, j + l->expiry_at, 6))
		return scan_fail(err, errlen, "The check digit of the expiry date does not match.");
	if (l->opt_check_at >= 0) {
		const char *opt = j + l->opt[0].at;
		bool empty = mrz_trim(opt, (size_t)l->opt[0].len) == 0;
		/* An unused field may carry '<' instead of 0 as its check digit. */
		if (!(empty && j[l->opt_check_at] == '<') &&
		    !check_ok(j, l->opt_check_at, opt, (size_t)l->opt[0].len))
			return scan_fail(err, errlen,
					 "The check digit of the optional data (personal number) does "
					 "not match.");
	}
	char covered[64];
	size_t c = 0;
	for (int k = 0; k < 4 && l->composite[k].len; k++) {
		memcpy(covered + c, j + l->composite[k].at, (size_t)l->composite[k].len);
		c += (size_t)l->composite[k].len;
	}
	if (!check_ok(j, l->composite_at, covered, c))
		return scan_fail(err, errlen, "The composite check digit of the MRZ does not match.");
	if (mrz_date(j + l->birth_at, true, today, &out->birth_date))
		return scan_fail(err, errlen, "The birth date in the MRZ is not a real date.");
	if (mrz_date(j + l->expiry_at, false, today, &out->expiry_date))
		return scan_fail(err, errlen, "The expiry date in the MRZ is not a real date.");
	if (!strchr("MFX<", j[l->sex_at]))
		return scan_fail(err, errlen, "The sex field of the MRZ must be M, F, X or <.");
	rc = parse_names(l, j, out, err, errlen);
	if (rc)
		return rc;
	out->expired = out->expiry_date < today;
	if (!strcmp(out->issuer, "SWE")) {
		rc = 0;
		for (int k = 0; k < 2 && l->opt[k].len && rc == 0; k++) {
			int skip = k == 0 ? opt_used : 0;
			rc = parse_personal_number(j + l->opt[k].at + skip,
						   (size_t)(l->opt[k].len - skip), out, err, errlen);
		}
		if (rc < 0)
			return rc;
	}
	return 0;
}
