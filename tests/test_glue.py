"""The book's `glue` publishes exactly what MyST-NB's does, which MyST-NB reads back at build time."""

import sys
import subprocess

import pandas as pd
import pytest
from IPython.core.interactiveshell import InteractiveShell
from IPython.display import Markdown
from IPython.utils.capture import capture_output
from myst_nb.ext import glue as myst_glue

from migration_report.core import glue as book_glue

VALUES = [("count", 272000), ("share", 49.6), ("word", "fell"), ("sentence", Markdown("It **fell** by half.")),
          ("table", pd.DataFrame({"month": ["2023-05", "2023-06"], "encounters": [206690, 144571]}))]


def published(glue, name, value, display):
    InteractiveShell.instance()  # capture_output needs a shell's display publisher
    with capture_output() as captured:
        glue(name, value, display=display)
    return [(output.data, output.metadata) for output in captured.outputs]


@pytest.mark.parametrize("display", [False, True])
@pytest.mark.parametrize("name,value", VALUES, ids=[name for name, _ in VALUES])
def test_same_output_as_myst_nb(name, value, display):
    ours = published(book_glue.glue, name, value, display)
    assert ours == published(myst_glue.glue, name, value, display)
    data, metadata = ours[0]
    assert metadata["scrapbook"] == {"name": name, "mime_prefix": "" if display else myst_glue.GLUE_PREFIX}
    assert all(mime.startswith(metadata["scrapbook"]["mime_prefix"]) for mime in data)


def test_same_prefix_as_myst_nb():
    assert book_glue.GLUE_PREFIX == myst_glue.GLUE_PREFIX


def test_does_not_import_nbformat():
    code = "import migration_report.core.glue, sys; print('nbformat' in sys.modules, 'myst_nb' in sys.modules)"
    result = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    assert result.stdout.split() == ["False", "False"]
