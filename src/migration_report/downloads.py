"""Files the HTML book offers for download, beside its pages: the data package, as one ZIP and
table by table, the Frictionless descriptor beside each figure's CSV, and each chapter's
executed notebook. Pure functions; `migration_report.sphinx_reuse` writes them into the build.
"""

from __future__ import annotations

import copy
import io
import json
import zipfile
from pathlib import Path

from . import i18n, spreadsheet
from .data import localized_property
from .i18n import N_

# Reader-facing text made by this module, in one place for translation (messages, translated where
# used into the edition's language).
TEXT = {
    "readme_title": "# {title}",
    "readme_intro": N_("Version {version} of the data package of the book \"{book}\". {description}"),
    "readme_files": N_("## Files\n\n- `datapackage.json`: the Frictionless Data Package descriptor (title, source, "
                    "licence, SHA-256 and Table Schema of every table); check it with "
                    "`frictionless validate datapackage.json`.\n- `references.bib`: the documents that the "
                    "`source_key` columns name.\n"),
    "readme_table": N_("### {title}\n\n`{path}` ({rows} rows). {description}\n\n- Publisher: {publisher}\n"
                    "- Sources: {sources}\n- Licence: {licences}\n"),
    "readme_licences": N_("## Licences\n\n{licences}\n"),
    "unknown": N_("not stated"),
    "download_package": N_("- {{book-file}}`The whole data package (ZIP: every table, datapackage.json, references.bib "
                        "and a README with sources and licences) <{path}>`"),
    "download_descriptor": N_("- {{book-file}}`The descriptor alone (datapackage.json) <{path}>`"),
    "download_table": N_("- {{book-file}}`{title} ({file}) <{path}>`"),
    "figure_description": N_("The values plotted in this figure of the book, one row per plotted value."),
}
ZIP_DATE = (1980, 1, 1, 0, 0, 0)  # the earliest date a ZIP stores: the archive's bytes depend on its content only
PACKAGE_FILES = ("datapackage.json",)


def package_zip_name(version: str) -> str:
    return f"migration-report-data-{version}.zip"


def download_list(descriptor: dict, version: str, folder: str = "_downloads/data") -> str:
    """The data package's downloads as a MyST list of `{book-file}` links (written by sphinx_reuse)."""
    from .outputs import escape

    def safe(text: str) -> str:  # role content is not parsed, but a backtick or angle bracket would end it
        return escape(text).replace("\\", "").replace("<", "‹").replace(">", "›").replace("`", "'")

    text = i18n.translated(TEXT)
    lines = [text["download_package"].format(path=f"{folder}/{package_zip_name(version)}"),
             text["download_descriptor"].format(path=f"{folder}/datapackage.json")]
    lang = i18n.language()
    lines += [text["download_table"].format(title=safe(r.get(f"title_{lang}", r.get("title", r["name"]))), file=r["path"],
                                            path=f"{folder}/{r['path']}") for r in descriptor["resources"]]
    return "\n".join(lines)


def readme(descriptor: dict, *, version: str, book_title: str, rows: dict[str, int]) -> str:
    """A README for the data package, from its descriptor: what each table is, its source and licence."""
    text, lang = i18n.translated(TEXT), i18n.language()

    def said(item: dict, key: str, default: str = "") -> str:
        """A resource's text, or a source's or licence's title, in the edition's language (`<key>_<lang>`
        beside the English in the descriptor, as the data-and-methods page reads them)."""
        return localized_property(item, key, lang, default, repr(item.get("name") or item.get("title")))

    parts = [text["readme_title"].format(title=said(descriptor, "title", descriptor["name"])), "",
             text["readme_intro"].format(version=version, book=book_title, description=said(descriptor, "description")),
             "", text["readme_files"]]
    for resource in descriptor["resources"]:
        sources = "; ".join(f"{said(s, 'title')} <{s['path']}>" if s.get("path") else said(s, "title")
                            for s in resource.get("sources", [])) or text["unknown"]
        parts.append(text["readme_table"].format(
            title=said(resource, "title", resource["name"]), path=resource["path"], rows=rows.get(resource["path"], 0),
            description=said(resource, "description"), publisher=said(resource, "publisher", text["unknown"]),
            sources=sources, licences=_licences(resource.get("licenses", descriptor.get("licenses", [])), said)))
    parts.append(text["readme_licences"].format(licences="\n".join(
        f"- {licence['name']}: {said(licence, 'title')} <{licence.get('path', '')}>"
        for licence in descriptor.get("licenses", []))))
    return "\n".join(parts)


def _licences(licences: list[dict], said) -> str:
    return "; ".join(said(licence, "title") or licence["name"] for licence in licences) or i18n.gettext(TEXT["unknown"])


def data_package_zip(data_dir: Path, bib_path: Path, *, version: str, book_title: str) -> bytes:
    """The whole data package as one ZIP: every table, datapackage.json, references.bib and a README."""
    descriptor = json.loads((data_dir / "datapackage.json").read_text(encoding="utf-8"))
    offered = spreadsheet.downloadable_package(data_dir)  # the tables as offered: safe in a spreadsheet
    tables = {r["path"]: offered[r["path"]] for r in descriptor["resources"]}
    rows = {path: max(content.count(b"\n") - 1, 0) for path, content in tables.items()}
    members = {"README.md": readme(descriptor, version=version, book_title=book_title, rows=rows).encode("utf-8"),
               "datapackage.json": offered["datapackage.json"],
               "references.bib": bib_path.read_bytes(), **tables}
    folder = package_zip_name(version).removesuffix(".zip")
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED) as archive:
        for name, content in sorted(members.items()):
            info = zipfile.ZipInfo(f"{folder}/{name}", date_time=ZIP_DATE)
            info.compress_type = zipfile.ZIP_DEFLATED
            info.external_attr = 0o644 << 16
            archive.writestr(info, content)
    return buffer.getvalue()


def figure_resource(meta: dict, *, name: str, title: str, figure_url: str) -> dict:
    """The Frictionless resource descriptor beside a figure's CSV: what it is, where it comes from,
    its licence, and the figure it belongs to (`meta` is what `outputs.figure_data` recorded)."""
    stem = name.rsplit(".", 1)[0]
    return {
        "name": stem, "path": name, "title": title, "description": i18n.gettext(TEXT["figure_description"]),
        "format": "csv", "mediatype": "text/csv", "encoding": "utf-8",
        "figure": figure_url,
        "sources": meta.get("sources", []),
        "licenses": meta.get("licenses", []),
        "schema": {"fields": meta.get("fields", [])},
        spreadsheet.PROPERTY: i18n.gettext(spreadsheet.NOTE),
    }


def executed_notebook(notebook) -> dict:
    """The executed notebook a reader downloads: its outputs as the book shows them, without the
    execution timings, which differ from run to run and would make two builds of the book differ."""
    clean = copy.deepcopy(notebook)
    for cell in clean.get("cells", []):
        cell.get("metadata", {}).pop("execution", None)
    return clean
