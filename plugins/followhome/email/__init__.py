"""Email-ready output: fragments, full emails and digests for email services, plus social/SMS snippets."""
