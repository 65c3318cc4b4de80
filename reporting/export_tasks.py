"""Exports made in the background (see reporting/exports.py)."""
