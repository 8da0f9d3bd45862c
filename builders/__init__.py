"""brief: one YAML master of a policy brief → a Word report, a PowerPoint deck and a print-ready PDF."""
from . import _dataclass_code

__version__ = "0.1.0"

_dataclass_code.install()  # before any of the package's dataclasses is defined
