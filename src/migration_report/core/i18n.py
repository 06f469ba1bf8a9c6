"""Text made by code, in the edition's language: one message catalogue, dates and numbers by Babel.

- The language: Sphinx code passes its ``language``; notebook kernels read
  ``MIGRATION_REPORT_LANGUAGE``, which scripts/build-book sets for the Spanish edition (and which
  is part of each cached notebook's recorded inputs, so a cache never mixes editions).
- Messages: write ``_("English text")`` where the text is used, or ``N_("English text")`` where it is
  only defined (a TEXT table) and ``_()`` it when used. `migration_report.build.code_messages` extracts both
  from src/ and the notebooks' code into ``locales/<lang>/LC_MESSAGES/migration_report.po``; the .po
  is read here directly (no compiled .mo to keep in step). An untranslated or fuzzy message shows
  its English, and make test fails while there is one.
- Numbers and dates follow CLDR for the edition's locale: ``en`` and Mexico's ``es_MX`` (decimal
  point and comma thousands separator, as INEGI and Banxico write them, so a number reads the
  same in both editions: 272,000; 30.1); the percent sign after a non-breaking space in Spanish
  (30.1 %, CLDR es_MX); dates as 26 de julio de 2023 and months as julio de 2023.
"""

from __future__ import annotations

import datetime as dt
import os
import re
from contextlib import contextmanager
from functools import lru_cache
from pathlib import Path

from babel import Locale
from babel.dates import format_date, format_skeleton, get_month_names
from babel.messages.pofile import read_po
from babel.numbers import format_decimal, parse_pattern

ENVIRONMENT = "MIGRATION_REPORT_LANGUAGE"
LANGUAGES = ("en", "es")
LOCALES = {"en": "en_US", "es": "es_MX"}
DOMAIN = "migration_report"
LOCALE_DIR = Path(__file__).resolve().parents[3] / "locales"
PERCENT_SEPARATOR = {"en": "", "es": "\u00a0"}  # between the number and "%"


def language(value: str | None = None) -> str:
    """The edition's language: VALUE (e.g. Sphinx's config.language), else the environment's, else English."""
    chosen = (value or os.environ.get(ENVIRONMENT) or "en").split("_")[0].split("-")[0]
    if chosen not in LANGUAGES:
        raise ValueError(f"{ENVIRONMENT}={chosen!r}: the book has editions in {', '.join(LANGUAGES)}")
    return chosen


@contextmanager
def edition(lang: str | None):
    """Within the block, code that takes its language from the environment uses LANG: for calling
    modules that translate with the default language (`flows.checks`) on behalf of another edition."""
    lang = language(lang)
    before = os.environ.get(ENVIRONMENT)
    os.environ[ENVIRONMENT] = lang
    try:
        yield lang
    finally:
        if before is None:
            os.environ.pop(ENVIRONMENT, None)
        else:
            os.environ[ENVIRONMENT] = before


def catalogue_file(lang: str, root: Path = LOCALE_DIR) -> Path:
    return Path(root) / lang / "LC_MESSAGES" / f"{DOMAIN}.po"


@lru_cache(maxsize=None)
def _messages(lang: str, path: str) -> dict:
    """The finished translations: a message's English to its translation, and a plural message's
    English singular to the tuple of its translated forms."""
    if lang == "en" or not Path(path).is_file():
        return {}
    with open(path, "rb") as handle:
        catalogue = read_po(handle)
    found = {}
    for m in catalogue:
        if not m.id or m.fuzzy:
            continue
        if isinstance(m.id, str) and m.string:
            found[m.id] = m.string
        elif isinstance(m.id, tuple) and all(m.string):
            found[m.id] = tuple(m.string)
    return found


def NP_(singular: str, plural: str) -> tuple[str, str]:  # noqa: N802 (the gettext convention)
    """Mark a message with a plural for extraction where it is defined; use it with ngettext()."""
    return singular, plural


def ngettext(message: tuple[str, str], n: int, lang: str | None = None) -> str:
    """The form of MESSAGE (singular, plural) that agrees with N, in the edition's language, with
    {n} filled in as the edition writes numbers. A translator sees the whole sentence in both forms."""
    lang = language(lang)
    path = str(catalogue_file(lang))
    forms = _messages(lang, path).get(tuple(message))
    index = _plural(lang, path)(n) if forms else (0 if n == 1 else 1)  # English: one, other
    forms = forms or tuple(message)
    return forms[min(index, len(forms) - 1)].replace("{n}", number(n, lang))


@lru_cache(maxsize=None)
def _plural(lang: str, path: str):
    """The catalogue's plural rule (its Plural-Forms header) as a function of n."""
    import gettext as _gettext

    with open(path, "rb") as handle:
        return _gettext.c2py(read_po(handle).plural_expr)


def gettext(message: str, lang: str | None = None) -> str:
    """MESSAGE in the edition's language (its English while it has no finished translation)."""
    lang = language(lang)
    return _messages(lang, str(catalogue_file(lang))).get(message, message)


_ = gettext


def N_(message: str) -> str:  # noqa: N802 (the gettext convention)
    """Mark MESSAGE for extraction where it is defined; translate it with _() where it is used."""
    return message


def translated(value, lang: str | None = None):
    """VALUE with every string in it translated: a message, or a tuple, list or dict of them (a
    module's TEXT entry); dict keys are identifiers and stay as they are."""
    if isinstance(value, str):
        return gettext(value, lang)
    if isinstance(value, dict):
        return {key: translated(item, lang) for key, item in value.items()}
    if isinstance(value, (tuple, list)):
        return type(value)(translated(item, lang) for item in value)
    return value


def translator(lang: str | None):
    """A _() bound to one language, for code that renders several pages (Sphinx extensions)."""
    return lambda message: gettext(message, lang)


def number(value, lang: str | None = None, decimals: int | None = None) -> str:
    """A number as the edition writes it: 272,000 / 30.1 (both editions alike, by CLDR en and es_MX)."""
    locale = _locale(LOCALES[language(lang)])
    if decimals is None:
        return format_decimal(value, locale=locale)
    # What format_decimal does with a pattern, the locale and the pattern parsed once rather than at each
    # of the thousands of numbers a chapter's tables and chart tooltips write.
    return _decimal_pattern(decimals).apply(value, locale)


@lru_cache(maxsize=None)
def _locale(code: str) -> Locale:
    return Locale.parse(code)


@lru_cache(maxsize=None)
def _decimal_pattern(decimals: int):
    return parse_pattern("#,##0" + ("." + "0" * decimals if decimals else ""))


def percent(value, lang: str | None = None, decimals: int = 1) -> str:
    """A percentage given in percent units (30.1 -> "30.1%" / "30.1 %")."""
    lang = language(lang)
    return number(value, lang, decimals) + PERCENT_SEPARATOR[lang] + "%"


def signed_percent(value: float, lang: str | None = None, decimals: int = 1) -> str:
    """'−30.1 %': a signed percentage with a true minus sign."""
    sign = "\u2212" if round(value, decimals) < 0 else "+"
    return f"{sign}{number(abs(value), lang, decimals=decimals)} %"


QUANTITY_TEXT = {
    "usd_millions": N_("USD {amount} million"),
    "usd_one_million": N_("USD 1 million"),
    "fall": N_("a {percent} fall"),
    "rise": N_("a {percent} rise"),
}
PERCENT_UNITS = ("percent", "por ciento")


def usd_millions(amount: float, lang: str | None = None) -> str:
    """40000000 -> 'USD 40 million'; 1500000 -> 'USD 1.5 million' (es: '40 millones de dólares')."""
    millions = float(amount) / 1e6
    if millions == 1:
        return gettext(QUANTITY_TEXT["usd_one_million"], lang)
    text = number(millions, lang, decimals=0 if millions == round(millions) else 1)
    return gettext(QUANTITY_TEXT["usd_millions"], lang).format(amount=text)


def quantity(value: float, unit: str, lang: str | None = None) -> str:
    """A claimed quantity as a reader writes it: USD 40 million; a 50 % fall; 272,000 people; 305 m.
    UNIT is the edition's word for it (the curated tables' unit column in that language)."""
    if unit == "USD" and abs(value) >= 1e6:
        return usd_millions(value, lang)
    if unit in PERCENT_UNITS:
        shown = f"{number(abs(value), lang, decimals=0 if float(value).is_integer() else 1)} %"
        return gettext(QUANTITY_TEXT["fall" if value < 0 else "rise"], lang).format(percent=shown)
    shown = number(value, lang, decimals=0 if float(value).is_integer() else None)
    return f"{shown} {unit}".strip()


def month(stamp, lang: str | None = None) -> str:
    """A month: July 2023 / julio de 2023."""
    return format_skeleton("yMMMM", _as_date(stamp), locale=LOCALES[language(lang)])


# Countries as CBP and OHSS spell them (CBP's citizenship names), by ISO 3166 code, so another
# edition names them as CLDR does in its language (Haití, México, Turquía).
COUNTRY_CODES = {
    "BELIZE": "BZ", "BRAZIL": "BR", "CANADA": "CA", "CHINA, PEOPLES REPUBLIC OF": "CN", "COLOMBIA": "CO",
    "CUBA": "CU", "ECUADOR": "EC", "EL SALVADOR": "SV", "GUATEMALA": "GT", "HAITI": "HT", "HONDURAS": "HN",
    "INDIA": "IN", "MEXICO": "MX", "MYANMAR (BURMA)": "MM", "NICARAGUA": "NI", "PERU": "PE", "PHILIPPINES": "PH",
    "ROMANIA": "RO", "RUSSIA": "RU", "TURKEY": "TR", "UKRAINE": "UA", "VENEZUELA": "VE", "UNITED STATES": "US",
}


def country_name(name: str, lang: str | None = None) -> str:
    """A country spelled as CBP does ('EL SALVADOR', 'HAITI') for readers: in English CBP's
    name in title case ('China, Peoples Republic of'), in another edition CLDR's name ('Haití').
    A name CBP might add later and the table above lacks keeps its English form."""
    lang = language(lang)
    upper = name.upper()
    if lang != "en" and upper in COUNTRY_CODES:
        return _locale(LOCALES[lang]).territories[COUNTRY_CODES[upper]]
    words = name.title().split(" ")
    return " ".join(w.lower() if w in {"Of", "And"} and i else w for i, w in enumerate(words))


# Proper titles in English that another edition keeps as they were published: the data releases'
# names and the article's. There they are marked lang="en" (outputs.mark_names, the charts' source
# lines), so a screen reader says them in English; the words around them are translated.
ENGLISH_TITLES = (
    "Nationwide Encounters", "Southwest Land Border Encounters", "U.S. Border Patrol Monthly Encounters",
    "USBP Monthly Encounters", "Key Homeland Security Metrics: CBP Encounters", "Key Homeland Security Metrics",
    "Immigration Enforcement and Legal Processes Monthly Tables", "Mexico and the US Generate Solutions for Migration",
)
_ENGLISH_TITLE = re.compile("|".join(re.escape(t) for t in sorted(ENGLISH_TITLES, key=len, reverse=True)))


def english_pieces(text: str, lang: str | None = None) -> list[tuple[str, bool]]:
    """TEXT cut into (piece, whether it is an English title to mark) for the edition in LANG; in
    the English edition nothing is marked. The pieces joined give TEXT back."""
    if language(lang) == "en":
        return [(text, False)]
    pieces, start = [], 0
    for match in _ENGLISH_TITLE.finditer(text):
        pieces += [(text[start:match.start()], False), (match.group(), True)]
        start = match.end()
    pieces.append((text[start:], False))
    return [(piece, marked) for piece, marked in pieces if piece]


def month_names(lang: str | None = None, abbreviated: bool = False) -> tuple[str, ...]:
    """The twelve month names standing alone, January first: January / enero, or Jan / ene."""
    names = get_month_names("abbreviated" if abbreviated else "wide", "stand-alone", LOCALES[language(lang)])
    return tuple(names[number] for number in range(1, 13))


def month_name(stamp, lang: str | None = None, abbreviated: bool = False) -> str:
    """One month's name without its year, for a sentence that gives the year: June / junio."""
    return month_names(lang, abbreviated)[_as_date(stamp).month - 1]


def date(stamp, lang: str | None = None) -> str:
    """A day: 26 July 2023 / 26 de julio de 2023 (the book writes English dates day first)."""
    lang = language(lang)
    if lang == "en":
        day = _as_date(stamp)
        return f"{day.day} {format_date(day, 'MMMM y', locale=LOCALES[lang])}"
    return format_date(_as_date(stamp), "long", locale=LOCALES[lang])


def _as_date(stamp) -> dt.date:
    if isinstance(stamp, dt.datetime):
        return stamp.date()
    if isinstance(stamp, dt.date):
        return stamp
    text = str(stamp)[:10]
    return dt.date.fromisoformat(text if len(text) == 10 else f"{text[:7]}-01")  # "2023-07": a month
