"""Build caches: fingerprints, checksummed files, text caches, work on other cores."""
