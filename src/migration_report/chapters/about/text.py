"""The "About this book" page: who stands behind the book, and how to report an error.

The facts come from the book's own files (CITATION.cff for the maintainers, version and
licence; _config.yml for the repository's address, through `migration_report.core.settings`), so
the page never names a person, an organisation or an address that those files do not.
"""

from __future__ import annotations

from migration_report.core import i18n
from migration_report.core.citation import BookMetadata
from migration_report.core.i18n import N_, _
from migration_report.core.settings import Settings

# Reader-facing text made by this module, in one place for translation.
TEXT = {
    "maintainers": N_("The book is written and maintained by {authors}, as its citation file (CITATION.cff) names "
                      "them. This is version {version}, released on {released}."),
    "and": N_(" and "),
    "report_with_repository": N_("Report an error by opening an issue in the book's repository, <{issues}>: say which "
                                 "page, figure or claim (each has an anchor), what is wrong and, if you can, the "
                                 "source that shows it. The repository itself is <{repository}>."),
    "report_without_repository": N_("The book's repository has no public address yet, so there is no public place "
                                    "to report an error; this page will give it once it has one. Until then, anyone "
                                    "with a copy of the repository can report an error to its maintainers through it."),
}


def maintainers(meta: BookMetadata) -> str:
    return _(TEXT["maintainers"]).format(authors=_(TEXT["and"]).join(meta.authors), version=meta.version,
                                         released=_released(meta.released))


def _released(released) -> str:
    """The release date as the edition writes dates (26 July 2023 / 26 de julio de 2023), when it is one."""
    try:
        return i18n.date(released)
    except ValueError:
        return str(released)


def report_an_error(settings: Settings) -> str:
    if settings.repository_url:
        return _(TEXT["report_with_repository"]).format(issues=settings.issues_url(), repository=settings.repository_url)
    return _(TEXT["report_without_repository"])
