"""What a source does with a claim, in the reader's words: the findings of the claim register
(data/claim_evidence.csv: finding), named the same way by the register and by the chapters that
list a claim's sources."""

from __future__ import annotations

from migration_report.core import i18n
from migration_report.core.i18n import N_


# What a finding does with a claim, as readers read it (a relay finding is about a record of what was said).
FINDING_WORDS = {
    "agrees": N_("agrees"), "partly agrees": N_("partly agrees"), "part for whole": N_("one part for the whole"),
    "other group": N_("another group"), "differs": N_("differs"), "context": N_("context"),
    "no source found": N_("no source found"),
}
RELAY_FINDING_WORDS = {
    "agrees": N_("the record matches"), "partly agrees": N_("the record differs in a detail"),
    "differs": N_("the record differs"), "no source found": N_("no record found"),
}


def finding_name(finding: str, question: str = "truth", lang: str | None = None) -> str:
    """What a source does with a claim ('partly agrees'; for a record of what was said, 'the record
    matches'), in the edition's language."""
    words = RELAY_FINDING_WORDS if question == "relay" else FINDING_WORDS
    return i18n.gettext(words[finding], lang)
