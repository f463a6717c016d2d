"""Layer 3, search: one record per finding and per page, and the Pagefind index of them.

Imports `records` and `graph` only.
"""
