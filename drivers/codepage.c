/* Code page tables and the UTF-8 conversions around them. */
#include "drivers/codepage.h"

#include <string.h>

/* CP858 upper half, generated from Python's cp858 codec:
 * bytes(range(128, 256)).decode("cp858"). Same as CP850 except 0xD5 (€). */
const struct codepage codepage_cp858 = {
	.name = "CP858",
	.escpos_n = 19, /* Epson ESC/POS "PC858: Euro" */
	.high = {
	0x00C7, 0x00FC, 0x00E9, 0x00E2, 0x00E4, 0x00E0, 0x00E5, 0x00E7, /* 80 */
	0x00EA, 0x00EB, 0x00E8, 0x00EF, 0x00EE, 0x00EC, 0x00C4, 0x00C5, /* 88 */
	0x00C9, 0x00E6, 0x00C6, 0x00F4, 0x00F6, 0x00F2, 0x00FB, 0x00F9, /* 90 */
	0x00FF, 0x00D6, 0x00DC, 0x00F8, 0x00A3, 0x00D8, 0x00D7, 0x0192, /* 98 */
	0x00E1, 0x00ED, 0x00F3, 0x00FA, 0x00F1, 0x00D1, 0x00AA, 0x00BA, /* A0 */
	0x00BF, 0x00AE, 0x00AC, 0x00BD, 0x00BC, 0x00A1, 0x00AB, 0x00BB, /* A8 */
	0x2591, 0x2592, 0x2593, 0x2502, 0x2524, 0x00C1, 0x00C2, 0x00C0, /* B0 */
	0x00A9, 0x2563, 0x2551, 0x2557, 0x255D, 0x00A2, 0x00A5, 0x2510, /* B8 */
	0x2514, 0x2534, 0x252C, 0x251C, 0x2500, 0x253C, 0x00E3, 0x00C3, /* C0 */
	0x255A, 0x2554, 0x2569, 0x2566, 0x2560, 0x2550, 0x256C, 0x00A4, /* C8 */
	0x00F0, 0x00D0, 0x00CA, 0x00CB, 0x00C8, 0x20AC, 0x00CD, 0x00CE, /* D0 */
	0x00CF, 0x2518, 0x250C, 0x2588, 0x2584, 0x00A6, 0x00CC, 0x2580, /* D8 */
	0x00D3, 0x00DF, 0x00D4, 0x00D2, 0x00F5, 0x00D5, 0x00B5, 0x00FE, /* E0 */
	0x00DE, 0x00DA, 0x00DB, 0x00D9, 0x00FD, 0x00DD, 0x00AF, 0x00B4, /* E8 */
	0x00AD, 0x00B1, 0x2017, 0x00BE, 0x00B6, 0x00A7, 0x00F7, 0x00B8, /* F0 */
	0x00B0, 0x00A8, 0x00B7, 0x00B9, 0x00B3, 0x00B2, 0x25A0, 0x00A0, /* F8 */
	},
};

/* Characters the page lacks but a reader recognises in plain ASCII:
 * typographic punctuation that word processors and phones put into the
 * customer's text, and letters of neighbouring languages. Looked up only
 * after the page itself. */
static const struct { uint32_t u; const char *ascii; } transliterations[] = {
	{0x2018, "'"}, {0x2019, "'"}, {0x201A, "'"}, {0x201B, "'"},
	{0x201C, "\""}, {0x201D, "\""}, {0x201E, "\""}, {0x201F, "\""},
	{0x2032, "'"}, {0x2033, "\""}, {0x2039, "<"}, {0x203A, ">"},
	{0x2010, "-"}, {0x2011, "-"}, {0x2012, "-"}, {0x2013, "-"}, {0x2014, "-"},
	{0x2015, "-"}, {0x2212, "-"}, {0x2026, "..."}, {0x2022, "*"},
	{0x2002, " "}, {0x2003, " "}, {0x2009, " "}, {0x202F, " "}, {0x200B, ""},
	{0x2122, "TM"}, {0x2116, "No"},
	{0x0141, "L"}, {0x0142, "l"}, {0x0152, "OE"}, {0x0153, "oe"},
	{0x0160, "S"}, {0x0161, "s"}, {0x017D, "Z"}, {0x017E, "z"},
	{0x010C, "C"}, {0x010D, "c"}, {0x0106, "C"}, {0x0107, "c"},
	{0x0104, "A"}, {0x0105, "a"}, {0x0118, "E"}, {0x0119, "e"},
	{0x0143, "N"}, {0x0144, "n"}, {0x015A, "S"}, {0x015B, "s"},
	{0x0179, "Z"}, {0x017A, "z"}, {0x017B, "Z"}, {0x017C, "z"},
	{0x0158, "R"}, {0x0159, "r"}, {0x011A, "E"}, {0x011B, "e"},
	{0x016E, "U"}, {0x016F, "u"}, {0x0131, "i"},
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

size_t utf8_count(const char *s)
{
	size_t len = strlen(s), n = 0;
	for (size_t i = 0; i < len; n++) {
		uint32_t cp;
		i += utf8_decode(s + i, len - i, &cp);
	}
	return n;
}

size_t utf8_offset(const char *s, size_t n)
{
	size_t len = strlen(s), i = 0;
	for (; n > 0 && i < len; n--) {
		uint32_t cp;
		i += utf8_decode(s + i, len - i, &cp);
	}
	return i;
}

size_t utf8_encode(uint32_t cp, char *out)
{
	if (cp < 0x80) {
		out[0] = (char)cp;
		return 1;
	}
	if (cp < 0x800) {
		out[0] = (char)(0xC0 | (cp >> 6));
		out[1] = (char)(0x80 | (cp & 0x3F));
		return 2;
	}
	if (cp < 0x10000) {
		out[0] = (char)(0xE0 | (cp >> 12));
		out[1] = (char)(0x80 | ((cp >> 6) & 0x3F));
		out[2] = (char)(0x80 | (cp & 0x3F));
		return 3;
	}
	out[0] = (char)(0xF0 | (cp >> 18));
	out[1] = (char)(0x80 | ((cp >> 12) & 0x3F));
	out[2] = (char)(0x80 | ((cp >> 6) & 0x3F));
	out[3] = (char)(0x80 | (cp & 0x3F));
	return 4;
}

size_t codepage_encode_char(const struct codepage *cp, uint32_t u, uint8_t *out)
{
	/* Control characters would be commands to the printer: never pass them. */
	if (u == '\t') {
		out[0] = ' ';
		return 1;
	}
	if (u >= 0x20 && u < 0x7F) {
		out[0] = (uint8_t)u;
		return 1;
	}
	for (int i = 0; i < 128; i++) {
		if (cp->high[i] == u) {
			out[0] = (uint8_t)(0x80 + i);
			return 1;
		}
	}
	for (size_t i = 0; i < sizeof(transliterations) / sizeof(transliterations[0]); i++) {
		if (transliterations[i].u == u) {
			size_t n = strlen(transliterations[i].ascii);
			memcpy(out, transliterations[i].ascii, n);
			return n;
		}
	}
	out[0] = '?';
	return 1;
}

uint32_t codepage_decode_byte(const struct codepage *cp, uint8_t b)
{
	return b < 0x80 ? b : cp->high[b - 0x80];
}
