"""What pages record while they are read, kept per page in Sphinx's pickled environment.

A page Sphinx does not re-read keeps what its last reading recorded:
- book_citations: {docname: CSL-JSON item}; the build writes each chapter's citation files from these
  (`boxes` records them, `reuse` writes them);
- book_figure_data: {docname: {file name: {csv, meta, title, anchor}}}; the figure downloads, from
  the execution the page's figures came from (`figure_data`).
"""

from __future__ import annotations

PER_PAGE_STORES = ("book_citations", "book_figure_data")


def _per_page(env, store: str) -> dict:
    if not hasattr(env, store):
        setattr(env, store, {})
    return getattr(env, store)


def citations(env) -> dict[str, dict]:
    return _per_page(env, "book_citations")


def figure_data(env) -> dict[str, dict[str, dict]]:
    return _per_page(env, "book_figure_data")


def purge_per_page(app, env, docname):
    for store in PER_PAGE_STORES:
        _per_page(env, store).pop(docname, None)


def merge_per_page(app, env, docnames, other):
    for store in PER_PAGE_STORES:
        theirs = _per_page(other, store)
        for docname in docnames:
            if docname in theirs:
                _per_page(env, store)[docname] = theirs[docname]


def setup(app):
    app.connect("env-purge-doc", purge_per_page)
    app.connect("env-merge-info", merge_per_page)
    return {"version": "1", "parallel_read_safe": True, "parallel_write_safe": True}
