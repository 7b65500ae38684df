"""Settings for the test suite: the production settings with the test switch on."""

import os

os.environ.setdefault("SINERGI_TESTING", "1")

from sinergi.settings import *  # noqa: F403
