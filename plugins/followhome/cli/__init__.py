"""The ``followhome`` command."""
