"""Items rendered for every output: Markdown text, HTML blocks, absolute URLs, sanitising, feed file names."""
