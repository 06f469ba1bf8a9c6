"""The claim register page, written as MyST from `claims.register()`: summary, claim cards, coverage.

Every piece of text from data goes through `escape`, so a quotation or a finding can never
become markup. Reader-facing words made here live in TEXT (one place, for translation).
Each card is a `claim-card` container whose first heading `migration_report.sphinx_ext`
turns into a real section, so it appears in the page contents with the anchor #claim-<id>.
"""

from __future__ import annotations

import re

import pandas as pd

from . import claims
from .claimreview import STEM as REGISTER_STEM
from .outputs import MAX_CITATION_KEYS, Markup, cite_p, mark_spanish

TEXT = {
    "summary_header": "| Claim | Claimed | Found | Verdict |\n| --- | --- | --- | --- |",
    "summary_row": "| {indent}[{topic}](#{card}) | {claimed} | {found} | {badge} |",
    "part_indent": "↳ ",
    "see_card": "see the card",
    "compound": "compound: see its parts",
    "reading": "Reading judged",
    "claimed": "Claimed",
    "found": "Found",
    "found_in": "Data",
    "verdict": "Verdict",
    "conclusion": "In one sentence",
    "sources": "Sources",
    "context": "Other readings and context",
    "original": "Spanish original",
    "checked_in": "Checked in",
    "parts": "Parts, each judged on its own",
    "part_of": "Part of",
    "relayed": {"faithful": "relayed faithfully", "partly": "relayed only in part", "not found": "no Spanish original found"},
    "not_checked_header": "| Sentence | Begins | Why it is not checked |\n| --- | --- | --- |",
    "quotations_header": "| Sentence | Speaker | Spanish original | Relayed | Source |\n| --- | --- | --- | --- | --- |",
    "not_found": "not found",
    "verdict_line": "{badge} — {reason}. Claimed: {claimed}; found: {found}. {link}",
    "verdict_line_found_parts": "see its parts",
    "verdict_line_found_card": "see the register",
    "register_entry": "Register entry",
    "cite": "Cite this claim",
    "register_title": "Claim register",
}
def summary(register: pd.DataFrame) -> str:
    rows = [TEXT["summary_header"]]
    for row in register.itertuples():
        found = row.found_short or (TEXT["compound"] if row.parts else TEXT["see_card"])
        rows.append(TEXT["summary_row"].format(
            indent=TEXT["part_indent"] if row.is_part else "", topic=mark_spanish(row.topic), card=row.card_label,
            claimed=mark_spanish(row.claimed), found=mark_spanish(found), badge=claims.badge(row.verdict, row.claim_id)))
    return "\n".join(rows)


def _spanish(text: str) -> str:
    """Spanish text in the `es` role: role content is never parsed as markup; only a backtick could end it."""
    return "{es}`" + " ".join(text.replace("`", "'").split()) + "`"


def _ref(text: str, label: str) -> str:
    """A cross-reference whose text comes from data: role content is never parsed as markup, and
    only a backtick or angle brackets could change the role's meaning."""
    safe = " ".join(str(text).split()).replace("`", "'").replace("<", "‹").replace(">", "›").replace("|", "/")
    return f"{{ref}}`{safe} <{label}>`"


def topic_ref(register: pd.DataFrame, claim_id: str) -> Markup:
    """A link to a claim's card in the register, named by the claim's topic (not its identifier)."""
    row = register.set_index("claim_id").loc[claim_id]
    return Markup(_ref(row["topic"], row["card_label"]))


def _cite(keys) -> str:
    """One bracket for a few sources; past MAX_CITATION_KEYS, a list of the sources by name, which
    a reader can follow one by one, instead of a bracket too long to read."""
    keys = [k for k in keys if re.fullmatch(r"[A-Za-z0-9_:-]+", k)]
    if len(keys) > MAX_CITATION_KEYS:
        return TEXT["sources"] + ": " + "; ".join(f"{{cite:t}}`{k}`" for k in keys) + "."
    return cite_p(keys) if keys else ""


def _cited_statements(statements, keys) -> str:
    """Each statement followed by the citation of its own source (none for a reading of the
    measured data, which the Found line cites), so every source is cited where it is used."""
    return " ".join(_cited(mark_spanish(s), _cite([k]) if k else "") for s, k in zip(statements, keys, strict=True))


def _cited(text: str, citation: str) -> str:
    """The citation inside the sentence, before its full stop."""
    if not citation:
        return str(text)
    body, stop = (text[:-1], ".") if text.endswith(".") else (text, "")
    return f"{body} {citation}{stop}"


def _field(term: str, body: str) -> str:
    return f"{term}\n: {body}\n"


def card(row, quotations: pd.DataFrame, topics: dict[str, str], cite=None) -> str:
    """One claim's card in MyST; `cite(row)` gives its one-line citation (MyST), if any."""
    lines = [f"({row.card_label})=", "::::{container} claim-card", f"#### {mark_spanish(row.topic)}", "",
             f"> {mark_spanish(row.quote)}", ">", "> — {cite:t}`latinarepublic2023`", "",
             _field(TEXT["verdict"], f"{claims.badge(row.verdict, row.claim_id)} — {mark_spanish(row.reason)}"),
             _field(TEXT["reading"], mark_spanish(row.reading)),
             _field(TEXT["claimed"], mark_spanish(row.claimed))]
    if row.parts:
        items = "; ".join(f"[{mark_spanish(topics[p])}](#{claims.CARD_LABEL.format(claim_id=p)})" for p in row.parts)
        lines.append(_field(TEXT["parts"], items))
    else:
        lines.append(_field(TEXT["found"], f"{mark_spanish(row.found)} {_cite(row.found_keys)}".strip()))
        if row.found_in:
            lines.append(_field(TEXT["found_in"], mark_spanish(row.found_in)))
    if row.is_part:
        lines.append(_field(TEXT["part_of"], f"[{mark_spanish(topics[row.parent_id])}](#{claims.CARD_LABEL.format(claim_id=row.parent_id)})"))
    for quote in quotations[quotations["claim_id"] == row.claim_id].itertuples():
        original = _spanish(quote.original) if isinstance(quote.original, str) and quote.original else TEXT["not_found"]
        lines.append(_field(TEXT["original"], f"{original} ({TEXT['relayed'][quote.relayed]}; "
                                              f"{mark_spanish(quote.note)}) {_cite([quote.source_key])}"))
    if row.context:
        lines.append(_field(TEXT["context"], _cited_statements(row.context, row.context_keys)))
    lines.append(_field(TEXT["conclusion"], mark_spanish(row.conclusion)))
    lines.append(_field(TEXT["checked_in"], f"{{ref}}`{row.section_label}` ({{doc}}`{row.chapter}`)"))
    if cite is not None:
        lines.append(_field(TEXT["cite"], cite(row)))
    lines.append("::::\n")
    return "\n".join(lines)


def cards(register: pd.DataFrame, quotations: pd.DataFrame, meta=None, settings=None) -> str:
    """Every claim's card; with the book's metadata and settings, each card has its one-line citation."""
    topics = dict(zip(register["claim_id"], register["topic"]))
    cite = claim_citation(meta, settings) if meta is not None else None
    return "\n".join(card(row, quotations, topics, cite) for row in register.itertuples())


def claim_citation(meta, settings):
    """row -> the claim's one-line citation: the register page's CSL item, titled by the claim, at its anchor."""
    from . import citation

    page = citation.chapter_item(REGISTER_STEM, TEXT["register_title"], meta, settings)
    return lambda row: citation.formatted_markdown(
        citation.part_item("claim", row.card_label, row.topic, page, settings, REGISTER_STEM))



def not_checked(sentences: pd.DataFrame) -> str:
    rows = [TEXT["not_checked_header"]]
    for row in sentences[sentences["claim_ids"].isna()].itertuples():
        rows.append(f"| {row.sentence} | {mark_spanish(row.first_words)} | {mark_spanish(row.reason)} |")
    return "\n".join(rows)


def quotations_table(quotations: pd.DataFrame) -> str:
    rows = [TEXT["quotations_header"]]
    for q in quotations.itertuples():
        original = _spanish(q.original) if isinstance(q.original, str) and q.original else TEXT["not_found"]
        rows.append(f"| {q.sentence} | {mark_spanish(q.speaker)} | {original} | {TEXT['relayed'][q.relayed]} | "
                    f"{_cite([q.source_key])} |")
    return "\n".join(rows)


def rules() -> str:
    return "\n".join(f"- **{mark_spanish(name)}:** {text}" for name, text in claims.rules())


ARTICLE = {  # the article the register reviews (references.bib: latinarepublic2023)
    "title": "Mexico and the US Generate Solutions for Migration",
    "url": "https://latinarepublic.com/2023/07/28/mexico-and-the-us-generate-solutions-for-migration/",
    "publisher": "Latina Republic",
    "date": "2023-07-28",
}
DOWNLOAD_COLUMNS = ["claim_id", "parent_id", "chapter", "topic", "claim_short", "quote", "reading", "claimed",
                    "found", "found_in", "verdict", "reason", "conclusion", "source_keys"]
DOWNLOAD_TEXT = {"csv": "the register as CSV", "json": "as JSON"}


def download_links(paths: dict) -> str:
    """Download links to the register's files, carrying their content (the `{figure-data}` role of
    migration_report.sphinx_ext), so the page serves the files of the execution it shows."""
    from pathlib import Path

    from .outputs import figure_data_role

    links = []
    for path in sorted(paths.values()):
        path = Path(path)
        links.append(figure_data_role(DOWNLOAD_TEXT[path.suffix.lstrip(".")], path.name, path.read_text(encoding="utf-8")))
    return ", ".join(links)



CORRECTIONS_TEXT = {
    "header": "| Claim | Version | Was | Now | Why |\n| --- | --- | --- | --- | --- |",
    "new": "new claim",
}


def check_corrections(corrections: pd.DataFrame, register: pd.DataFrame) -> None:
    """Stop the build if the log's latest verdict for a claim is not the register's current one:
    a verdict that changed without a correction, or a stale correction, must not be published."""
    current = register.set_index("claim_id")["verdict"]
    for claim_id, rows in corrections.groupby("claim_id", sort=False):
        latest = rows.iloc[-1]
        if latest["new_verdict"] != current[claim_id]:
            raise ValueError(f"data/corrections.csv: claim {claim_id!r} is now {current[claim_id]!r} in the register, "
                             f"but the log's latest entry ({latest['version']}) says {latest['new_verdict']!r}")


def corrections_table(corrections: pd.DataFrame, register: pd.DataFrame) -> str:
    topics = register.set_index("claim_id")["topic"]
    rows = [CORRECTIONS_TEXT["header"]]
    for row in corrections.itertuples():
        was = f"{{verdict}}`{row.old_verdict}`" if isinstance(row.old_verdict, str) else CORRECTIONS_TEXT["new"]
        rows.append(f"| {_ref(topics[row.claim_id], claims.CARD_LABEL.format(claim_id=row.claim_id))} "
                    f"| {mark_spanish(row.version)} | {was} | {{verdict}}`{row.new_verdict}` | {mark_spanish(row.why)} |")
    return "\n".join(rows)


def verdict_line(row) -> str:
    """One claim's verdict as a chapter shows it: badge, reason, claimed against found, link to its card."""
    found = row.found_short or (TEXT["verdict_line_found_parts"] if row.parts else TEXT["verdict_line_found_card"])
    return TEXT["verdict_line"].format(badge=claims.badge(row.verdict, row.claim_id), reason=mark_spanish(row.reason),
                                       claimed=mark_spanish(row.claimed), found=mark_spanish(found),
                                       link=_ref(TEXT["register_entry"], row.card_label))


def glue_verdicts(glue, register: pd.DataFrame, chapter: str) -> None:
    """Glue, for each claim a chapter checks, its badge (`verdict-<id>`) and its verdict line
    (`verdict-line-<id>`), both shown with {glue:md}`…:myst`: chapters show the register's words
    and never decide or type a verdict."""
    from IPython.display import Markdown

    for row in register[register["chapter"] == chapter].itertuples():
        glue(f"verdict-{row.claim_id}", Markdown(claims.badge(row.verdict, row.claim_id)), display=False)
        glue(f"verdict-line-{row.claim_id}", Markdown(verdict_line(row)), display=False)
