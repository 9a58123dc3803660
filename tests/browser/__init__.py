"""The built demo in Debian's Chromium driven by Playwright: a walk, search, feeds, axe-core."""
