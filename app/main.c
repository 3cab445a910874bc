/* kiosk: self-service returns and fault-report kiosk. */
#include <signal.h>

#include "cli/cli.h"

int main(int argc, char **argv)
{
	/* A printer, a fifo or a socket whose reader went away is a write
	 * error with a sentence (and print_failed on the case), never a
	 * silent death by SIGPIPE. */
	signal(SIGPIPE, SIG_IGN);
	return cli_main(argc, argv);
}
