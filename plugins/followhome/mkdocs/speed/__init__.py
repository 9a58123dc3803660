"""The speed path: everything that runs MkDocs' work in other processes, behind one object.

:class:`~followhome.mkdocs.speed.speedpath.SpeedPath` is what the content plugin creates for
each build and calls at its events; :mod:`~followhome.mkdocs.speed.decision` says when it may
run (a pure function, tested over its cases). The rest is its machinery: forked workers
ahead of the build (``pageworkers``), Markdown rendered ahead (``prerender``), templates
filled ahead (``templating``), the navigation rendered once per folder (``navcache``) and the
garbage collector's thresholds during the build (``collector``).
"""

from followhome.mkdocs.speed.speedpath import SpeedPath

__all__ = ["SpeedPath"]
