"""Fixed sentences that say plainly what the archive or its sources do not have.

Kept together so that every page says an absence in the same words.
"""

from __future__ import annotations

NO_REVIEW_YET = "No review is in the archive yet."
NO_REVIEW_IN_PROGRAMME = "No review in this programme is in the archive yet."
NO_NAMED_PEERS = "No review with named peer authorities is in the archive yet."
NO_PEER = "No peer recorded"
NO_REGION = "Not recorded"
