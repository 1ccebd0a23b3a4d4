"""`python -m digest` runs the digest once (see digest/cli.py)."""

import sys

from digest.cli import process_main

sys.exit(process_main())
