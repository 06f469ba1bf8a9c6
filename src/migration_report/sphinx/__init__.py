"""The book's Sphinx extension, `migration_report.sphinx` (the one project entry of extra_extensions in
_config.yml): its setup() sets up each part below, in this order.

- boxes: the end-of-chapter "Cite this chapter" box and re-run link, the re-users' page directives,
  code folded under its figure, pages re-read when their notebook executed again
- pdf_layout: the PDF's preamble and reading layout, the PDF linked from and copied beside the HTML
- figure_data: the `{figure-data}` role and the figures' CSV downloads with their descriptors
- per_page: what pages record while they are read (citations, figure data), kept per page
- html: duplicated inline scripts and deprecated ARIA roles fixed, the root's redirect page
- claims: verdict badges, Spanish spans, claim cards as sections
- bibliography, bibliography_style, bibliography_check: one author-year label per source (2023a,
  2023b), the reference list's `titlecase` style, every field of references.bib checked first,
  and the record of cited keys
- search: search finds "272,000", "30.1" and "Barcena"
- appendix: appendices lettered A, B … in the HTML as in the PDF
- reuse: citation tags and files, figure citations, data and notebook downloads, link previews' text
- i18n (with theme_words): the themes' own words, glue in translated messages, untranslatable glued
  Markdown, the language switcher
- charts: the interactive charts' scripts on the pages that have one, alt text
- pdf: PDF tables that break across pages, captions that fit under their figures
- assets: no icon script, an icon font cut to the icons used, search scripts on the search page only
- csp: a strict Content-Security-Policy on every page, made from what it loads

Each part imports only what it needs when the extension is set up, so importing one part (a test,
the how-to-cite page) does not import the others.
"""

from __future__ import annotations

from importlib import import_module

# In the order the parts were once listed as separate extensions: handlers of one event with the
# same priority run in the order they were connected. sphinxext-opengraph is set up where it stood
# in that list (between reuse and i18n), so reuse's handlers around its own keep their order.
PARTS = ("boxes", "pdf_layout", "per_page", "figure_data", "html", "claims", "bibliography", "bibliography_style",
         "search", "appendix", "reuse", "sphinxext.opengraph", "i18n", "charts", "pdf", "assets",
         "csp")


def setup(app):
    metadata = {"version": "1", "parallel_read_safe": True, "parallel_write_safe": True}
    for part in PARTS:
        if "." in part:  # a third-party extension
            app.setup_extension(part)
            continue
        module = import_module(f"{__name__}.{part}")
        if hasattr(module, "setup"):
            returned = module.setup(app) or {}
            for key in ("parallel_read_safe", "parallel_write_safe"):
                metadata[key] = metadata[key] and returned.get(key, True)
    return metadata
