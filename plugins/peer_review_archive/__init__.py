"""Peer Review Archive: records of councils' school-improvement peer reviews, as a site."""

__version__ = "0.1.0"
