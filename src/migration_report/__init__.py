"""Shared code for the book: data access and validation, parameter checks, figure style.

The names below are loaded when first used, so that importing one small module of the package (a
Sphinx extension, the MyST-NB renderer of `chart_image`) does not import pandas with `data`.
"""

from importlib import import_module

_EXPORTS = {"DataError": "core.schema", "ParameterError": "core.params", "describe": "core.data", "load": "core.data",
            "load_file": "core.data", "resource_names": "core.data", "source_line": "core.data"}

__all__ = sorted(_EXPORTS)


def __getattr__(name: str):
    if name in _EXPORTS:
        value = getattr(import_module(f".{_EXPORTS[name]}", __name__), name)
        globals()[name] = value
        return value
    raise AttributeError(f"module {__name__!r} has no attribute {name!r}")
