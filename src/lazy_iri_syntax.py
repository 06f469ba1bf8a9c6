"""Every Python process of the book's environment loads `rfc3987_syntax` only when it checks an IRI.

jsonschema (which nbformat, altair, MyST-NB's `glue` and papermill import) imports `rfc3987_syntax`
for its "iri" format checks, and that package compiles about thirty Earley grammars when it is
imported: 0.9 to 1.5 s in every notebook kernel, papermill and Sphinx process, more than a
notebook that only imports pandas and matplotlib takes to run. Nothing the book runs checks an
IRI, and jsonschema has no lazy import of it (python-jsonschema/jsonschema#1428); so a `.pth`
file that `make venv` writes into the environment runs `install()` at interpreter start, which puts
a stand-in module under that name: the same `is_valid_syntax`, compiling the grammars on its first
call. A module of its own (not in `migration_report`) so that it imports nothing else.
"""

from __future__ import annotations

import importlib
import importlib.util
import sys

NAME = "rfc3987_syntax"
PTH_FILE = "lazy_iri_syntax.pth"  # the file `make venv` writes into site-packages


def install() -> None:
    if NAME in sys.modules:
        return
    try:
        spec = importlib.util.find_spec(NAME)  # finds the package without running it
    except (ImportError, ValueError):
        return
    if spec is None or spec.submodule_search_locations is None:
        return
    stand_in = importlib.util.module_from_spec(spec)  # the real package's path: its submodules load as usual

    def real():
        helpers = importlib.import_module(f"{NAME}.syntax_helpers")  # compiles the grammars on the first call
        if "__getattr__" in stand_in.__dict__:  # from now on the stand-in is the real package
            del stand_in.__dict__["__getattr__"]
            stand_in.__dict__.update({k: v for k, v in vars(helpers).items() if not k.startswith("__")})
        return helpers

    def is_valid_syntax(term: str, value: str) -> bool:
        return real().is_valid_syntax(term, value)

    def __getattr__(name: str):  # any other name the package exports
        if name.startswith("__"):
            raise AttributeError(name)
        return getattr(real(), name)

    stand_in.is_valid_syntax = is_valid_syntax
    stand_in.__getattr__ = __getattr__
    sys.modules[NAME] = stand_in


def write_pth() -> None:
    """Write the .pth file that runs `install()` at every start of this environment's Python."""
    import sysconfig
    from pathlib import Path

    Path(sysconfig.get_path("purelib"), PTH_FILE).write_text("import lazy_iri_syntax; lazy_iri_syntax.install()\n",
                                                             encoding="utf-8")
