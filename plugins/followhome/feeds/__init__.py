"""Feeds (RSS 2.0, Atom 1.0, JSON Feed 1.1) from one item model."""
