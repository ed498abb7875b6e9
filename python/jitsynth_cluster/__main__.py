"""`python -m jitsynth_cluster ...`: started by `jitsynth generate --ray`, which checks the arguments."""

import sys

from .launcher import main

if __name__ == "__main__":
    sys.exit(main())
