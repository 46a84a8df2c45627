"""``python -m skrnn`` runs the ``skrnn`` command."""

import sys

from .cli import main

sys.exit(main())
