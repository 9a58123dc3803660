"""A generated robustness campaign over every kind of content file and brand.yml."""
