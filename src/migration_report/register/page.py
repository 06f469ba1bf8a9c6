"""The claim register page, written as MyST from `claims.register()`: the verdicts first, then the
claim cards, then the rubric that decides them and the sentences not checked.

Every piece of text from data goes through `escape` (`mark_spanish`), so a quotation or a finding
can never become markup. Reader-facing words made here live in TEXT (one place, for translation).
Each card is a `claim-card` container whose first heading `migration_report.sphinx.claims` turns
into a real section, so it appears in the page contents with the anchor #claim-<id>.
"""

from __future__ import annotations

import pandas as pd

from migration_report.register import claims, rubric, source_kinds
from migration_report.core import i18n
from migration_report.register.claimreview import STEM as REGISTER_STEM
from migration_report.core.i18n import N_, NP_
from migration_report.core.outputs import mark_names, mark_spanish
from migration_report.register.page_words import (CORRECTION_TEXT_COLUMNS, QUOTATION_TEXT_COLUMNS,
    SENTENCE_TEXT_COLUMNS, SUMMARY_ORDER, badge, row_number, rubric_label, text, _card_link,
    _cite, _cited, _english, _field, _ref, _row_ref, _sentence, _spanish)
from migration_report.register.page_words import TEXT, topic_ref  # noqa: F401  (register_page.X in the notebooks)


# --- The verdicts first ----------------------------------------------------------------------------


def summary(register: pd.DataFrame, lang: str | None = None) -> str:
    """Every claim's verdict, the failures first, as lists that need no sideways scrolling on a
    phone: each item links to its card and says what was claimed and found, and how faithfully the
    article reported it."""
    blocks = []
    groups = [(v, register[register["verdict"] == v]) for v in SUMMARY_ORDER]
    groups.append((None, register[register["verdict"].isna()]))
    for verdict, rows in groups:
        if rows.empty:
            continue
        heading = f"**{{verdict}}`{verdict}`**" if verdict else f"**{text('summary_said', lang)}**"
        items = [f"- {summary_item(row, lang)}" for row in rows.itertuples()]
        blocks.append(heading + "\n\n" + "\n".join(items))
    return "\n\n".join(blocks)


def summary_item(row, lang: str | None = None, relay: bool = True) -> str:
    relay = text(f"relay_short:{row.relay}", lang) if relay else ""
    if not isinstance(row.verdict, str):
        return text("summary_item_said", lang, link=_card_link(row), relay=relay)
    found = mark_spanish(row.found_short) if row.found_short else mark_spanish(row.reason)
    if row.claimed_figure:
        return text("summary_item", lang, link=_card_link(row), claimed=mark_spanish(row.claimed_short), found=found,
                    relay=relay).strip()
    return text("summary_item_no_figure", lang, link=_card_link(row), found=found, relay=relay).strip()


# Whole sentences with their plural forms (i18n.ngettext), so a translator sees each one whole.
COUNTS = {
    "lead": NP_("This book checks the {n} statement of fact in the article against US data and documents, and "
                "how faithfully the article reports the press conference it relays.",
                "This book checks the {n} statements of fact in the article against US data and documents, and "
                "how faithfully the article reports the press conference it relays."),
    "hold": NP_("{n} of them holds up in full.", "{n} of them hold up in full."),
    "headlines": NP_("The article's headline claim:", "The article's headline claims:"),
    "supported": NP_("{n} claim is supported", "{n} claims are supported"),
    "partly supported": NP_("{n} claim is partly supported", "{n} claims are partly supported"),
    "not supported": NP_("{n} claim is not supported", "{n} claims are not supported"),
    "not verifiable": NP_("{n} claim cannot be verified", "{n} claims cannot be verified"),
    "said": NP_("{n} claim is only about who said what, and gets no truth verdict",
                "{n} claims are only about who said what, and get no truth verdict"),
    "faithful": NP_("{n} claim is reported faithfully", "{n} claims are reported faithfully"),
    "partly faithful": NP_("{n} claim is reported only partly faithfully",
                           "{n} claims are reported only partly faithfully"),
    "not faithful": NP_("{n} claim is not reported faithfully", "{n} claims are not reported faithfully"),
    "not checked": NP_("{n} claim could not be checked against a record of what was said",
                       "{n} claims could not be checked against a record of what was said"),
    # the register page's and the corrections page's counts ({total} and {version} are filled in after)
    "in all": NP_("In all, of the {total} claims, {n} states a fact and gets a truth verdict:",
                  "In all, of the {total} claims, {n} state facts and get a truth verdict:"),
    "sentences": NP_("The article has {n} sentence.", "The article has {n} sentences."),
    "sentences checked": NP_("{n} of them states facts that the register checks.",
                             "{n} of them state facts that the register checks."),
    "sentences not checked": NP_("The sentence below states none.", "The {n} below state none."),
    "corrections": NP_("This is version {version}; the log has {n} entry.",
                       "This is version {version}; the log has {n} entries."),
}


def count(key: str, n: int, lang: str | None = None, **values) -> str:
    """COUNTS[key] in the form that agrees with N, in the edition's language; VALUES fill in its other
    fields ({total}: a count, written as the edition writes numbers)."""
    shown = {name: i18n.number(v, lang) if isinstance(v, int) else v for name, v in values.items()}
    text = i18n.ngettext(COUNTS[key], int(n), lang)
    return text.format(**shown) if shown else text


def in_all(register: pd.DataFrame, lang: str | None = None) -> str:
    """How many of the register's claims get a truth verdict, as the sentence that leads its tally."""
    return count("in all", len(claims.substantive(register)), lang, total=len(register))


def sentences_counted(sentences: pd.DataFrame, lang: str | None = None) -> str:
    """How many of the article's sentences the register checks and how many it does not, in sentences."""
    checked = int(sentences["claim_ids"].notna().sum())
    return " ".join((count("sentences", len(sentences), lang), count("sentences checked", checked, lang),
                     count("sentences not checked", len(sentences) - checked, lang)))


def lead(register: pd.DataFrame, lang: str | None = None) -> str:
    """The introduction's first paragraph: what the book checks and how many claims hold up."""
    judged = claims.substantive(register)
    held = int((judged["verdict"] == claims.SUPPORTED).sum())
    return f"{count('lead', len(judged), lang)} {count('hold', held, lang)}"


def headlines(register: pd.DataFrame, lang: str | None = None) -> str:
    """The article's headline claims, one line each: verdict, the claim linked to its card, and what
    was claimed against what was found."""
    rows = register[register["headline"]]
    items = [f"- {badge(row.verdict, row.claim_id, lang)} {summary_item(row, lang, relay=False)}"
             for row in rows.itertuples()]
    return count("headlines", len(rows), lang) + "\n\n" + "\n".join(items)


def tally(register: pd.DataFrame, lang: str | None = None) -> tuple[str, str]:
    """The register's counts as two lists of whole sentences: the truth verdicts (and the claims that
    have none), and the answers to 'Reported faithfully?'."""
    truth = [f"- {count(v, n, lang)}." for v, n in claims.verdict_counts(register).items() if n]
    said = int(register["verdict"].map(lambda v: not isinstance(v, str)).sum())
    if said:
        truth.append(f"- {count('said', said, lang)}.")
    relay = [f"- {count(a, n, lang)}." for a, n in claims.relay_counts(register).items() if n]
    return "\n".join(truth), "\n".join(relay)


# --- The cards ---------------------------------------------------------------------------------------


def _original(quote, lang: str | None) -> str:
    """A quotation's Spanish original (or that none was found)."""
    return _spanish(quote.original) if isinstance(quote.original, str) and quote.original else text("not_found", lang)


def _findings(findings: list[dict], lang: str | None) -> str:
    """Each finding that bears on a question, with the kind of source it rests on and its citation."""
    items = []
    for finding in findings:
        if finding["finding"] == "context":
            continue
        label = text("source_label", lang, kind=source_kinds.kind_word(finding["source_kind"], lang),
                     voice=source_kinds.voice_word(finding["source_voice"], lang))
        items.append(f"  - *{label}:* {_cited(mark_spanish(finding['statement']), _cite([finding['source_key']], lang))}")
    return "\n" + "\n".join(items) if items else ""


def _decisive_first(findings: list[dict], statement: str) -> list[dict]:
    """FINDINGS with the one whose statement decided the verdict first."""
    return sorted(findings, key=lambda f: f["statement"] != statement)


def _correction(row, corrections: pd.DataFrame | None, lang: str | None) -> str:
    """The card's correction notice, when the claim's verdict changed (or it was added) in the
    latest version of the log."""
    if corrections is None or corrections.empty:
        return ""
    latest = max(corrections["version"], key=_version_key)
    entries = corrections[(corrections["claim_id"] == row.claim_id) & (corrections["version"] == latest)]
    if entries.empty:
        return ""
    entry = entries.iloc[-1]
    values = {"date": i18n.date(entry["date"], lang), "version": entry["version"], "why": mark_spanish(entry["why"]),
              "log": "{doc}`" + text("log", lang) + " <corrections>`"}
    if not isinstance(entry["old_verdict"], str) or not entry["old_verdict"]:
        return text("correction_new", lang, **values)
    if not isinstance(entry["new_verdict"], str) or not entry["new_verdict"]:
        return text("correction_said", lang, old=f"{{verdict}}`{entry['old_verdict']}`", **values)
    return text("correction", lang, old=f"{{verdict}}`{entry['old_verdict']}`",
                new=f"{{verdict}}`{entry['new_verdict']}`", **values)


def _version_key(version: str) -> tuple[int, ...]:
    return tuple(int(part) for part in str(version).split("."))


def _searches(searches: pd.DataFrame | None, claim_id: str, lang: str | None) -> str:
    """Each government's own word looked for on this claim, one line each: whose, what came of it."""
    if searches is None:
        return ""
    rows = searches[searches["claim_id"] == claim_id]
    lines = [f"  - {text('search_line', lang, side=source_kinds.voice_word(r.side, lang), outcome=source_kinds.outcome_word(r.outcome, lang), result=_cited(mark_spanish(r.result), _cite([r.source_key], lang) if r.source_key else ''))}"
             for r in rows.itertuples()]
    return "\n" + "\n".join(lines) if lines else ""


def card(row, quotations: pd.DataFrame, cite=None, lang: str | None = None, corrections: pd.DataFrame | None = None,
         former_ids: tuple[str, ...] = (), searches: pd.DataFrame | None = None) -> str:
    """One claim's card in MyST: its conclusion first, in one quotable sentence; the two questions;
    what was claimed and found; the evidence with the kind of source each finding rests on; context;
    a correction notice when its verdict changed; where it is checked; and its citation, folded."""
    lines = [f"({claims.CARD_LABEL.format(claim_id=old)})=" for old in former_ids]
    lines += [f"({row.card_label})=", "::::{container} claim-card", f"#### {mark_spanish(row.topic)}", "",
              f"**{mark_spanish(row.conclusion)}**", ""]
    notice = _correction(row, corrections, lang)
    if notice:
        lines += [f"```{{admonition}} {text('correction_title', lang)}", ":class: note claim-correction", notice, "```", ""]
    lines += [f"> {mark_spanish(row.quote)}", ">",
              "> " + text("quote_source", lang, source="{cite:t}`latinarepublic2023`"), ""]
    if isinstance(row.verdict, str):
        truth = text("decided_by", lang, reason=_sentence(mark_spanish(row.reason)), row=_row_ref(row.verdict_row, lang))
        lines.append(_field(text("true", lang), f"{badge(row.verdict, row.claim_id, lang)} — {truth}"))
    else:
        lines.append(_field(text("true", lang), text("no_truth_verdict", lang)))
    relay = text("decided_by", lang, reason=_sentence(mark_spanish(row.relay_reason)), row=_row_ref(row.relay_row, lang))
    relay_record = _cited(mark_spanish(row.relay_found), _cite(row.relay_keys, lang)) if row.relay_found else ""
    lines.append(_field(text("relayed", lang), f"{badge(row.relay, row.claim_id, lang)} — {relay} {relay_record}".strip()))
    lines.append(_field(text("reading", lang), mark_spanish(row.reading)))
    lines.append(_field(text("claimed", lang), mark_spanish(row.claimed)))
    if row.found and row.basis == "data":
        lines.append(_field(text("found", lang), _cited(mark_spanish(row.found), _cite(row.found_keys, lang))))
    if row.why:
        lines.append(_field(text("why", lang), _cited(mark_spanish(row.why), _cite(row.why_keys, lang))))
    if row.found_in:
        lines.append(_field(text("found_in", lang), mark_names(row.found_in, lang)))
    evidence = _findings(_decisive_first(row.findings, row.found if row.basis == "sources" else ""), lang)
    if evidence:
        lines.append(_field(text("evidence", lang), evidence))
    records = _findings(row.relay_findings, lang)
    if records:
        lines.append(_field(text("record", lang), records))
    for quote in quotations[quotations["claim_id"] == row.claim_id].itertuples():
        lines.append(_field(text("original", lang), _cited(_original(quote, lang), _cite([quote.source_key], lang))))
    searched = _searches(searches, row.claim_id, lang)
    if searched:
        lines.append(_field(text("searched", lang), searched))
    if row.context:
        context = " ".join(_cited(mark_spanish(s), _cite([k], lang) if k else "")
                           for s, k in zip(row.context, row.context_keys, strict=True))
        lines.append(_field(text("context", lang), context))
    lines.append(_field(text("checked_in", lang), f"{_ref(row.topic, row.section_label)} ({{doc}}`{row.chapter}`)"))
    if cite is not None:
        lines += [f"```{{admonition}} {text('cite', lang)}", ":class: dropdown claim-citation", cite(row), "```", ""]
    lines.append("::::\n")
    return "\n".join(lines)


SEARCH_TEXT_COLUMNS = ("searched", "result")


def cards(register: pd.DataFrame, quotations: pd.DataFrame, meta=None, settings=None, lang: str | None = None,
          corrections: pd.DataFrame | None = None, searches: pd.DataFrame | None = None) -> str:
    """Every claim's card; with the book's metadata and settings, each card has its one-line citation.
    With the corrections log, a card whose verdict changed carries its notice, and a withdrawn claim's
    anchor leads to the card that replaced it."""
    quotations = claims.in_language(quotations, QUOTATION_TEXT_COLUMNS, lang)
    if corrections is not None:
        corrections = claims.in_language(corrections, CORRECTION_TEXT_COLUMNS, lang)
    if searches is not None:
        searches = claims.in_language(searches, SEARCH_TEXT_COLUMNS, lang)
    cite = claim_citation(meta, settings, lang) if meta is not None else None
    replaced = {}
    if corrections is not None and "replaced_by" in corrections:
        for old, new in zip(corrections["claim_id"], corrections["replaced_by"]):
            if isinstance(new, str) and new:
                replaced.setdefault(new, []).append(old)
    return "\n".join(card(row, quotations, cite, lang, corrections, tuple(dict.fromkeys(replaced.get(row.claim_id, []))),
                          searches) for row in register.itertuples())


def claim_citation(meta, settings, lang: str | None = None):
    """row -> the claim's one-line citation: the register page's CSL item, titled by the claim, at its anchor."""
    from migration_report.core import citation

    page = citation.chapter_item(REGISTER_STEM, text("register_title", lang), meta, settings)
    return lambda row: citation.formatted_markdown(
        citation.part_item("claim", row.card_label, row.topic, page, settings, REGISTER_STEM))


# --- The rubric ------------------------------------------------------------------------------------


def rubric_rows(register: pd.DataFrame, question: str, lang: str | None = None) -> str:
    """The decision table of one question, one labelled paragraph per row (it reads on a phone and
    each card links to the row that decided it), with its worked example and what the register gives it."""
    by_id = register.set_index("claim_id")
    paragraphs = []
    for row in rubric.rows(question, lang):
        example = by_id.loc[row["example"]]
        answer = example["relay"] if question == "relay" else example["verdict"]
        shown = f"{{verdict}}`{answer}`" if isinstance(answer, str) else text("rubric_no_verdict", lang)
        example_text = text("rubric_example", lang, link=f"[{mark_spanish(example['topic'])}](#{example['card_label']})",
                            answer=shown)
        paragraphs.append(f"({rubric_label(row['key'])})=\n" + text(
            "rubric_row", lang, number=row_number(row["key"]), title=row["title"], when=row["when"], then=row["then"],
            example=example_text))
    return "\n\n".join(paragraphs)


def principles(lang: str | None = None) -> str:
    return "\n".join(f"- {p}" for p in rubric.principles(lang))


# --- Sentences not checked, and the Spanish originals -----------------------------------------------


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
                    f"{text(f'quotation_relayed:{q.relayed}', lang)} | {_cite([q.source_key], lang)} |")
    return "\n".join(rows)


ARTICLE = {  # the article the register reviews (references.bib: latinarepublic2023)
    "title": "Mexico and the US Generate Solutions for Migration",
    "url": "https://latinarepublic.com/2023/07/28/mexico-and-the-us-generate-solutions-for-migration/",
    "publisher": "Latina Republic",
    "date": "2023-07-28",
}
# The downloads' columns in reading order: the claim, its answers, why, and the sources as citations.
DOWNLOAD_COLUMNS = ["claim_id", "topic", "claim_short", "speaker", "quote", "reading", "verdict", "reason", "relay",
                    "relay_reason", "claimed", "found", "found_in", "conclusion", "chapter", "sources"]


def download_frame(register: pd.DataFrame) -> pd.DataFrame:
    """The register as its downloads give it: DOWNLOAD_COLUMNS, each source as a reference a reader
    can follow (author, year, title) rather than a BibTeX key."""
    from migration_report.core.outputs import reference_texts

    texts = reference_texts({k for keys in register["source_keys"] for k in keys})
    frame = register.assign(sources=register["source_keys"].map(lambda keys: [texts.get(k, k) for k in keys]))
    return frame[DOWNLOAD_COLUMNS]
DOWNLOAD_TEXT = {"csv": N_("the register as CSV"), "json": N_("as JSON")}


def download_links(paths: dict, lang: str | None = None) -> str:
    """Download links to the register's files, carrying their content (the `{figure-data}` role of
    migration_report.sphinx.boxes), so the page serves the files of the execution it shows."""
    from pathlib import Path

    from migration_report.core.outputs import figure_data_role

    links = []
    for path in sorted(paths.values()):
        path = Path(path)
        label = i18n.gettext(DOWNLOAD_TEXT[path.suffix.lstrip(".")], lang)
        links.append(figure_data_role(label, path.name, path.read_text(encoding="utf-8")))
    return ", ".join(links)


# --- Corrections ------------------------------------------------------------------------------------

CORRECTIONS_TEXT = {
    # was and now share a column, so that the two badges (which never wrap) leave the reason room
    "header": N_("| Claim | Version | Verdict (was → now) | Why |\n| --- | --- | --- | --- |"),
    "new": N_("new claim"),
    "none": N_("no truth verdict"),
    "withdrawn": N_("withdrawn: see {claim}"),
}


def _logged(verdict) -> str | None:
    return verdict if isinstance(verdict, str) and verdict else None


def check_corrections(corrections: pd.DataFrame, register: pd.DataFrame) -> None:
    """Stop the build if the log's latest entry for a claim does not match the register: a verdict
    that changed without a correction, a stale correction, or a withdrawn claim still in the register
    (or one whose replacement is not)."""
    current = {c: (v if isinstance(v, str) else None) for c, v in zip(register["claim_id"], register["verdict"])}
    for claim_id, rows in corrections.groupby("claim_id", sort=False):
        latest = rows.iloc[-1]
        replaced_by = latest.get("replaced_by")
        if isinstance(replaced_by, str) and replaced_by:
            if claim_id in current or replaced_by not in current:
                raise ValueError(f"data/corrections.csv: claim {claim_id!r} is logged as withdrawn in favour of "
                                 f"{replaced_by!r} ({latest['version']}), but the register "
                                 + ("still has it" if claim_id in current else f"has no {replaced_by!r}"))
            continue
        if claim_id not in current:
            raise ValueError(f"data/corrections.csv: claim {claim_id!r} is not in the register, and its latest entry "
                             f"({latest['version']}) does not say which claim replaced it")
        if _logged(latest["new_verdict"]) != current[claim_id]:
            raise ValueError(f"data/corrections.csv: claim {claim_id!r} is now {current[claim_id]!r} in the register, "
                             f"but the log's latest entry ({latest['version']}) says {_logged(latest['new_verdict'])!r}")


def corrections_table(corrections: pd.DataFrame, register: pd.DataFrame, lang: str | None = None) -> str:
    """The corrections log; REGISTER's topics and the log's reasons in the edition's language."""
    topics = register.set_index("claim_id")["topic"]
    corrections = claims.in_language(corrections, CORRECTION_TEXT_COLUMNS, lang)
    rows = [i18n.gettext(CORRECTIONS_TEXT["header"], lang)]
    for row in corrections.itertuples():
        replaced_by = getattr(row, "replaced_by", None)
        shown_id = replaced_by if isinstance(replaced_by, str) and replaced_by else row.claim_id
        was = (f"{{verdict}}`{row.old_verdict}`" if _logged(row.old_verdict)
               else i18n.gettext(CORRECTIONS_TEXT["new"], lang))
        if isinstance(replaced_by, str) and replaced_by:
            now = i18n.gettext(CORRECTIONS_TEXT["withdrawn"], lang).format(
                claim=_ref(topics[replaced_by], claims.CARD_LABEL.format(claim_id=replaced_by)))
            claim = mark_spanish(row.topic)
        else:
            now = (f"{{verdict}}`{row.new_verdict}`" if _logged(row.new_verdict)
                   else i18n.gettext(CORRECTIONS_TEXT["none"], lang))
            claim = _ref(topics[shown_id], claims.CARD_LABEL.format(claim_id=shown_id))
        rows.append(f"| {claim} | {mark_spanish(row.version)} | {was} → {now} | {mark_spanish(row.why)} |")
    return "\n".join(rows)


# --- What chapters show -----------------------------------------------------------------------------


def verdict_line(row, lang: str | None = None) -> str:
    """One claim's verdict as a chapter shows it, in sentences: the verdict and why, what was claimed
    and found, how faithfully the article reported it, and a link to its card."""
    link = _ref(text("card_link", lang), row.card_label)
    if not isinstance(row.verdict, str):
        return text("verdict_line_said", lang, badge=claims.badge(row.relay, row.claim_id),
                    reason=_sentence(mark_spanish(row.relay_reason)), link=link)
    if row.claimed_figure and row.found_short:
        found = text("verdict_line_found", lang, claimed=mark_spanish(row.claimed_short), found=mark_spanish(row.found_short))
    elif row.found_short:
        found = text("verdict_line_found_only", lang, found=mark_spanish(row.found_short))
    else:
        found = ""
    return text("verdict_line", lang, badge=claims.badge(row.verdict, row.claim_id),
                reason=_sentence(mark_spanish(row.reason)), found=found, relay=text(f"relay_short:{row.relay}", lang),
                link=link)


def glue_verdicts(glue, register: pd.DataFrame, chapter: str, lang: str | None = None) -> None:
    """Glue, for each claim a chapter checks, its badge (`verdict-<id>`) and its verdict line
    (`verdict-line-<id>`), both shown with {glue:md}`…:myst`: chapters show the register's words
    and never decide or type a verdict."""
    from IPython.display import Markdown

    for row in register[register["chapter"] == chapter].itertuples():
        answer = row.verdict if isinstance(row.verdict, str) else row.relay
        glue(f"verdict-{row.claim_id}", Markdown(claims.badge(answer, row.claim_id)), display=False)
        glue(f"verdict-line-{row.claim_id}", Markdown(verdict_line(row, lang)), display=False)
