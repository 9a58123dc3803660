"""Real builds of small sites and of the demo in temporary folders, read back as a user would."""
