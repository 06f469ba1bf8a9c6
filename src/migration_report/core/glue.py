"""`glue` for the book's notebooks: MyST-NB's `glue`, without importing nbformat.

`myst_nb.glue` imports `myst_nb.ext.glue`, which imports nbformat and its JSON-schema validator for a
type annotation: a tenth of a second of every chapter run under papermill. This writes the very same
output, which MyST-NB reads back when the book is built (tests/test_glue.py compares the two).
"""

from __future__ import annotations

from typing import Any

from IPython.core.formatters import format_display_data
from IPython.display import display as publish

GLUE_PREFIX = "application/papermill.record/"  # myst_nb.ext.glue.GLUE_PREFIX: what MyST-NB looks for


def glue(name: str, variable: Any, display: bool = True) -> None:
    """Store VARIABLE's display under NAME for the book's {glue} roles and directives (and show it, if DISPLAY)."""
    mimebundle, metadata = format_display_data(variable)
    prefix = "" if display else GLUE_PREFIX
    metadata["scrapbook"] = {"name": name, "mime_prefix": prefix}
    publish({prefix + mime: value for mime, value in mimebundle.items()}, raw=True, metadata=metadata)
