"""Layer 4, the site: the page plan, the view of each page, and the templates that print it.

Imports `records`, `graph`, `outputs` and `search`; never MkDocs.
"""
