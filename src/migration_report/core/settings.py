"""The book's two addresses, read from one place: `_config.yml`.

- `html.baseurl`: where the HTML book is published (Sphinx's `html_baseurl`, which also gives
  the pages their canonical links and link previews their `og:url`).
- `repository.url`: where its source repository lives (jupyter-book's own key), for the re-run
  instructions (`git clone`) and for reporting an error.

Everything that shows an address takes it from here: citations, ClaimReview records, the PDF's
links to the HTML, the re-run and error-report instructions. While a setting is unset, nothing
shows a made-up address: the functions return None and their callers say how to do without.
CITATION.cff repeats the two addresses (`url`, `repository-code`) for citation tools;
`cff_mismatches` checks that it agrees.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from pathlib import Path

import yaml

ROOT = Path(__file__).resolve().parents[3]
CONFIG = "_config.yml"
URL = re.compile(r"https?://[^\s<>\"'`]+")

# Reader-facing text made by this module, in one place for translation.
TEXT = {
    "notice_unset": "notice: {key} is unset in _config.yml, so the book shows no {what}; set it when the book has one",
    "what": {"html.baseurl": "published address (citations give title and version only)",
             "repository.url": "repository address (re-run and error-report instructions say it is not yet public)"},
    "not_url": "{key} in _config.yml must be an http(s) address, not {value!r}",
}


@dataclass(frozen=True)
class Settings:
    base_url: str | None  # ends in "/" when set
    repository_url: str | None

    def page_url(self, stem: str, fragment: str | None = None) -> str | None:
        """The published address of a chapter page (chapters/<stem>.html), or None while unset."""
        if not self.base_url:
            return None
        return f"{self.base_url}chapters/{stem}.html" + (f"#{fragment}" if fragment else "")

    def file_url(self, path: str) -> str | None:
        """The published address of a file of the HTML book (path relative to its root)."""
        return f"{self.base_url}{path}" if self.base_url else None

    def issues_url(self) -> str | None:
        """Where readers report an error: the repository's issue tracker."""
        return f"{self.repository_url.removesuffix('.git').rstrip('/')}/issues" if self.repository_url else None

    def notices(self) -> list[str]:
        """One line for each unset address, which the build prints (a notice, not a warning)."""
        unset = [key for key, value in (("html.baseurl", self.base_url), ("repository.url", self.repository_url))
                 if not value]
        return [TEXT["notice_unset"].format(key=key, what=TEXT["what"][key]) for key in unset]


def book_root(start: Path | None = None) -> Path:
    """The folder holding _config.yml: the first one up from START (a notebook runs in chapters/
    of whichever copy of the book is being built), else this package's own checkout."""
    here = Path(start or Path.cwd()).resolve()
    for folder in (here, *here.parents):
        if (folder / CONFIG).is_file() and (folder / "_toc.yml").is_file():
            return folder
    return ROOT


def load(root: Path | None = None, language: str | None = None) -> Settings:
    """The book's addresses for the edition in LANGUAGE (Sphinx's config.language, else the
    environment's): a translated edition is published under its folder of the English one
    (migration_report.core.edition.PREFIX), so its pages and files are cited there."""
    from migration_report.core.edition import PREFIX
    from migration_report.core.i18n import language as edition_language

    root = Path(root) if root else book_root()
    config = yaml.safe_load((root / CONFIG).read_text(encoding="utf-8")) or {}
    base = _address(config, "html", "baseurl")
    prefix = PREFIX.get(edition_language(language), "")
    return Settings(base_url=base.rstrip("/") + "/" + prefix if base else None,
                    repository_url=_address(config, "repository", "url"))


def _address(config: dict, section: str, key: str) -> str | None:
    value = str((config.get(section) or {}).get(key) or "").strip()
    if value and not URL.fullmatch(value):
        raise ValueError(TEXT["not_url"].format(key=f"{section}.{key}", value=value))
    return value or None


def cff_mismatches(settings: Settings, cff: dict) -> list[str]:
    """Where CITATION.cff disagrees with _config.yml: each address is either in both, equal, or in neither."""
    problems = []
    for cff_key, config_key, value in (("url", "html.baseurl", settings.base_url),
                                       ("repository-code", "repository.url", settings.repository_url)):
        given = cff.get(cff_key)
        normal = (lambda u: u.rstrip("/")) if cff_key == "url" else (lambda u: u)
        if (given is None) != (value is None) or (given is not None and normal(given) != normal(value)):
            problems.append(f"CITATION.cff {cff_key} is {given!r} but _config.yml {config_key} is {value!r}")
    return problems
