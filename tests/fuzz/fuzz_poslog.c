/* libFuzzer target: the ARTS POSLog receipt parser (expat underneath), with the invariants of
 * fuzz_import_check.h on every input. */
#include "domain/import_poslog.h"
#include "fuzz_import_check.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	return fuzz_import_check(data, size, import_poslog_parse);
}
