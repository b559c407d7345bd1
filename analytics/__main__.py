"""Entry point for ``python -m analytics``."""
import sys

from analytics.cli.main import main

sys.exit(main())
