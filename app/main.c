/* kiosk: self-service returns and fault-report kiosk. */
#include "cli/cli.h"

int main(int argc, char **argv)
{
	return cli_main(argc, argv);
}
