"""Unit tests of the engine-independent core: pure functions, no site build (a few build one page)."""
