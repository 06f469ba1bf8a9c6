"""Shared code for the book: data access and validation, parameter checks, figure style."""

from .data import describe, load, load_file, resource_names, source_line
from .params import ParameterError
from .schema import DataError

__all__ = ["DataError", "ParameterError", "describe", "load", "load_file", "resource_names", "source_line"]
