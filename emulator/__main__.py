"""``python -m pulumi_chime_sdk_identity.emulator``."""

import sys

from ._cli import main

sys.exit(main())
