"""Thin MkDocs adapters over the followhome core."""
