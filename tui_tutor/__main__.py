"""Allow ``python -m tui_tutor``."""

import sys

from tui_tutor.cli import main

if __name__ == "__main__":
    sys.exit(main())
