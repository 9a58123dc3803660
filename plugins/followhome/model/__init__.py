"""Content in: what editors write (front matter, YAML), validated into a Catalog, with every problem."""
