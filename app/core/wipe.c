/* See wipe.h. explicit_bzero is glibc's store the optimiser keeps. */
#include "core/wipe.h"

#include <malloc.h>
#include <stdlib.h>
#include <string.h>

void mem_wipe(void *p, size_t n)
{
	if (n)
		explicit_bzero(p, n);
}

void mem_wipe_free(void *p)
{
	if (!p)
		return;
	explicit_bzero(p, malloc_usable_size(p));
	free(p);
}
