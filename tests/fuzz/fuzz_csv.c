/* libFuzzer target: the CSV receipt parser (RFC 4180), with the invariants of
 * fuzz_import_check.h on every input. */
#include "domain/import_csv.h"
#include "fuzz_import_check.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	return fuzz_import_check(data, size, import_csv_parse);
}
