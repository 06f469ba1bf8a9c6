"""Files the HTML book offers for download, beside its pages: the data package, as one ZIP and
table by table, the Frictionless descriptor beside each figure's CSV, and each chapter's
executed notebook. Pure functions; `migration_report.sphinx.reuse` writes them into the build.

The ZIP's README is for someone who has only the ZIP: each table's sources by title with their
addresses (for a curated table, the documents its `source_key` column names, from references.bib),
and what can be done in the unpacked folder, or where the code that made the tables is.
"""

from __future__ import annotations

import copy
import csv
import io
import json
import zipfile
from pathlib import Path

from migration_report.core import i18n, spreadsheet
from migration_report.core.data import localized_property
from migration_report.core.i18n import N_, NP_
from migration_report.core.settings import Settings

# Reader-facing text made by this module, in one place for translation (messages, translated where
# used into the edition's language).
TEXT = {
    "readme_title": "# {title}",
    "readme_intro": N_("Version {version} of the data package of the book \"{book}\". {description}"),
    "readme_files": N_("## Files\n\n- `datapackage.json`: the Frictionless Data Package descriptor (title, source, "
                    "licence, SHA-256 and Table Schema of every table).\n- `references.bib`: the documents that the "
                    "`source_key` columns name, in BibTeX.\n- One CSV file for each table below.\n"),
    "readme_check": N_("## Checking and rebuilding the tables\n\nIn the unpacked folder, "
                       "`frictionless validate datapackage.json` checks every table against its schema and its "
                       "SHA-256 (Frictionless is a Python package: `pip install frictionless`).\n"),
    "readme_code": N_("The code that made the tables is not in this ZIP; it is in the book's repository, "
                      "<{repository}>. In a copy of the repository, `make data RAW=folder` rebuilds the derived "
                      "tables from the raw files in that folder (each derived table lists them, with their "
                      "SHA-256, under `derivedFrom` in `datapackage.json`), and `make data-check RAW=folder` "
                      "checks that they are reproduced byte for byte.\n"),
    "readme_no_code": N_("The code that made the tables is not in this ZIP, and the book's repository has no public "
                         "address yet, so this README cannot say where to find it. Each derived table lists the raw "
                         "files it was made from, with their SHA-256, under `derivedFrom` in `datapackage.json`.\n"),
    "no_date": N_("n.d."),
    "readme_licences": N_("## Licences\n\n{licences}\n"),
    "unknown": N_("not stated"),
    "download_package": N_("- {{book-file}}`The whole data package (ZIP: every table, datapackage.json, references.bib "
                        "and a README with sources and licences) <{path}>`"),
    "download_descriptor": N_("- {{book-file}}`The descriptor alone (datapackage.json) <{path}>`"),
    "download_table": N_("- {{book-file}}`{title} ({file}) <{path}>`"),
    "figure_description": N_("The values plotted in this figure of the book, one row per plotted value."),
}
# A table's section of the README, whole, with the number of rows its words agree with (i18n.ngettext).
README_TABLE = NP_("### {title}\n\n`{path}` ({n} row). {description}\n\n- Publisher: {publisher}\n"
                   "- Sources:\n{sources}\n- Licence: {licences}\n",
                   "### {title}\n\n`{path}` ({n} rows). {description}\n\n- Publisher: {publisher}\n"
                   "- Sources:\n{sources}\n- Licence: {licences}\n")
ZIP_DATE = (1980, 1, 1, 0, 0, 0)  # the earliest date a ZIP stores: the archive's bytes depend on its content only
PACKAGE_FILES = ("datapackage.json",)
DOWNLOAD_DIR = "_downloads/data"  # where the HTML book serves the data package, relative to its root
SOURCE_KEY = "source_key"  # the column of a curated table that names each row's document in references.bib


def package_zip_name(version: str) -> str:
    return f"migration-report-data-{version}.zip"


def package_item(meta, where: Settings, data_dir: Path) -> dict:
    """The data package's citation (CSL-JSON): its title in the edition's language, the book's
    authors, version and date, and the ZIP's published address once the book has one."""
    from migration_report.core import citation

    descriptor = json.loads((Path(data_dir) / "datapackage.json").read_text(encoding="utf-8"))
    title = localized_property(descriptor, "title", meta.language, descriptor["name"], "the data package")
    return citation.data_package_item(meta, title, where.file_url(f"{DOWNLOAD_DIR}/{package_zip_name(meta.version)}"))


def download_list(descriptor: dict, version: str, folder: str = DOWNLOAD_DIR) -> str:
    """The data package's downloads as a MyST list of `{book-file}` links (written by migration_report.sphinx.reuse)."""
    from migration_report.core.outputs import escape

    def safe(text: str) -> str:  # role content is not parsed, but a backtick or angle bracket would end it
        return escape(text).replace("\\", "").replace("<", "‹").replace(">", "›").replace("`", "'")

    text = i18n.translated(TEXT)
    lines = [text["download_package"].format(path=f"{folder}/{package_zip_name(version)}"),
             text["download_descriptor"].format(path=f"{folder}/datapackage.json")]
    lang = i18n.language()
    lines += [text["download_table"].format(title=safe(r.get(f"title_{lang}", r.get("title", r["name"]))), file=r["path"],
                                            path=f"{folder}/{r['path']}") for r in descriptor["resources"]]
    return "\n".join(lines)


def readme(descriptor: dict, *, version: str, book_title: str, rows: dict[str, int],
           references: dict[str, tuple[str, str | None]] | None = None, keys: dict[str, list[str]] | None = None,
           repository: str | None = None) -> str:
    """A README for the data package, from its descriptor: what each table is, its sources (by
    title, with their addresses) and licence, and how to check and rebuild the tables.

    REFERENCES maps a references.bib key to (reference, address); KEYS maps a table's path to the
    keys its source_key column names, in order; REPOSITORY is the book's repository address (None
    while it has none)."""
    text, lang = i18n.translated(TEXT), i18n.language()
    references, keys = references or {}, keys or {}

    def said(item: dict, key: str, default: str = "") -> str:
        """A resource's text, or a source's or licence's title, in the edition's language (`<key>_<lang>`
        beside the English in the descriptor, as the data-and-methods page reads them)."""
        return localized_property(item, key, lang, default, repr(item.get("name") or item.get("title")))

    parts = [text["readme_title"].format(title=said(descriptor, "title", descriptor["name"])), "",
             text["readme_intro"].format(version=version, book=book_title, description=said(descriptor, "description")),
             "", text["readme_files"],
             text["readme_check"] + "\n" + (text["readme_code"].format(repository=repository) if repository
                                            else text["readme_no_code"])]
    for resource in descriptor["resources"]:
        sources = _sources(resource, said, [references[k] for k in keys.get(resource["path"], []) if k in references])
        parts.append(i18n.ngettext(README_TABLE, rows.get(resource["path"], 0)).format(
            title=said(resource, "title", resource["name"]), path=resource["path"],
            description=said(resource, "description"), publisher=said(resource, "publisher", text["unknown"]),
            sources="\n".join(f"  - {s}" for s in sources) or f"  - {text['unknown']}",
            licences=_licences(resource.get("licenses", descriptor.get("licenses", [])), said)))
    parts.append(text["readme_licences"].format(licences="\n".join(
        f"- {licence['name']}: {said(licence, 'title')} <{licence.get('path', '')}>"
        for licence in descriptor.get("licenses", []))))
    return "\n".join(parts)


def _sources(resource: dict, said, cited: list[tuple[str, str | None]]) -> list[str]:
    """A table's sources as README lines, "Title <address>": the descriptor's own sources, where a
    pointer without an address ("See the source_key of each row") gives way to the documents the
    rows cite; each address once."""
    lines, seen = [], set()
    own = [(said(s, "title"), s.get("path")) for s in resource.get("sources", [])]
    for title, address in [entry for entry in own if entry[1] or not cited] + cited:
        if address in seen:
            continue
        seen.add(address)
        lines.append(f"{title} <{address}>" if address else title)
    return lines


def bib_references(bib_path: Path) -> dict[str, tuple[str, str | None]]:
    """Each references.bib entry as (reference, address): "Author (year), Title" as the reader reads
    it (accents and escapes resolved), and its URL, else its DOI's address, else None."""
    from pybtex.database import parse_file
    from pylatexenc.latex2text import LatexNodes2Text

    to_text, result = LatexNodes2Text(), {}
    for key, entry in parse_file(str(bib_path)).entries.items():
        fields = entry.fields
        author = "; ".join(" ".join(p.last_names) for p in entry.persons.get("author", [])) or fields.get(
            "organization") or fields.get("publisher") or fields.get("journal", "")
        year = fields.get("year") or i18n.gettext(TEXT["no_date"])
        reference = to_text.latex_to_text(f"{author} ({year}), {fields.get('title', key)}")
        address = fields.get("url") or (f"https://doi.org/{fields['doi']}" if fields.get("doi") else None)
        result[key] = (" ".join(reference.split()), address)
    return result


def cited_keys(table: bytes) -> list[str]:
    """The references.bib keys a table's source_key column names, in the order of their first row."""
    rows = csv.DictReader(io.StringIO(table.decode("utf-8-sig")))
    if SOURCE_KEY not in (rows.fieldnames or []):
        return []
    return list(dict.fromkeys(row[SOURCE_KEY] for row in rows if row[SOURCE_KEY]))


def _licences(licences: list[dict], said) -> str:
    return "; ".join(said(licence, "title") or licence["name"] for licence in licences) or i18n.gettext(TEXT["unknown"])


def data_package_zip(data_dir: Path, bib_path: Path, *, version: str, book_title: str,
                     repository: str | None = None) -> bytes:
    """The whole data package as one ZIP: every table, datapackage.json, references.bib and a README."""
    descriptor = json.loads((data_dir / "datapackage.json").read_text(encoding="utf-8"))
    offered = spreadsheet.downloadable_package(data_dir)  # the tables as offered: safe in a spreadsheet
    tables = {r["path"]: offered[r["path"]] for r in descriptor["resources"]}
    rows = {path: max(content.count(b"\n") - 1, 0) for path, content in tables.items()}
    text = readme(descriptor, version=version, book_title=book_title, rows=rows, references=bib_references(bib_path),
                  keys={path: cited_keys(content) for path, content in tables.items()}, repository=repository)
    members = {"README.md": text.encode("utf-8"),
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
