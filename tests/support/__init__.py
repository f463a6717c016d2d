"""Helpers shared by the tests (and the benchmarks): real builds of small projects, and
reading the HTML they write. Fixtures stay in conftest.py; everything else lives here."""
