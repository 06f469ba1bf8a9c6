"""A translated message may use the markup of its English and nothing more: the catalogue check
(`python -m migration_report.build.catalogues es`, run by scripts/build-book before the Spanish edition's
build, and by make translations) names each message that adds any, by file and line."""

import subprocess
import sys

import pytest

from migration_report.build.catalogues import main, markup_problems
from migration_report.core.message_markup import problems, unsafe_markup

ENGLISH = "Encounters fell {glue:text}`drop:.1f` percent {cite:p}`cbp2023` ([the data](https://www.cbp.gov/x))."


@pytest.mark.parametrize("translation, reason", [
    ("Bajaron <img src=x onerror=alert(1)> por ciento", "raw HTML '<img src=x onerror=alert(1)>'"),
    ("<script>alert(1)</script>", "raw HTML '<script>alert(1)</script>'"),
    ("Bajaron <IMG SRC=x OnError=alert(1)>", "raw HTML '<IMG SRC=x OnError=alert(1)>'"),
    ("Bajaron <svg/onload=alert(1)>", None),  # not an HTML tag to CommonMark: MyST shows it as text
    ("Bajaron <details open ontoggle=alert(1)>", "raw HTML '<details open ontoggle=alert(1)>'"),
    ("Bajaron <!-- x --> por ciento", "raw HTML '<!-- x -->'"),
    ("Bajaron {raw-html}`<b>x</b>`", "the role {raw-html}, which emits raw output"),
    ("Bajaron\n\n```{raw} html\n<b>x</b>\n```", "the directive {raw}, which emits raw output or a file's content"),
    ("Bajaron\n\n:::{eval-rst}\n.. raw:: html\n:::", "the directive {eval-rst}, which emits raw output"),
    ("Bajaron\n\n```{include} /etc/passwd\n```", "the directive {include}, which emits raw output"),
    ("Bajaron {{ cycler.__init__.__globals__.os }}", "a substitution {{ cycler.__init__.__globals__.os }}, which the English does not have"),
    ("Bajaron {doc}`chapters/about`", "the role {doc}, which the English does not use"),
    ("Bajaron ![x](../../secret.png)", "the image '../../secret.png', which the English does not show"),
    ("Bajaron [datos](ftp://example.org/x)", "a link to 'ftp://example.org/x' (only http, https and mailto"),
    ("Bajaron [datos](data:text/html;base64,PHNjcmlwdD4=)", None),  # MyST itself never links it: text
    ("Bajaron [datos](javascript:alert(1))", None),
    ("Bajaron [datos](JaVaScRiPt:alert(1))", None),
])
def test_markup_the_english_lacks_is_named(translation, reason):
    found = problems(ENGLISH, translation)
    if reason is None:
        assert found == []  # and it is published as text: tests/test_sphinx_i18n.py
    else:
        assert any(problem.startswith(reason) for problem in found), found


def test_the_markup_of_the_english_and_other_addresses_pass():
    assert problems(ENGLISH, "Bajaron {glue:text}`drop:.1f` por ciento {cite:p}`cbp2023` "
                             "([los datos](https://www.cbp.gov/es/x), [escriba](mailto:a@example.org), [abajo](#notas)).") == []
    assert problems("A {term}`encounter <Encounter>`", "Un {term}`encuentro <Encounter>`") == []
    assert problems("Text with &lt;angle&gt;", "Texto con \\<img src=x\\> escapado") == []
    assert problems("Untranslated", "") == []


def test_without_the_english_only_what_no_translation_may_have_is_named():
    assert unsafe_markup("Un {glue:text}`x` y {cite:p}`k`") == []
    assert unsafe_markup("Un <b>x</b>") == ["raw HTML '</b>'", "raw HTML '<b>'"]


def _catalogue(tmp_path, entries: str):
    folder = tmp_path / "locales" / "es" / "LC_MESSAGES" / "chapters"
    folder.mkdir(parents=True)
    (folder / "page.po").write_text('msgid ""\nmsgstr ""\n"Content-Type: text/plain; charset=UTF-8\\n"\n\n' + entries,
                                    encoding="utf-8")
    return tmp_path


def test_the_catalogue_check_names_the_file_and_line(tmp_path):
    root = _catalogue(tmp_path, 'msgid "Fine"\nmsgstr "Bien"\n\n'
                                '#: ../../chapters/page.ipynb:3\nmsgid "A drop"\nmsgstr "Una caída <img src=x onerror=alert(1)>"\n\n'
                                '#, fuzzy\nmsgid "Changed"\nmsgstr "Viejo <b>x</b>"\n\n'
                                'msgid "A title"\nmsgstr ""\n"Un título "\n"<script>alert(1)</script>"\n')
    assert markup_problems(root, "es") == [
        "locales/es/LC_MESSAGES/chapters/page.po:9: the translation has raw HTML '<img src=x onerror=alert(1)>' that "
        "the English does not have; a translation keeps the markup of its English and adds none",
        "locales/es/LC_MESSAGES/chapters/page.po:16: the translation has raw HTML '</script>' that "
        "the English does not have; a translation keeps the markup of its English and adds none",
        "locales/es/LC_MESSAGES/chapters/page.po:16: the translation has raw HTML '<script>' that "
        "the English does not have; a translation keeps the markup of its English and adds none"]


def test_the_catalogue_step_stops(tmp_path, monkeypatch, capsys):
    root = _catalogue(tmp_path, 'msgid "A drop"\nmsgstr "Una caída {raw-html}`<b>`"\n')
    monkeypatch.chdir(root)
    (root / "_config.yml").write_text("title: x\n", encoding="utf-8")
    (root / "_toc.yml").write_text("root: x\n", encoding="utf-8")
    for argv in (["--check", "es"], ["es"], ["--tidy-headers", "es"]):
        assert main(argv) == 1
        assert "error: locales/es/LC_MESSAGES/chapters/page.po:5: the translation has the role {raw-html}" in capsys.readouterr().err
    assert "<b>" in (root / "locales/es/LC_MESSAGES/chapters/page.po").read_text(encoding="utf-8")  # nothing tidied


def test_the_books_own_catalogues_pass_the_check(root):
    assert markup_problems(root, "es") == []
    check = subprocess.run([sys.executable, "-m", "migration_report.build.catalogues", "--check", "es"], cwd=root,
                           capture_output=True, text=True)
    assert check.returncode == 0, check.stderr


def test_the_build_stops_at_the_catalogue_step_before_building_anything(tmp_path, root):
    import os
    import shutil

    book = _catalogue(tmp_path / "book", '#: ../../chapters/page.md:3\nmsgid "A drop"\nmsgstr "Una caída <img src=x onerror=alert(1)>"\n')
    shutil.copy(root / "_config.yml", book / "_config.yml")
    (book / "_toc.yml").write_text("format: jb-book\nroot: chapters/page\n", encoding="utf-8")
    (book / "chapters").mkdir()
    (book / "chapters" / "page.md").write_text("# Page\n\nA drop\n", encoding="utf-8")
    result = subprocess.run([str(root / "scripts" / "build-book"), "html"], capture_output=True, text=True, timeout=300,
                            env=dict(os.environ, BOOK_ROOT=str(book), BOOK_EDITIONS="en es"))
    assert result.returncode == 1
    assert ("error: locales/es/LC_MESSAGES/chapters/page.po:6: the translation has raw HTML "
            "'<img src=x onerror=alert(1)>'") in result.stderr
    assert not (book / "_build" / "html").exists() and not (book / "_build" / "staging-html").exists()
