"""The claim register: one verdict engine, monotone rules, verdicts that follow the shipped data."""

import itertools
from pathlib import Path

import pandas as pd
import pytest

from migration_report import claims, coverage
from migration_report.data import load

EXPECTED = {
    "usd-40m": "partly supported",
    "usd-40m-announced": "supported",
    "usd-40m-us-commitment": "not verifiable",
    "usd-first-time": "partly supported",
    "usd-raise": "not verifiable",
    "six-countries": "partly supported",
    "six-countries-announced": "supported",
    "six-countries-us": "not verifiable",
    "programme-results": "partly supported",
    "un-partners": "partly supported",
    "multi-service-space": "partly supported",
    "new-paths": "partly supported",
    "mexican-trend": "supported",
    "title-42-end": "supported",
    "may-june-drop": "not supported",
    "lowest-since-feb-2021": "supported",
    "chnv-272000": "partly supported",
    "barrier-length": "supported",
    "barrier-split": "partly supported",
    "who-toured": "supported",
    "second-note": "supported",
    "federal-lawsuit": "supported",
    "barcena-presented": "supported",
    "rodriguez-trafficking": "supported",
    "officials-present": "partly supported",
    "officials-present-offices": "supported",
    "officials-present-attendance": "not verifiable",
}
ARTICLE = Path(__file__).resolve().parents[2] / "shared" / "seed" / "article.txt"


@pytest.fixture(scope="module")
def tables():
    return claims.load_tables()


@pytest.fixture(scope="module")
def register(tables):
    return claims.register(tables).set_index("claim_id")


def test_verdicts_follow_from_the_shipped_data(register):
    assert register["verdict"].to_dict() == EXPECTED


def test_counts_are_over_parts_and_unsplit_claims_only(register):
    counts = claims.verdict_counts(register.reset_index())
    assert counts.sum() == len(EXPECTED) - 3  # three compound claims count through their parts
    assert counts.to_dict() == {"supported": 12, "partly supported": 7, "not supported": 1, "not verifiable": 4}


def test_parts_follow_their_parent_and_name_it(register):
    frame = register.reset_index()
    for position, row in frame.iterrows():
        if row["parts"]:
            following = list(frame["claim_id"].iloc[position + 1:position + 1 + len(row["parts"])])
            assert following == row["parts"]
            assert set(frame.set_index("claim_id").loc[following, "parent_id"]) == {row["claim_id"]}


def test_fifty_percent_is_supported_by_neither_the_total_nor_border_patrol(tables, register):
    encounters = tables["sw-encounters"]
    month = encounters["month"]
    may, june = (encounters[month == pd.Timestamp(m)] for m in ("2023-05-01", "2023-06-01"))
    total_change = 100 * (june["encounter_count"].sum() / may["encounter_count"].sum() - 1)
    usbp = lambda frame: frame.loc[frame["component"] == "USBP", "encounter_count"].sum()  # noqa: E731
    usbp_change = 100 * (usbp(june) / usbp(may) - 1)
    assert round(total_change, 1) == -30.1 and round(usbp_change, 1) == -41.9
    assert "−30.1 %" in register.at["may-june-drop", "found"] and "−41.9 %" in register.at["may-june-drop", "found"]
    assert any("daily average" in c for c in register.at["may-june-drop", "context"])  # the other reading, beneath


def test_the_272000_is_judged_on_the_stated_within_month_assumption(tables, register):
    reach = tables["chnv-process"]
    paroles = reach.loc[reach["measure"] == "paroles"].set_index("month")["total"].sort_index().cumsum()
    one = tables["cbp-one-appointments"].set_index("month").sort_index()
    chv = one[["cuba", "haiti", "venezuela"]].fillna(0).sum(axis=1).cumsum()
    low = paroles + chv
    june, july = pd.Timestamp("2023-06-01"), pd.Timestamp("2023-07-01")
    low_25_july = low[june] + (low[july] - low[june]) * 25 / 31
    assert low[june] < 272000 * 0.95 <= low_25_july
    assert f"{int(low[june]):,}" in register.at["chnv-272000", "found"]
    assert f"{round(low_25_july):,}" in register.at["chnv-272000", "found"]


def test_a_changed_data_fixture_changes_the_verdict(tables):
    encounters = tables["sw-encounters"].copy()
    may_total = encounters.loc[encounters["month"] == pd.Timestamp("2023-05-01"), "encounter_count"].sum()
    june = encounters["month"] == pd.Timestamp("2023-06-01")
    scale = 0.5 * may_total / encounters.loc[june, "encounter_count"].sum()  # June = half of May
    encounters.loc[june, "encounter_count"] = (encounters.loc[june, "encounter_count"] * scale).round().astype("int64")
    changed = claims.register({**tables, "sw-encounters": encounters}).set_index("claim_id")
    assert changed.at["may-june-drop", "verdict"] == "supported"


def test_a_changed_finding_changes_a_verdict_and_its_parent(tables):
    evidence = tables["claim-evidence"].copy()
    evidence.loc[evidence["claim_id"] == "usd-40m-us-commitment", "finding"] = "agrees"
    changed = claims.register({**tables, "claim-evidence": evidence}).set_index("claim_id")
    assert changed.at["usd-40m-us-commitment", "verdict"] == "supported"
    assert changed.at["usd-40m", "verdict"] == "supported"


def test_a_changed_survey_changes_the_split_verdict(tables):
    geometry = tables["barrier-geometry"].copy()
    survey = geometry["figure_set"] == "ibwc-survey"
    geometry.loc[survey & (geometry["part"] == "united-states"), ["length", "unit"]] = [75 / 0.3048, "ft"]
    geometry.loc[survey & (geometry["part"] == "mexico"), ["length", "unit"]] = [230 / 0.3048, "ft"]
    changed = claims.register({**tables, "barrier-geometry": geometry}).set_index("claim_id")
    assert changed.at["barrier-split", "verdict"] == "supported"


# --- The document rule is monotone (every multiset of up to four findings) -----------------------

SETS = [list(c) for n in range(5) for c in itertools.combinations_with_replacement(claims.FINDINGS, n)]


def _rank(verdict):
    return claims.ORDER.get(verdict)


@pytest.mark.parametrize("added", claims.FINDINGS)
def test_adding_a_finding_moves_the_verdict_only_its_way(added):
    for findings in SETS:
        before = claims.judge_findings(findings).verdict
        after = claims.judge_findings(findings + [added]).verdict
        if added in claims.NEUTRAL:
            assert after == before, (findings, added)
        elif before == claims.NOT_VERIFIABLE:
            assert after != claims.NOT_VERIFIABLE, (findings, added)  # some evidence now bears on it
        elif added in claims.AGREEING:
            assert _rank(after) >= _rank(before), (findings, added)
        else:
            assert _rank(after) <= _rank(before), (findings, added)


def test_not_verifiable_only_without_agreeing_or_contradicting_findings():
    for findings in SETS:
        bearing = [f for f in findings if f not in claims.NEUTRAL]
        assert (claims.judge_findings(findings).verdict == claims.NOT_VERIFIABLE) == (not bearing), findings


@pytest.mark.parametrize("findings, verdict", [
    (["agrees", "agrees", "no source found"], "supported"),  # more evidence never weakens (was: not verifiable)
    (["partly agrees", "partly agrees", "partly agrees", "no source found"], "partly supported"),
    (["agrees", "differs"], "partly supported"),
    (["differs"], "not supported"),
    (["context"], "not verifiable"),
    ([], "not verifiable"),
])
def test_findings_combine_by_the_documented_rule(findings, verdict):
    assert claims.judge_findings(findings).verdict == verdict


def test_an_unknown_finding_is_refused():
    with pytest.raises(ValueError, match="'agree' is not one of"):
        claims.judge_findings(["agree"])


def test_parts_summarise_by_the_documented_rule():
    assert claims.summarise_parts(["supported", "supported"]).verdict == "supported"
    assert claims.summarise_parts(["supported", "not verifiable"]).verdict == "partly supported"
    assert claims.summarise_parts(["not supported", "not verifiable"]).verdict == "not supported"
    assert claims.summarise_parts(["not verifiable", "not verifiable"]).verdict == "not verifiable"


def test_lowest_since_rule():
    feb, mar = pd.Timestamp("2021-02-01"), pd.Timestamp("2021-03-01")
    names = {"sw-total": "all", "usbp": "Border Patrol"}
    assert claims.judge_lowest_since(feb, {"sw-total": feb, "usbp": mar}, names).verdict == "supported"
    assert claims.judge_lowest_since(feb, {"sw-total": mar, "usbp": mar}, names).verdict == "not supported"
    assert claims.judge_lowest_since(feb, {"sw-total": pd.Timestamp("2020-04-01"), "usbp": mar}, names).verdict == "partly supported"


def test_total_rule_uses_the_tolerance_constant(monkeypatch):
    args = dict(claimed=100.0, low_month_end=80.0, low_on_day=94.0, high_on_day=99.0, month="June", day="25 July")
    assert claims.judge_total_reached(**args).verdict == "not verifiable"
    monkeypatch.setattr(claims, "RELATIVE_TOLERANCE", 0.07)
    assert claims.judge_total_reached(**args).verdict == "partly supported"


def test_rules_text_is_made_from_the_constants(monkeypatch):
    monkeypatch.setattr(claims, "PERCENT_TOLERANCE", 7.5)
    assert "within 7.5 percentage points" in dict(claims.rules())["Change between two months"]


def test_every_claim_is_short_enough_for_a_claimreview(register):
    assert (register["claim_short"].str.len() < 75).all()


# --- The register covers the whole article ------------------------------------------------------


def test_every_sentence_is_a_claim_or_says_why_not():
    sentences = load("article-sentences")
    claim_ids = set(load("article-claims")["claim_id"])
    listed = set()
    for row in sentences.itertuples():
        checked = [c for c in str(row.claim_ids).split("; ") if c and c != "nan"] if pd.notna(row.claim_ids) else []
        assert bool(checked) != bool(isinstance(row.reason, str) and row.reason), row.sentence
        assert set(checked) <= claim_ids, row.sentence
        assert len(row.first_words.replace(" …", "").split()) <= coverage.FIRST_WORDS
        listed |= set(checked)
    parents = set(load("article-claims")["parent_id"].dropna())
    tops = {c for c in claim_ids if c not in set(load("article-claims").dropna(subset=["parent_id"])["claim_id"])}
    assert tops <= listed | parents and tops - parents <= listed


@pytest.mark.skipif(not ARTICLE.exists(), reason="the article is not shipped; ../shared/seed/article.txt is absent")
def test_sentence_hashes_match_the_article():
    sentences = coverage.sentences(ARTICLE.read_text(encoding="utf-8"))
    table = load("article-sentences")
    assert [coverage.sentence_hash(s) for s in sentences] == list(table["sha256"])
    assert [coverage.first_words(s) for s in sentences] == list(table["first_words"])


def test_the_splitter_keeps_a_full_stop_before_a_lower_case_word():
    assert coverage.sentences("It stands out. in a stretch. Then “Quoted.” She said.") == [
        "It stands out. in a stretch.", "Then “Quoted.”", "She said."]


def test_a_card_cites_each_context_statement_where_it_is_made(tables):
    # The 272,000 card once listed seven sources in one bracket after its finding: each statement
    # now carries the citation of its own source, and the finding only the data it was read from.
    from migration_report import register_page

    frame = claims.register(tables)
    row = next(frame[frame["claim_id"] == "chnv-272000"].itertuples())
    evidence = tables["claim-evidence"].query("claim_id == 'chnv-272000' and finding == 'context'")
    text = register_page.card(row, load("quotations"), dict(zip(frame["claim_id"], frame["topic"])))
    found = next(line for line in text.splitlines() if line.startswith(": CHNV paroles"))
    assert found.endswith("{cite:p}`ohss_monthly_tables`")
    context = next(line for line in text.splitlines() if line.startswith(": The OHSS tables are monthly"))
    for statement, key in zip(evidence["statement"], evidence["source_key"]):
        last_words = " ".join(statement.rstrip(".").split()[-4:])
        assert f"{last_words} {{cite:p}}`{key}`." in context, (key, last_words)
    assert row.source_keys[0] == "ohss_monthly_tables" and set(evidence["source_key"]) <= set(row.source_keys)
