"""SINERGI_TOKEN_DAYS and SINERGI_TRUSTED_PROXIES come from the environment and are checked at start."""

import os
import subprocess
import sys

import pytest

PRINT = "import sinergi.settings as s; print(s.SINERGI_TOKEN_DAYS, s.SINERGI_TRUSTED_PROXIES)"


def settings_with(**env: str) -> subprocess.CompletedProcess:
    environ = {k: v for k, v in os.environ.items() if not k.startswith("SINERGI_")}
    environ.update({"SINERGI_TESTING": "1", **env})
    return subprocess.run([sys.executable, "-c", PRINT], env=environ, capture_output=True, text=True, check=False)


def test_defaults():
    assert settings_with().stdout.strip() == "90 []"


def test_values_from_the_environment():
    done = settings_with(SINERGI_TOKEN_DAYS="30", SINERGI_TRUSTED_PROXIES="127.0.0.1, 10.0.0.0/8,")
    assert done.stdout.strip() == "30 ['127.0.0.1', '10.0.0.0/8']"


@pytest.mark.parametrize(
    "env", [{"SINERGI_TOKEN_DAYS": "0"}, {"SINERGI_TOKEN_DAYS": "ninety"}, {"SINERGI_TRUSTED_PROXIES": "proxy.local"}]
)
def test_bad_values_stop_the_app(env):
    done = settings_with(**env)
    assert done.returncode != 0 and "ImproperlyConfigured" in done.stderr
