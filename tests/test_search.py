"""The search index's word rule (migration_report.sphinx.search); the pages are checked in tests/test_reader.py."""

from migration_report.sphinx.search import grouped, split_words, without_accents


def test_numbers_with_separators_are_one_word():
    assert split_words("fell from 206,690 to 144,556, by 30.1 %.") == ["fell", "from", "206,690", "to", "144,556", "by", "30.1"]


def test_a_sentence_end_after_a_number_is_not_a_decimal():
    assert split_words("in 2023. Then") == ["in", "2023", "2,023", "Then"]


def test_numbers_are_also_indexed_grouped_by_thousands_as_queries_are_written():
    # The query parser drops all-digit words; the splitter writes a query's "272000" as "272,000".
    assert grouped("272000") == grouped("272,000") == "272,000"
    assert grouped("1234.5") == "1,234.5" and grouped("30.1") == "30.1" and grouped("42") == "42"
    assert grouped("0.2.0") == "0.2.0" and grouped("Title") == "Title"
    assert split_words("272000 people, 1234.5 m") == ["272000", "272,000", "people", "1234.5", "1,234.5", "m"]


def test_accented_words_are_also_indexed_without_accents():
    assert split_words("Alicia Bárcena, SRE") == ["Alicia", "Bárcena", "Barcena", "SRE"]
    assert without_accents("Relaciones Exteriores, Asunción") == "Relaciones Exteriores, Asuncion"


def test_page_text_is_the_article_without_markup():
    from migration_report.sphinx.search import page_text

    page = ('<nav>menu</nav><article class="bd-article"><h1>Flows<a class="headerlink" href="#f">#</a></h1>'
            '<script>var x = 1;</script><p>fell by 30.1&nbsp;% &amp; more</p></article><footer>f</footer>')
    assert page_text(page) == "Flows fell by 30.1 % & more"


def test_page_text_leaves_out_code_and_the_prompts_of_folded_code():
    from migration_report.sphinx.search import page_text

    page = ('<article><p>After Title 42 ended</p><details class="admonition hide above-input">\n<summary>\n'
            '<span class="collapsed admonition-title">Show code cell source</span>\n'
            '<span class="expanded admonition-title">Hide code cell source</span>\n</summary>\n'
            '<div class="highlight"><pre>wide = flows.by_component_title(selected)</pre></div></details>'
            '<div class="highlight-bibtex"><div class="highlight"><pre>@incollection{x, title = {Title 42}}</pre></div></div>'
            '<p>encounters fell</p></article>')
    assert page_text(page) == "After Title 42 ended encounters fell"


def test_both_editions_search_with_the_same_word_rule():
    from sphinx.search.es import SearchSpanish

    from migration_report.sphinx.search import JS_SPLITTER, SearchEnglishNumbers, SearchSpanishNumbers

    assert SearchSpanishNumbers.lang == "es" and SearchEnglishNumbers.lang == "en"
    for language in (SearchEnglishNumbers, SearchSpanishNumbers):
        assert language.js_splitter_code == JS_SPLITTER
        assert language.split(language.__new__(language), "Bárcena: 272,000") == ["Bárcena", "Barcena", "272,000"]
    assert issubclass(SearchSpanishNumbers, SearchSpanish)  # Sphinx's own stemmer and stop words underneath
