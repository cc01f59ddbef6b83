"""Entry point for ``python -m kehoach``."""

import sys

from kehoach.cli import main

sys.exit(main())
