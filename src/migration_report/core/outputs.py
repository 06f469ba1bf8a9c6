"""What a chapter writes beside its figures: the data behind each one, as CSV."""

from __future__ import annotations

import base64
import re
from functools import lru_cache
from pathlib import Path

import pandas as pd
from IPython.display import Markdown

from migration_report.core import i18n
from migration_report.core.data import resource
from migration_report.core.i18n import N_, NP_, _


# Reader-facing column names of the figure data, with units, in one place for translation (messages,
# translated by `readable`). A column without an entry is shown as its name in words; FIGURE_COLUMNS
# gives names that mean something else in one figure ("total", "source").
COLUMNS = {
    "month": N_("Month"), "date": N_("Date"), "date_end": N_("End date"), "date_precision": N_("Date precision"),
    "date_basis": N_("Date basis"), "when": N_("When"), "country": N_("Country"), "encounters": N_("Encounters (count)"),
    "funding_id": N_("Funding ID"), "donor": N_("Donor"), "recipient": N_("Recipient"), "programme": N_("Programme"),
    "kind": N_("Kind"), "amount_usd": N_("Amount (US dollars)"), "confirmation": N_("Confirmation"),
    "reported_by": N_("Reported by"), "note": N_("Note"), "source_key": N_("Source"),
    "paroles_cuba": N_("CHNV paroles, Cuba (people)"), "paroles_haiti": N_("CHNV paroles, Haiti (people)"),
    "paroles_nicaragua": N_("CHNV paroles, Nicaragua (people)"), "paroles_venezuela": N_("CHNV paroles, Venezuela (people)"),
    "cbp_one_cubans_haitians_and_venezuelans": N_("CBP One appointments, Cubans, Haitians and Venezuelans (count)"),
    "cbp_one_mexicans": N_("CBP One appointments, Mexicans (count)"),
    "cbp_one_all_other_nationalities": N_("CBP One appointments, all other nationalities (count)"),
    "paroles": N_("CHNV paroles since October 2022 (people)"),
    "cbp_one_chv": N_("CBP One appointments since January 2023, Cubans, Haitians and Venezuelans (count)"),
    "cbp_one_other": N_("CBP One appointments since January 2023, other nationalities (count)"),
    "cbp_one_all": N_("CBP One appointments since January 2023, all nationalities (count)"),
    "travel_authorizations": N_("CHNV travel authorizations since October 2022 (count)"),
    "confirmed_beneficiaries": N_("CHNV confirmed beneficiaries since October 2022 (people)"),
    "chnv_low": N_("CHNV by both routes since October 2022, low estimate (people)"),
    "chnv_high": N_("CHNV by both routes since October 2022, high estimate (people)"),
    "paroles_plus_all": N_("CHNV paroles plus all CBP One appointments since October 2022 (count)"),
    "cbp_encounters": N_("CBP, Border Patrol encounters (count)"), "cbp_series": N_("CBP series"),
    "ohss_encounters": N_("OHSS, Border Patrol encounters, rounded (count)"),
    "USBP": N_("Border Patrol (encounters)"), "OFO": N_("Field Operations (encounters)"),
    "link_id": N_("Link ID"), "target": N_("To (actor ID)"), "relation": N_("Relation"), "scope": N_("Scope"),
    "id": N_("Actor ID"), "name": N_("Name"), "label": N_("Label"), "level": N_("Level"), "side": N_("Side"),
    "named_in_article": N_("Named in the article"), "x": N_("Position in the drawing, x"), "y": N_("Position in the drawing, y"),
    "degree": N_("Links (count)"), "betweenness": N_("Betweenness centrality (0 to 1)"),
    "claim_id": N_("Claim ID"), "chapter": N_("Chapter"), "topic": N_("Topic"), "verdict": N_("Verdict"),
    "reason": N_("Reason for the verdict"), "figure_set": N_("Figure set"), "part": N_("Part"),
    "length": N_("Length, as stated"), "unit": N_("Unit of the stated length"), "approximate": N_("Approximate"),
    "length_m": N_("Length (metres)"), "share_pct": N_("Share of the total length (%)"), "event": N_("Event"),
    "actor": N_("Actor"), "confidence": N_("Confidence"),
}
FIGURE_COLUMNS = {
    "fig-flow-mexico": {"total": N_("All Mexican nationals (encounters)")},
    "fig-actor-network-links": {"source": N_("From (actor ID)")},
}
# Coded values a reader reads as words ("not verifiable", "high", "day"): in another edition each is
# shown as the edition writes it. Codes without an entry (identifiers, units) stay as they are.
VALUE_WORDS = {
    "verdict": {code: code for code in (N_("supported"), N_("partly supported"), N_("not supported"),
                                        N_("not verifiable"))},
    "relay": {code: code for code in (N_("faithful"), N_("partly faithful"), N_("not faithful"), N_("not checked"))},
    "confidence": {code: code for code in (N_("high"), N_("medium"), N_("low"))},
    "date_precision": {"day": N_("day"), "month": N_("month"), "period": N_("period")},
    "date_basis": {"event": N_("the day of the event"), "report": N_("the day of a report")},
    "level": {"international": N_("international"), "national": N_("national"), "state": N_("state")},
    "kind": {"announced pledge": N_("announced pledge"), "signed contract": N_("signed contract"),
             "planned budget": N_("planned budget"), "disbursement": N_("disbursement"),
             "agency": N_("agency"), "commission": N_("commission"), "court": N_("court"), "event": N_("event"),
             "government": N_("government"), "infrastructure": N_("infrastructure"),
             "international": N_("international organisation"), "person": N_("person"), "programme": N_("programme")},
    "confirmation": {code: code for code in (N_("stated by donor"), N_("in donor's official report"),
                                             N_("not confirmed by donor"))},
}
# Countries and sides named in English in the curated tables (the actors' country, a donor, a side).
PLACE_WORDS = {code: code for code in (
    N_("Mexico"), N_("United States"), N_("Binational"), N_("International"), N_("US federal"),
    N_("Binational or UN"), N_("Programme countries"), N_("Belize"), N_("Cuba"), N_("Ecuador"), N_("El Salvador"),
    N_("Guatemala"), N_("Honduras"))}
VALUE_WORDS.update({"country": PLACE_WORDS, "donor": PLACE_WORDS, "side": PLACE_WORDS})
SIGNIFICANT_DIGITS = 4  # plotted values to the precision a chart can show, without float noise
DATA_LICENCE = {"name": "CC-BY-4.0", "path": "https://creativecommons.org/licenses/by/4.0/",
                "title": N_("CC BY 4.0 for this table as the book compiled it; the CBP and DHS statistics in it are "
                            "U.S. Government works, in the public domain in the United States")}
TEXT = {"figure_source": N_("Source of the figure")}
# The download link's text, whole, with the number of rows its words agree with (i18n.ngettext).
DATA_LINK = {None: NP_("Data for this figure (CSV, {n} row)", "Data for this figure (CSV, {n} rows)"),
             "what": NP_("Data for this figure: {what} (CSV, {n} row)", "Data for this figure: {what} (CSV, {n} rows)")}


def readable(frame: pd.DataFrame, stem: str, references: dict[str, str] | None = None) -> pd.DataFrame:
    """The figure's data as a reader downloads it: named columns with units, whole numbers as
    integers, other numbers rounded, and each source key replaced by the reference it stands for."""
    labels = i18n.translated({**COLUMNS, **FIGURE_COLUMNS.get(stem, {})})
    shown = in_language(frame)
    for column in shown.columns:
        values = shown[column]
        if column in VALUE_WORDS:
            words = {code: _(word) for code, word in VALUE_WORDS[column].items()}
            shown[column] = values.map(lambda v, words=words: words.get(v, v) if isinstance(v, str) else v)
        elif column == "source_key" and references is not None:
            shown[column] = values.map(lambda key: references.get(key, key) if isinstance(key, str) else key)
        elif pd.api.types.is_float_dtype(values):
            finite = values.dropna()
            if len(finite) and (finite == finite.round()).all():
                shown[column] = values.round().astype("Int64")
            else:
                shown[column] = values.map(lambda v: float(f"{v:.{SIGNIFICANT_DIGITS}g}") if pd.notna(v) else v)
    shown.columns = [labels.get(c, str(c).replace("_", " ").capitalize() if "_" in str(c) else c)
                     for c in shown.columns]
    return shown


def in_language(frame: pd.DataFrame, lang: str | None = None) -> pd.DataFrame:
    """FRAME for a download in the edition's language: each text column that has a translation
    beside it (COLUMN_es) shows it, where there is one, and the translations' own columns go."""
    lang = i18n.language(lang)
    suffixes = tuple(f"_{code}" for code in i18n.LANGUAGES if code != "en")
    shown = frame.copy()
    if lang != "en":
        for column in frame.columns:
            translated = f"{column}_{lang}"
            if translated in frame.columns:
                text = frame[translated]
                shown[column] = text.where(text.notna() & (text.astype(str) != ""), frame[column])
    return shown[[c for c in shown.columns if not str(c).endswith(suffixes)]]


def _field_type(values: pd.Series) -> str:
    if pd.api.types.is_bool_dtype(values):
        return "boolean"
    if pd.api.types.is_integer_dtype(values):
        return "integer"
    return "number" if pd.api.types.is_float_dtype(values) else "string"


def reference_texts(keys) -> dict[str, str]:
    """Each references.bib key as the reference the References page shows: author (year), title."""
    entries = _bib()
    texts = {}
    for key in keys:
        if key not in entries:
            continue
        fields, people = entries[key].fields, entries[key].persons.get("author", [])
        author = "; ".join(" ".join(p.last_names) for p in people) or fields.get("organization") or fields.get(
            "publisher", fields.get("journal", ""))
        year = fields.get("year") or _("n.d.")  # undated: "s. f." in Spanish, as the References page
        texts[key] = plain_text(f"{author} ({year}), {fields.get('title', key)}")
    return texts


# What LaTeX would read as other than itself: macros, groups, math, ligatures (-- ``), spacing.
_LATEX_MARKUP = re.compile(r"[\\{}$~%&^_#]|--|``|''|\s\s|\n")


@lru_cache(maxsize=1024)
def plain_text(latex: str) -> str:
    """A .bib field as a reader reads it (accents, escapes, dashes); most fields hold no markup at all
    and are returned as they are, without the converter (a tenth of a second for a chapter's 68 references)."""
    return _latex().latex_to_text(latex) if _LATEX_MARKUP.search(latex) else latex


@lru_cache(maxsize=1)
def _latex():
    """The .bib's accents and escapes as a reader reads them (one converter: each one builds its
    tables of LaTeX macros, which took longer than the conversions)."""
    from pylatexenc.latex2text import LatexNodes2Text

    return LatexNodes2Text()


def _bib():
    """The entries of the book's references.bib, parsed once per version of the file."""
    from migration_report.core.settings import book_root

    bib = book_root() / "references.bib"
    stat = bib.stat()
    return _bib_entries(str(bib), stat.st_mtime_ns, stat.st_size)


@lru_cache(maxsize=4)
def _bib_entries(path: str, mtime_ns: int, size: int):
    """The entries of the .bib at PATH, parsed once per version of the file (a chapter writes
    several figures' data, and each reads it)."""
    from pybtex.database import parse_file

    return parse_file(path).entries


MONTHS = ("jan", "feb", "mar", "apr", "may", "jun", "jul", "aug", "sep", "oct", "nov", "dec")


def reference_works(keys) -> dict[str, dict]:
    """Each references.bib key as a published work: `title`, `url`, `publisher` (the outlet or
    issuer) and `date` (ISO, as precise as the entry gives it: 2023-07-26, 2023-07 or 2023; empty
    when undated)."""
    plain = plain_text
    entries = _bib()
    works = {}
    for key in keys:
        if key not in entries:
            continue
        fields = entries[key].fields
        date = fields.get("date", "")
        if not date and fields.get("year"):
            month = str(fields.get("month", "")).lower()[:3]
            date = fields["year"]
            if month in MONTHS:
                date += f"-{MONTHS.index(month) + 1:02d}"
                if fields.get("day"):
                    date += f"-{int(fields['day']):02d}"
        people = entries[key].persons.get("author", [])
        publisher = (fields.get("howpublished") or fields.get("publisher") or fields.get("journal")
                     or " ".join(str(p) for p in people))
        works[key] = {"title": plain(fields.get("title", "")), "url": fields.get("url", ""),
                      "publisher": plain(publisher), "date": date}
    return works


def figure_data(frame: pd.DataFrame, output_dir, stem: str, what: str | None = None) -> Markdown:
    """Write the figure's data to OUTPUT_DIR/STEM.csv and return a MyST link that carries the same CSV;
    WHAT names which of a figure's tables it is ("actors"), in the link's text.

    The link is the `{figure-data}` role of `migration_report.sphinx.boxes`, with the CSV text
    inside it (base64), so the download a page offers is stored in the notebook's output, in the
    execution cache, with the figure it belongs to: the book never serves a CSV that another
    run (papermill, other parameters) left in OUTPUT_DIR, and needs nothing from that folder.
    The link also carries what the CSV's descriptor needs (its columns, sources and licence);
    the book adds the figure's title and address. The file in OUTPUT_DIR is for whoever runs the
    chapter on its own.
    """
    import json

    from migration_report.core import spreadsheet, style

    keys = sorted(set(frame["source_key"].dropna())) if "source_key" in frame else []
    references = reference_texts(keys)
    shown = readable(frame, stem, references)
    if style.last_source:  # the figure's source line travels with its data (a spreadsheet has no caption)
        shown[_(TEXT["figure_source"])] = style.last_source
    # safe to open in a spreadsheet: formula-like text neutralised, a UTF-8 byte-order mark (spreadsheet.py)
    text = spreadsheet.BOM + spreadsheet.safe_frame(shown).to_csv(index=False, lineterminator="\n")
    folder = Path(output_dir)
    folder.mkdir(parents=True, exist_ok=True)
    (folder / f"{stem}.csv").write_text(text, encoding="utf-8")
    sources = ([{"title": style.last_source}] if style.last_source else []) + [
        {"title": references.get(key, key)} for key in keys]
    meta = {"fields": [{"name": name, "type": _field_type(shown[name])} for name in shown.columns],
            "sources": sources, "licenses": [i18n.translated(DATA_LICENCE)]}
    title = i18n.ngettext(DATA_LINK["what" if what else None], len(frame)).format(what=what)
    return Markdown(figure_data_role(title, f"{stem}.csv", text,
                                     meta=json.dumps(meta, ensure_ascii=False, sort_keys=True)))


def figure_data_role(title: str, filename: str, csv_text: str, meta: str | None = None) -> str:
    """MyST text of a download link named `filename` whose content is `csv_text`, and, for a
    figure's data, the JSON `meta` from which the book writes the CSV's descriptor."""
    payload = base64.b64encode(csv_text.encode("utf-8")).decode("ascii")
    described = f";meta,{base64.b64encode(meta.encode('utf-8')).decode('ascii')}" if meta else ""
    return f"{{figure-data}}`{title} <{filename};base64,{payload}{described}>`"


class Markup(str):
    """MyST markup made by code (a citation, a role), which a table or text keeps as it is.

    Everything else that reaches MyST is text from data or parameters and is escaped, so a cell
    holding `<img src=x onerror=…>` or `{raw}` shows those characters instead of becoming markup.
    """


_MARKUP = re.compile(r"([\\`*_{}\[\]<>#|~$^&])")


def escape(text) -> str:
    """Text from data, made inert for MyST: markup characters escaped, on one line."""
    if isinstance(text, Markup):
        return text
    return _MARKUP.sub(r"\\\1", " ".join(str(text).split()))


def cite(key: str, form: str = "t") -> Markup:
    """A citation of one source by its BibTeX key (keys are checked against references.bib)."""
    if not re.fullmatch(r"[A-Za-z0-9_:-]+", str(key)):
        raise ValueError(f"not a BibTeX key: {key!r}")
    return Markup(f"{{cite:{form}}}`{key}`")


def markdown_table(frame: pd.DataFrame, **kwargs) -> Markdown:
    """A table as Markdown, so it renders as a real table in both the HTML and the PDF.

    Text cells are escaped unless they are `Markup`; numbers are left for the table's formatting.
    """
    safe = frame.copy()
    safe.columns = [escape(c) for c in safe.columns]
    for column in safe.columns:
        safe[column] = [escape(v) if isinstance(v, str) else v for v in safe[column]]
    return Markdown(safe.to_markdown(index=False, **kwargs))


# The most sources one bracket may cite. A statement rests on a few sources; a longer list
# (the sources of a whole table) goes in a Source column, one citation per row, where the
# reader can see which source supports which row. tests/test_citations.py holds the book to it.
MAX_CITATION_KEYS = 6


def cite_p(keys) -> Markup:
    """One parenthetical citation of a few sources (at most MAX_CITATION_KEYS), in the order given."""
    keys = list(dict.fromkeys(keys))
    if not keys or len(keys) > MAX_CITATION_KEYS:
        raise ValueError(f"a citation names 1 to {MAX_CITATION_KEYS} sources, not {len(keys)}: "
                         "cite a long list of sources row by row in a table")
    for key in keys:
        cite(key)  # checks the key's form
    return Markup("{cite:p}`" + ",".join(keys) + "`")


# Spanish proper names the book's generated text may contain: programme names that are not in
# the actors table (whose Spanish names are marked there, in its name_language column).
SPANISH_NAMES = ("Sembrando Vida", "Jóvenes Construyendo el Futuro", "Sembrando Oportunidades")


def spanish(text) -> Markup:
    """Spanish text in the `{es}` role (lang="es" in HTML). Role content is literal text, so only a
    backtick could end it early; it becomes an apostrophe."""
    return Markup("{es}`" + " ".join(str(text).replace("`", "'").split()) + "`")


def english(text) -> Markup:
    """English text in the `{en}` role (lang="en" in HTML), for another edition; as `spanish`."""
    return Markup("{en}`" + " ".join(str(text).replace("`", "'").split()) + "`")


def mark_spanish(text, names=SPANISH_NAMES) -> Markup:
    """Text from data, escaped, with each Spanish name in it marked with the `{es}` role."""
    if isinstance(text, Markup):
        return text
    return _marked(text, dict.fromkeys(names, spanish))


def mark_names(text, lang: str | None = None) -> Markup:
    """Text from data, escaped, with each Spanish name marked (`{es}`) and, in another edition than
    the English, each English title of a publication (i18n.ENGLISH_TITLES) marked `{en}`: for text
    that names data releases (a dataset's sources, the register's Data line)."""
    if isinstance(text, Markup):
        return text
    marks = dict.fromkeys(SPANISH_NAMES, spanish)
    if i18n.language(lang) != "en":
        marks.update(dict.fromkeys(i18n.ENGLISH_TITLES, english))
    return _marked(text, marks)


def _marked(text, marks: dict) -> Markup:
    """TEXT escaped, each name of MARKS in it given to its function (`spanish`, `english`)."""
    plain = " ".join(str(text).split())
    found = sorted({n for n in marks if n in plain}, key=len, reverse=True)
    if not found:
        return Markup(escape(plain))
    pattern = re.compile("|".join(re.escape(n) for n in found))
    def inert(piece: str) -> str:  # like escape, but keeps the spaces around a name
        return _MARKUP.sub(r"\\\1", piece)

    pieces, start = [], 0
    for match in pattern.finditer(plain):
        pieces += [inert(plain[start:match.start()]), marks[match.group()](match.group())]
        start = match.end()
    pieces.append(inert(plain[start:]))
    return Markup("".join(pieces))


def dataset_title(name: str) -> Markdown:
    """The title of a resource of the data package, in italics, as readers see it (in the edition's
    language, Spanish names marked): readers get the dataset's name; its file and resource name are
    for data-and-methods."""
    from migration_report.core.data import localized_property

    return Markdown("*" + mark_spanish(localized_property(resource(name), "title", i18n.language(), name)) + "*")


def link(text, url) -> Markup:
    """A Markdown link whose text and address come from data: the text escaped, and the address
    used only if it is a plain http, https or mailto address (no `javascript:`, `data:` or other
    scheme, no spaces or brackets); else the text alone."""
    if isinstance(url, str) and re.fullmatch(r"(?i:https?://|mailto:)[^\s()<>\[\]`\\]+", url):
        return Markup(f"[{escape(text)}]({url})")
    return Markup(escape(text))


def code(text) -> Markup:
    """Text from data as inline code: a fence longer than any run of backticks inside it, so the
    text cannot end the code span, and table pipes escaped, so it cannot end a table cell."""
    text = " ".join(str(text).split()).replace("|", "\\|")
    longest = max((len(run) for run in re.findall(r"`+", text)), default=0)
    fence = "`" * (longest + 1)
    return Markup(f"{fence} {text} {fence}")
