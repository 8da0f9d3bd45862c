"""brief: one YAML master of a policy brief → a Word report, a PowerPoint deck and a print-ready PDF."""

__version__ = "0.1.0"
