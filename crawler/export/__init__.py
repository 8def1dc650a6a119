"""Tidy datasets from the archive: reports, stats (long form) and checks, plus coverage and the dictionary."""
