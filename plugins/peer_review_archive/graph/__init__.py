"""Layer 2, the graph: every reverse index over the records, the peer network; pure.

Imports only `records`.
"""
