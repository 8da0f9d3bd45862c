"""brief: one YAML master of a policy brief → a Word report, a PowerPoint deck and a print-ready PDF.

Importing the package changes nothing outside it; the speed tricks of :mod:`builders.speedups` are
installed by the ``brief`` command only.
"""

__version__ = "0.1.0"
