"""The claim register: both questions answered for every claim, from the shipped data and findings."""

import pandas as pd
import pytest
from conftest import SHARED

from migration_report.register import claims, coverage, rubric
from migration_report.core.data import load

# The register's answers for this version of the data and findings (0.3.0). A change here is a
# change of verdict: it needs an entry in data/corrections.csv, which the build checks.
EXPECTED = {
    "usd-40m": ("not verifiable", "faithful"),
    "usd-first-time": ("not verifiable", "faithful"),
    "usd-raise": ("not verifiable", "faithful"),
    "six-countries": ("not verifiable", "faithful"),
    "central-america": ("partly supported", "not checked"),
    "programme-results": ("partly supported", "faithful"),
    "un-partners": ("partly supported", "partly faithful"),
    "verification-repatriation": (None, "not checked"),
    "multi-service-space": ("supported", "faithful"),
    "new-paths": ("partly supported", "faithful"),
    "labour-routes": ("partly supported", "faithful"),
    "mexican-trend": ("supported", "faithful"),
    "title-42-end": ("supported", "faithful"),
    "may-june-drop": ("not supported", "faithful"),
    "lowest-since-feb-2021": ("supported", "faithful"),
    "chnv-272000": ("not supported", "not checked"),
    "barrier-length": ("supported", "faithful"),
    "barrier-split": ("partly supported", "faithful"),
    "who-toured": ("partly supported", "partly faithful"),
    "barrier-structures": ("partly supported", "faithful"),
    "second-note": ("partly supported", "faithful"),
    "federal-lawsuit": ("supported", "not checked"),
    "federal-support": ("partly supported", "faithful"),
    "barcena-presented": (None, "faithful"),
    "rodriguez-trafficking": (None, "partly faithful"),
    "officials-present": ("not verifiable", "not checked"),
    "officials-present-offices": ("supported", "not checked"),
}


@pytest.fixture()
def tables(claim_tables):
    return claim_tables


@pytest.fixture()
def register(register_by_id):
    return register_by_id


def _verdict(value):
    return value if isinstance(value, str) else None


def test_both_answers_follow_from_the_shipped_data(register):
    assert {c: (_verdict(r.verdict), r.relay) for c, r in register.iterrows()} == EXPECTED


def test_every_claim_has_both_answers_and_the_rows_that_gave_them(register):
    for claim_id, row in register.iterrows():
        assert row["relay"] in rubric.RELAY_ANSWERS and row["relay_row"] in {r.key for r in rubric.RELAY_ROWS}
        assert row["relay_reason"], claim_id
        if row["about"] == "said":
            assert _verdict(row["verdict"]) is None and row["verdict_row"] == "said-only", claim_id
        else:
            assert row["verdict"] in rubric.VERDICTS, claim_id
            assert row["verdict_row"] in {r.key for r in rubric.TRUTH_ROWS} - {"said-only"}, claim_id
            assert row["reason"] and row["conclusion"].startswith(row["claim_short"]), claim_id


def test_counts_are_over_the_claims_of_fact(register):
    frame = register.reset_index()
    counts = claims.verdict_counts(frame)
    said = (frame["about"] == "said").sum()
    assert counts.sum() == len(EXPECTED) - said == sum(v is not None for v, _ in EXPECTED.values())
    assert counts.to_dict() == {v: sum(e[0] == v for e in EXPECTED.values()) for v in rubric.VERDICTS}
    assert claims.relay_counts(frame).sum() == len(EXPECTED)


def test_fifty_percent_is_supported_by_neither_the_total_nor_border_patrol(tables, register):
    encounters = tables["sw-encounters"]
    month = encounters["month"]
    may, june = (encounters[month == pd.Timestamp(m)] for m in ("2023-05-01", "2023-06-01"))
    total_change = 100 * (june["encounter_count"].sum() / may["encounter_count"].sum() - 1)
    usbp = lambda frame: frame.loc[frame["component"] == "USBP", "encounter_count"].sum()  # noqa: E731
    usbp_change = 100 * (usbp(june) / usbp(may) - 1)
    assert round(total_change, 1) == -30.1 and round(usbp_change, 1) == -41.9
    assert "−30.1 %" in register.at["may-june-drop", "found"] and "−41.9 %" in register.at["may-june-drop", "found"]
    assert register.at["may-june-drop", "verdict_row"] == "change"
    assert any("daily average" in c for c in register.at["may-june-drop", "context"])  # the other reading, beneath


def _chnv_sums(tables, month):
    """Cumulative CHNV paroles plus CBP One appointments to the end of MONTH, from the raw rows:
    the lower bound (Cubans, Haitians, Venezuelans) and the upper (plus OHSS's 'other', where
    Nicaraguans are)."""
    reach = tables["chnv-process"]
    paroles = reach.loc[reach["measure"] == "paroles"].set_index("month")["total"].sort_index().cumsum()
    one = tables["cbp-one-appointments"].set_index("month").sort_index().fillna(0)
    chv = one[["cuba", "haiti", "venezuela"]].sum(axis=1).cumsum()
    other = one["other"].cumsum()
    month = pd.Timestamp(month)
    return paroles[month] + chv[month], paroles[month] + chv[month] + other[month], one["total"].cumsum()


def test_the_272000_is_judged_for_its_group_on_the_months_before_the_statement(tables, register):
    low, high, all_cbp_one = _chnv_sums(tables, "2023-06-01")
    assert high < 272000 * (1 - claims.RELATIVE_TOLERANCE)  # even the upper bound is short by the end of June
    assert f"{int(low):,}" in register.at["chnv-272000", "found"] and f"{int(high):,}" in register.at["chnv-272000", "found"]
    # the breakdown's 106,000 through CBP One is the appointments of every nationality from January to May
    assert abs(all_cbp_one[pd.Timestamp("2023-05-01")] - 106000) <= 0.01 * 106000
    assert register.at["chnv-272000", "verdict"] == "not supported"
    assert register.at["chnv-272000", "verdict_row"] == "other-group"
    assert any("spread evenly over July" in c for c in register.at["chnv-272000", "context"])  # later data: context


def test_a_changed_data_fixture_changes_the_verdict(tables):
    encounters = tables["sw-encounters"].copy()
    may_total = encounters.loc[encounters["month"] == pd.Timestamp("2023-05-01"), "encounter_count"].sum()
    june = encounters["month"] == pd.Timestamp("2023-06-01")
    scale = 0.5 * may_total / encounters.loc[june, "encounter_count"].sum()  # June = half of May
    encounters.loc[june, "encounter_count"] = (encounters.loc[june, "encounter_count"] * scale).round().astype("int64")
    changed = claims.register({**tables, "sw-encounters": encounters}).set_index("claim_id")
    assert changed.at["may-june-drop", "verdict"] == "supported"


def test_a_us_record_of_the_contribution_would_change_its_verdict(tables):
    evidence = tables["claim-evidence"].copy()
    search = (evidence["claim_id"] == "usd-40m") & (evidence["question"] == "truth")
    evidence.loc[search, ["finding", "source_voice"]] = ["agrees", "us-gov"]
    changed = claims.register({**tables, "claim-evidence": evidence}).set_index("claim_id")
    assert changed.at["usd-40m", "verdict"] == "supported"


def test_the_claimants_own_word_is_not_evidence_of_another_partys_commitment(tables):
    evidence = tables["claim-evidence"].copy()
    search = (evidence["claim_id"] == "usd-40m") & (evidence["question"] == "truth")
    evidence.loc[search, ["finding", "source_voice"]] = ["agrees", "mexico-gov"]
    changed = claims.register({**tables, "claim-evidence": evidence}).set_index("claim_id")
    assert changed.at["usd-40m", "verdict"] == "not verifiable"


def test_a_changed_survey_changes_the_split_verdict(tables):
    geometry = tables["barrier-geometry"].copy()
    survey = geometry["figure_set"] == "ibwc-survey"
    geometry.loc[survey & (geometry["part"] == "united-states"), ["length", "unit"]] = [75 / 0.3048, "ft"]
    geometry.loc[survey & (geometry["part"] == "mexico"), ["length", "unit"]] = [230 / 0.3048, "ft"]
    changed = claims.register({**tables, "barrier-geometry": geometry}).set_index("claim_id")
    assert changed.at["barrier-split", "verdict"] == "supported"


def test_every_claim_is_short_enough_for_a_claimreview(register):
    assert (register["claim_short"].str.len() < 75).all()


def test_each_quotation_of_a_claim_is_one_of_its_relay_findings(tables):
    """The Spanish originals table and the relay findings say the same about each quotation."""
    evidence = tables["claim-evidence"]
    same = {"faithful": "agrees", "partly": "partly agrees", "not found": "no source found"}
    for quote in load("quotations").dropna(subset=["claim_id"]).itertuples():
        relay = evidence[(evidence["claim_id"] == quote.claim_id) & (evidence["question"] == "relay")]
        assert quote.source_key in set(relay["source_key"]), quote.quote_id
        assert same[quote.relayed] in set(relay.loc[relay["source_key"] == quote.source_key, "finding"]), quote.quote_id


def test_relay_findings_use_the_relay_vocabulary(tables):
    evidence = tables["claim-evidence"]
    assert set(evidence.loc[evidence["question"] == "relay", "finding"]) <= set(rubric.RELAY_FINDINGS)


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
    assert claim_ids <= listed


@pytest.mark.shared
def test_sentence_hashes_match_the_article(shared_folder):
    # The book does not ship the article: ../shared's is checked against data/, and a short made-up
    # one (tests/fixtures/shared/seed) against its sentences' hashes, worked out with hashlib alone.
    sentences = coverage.sentences((shared_folder / "seed" / "article.txt").read_text(encoding="utf-8"))
    table = load("article-sentences") if shared_folder == SHARED else pd.read_csv(shared_folder / "article_sentences.csv")
    assert [coverage.sentence_hash(s) for s in sentences] == list(table["sha256"])
    assert [coverage.first_words(s) for s in sentences] == list(table["first_words"])


def test_the_splitter_keeps_a_full_stop_before_a_lower_case_word():
    assert coverage.sentences("It stands out. in a stretch. Then “Quoted.” She said.") == [
        "It stands out. in a stretch.", "Then “Quoted.”", "She said."]


def test_a_card_cites_each_statement_where_it_is_made(tables):
    # The 272,000 card once listed seven sources in one bracket after its finding: each statement
    # carries the citation of its own source, and the measurement only the data it was read from.
    from migration_report.register import page as register_page

    frame = claims.register(tables)
    row = next(frame[frame["claim_id"] == "chnv-272000"].itertuples())
    evidence = tables["claim-evidence"].query("claim_id == 'chnv-272000' and finding == 'context'")
    text = register_page.card(row, load("quotations"))
    found = next(line for line in text.splitlines() if line.startswith(": CHNV paroles"))
    assert found.endswith("{cite:p}`ohss_monthly_tables`.")
    context = next(line for line in text.splitlines() if line.startswith(": DHS: nearly"))
    for statement, key in zip(evidence["statement"], evidence["source_key"]):
        last_words = " ".join(statement.rstrip(".").split()[-4:])
        assert f"{last_words} {{cite:p}}`{key}`." in context, (key, last_words)
    assert set(evidence["source_key"]) <= set(row.source_keys)
