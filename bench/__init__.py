"""Benchmarks: `python -m bench.<name>`; data.py generates realistic bilingual data."""
