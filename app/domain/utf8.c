/* UTF-8 decoding shared by the receipt layout (which counts characters to
 * wrap lines) and the ESC/POS encoder (which converts them): one set of
 * rules, so a line counted as 48 characters prints as 48. */
#include "domain/utf8.h"

#include <string.h>

/* Characters the printer's code page (CP858) lacks but a reader recognises
 * in plain ASCII: typographic punctuation that word processors and phones
 * put into the customer's text, and letters of neighbouring languages. None
 * of them is in CP858, so the printed width is known here. Sorted by code
 * point for a binary search (every character of a receipt is looked up). */
static const struct translit {
	uint32_t u;
	const char *ascii;
} transliterations[] = {
	{0x0104, "A"}, {0x0105, "a"}, {0x0106, "C"}, {0x0107, "c"}, {0x010C, "C"}, {0x010D, "c"},
	{0x0118, "E"}, {0x0119, "e"}, {0x011A, "E"}, {0x011B, "e"}, {0x0131, "i"}, {0x0141, "L"},
	{0x0142, "l"}, {0x0143, "N"}, {0x0144, "n"}, {0x0152, "OE"}, {0x0153, "oe"},
	{0x0158, "R"}, {0x0159, "r"}, {0x015A, "S"}, {0x015B, "s"}, {0x0160, "S"}, {0x0161, "s"},
	{0x016E, "U"}, {0x016F, "u"}, {0x0179, "Z"}, {0x017A, "z"}, {0x017B, "Z"}, {0x017C, "z"},
	{0x017D, "Z"}, {0x017E, "z"}, {0x2002, " "}, {0x2003, " "}, {0x2009, " "}, {0x200B, ""},
	{0x2010, "-"}, {0x2011, "-"}, {0x2012, "-"}, {0x2013, "-"}, {0x2014, "-"}, {0x2015, "-"},
	{0x2018, "'"}, {0x2019, "'"}, {0x201A, "'"}, {0x201B, "'"}, {0x201C, "\""},
	{0x201D, "\""}, {0x201E, "\""}, {0x201F, "\""}, {0x2022, "*"}, {0x2026, "..."},
	{0x202F, " "}, {0x2032, "'"}, {0x2033, "\""}, {0x2039, "<"}, {0x203A, ">"},
	{0x2116, "No"}, {0x2122, "TM"}, {0x2212, "-"},
};

size_t utf8_decode(const char *s, size_t len, uint32_t *cp)
{
	const unsigned char *u = (const unsigned char *)s;
	if (len == 0) {
		*cp = 0;
		return 0;
	}
	if (u[0] < 0x80) {
		*cp = u[0];
		return 1;
	}
	size_t n;
	uint32_t c, min;
	if ((u[0] & 0xE0) == 0xC0) {
		n = 2, c = u[0] & 0x1F, min = 0x80;
	} else if ((u[0] & 0xF0) == 0xE0) {
		n = 3, c = u[0] & 0x0F, min = 0x800;
	} else if ((u[0] & 0xF8) == 0xF0) {
		n = 4, c = u[0] & 0x07, min = 0x10000;
	} else {
		goto bad;
	}
	if (len < n)
		goto bad;
	for (size_t i = 1; i < n; i++) {
		if ((u[i] & 0xC0) != 0x80)
			goto bad;
		c = (c << 6) | (u[i] & 0x3F);
	}
	/* overlong forms, surrogates and beyond U+10FFFF are not characters */
	if (c < min || c > 0x10FFFF || (c >= 0xD800 && c <= 0xDFFF))
		goto bad;
	*cp = c;
	return n;
bad:
	*cp = 0xFFFD;
	return 1;
}

const char *utf8_fallback(uint32_t cp)
{
	size_t lo = 0, hi = sizeof(transliterations) / sizeof(transliterations[0]);
	if (cp < transliterations[0].u)
		return NULL;
	while (lo < hi) {
		size_t mid = lo + (hi - lo) / 2;
		if (transliterations[mid].u == cp)
			return transliterations[mid].ascii;
		if (transliterations[mid].u < cp)
			lo = mid + 1;
		else
			hi = mid;
	}
	return NULL;
}

int utf8_columns(uint32_t cp)
{
	const char *ascii = utf8_fallback(cp);
	return ascii ? (int)strlen(ascii) : 1;
}

size_t utf8_width(const char *s)
{
	size_t len = strlen(s), w = 0;
	for (size_t i = 0; i < len;) {
		uint32_t cp;
		i += utf8_decode(s + i, len - i, &cp);
		w += (size_t)utf8_columns(cp);
	}
	return w;
}
