"""Reader words for what a finding rests on (data/claim_evidence.csv: source_kind, source_voice)
and for the searches of each government's own word (data/source_searches.csv: side, outcome),
in the edition's language. The tables hold short keys; pages and cards show these words."""

from __future__ import annotations

from migration_report.core import i18n
from migration_report.core.i18n import N_

KINDS = {
    "record": N_("official record or data"),
    "statement": N_("official statement"),
    "news": N_("news report"),
    "relay": N_("relay of a statement"),  # a report giving a speaker's words as the outlet heard them
    "commentary": N_("commentary"),
}
VOICES = {
    "mexico-gov": N_("Mexican government"),
    "us-gov": N_("US government"),
    "other": N_("other source"),
}
OUTCOMES = {
    "confirms": N_("confirms"),
    "partly confirms": N_("partly confirms"),
    "differs": N_("differs"),
    "silent": N_("says nothing on the point"),
    "nothing found": N_("nothing found"),
    "not applicable": N_("not needed"),
}


def kind_word(key: str, lang: str | None = None) -> str:
    return i18n.gettext(KINDS[key], lang)


def voice_word(key: str, lang: str | None = None) -> str:
    """Whose word a finding rests on, or which government's sources a search looked at."""
    return i18n.gettext(VOICES[key], lang)


def outcome_word(key: str, lang: str | None = None) -> str:
    return i18n.gettext(OUTCOMES[key], lang)
