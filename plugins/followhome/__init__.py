"""followhome: publish a business's community values as a site, feeds and email.

The package has an engine-independent core (content model, validation, publishing
rules, page generation) and thin adapters for MkDocs under ``followhome.mkdocs``.
"""

__version__ = "0.1.0"
