/* libFuzzer target for the png: printer's ESC/POS renderer
 * (printer_png_interpret): any bytes, on 384- or 576-dot paper (byte 0).
 * The fonts are opened once. Besides the sanitizers it checks that a
 * rendered receipt has a height and a refusal says why. */
#include <stdint.h>
#include <stdlib.h>

#include "drivers/printer_private.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	static struct png_fonts *fonts;
	struct kiosk_why why = {{0}};
	if (!fonts && printer_png_fonts_open(&fonts, &why))
		abort(); /* fonts-dejavu-core is a build dependency */
	if (size < 1)
		return 0;
	int dots = data[0] & 1 ? 576 : 384, height = 0;
	int rc = printer_png_interpret(fonts, data + 1, size - 1, dots, &height, &why);
	if (rc ? !why.text[0] : height <= 0)
		abort();
	return 0;
}
