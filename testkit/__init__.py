"""Test builders shared by every app's tests: kept outside the installed `sinergi` package."""
