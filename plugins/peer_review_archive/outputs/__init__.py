"""Layer 3, outputs: the downloads, feeds, citations and pictures made from the graph.

Imports `records` and `graph` only.
"""
