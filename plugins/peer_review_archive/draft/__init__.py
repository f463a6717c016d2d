"""`pra draft`: a committee paper (PDF, HTML or text) -> a draft record for an editor to check.

Layers inside: `reading` (bytes -> numbered lines with pages), `cleaning` (ligatures,
bullets, running headers, contact details), `blocks` (lines -> paragraphs, list items,
headings), `classify` and `metadata` (blocks -> the parts of a record), `writing` (YAML).
It may import `records` only, never MkDocs, and it loads no model or data at run time.
"""
