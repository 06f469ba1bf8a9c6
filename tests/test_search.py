"""The search index's word rule (migration_report.sphinx_search); the pages are checked in tests/test_reader.py."""

from migration_report.sphinx_search import split_words, without_accents


def test_numbers_with_separators_are_one_word():
    assert split_words("fell from 206,690 to 144,556, by 30.1 %.") == ["fell", "from", "206,690", "to", "144,556", "by", "30.1"]


def test_a_sentence_end_after_a_number_is_not_a_decimal():
    assert split_words("in 2023. Then") == ["in", "2023", "Then"]


def test_accented_words_are_also_indexed_without_accents():
    assert split_words("Alicia Bárcena, SRE") == ["Alicia", "Bárcena", "Barcena", "SRE"]
    assert without_accents("Relaciones Exteriores, Asunción") == "Relaciones Exteriores, Asuncion"


def test_page_text_is_the_article_without_markup():
    from migration_report.sphinx_search import page_text

    page = ('<nav>menu</nav><article class="bd-article"><h1>Flows<a class="headerlink" href="#f">#</a></h1>'
            '<script>var x = 1;</script><p>fell by 30.1&nbsp;% &amp; more</p></article><footer>f</footer>')
    assert page_text(page) == "Flows fell by 30.1 % & more"


def test_both_editions_search_with_the_same_word_rule():
    from sphinx.search.es import SearchSpanish

    from migration_report.sphinx_search import JS_SPLITTER, SearchEnglishNumbers, SearchSpanishNumbers

    assert SearchSpanishNumbers.lang == "es" and SearchEnglishNumbers.lang == "en"
    for language in (SearchEnglishNumbers, SearchSpanishNumbers):
        assert language.js_splitter_code == JS_SPLITTER
        assert language.split(language.__new__(language), "Bárcena: 272,000") == ["Bárcena", "Barcena", "272,000"]
    assert issubclass(SearchSpanishNumbers, SearchSpanish)  # Sphinx's own stemmer and stop words underneath
