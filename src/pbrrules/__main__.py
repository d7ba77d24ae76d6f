"""``python -m pbrrules``: the pbr-eval command."""

import sys

from pbrrules.cli import main

if __name__ == "__main__":
    sys.exit(main())
