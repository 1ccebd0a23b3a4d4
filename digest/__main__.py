"""`python -m digest` runs the digest once (see digest/cli.py)."""

import sys

from digest.cli import main

sys.exit(main())
