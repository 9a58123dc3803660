"""The site's generated pages as Markdown with HTML blocks, the navigation, notices, palette CSS, social cards."""
