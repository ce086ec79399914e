"""``python -m gradbook``: the same as the ``gradbook`` command."""

import sys

from gradbook.cli import main

sys.exit(main())
