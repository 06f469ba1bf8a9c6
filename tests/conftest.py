import os
from pathlib import Path

import pytest
from pybtex.database import parse_file

ROOT = Path(__file__).resolve().parents[1]
# The small books and book copies the tests build have one edition; the book's own two editions
# are built by make (scripts/build-book builds both unless BOOK_EDITIONS says otherwise).
os.environ.setdefault("BOOK_EDITIONS", "en")


@pytest.fixture(scope="session")
def vegalite_validator():
    """A validator of Vega-Lite specifications: the schema of the Vega-Lite that vl-convert compiles,
    as Altair ships it."""
    import json

    import altair
    import jsonschema

    schema = json.loads((Path(altair.__file__).parent / "vegalite" / "v6" / "schema" / "vega-lite-schema.json")
                        .read_text(encoding="utf-8"))
    return jsonschema.validators.validator_for(schema)(schema)


@pytest.fixture(autouse=True)
def charts_checked_as_made(monkeypatch, request):
    """Every chart a test makes is checked against Vega-Lite's schema as it is made (the chart layer
    writes specifications as dicts, which nothing checks in a notebook run; vl-convert's compiler
    accepts some mistakes with a warning)."""
    import jsonschema

    from migration_report.core import charts

    made = charts.vegalite

    def checked(chart, autosize=None):
        spec = made(chart, autosize)
        error = jsonschema.exceptions.best_match(request.getfixturevalue("vegalite_validator").iter_errors(spec))
        assert error is None, f"not valid Vega-Lite at {list(error.absolute_path)}: {error.message[:500]}"
        return spec

    monkeypatch.setattr(charts, "vegalite", checked)
    yield


SHARED = ROOT.parent / "shared"  # the team's raw sources and the article: not shipped with the book
COMMITTED_SHARED = ROOT / "tests" / "fixtures" / "shared"  # small copies of both (its README says what they hold)


@pytest.fixture(scope="session")
def root() -> Path:
    return ROOT


@pytest.fixture(params=["committed", "../shared"])
def shared_folder(request) -> Path:
    """A folder laid out as ../shared (sources/, seed/article.txt): the small committed copies, and
    ../shared itself where this machine has it; a clone without it runs the committed copies twice
    rather than skip (tests marked `shared`)."""
    if request.param == "../shared" and SHARED.is_dir():
        return SHARED
    return COMMITTED_SHARED


@pytest.fixture(scope="session")
def bib_entries():
    """The entries of references.bib, parsed once, by key."""
    return parse_file(ROOT / "references.bib").entries


@pytest.fixture(scope="session")
def bib_keys(bib_entries) -> set[str]:
    """The entry keys of references.bib."""
    return set(bib_entries)


@pytest.fixture(scope="module")
def encounters():
    """The Southwest border encounters table (data/sw_encounters_monthly.csv) as the package loads it."""
    from migration_report import load

    return load("sw-encounters")


@pytest.fixture(scope="module")
def site():
    """The built HTML book (_build/html) served on loopback, for the book tests that open its pages."""
    from test_browser import HTML, serve

    with serve(HTML) as base_url:
        yield base_url


CHROMIUM = os.environ.get("CHROMIUM", "/usr/bin/chromium")
CHROMIUM_FLAGS = ["--no-sandbox", "--disable-gpu", "--disable-background-networking",
                  "--disable-component-update", "--no-first-run"]


@pytest.fixture(scope="session")
def browser():
    """Debian's Chromium driven by Playwright (no browser download), shared by the book's browser tests."""
    from playwright.sync_api import sync_playwright

    if not Path(CHROMIUM).is_file():
        pytest.fail(f"no Chromium at {CHROMIUM}: apt-get install chromium (or set CHROMIUM=/path)")
    with sync_playwright() as playwright:
        chromium = playwright.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_FLAGS)
        yield chromium
        chromium.close()


def copied_checkout(tmp_path: Path) -> Path:
    """A copy of the checkout whose .venv is this one's, as `cp -a` leaves it: its editable install of
    migration_report points at this checkout's src/, not the copy's."""
    import shutil

    copy = tmp_path / "copy"
    copy.mkdir(parents=True)
    for name in ("Makefile", "_config.yml", "_toc.yml", "references.bib", "CITATION.cff"):
        shutil.copy2(ROOT / name, copy / name)
    for name in ("src", "data", "scripts", "chapters"):
        shutil.copytree(ROOT / name, copy / name, ignore=shutil.ignore_patterns("__pycache__", "*.egg-info"))
    (copy / ".venv").symlink_to(ROOT / ".venv")
    return copy


def figure_folder(tmp_path: Path) -> Path:
    """A folder for a test run's figure data: a chapter writes them only inside the book's _build/
    (params.output_dir), so each test gets its own folder there."""
    return ROOT / "_build" / "test-figure-data" / f"{tmp_path.parent.name}-{tmp_path.name}"


def read_figure_csv(path: Path):
    """A figure's data download, with the data's own column names again (the download shows readable
    ones: outputs.COLUMNS), so a test can compare it with the data tables."""
    import pandas as pd

    from migration_report.core.outputs import COLUMNS, FIGURE_COLUMNS

    names = {label: column for column, label in {**COLUMNS, **FIGURE_COLUMNS.get(Path(path).stem, {})}.items()}
    return pd.read_csv(path).rename(columns=names)


@pytest.fixture(scope="session")
def claim_tables():
    """The tables the claim register reads, loaded once for every test that judges claims."""
    from migration_report.register import claims

    return claims.load_tables()


@pytest.fixture(scope="session")
def register_by_id(claim_tables):
    """The register in the English edition, indexed by claim id."""
    from migration_report.register import claims

    return claims.register(claim_tables).set_index("claim_id")
