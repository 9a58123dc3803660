"""Engine-independent generation of the site's pages as Markdown."""
