"""Sinergi: cross-agency coordination for Indonesian regional elections."""
