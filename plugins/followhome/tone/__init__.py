"""The tone meter: how commercial ("loud") a piece of text is, 0-10, with its reasons."""
