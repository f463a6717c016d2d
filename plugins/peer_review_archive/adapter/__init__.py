"""Layer 5, the MkDocs adapter: the only code that imports MkDocs."""
