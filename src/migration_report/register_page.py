"""The claim register page, written as MyST from `claims.register()`: summary, claim cards, coverage.

Every piece of text from data goes through `escape`, so a quotation or a finding can never
become markup. Reader-facing words made here live in TEXT (one place, for translation).
Each card is a `claim-card` container whose first heading `migration_report.sphinx_ext`
turns into a real section, so it appears in the page contents with the anchor #claim-<id>.
"""

from __future__ import annotations

import re

import pandas as pd

from . import claims, i18n
from .claimreview import STEM as REGISTER_STEM
from .i18n import N_
from .outputs import MAX_CITATION_KEYS, Markup, cite_p, mark_names, mark_spanish

# Marked with N_() for the catalogue (migration_report.i18n); translated, in the edition's language,
# only by text() below. A table's header row is one message, so a translation keeps its columns.
TEXT = {
    "summary_header": N_("| Claim | Claimed | Found | Verdict |\n| --- | --- | --- | --- |"),
    "summary_row": "| {indent}[{topic}](#{card}) | {claimed} | {found} | {badge} |",  # markup only
    "part_indent": "↳ ",
    "see_card": N_("see the card"),
    "compound": N_("compound: see its parts"),
    "quote_source": N_("— {source}"),
    "reading": N_("Reading judged"),
    "claimed": N_("Claimed"),
    "found": N_("Found"),
    "found_in": N_("Data"),
    "verdict": N_("Verdict"),
    "conclusion": N_("In one sentence"),
    "sources": N_("Sources"),
    "context": N_("Other readings and context"),
    "original": N_("Spanish original"),
    "original_line": N_("{original} ({relayed}; {note}) {cite}"),
    "checked_in": N_("Checked in"),
    "parts": N_("Parts, each judged on its own"),
    "part_of": N_("Part of"),
    "relayed": {"faithful": N_("relayed faithfully"), "partly": N_("relayed only in part"),
                "not found": N_("no Spanish original found")},
    "not_checked_header": N_("| Sentence | Begins | Why it is not checked |\n| --- | --- | --- |"),
    "quotations_header": N_("| Sentence | Speaker | Spanish original | Relayed | Source |\n"
                            "| --- | --- | --- | --- | --- |"),
    "not_found": N_("not found"),
    "verdict_line": N_("{badge} — {reason}. Claimed: {claimed}; found: {found}. {link}."),
    "verdict_line_found_parts": N_("see its parts"),
    "verdict_line_found_card": N_("see the register"),
    "register_entry": N_("Register entry"),
    "cite": N_("Cite this claim"),
    "register_title": N_("Claim register"),
}
# The curated tables' reader-facing text columns, read in the edition's language (data.localized).
QUOTATION_TEXT_COLUMNS = ("note",)
SENTENCE_TEXT_COLUMNS = ("reason",)
CORRECTION_TEXT_COLUMNS = ("why",)


def text(key: str, lang: str | None = None, **values) -> str:
    """TEXT[key] (or TEXT["relayed"][key]) in the edition's language, filled in with VALUES."""
    message = TEXT["relayed"][key.removeprefix("relayed:")] if key.startswith("relayed:") else TEXT[key]
    translated = i18n.gettext(message, lang)
    return translated.format(**values) if values else translated


def summary(register: pd.DataFrame, lang: str | None = None) -> str:
    rows = [text("summary_header", lang)]
    for row in register.itertuples():
        found = row.found_short or (text("compound", lang) if row.parts else text("see_card", lang))
        rows.append(TEXT["summary_row"].format(
            indent=TEXT["part_indent"] if row.is_part else "", topic=mark_spanish(row.topic), card=row.card_label,
            claimed=mark_spanish(row.claimed), found=mark_spanish(found), badge=claims.badge(row.verdict, row.claim_id)))
    return "\n".join(rows)


def _spanish(text: str) -> str:
    """Spanish text in the `es` role: role content is never parsed as markup; only a backtick could end it."""
    return "{es}`" + " ".join(text.replace("`", "'").split()) + "`"


def _english(words: str, lang: str | None) -> str:
    """The article's own English words: in another edition, in the `en` role (lang="en" in HTML)."""
    if i18n.language(lang) == "en":
        return mark_spanish(words)
    return "{en}`" + " ".join(str(words).replace("`", "'").split()) + "`"


def _ref(text: str, label: str) -> str:
    """A cross-reference whose text comes from data: role content is never parsed as markup, and
    only a backtick or angle brackets could change the role's meaning."""
    safe = " ".join(str(text).split()).replace("`", "'").replace("<", "‹").replace(">", "›").replace("|", "/")
    return f"{{ref}}`{safe} <{label}>`"


def topic_ref(register: pd.DataFrame, claim_id: str) -> Markup:
    """A link to a claim's card in the register, named by the claim's topic (not its identifier)."""
    row = register.set_index("claim_id").loc[claim_id]
    return Markup(_ref(row["topic"], row["card_label"]))


def _cite(keys, lang: str | None = None) -> str:
    """One bracket for a few sources; past MAX_CITATION_KEYS, a list of the sources by name, which
    a reader can follow one by one, instead of a bracket too long to read."""
    keys = [k for k in keys if re.fullmatch(r"[A-Za-z0-9_:-]+", k)]
    if len(keys) > MAX_CITATION_KEYS:
        return text("sources", lang) + ": " + "; ".join(f"{{cite:t}}`{k}`" for k in keys) + "."
    return cite_p(keys) if keys else ""


def _cited_statements(statements, keys, lang: str | None = None) -> str:
    """Each statement followed by the citation of its own source (none for a reading of the
    measured data, which the Found line cites), so every source is cited where it is used."""
    return " ".join(_cited(mark_spanish(s), _cite([k], lang) if k else "") for s, k in zip(statements, keys, strict=True))


def _cited(sentence: str, citation: str) -> str:
    """The citation inside the sentence, before its full stop."""
    if not citation:
        return str(sentence)
    body, stop = (sentence[:-1], ".") if sentence.endswith(".") else (sentence, "")
    return f"{body} {citation}{stop}"


def _field(term: str, body: str) -> str:
    return f"{term}\n: {body}\n"


def _original(quote, lang: str | None) -> str:
    """A quotation's Spanish original (or that none was found)."""
    return _spanish(quote.original) if isinstance(quote.original, str) and quote.original else text("not_found", lang)


def card(row, quotations: pd.DataFrame, topics: dict[str, str], cite=None, lang: str | None = None) -> str:
    """One claim's card in MyST; `cite(row)` gives its one-line citation (MyST), if any. QUOTATIONS'
    notes are in the edition's language (`cards` reads them so)."""
    link = lambda claim_id: f"[{mark_spanish(topics[claim_id])}](#{claims.CARD_LABEL.format(claim_id=claim_id)})"  # noqa: E731
    lines = [f"({row.card_label})=", "::::{container} claim-card", f"#### {mark_spanish(row.topic)}", "",
             f"> {mark_spanish(row.quote)}", ">", "> " + text("quote_source", lang, source="{cite:t}`latinarepublic2023`"),
             "",
             _field(text("verdict", lang), f"{claims.badge(row.verdict, row.claim_id)} — {mark_spanish(row.reason)}"),
             _field(text("reading", lang), mark_spanish(row.reading)),
             _field(text("claimed", lang), mark_spanish(row.claimed))]
    if row.parts:
        lines.append(_field(text("parts", lang), "; ".join(link(p) for p in row.parts)))
    else:
        lines.append(_field(text("found", lang), f"{mark_spanish(row.found)} {_cite(row.found_keys, lang)}".strip()))
        if row.found_in:
            lines.append(_field(text("found_in", lang), mark_names(row.found_in, lang)))
    if row.is_part:
        lines.append(_field(text("part_of", lang), link(row.parent_id)))
    for quote in quotations[quotations["claim_id"] == row.claim_id].itertuples():
        lines.append(_field(text("original", lang), text(
            "original_line", lang, original=_original(quote, lang), relayed=text(f"relayed:{quote.relayed}", lang),
            note=mark_spanish(quote.note), cite=_cite([quote.source_key], lang)).strip()))
    if row.context:
        lines.append(_field(text("context", lang), _cited_statements(row.context, row.context_keys, lang)))
    lines.append(_field(text("conclusion", lang), mark_spanish(row.conclusion)))
    lines.append(_field(text("checked_in", lang), f"{{ref}}`{row.section_label}` ({{doc}}`{row.chapter}`)"))
    if cite is not None:
        lines.append(_field(text("cite", lang), cite(row)))
    lines.append("::::\n")
    return "\n".join(lines)


def cards(register: pd.DataFrame, quotations: pd.DataFrame, meta=None, settings=None, lang: str | None = None) -> str:
    """Every claim's card; with the book's metadata and settings, each card has its one-line citation."""
    topics = dict(zip(register["claim_id"], register["topic"]))
    quotations = claims.in_language(quotations, QUOTATION_TEXT_COLUMNS, lang)
    cite = claim_citation(meta, settings, lang) if meta is not None else None
    return "\n".join(card(row, quotations, topics, cite, lang) for row in register.itertuples())


def claim_citation(meta, settings, lang: str | None = None):
    """row -> the claim's one-line citation: the register page's CSL item, titled by the claim, at its anchor."""
    from . import citation

    page = citation.chapter_item(REGISTER_STEM, text("register_title", lang), meta, settings)
    return lambda row: citation.formatted_markdown(
        citation.part_item("claim", row.card_label, row.topic, page, settings, REGISTER_STEM))


def not_checked(sentences: pd.DataFrame, lang: str | None = None) -> str:
    """The sentences not checked: number, first words (the article's English, marked as such in
    another edition) and why, in the edition's language."""
    sentences = claims.in_language(sentences, SENTENCE_TEXT_COLUMNS, lang)
    rows = [text("not_checked_header", lang)]
    for row in sentences[sentences["claim_ids"].isna()].itertuples():
        rows.append(f"| {row.sentence} | {_english(row.first_words, lang)} | {mark_spanish(row.reason)} |")
    return "\n".join(rows)


def quotations_table(quotations: pd.DataFrame, lang: str | None = None) -> str:
    quotations = claims.in_language(quotations, QUOTATION_TEXT_COLUMNS, lang)
    rows = [text("quotations_header", lang)]
    for q in quotations.itertuples():
        rows.append(f"| {q.sentence} | {mark_spanish(q.speaker)} | {_original(q, lang)} | "
                    f"{text(f'relayed:{q.relayed}', lang)} | {_cite([q.source_key], lang)} |")
    return "\n".join(rows)


def rules(lang: str | None = None) -> str:
    return "\n".join(f"- **{mark_spanish(name)}:** {rule}" for name, rule in claims.rules(lang))


ARTICLE = {  # the article the register reviews (references.bib: latinarepublic2023)
    "title": "Mexico and the US Generate Solutions for Migration",
    "url": "https://latinarepublic.com/2023/07/28/mexico-and-the-us-generate-solutions-for-migration/",
    "publisher": "Latina Republic",
    "date": "2023-07-28",
}
DOWNLOAD_COLUMNS = ["claim_id", "parent_id", "chapter", "topic", "claim_short", "quote", "reading", "claimed",
                    "found", "found_in", "verdict", "reason", "conclusion", "source_keys"]
DOWNLOAD_TEXT = {"csv": N_("the register as CSV"), "json": N_("as JSON")}


def download_links(paths: dict, lang: str | None = None) -> str:
    """Download links to the register's files, carrying their content (the `{figure-data}` role of
    migration_report.sphinx_ext), so the page serves the files of the execution it shows."""
    from pathlib import Path

    from .outputs import figure_data_role

    links = []
    for path in sorted(paths.values()):
        path = Path(path)
        label = i18n.gettext(DOWNLOAD_TEXT[path.suffix.lstrip(".")], lang)
        links.append(figure_data_role(label, path.name, path.read_text(encoding="utf-8")))
    return ", ".join(links)


CORRECTIONS_TEXT = {
    # was and now share a column, so that the two badges (which never wrap) leave the reason room
    "header": N_("| Claim | Version | Verdict (was → now) | Why |\n| --- | --- | --- | --- |"),
    "new": N_("new claim"),
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


def corrections_table(corrections: pd.DataFrame, register: pd.DataFrame, lang: str | None = None) -> str:
    """The corrections log; REGISTER's topics and the log's reasons in the edition's language."""
    topics = register.set_index("claim_id")["topic"]
    corrections = claims.in_language(corrections, CORRECTION_TEXT_COLUMNS, lang)
    rows = [i18n.gettext(CORRECTIONS_TEXT["header"], lang)]
    for row in corrections.itertuples():
        was = (f"{{verdict}}`{row.old_verdict}`" if isinstance(row.old_verdict, str)
               else i18n.gettext(CORRECTIONS_TEXT["new"], lang))
        rows.append(f"| {_ref(topics[row.claim_id], claims.CARD_LABEL.format(claim_id=row.claim_id))} "
                    f"| {mark_spanish(row.version)} | {was} → {{verdict}}`{row.new_verdict}` | {mark_spanish(row.why)} |")
    return "\n".join(rows)


def verdict_line(row, lang: str | None = None) -> str:
    """One claim's verdict as a chapter shows it: badge, reason, claimed against found, link to its card."""
    found = row.found_short or (text("verdict_line_found_parts", lang) if row.parts
                                else text("verdict_line_found_card", lang))
    return text("verdict_line", lang, badge=claims.badge(row.verdict, row.claim_id), reason=mark_spanish(row.reason),
                claimed=mark_spanish(row.claimed), found=mark_spanish(found),
                link=_ref(text("register_entry", lang), row.card_label))


def glue_verdicts(glue, register: pd.DataFrame, chapter: str, lang: str | None = None) -> None:
    """Glue, for each claim a chapter checks, its badge (`verdict-<id>`) and its verdict line
    (`verdict-line-<id>`), both shown with {glue:md}`…:myst`: chapters show the register's words
    and never decide or type a verdict."""
    from IPython.display import Markdown

    for row in register[register["chapter"] == chapter].itertuples():
        glue(f"verdict-{row.claim_id}", Markdown(claims.badge(row.verdict, row.claim_id)), display=False)
        glue(f"verdict-line-{row.claim_id}", Markdown(verdict_line(row, lang)), display=False)
