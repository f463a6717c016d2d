"""Layer 1, the records: the format (models, ids, vocabulary), loading, assembling, the schema.

Nothing here imports the layers above (graph, outputs, search, site, adapter) or MkDocs.
"""
