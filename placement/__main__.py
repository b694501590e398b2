"""`python -m placement`: the command line (placement.cli)."""

import os
import sys

from placement.cli import main

try:
    status = main()
    sys.stdout.flush()  # a reader that left shows here, inside the try
except BrokenPipeError:
    # The reader stopped early (`... | head`): exit quietly, as the Python docs' note on SIGPIPE advises.
    # Standard output now goes nowhere, so the flush at exit cannot fail a second time.
    os.dup2(os.open(os.devnull, os.O_WRONLY), sys.stdout.fileno())
    status = 1
sys.exit(status)
