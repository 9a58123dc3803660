"""What is published where, on which day: the edition, today, names as show_as allows, disclosures."""
