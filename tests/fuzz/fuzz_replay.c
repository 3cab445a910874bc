/* libFuzzer target for the replay transport's file lines
 * (scanner_replay_parse): any bytes as one line, after a previous time
 * taken from the first 2 bytes. Besides the sanitizers it checks what
 * the replay thread relies on: a parsed report has 1..64 bytes and a time
 * not before the previous one; a refusal is a printable sentence. */
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "drivers/scanner_private.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	if (size < 2)
		return 0;
	int64_t prev = (int64_t)data[0] << 8 | data[1];
	char *line = malloc(size - 2 + 1);
	if (!line)
		return 0;
	memcpy(line, data + 2, size - 2);
	line[size - 2] = '\0';
	struct replay_report r;
	const char *bad = scanner_replay_parse(line, prev, &r);
	if (bad) {
		for (const char *c = bad; *c; c++)
			if ((unsigned char)*c < 0x20 || (unsigned char)*c > 0x7e)
				abort();
	} else if (r.len < 1 || r.len > REPLAY_REPORT_MAX || r.ms < prev) {
		abort();
	}
	free(line);
	return 0;
}
