"""What a chapter module hands the claim register: a measurement, never a verdict."""

from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True)
class Measurement:
    """What the data show for one claim, and which of the register's rules judges it.

    `claims.register()` applies `claims.RULES[rule](**values)`; nothing else turns a
    measurement into a verdict.
    """

    rule: str  # a key of claims.RULES
    values: dict
    found: str  # what the data show, in one sentence
    found_in: str  # which data release, as of when
    sources: tuple[str, ...]  # BibTeX keys of the data's sources
    context: tuple[str, ...] = ()  # other readings of the claim, as sentences, not verdicts
    found_short: str = ""  # the found figure alone, for the register's summary table
