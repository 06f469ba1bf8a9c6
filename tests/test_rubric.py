"""The rubric: each row's worked example gives its verdict, and the rows combine as the page says."""

import itertools

import pandas as pd
import pytest

from migration_report.register import claims, rubric


@pytest.fixture()
def tables(claim_tables):
    return claim_tables


@pytest.fixture()
def register(register_by_id):
    return register_by_id


def _truth_inputs(tables, claim_id):
    """A claim's `about`, its truth findings as (finding, voice) and its measured judgement, read
    from the shipped tables as the register reads them."""
    about = tables["article-claims"].set_index("claim_id").at[claim_id, "about"]
    evidence = tables["claim-evidence"]
    truth = evidence[(evidence["claim_id"] == claim_id) & (evidence["question"] == "truth")]
    measured = claims.measurements(tables).get(claim_id)
    judged = rubric.MEASURED_RULES[measured.rule](**measured.values) if measured else None
    voices = [claims.VOICE_OF[v] for v in truth["source_voice"]]
    return about, list(zip(truth["finding"], voices)), judged


@pytest.mark.parametrize("row", rubric.TRUTH_ROWS, ids=lambda r: r.key)
def test_each_truth_row_applies_to_its_worked_example_and_gives_its_verdict(row, tables, register):
    about, findings, measured = _truth_inputs(tables, row.example)
    applied = dict(rubric.assess(about, findings, measured))
    assert row.key in applied, f"row {row.key} does not apply to its example {row.example}"
    verdict = register.at[row.example, "verdict"]
    verdict = verdict if isinstance(verdict, str) else None
    assert applied[row.key] == verdict, (row.key, row.example, applied)
    # the register names this row, or an earlier one that gives the same verdict
    order = [r.key for r in rubric.TRUTH_ROWS]
    decided = register.at[row.example, "verdict_row"]
    assert order.index(decided) <= order.index(row.key) and applied[decided] == verdict


@pytest.mark.parametrize("row", rubric.RELAY_ROWS, ids=lambda r: r.key)
def test_each_relay_row_decides_its_worked_example(row, register):
    assert register.at[row.example, "relay_row"] == row.key
    if row.outcome != "rule":
        assert register.at[row.example, "relay"] == row.outcome


@pytest.mark.parametrize("example, expected", [
    ("barcena-presented", None), ("usd-40m", "not verifiable"), ("chnv-272000", "not supported"),
    ("who-toured", "partly supported"), ("new-paths", "partly supported"), ("title-42-end", "supported"),
])
def test_the_rows_the_issue_names_settle_their_examples(example, expected, register):
    """Attribution against substance; the claimant's own word; the right number for another group;
    one part credited for the whole; a qualifying finding; findings that agree."""
    verdict = register.at[example, "verdict"]
    assert (verdict if isinstance(verdict, str) else None) == expected


# --- The documents rule, over every small set of findings and voices -----------------------------

DOCUMENT_FINDINGS = ("agrees", "partly agrees", "part for whole", "differs", "context", "no source found")
VOICED = [(f, v) for f in DOCUMENT_FINDINGS for v in ("independent", "claimant")]
SETS = [list(c) for n in range(4) for c in itertools.combinations_with_replacement(VOICED, n)]


def _rank(verdict):
    return rubric.ORDER.get(verdict)


@pytest.mark.parametrize("added", [(f, "independent") for f in DOCUMENT_FINDINGS])
def test_adding_an_independent_finding_moves_the_verdict_only_its_way(added):
    for findings in SETS:
        before = rubric.judge_truth("others", findings).verdict
        after = rubric.judge_truth("others", findings + [added]).verdict
        if added[0] in rubric.NEUTRAL:
            assert after == before, (findings, added)
        elif before == rubric.NOT_VERIFIABLE:
            assert after != rubric.NOT_VERIFIABLE, (findings, added)  # some evidence now bears on it
        elif added[0] in rubric.AGREEING:
            assert _rank(after) >= _rank(before) or after == rubric.PARTLY, (findings, added)
        else:
            assert _rank(after) <= _rank(before), (findings, added)


def test_the_claimants_word_never_changes_a_verdict_on_another_party():
    for findings in SETS:
        independent = [f for f in findings if f[1] == "independent"]
        assert rubric.judge_truth("others", findings).verdict == rubric.judge_truth("others", independent).verdict


def test_a_government_record_counts_for_its_own_act_but_caps_its_own_results():
    assert rubric.judge_truth("own act", [("agrees", "claimant")]).verdict == "supported"
    assert rubric.judge_truth("others", [("agrees", "claimant")]).verdict == "not verifiable"
    own = rubric.judge_truth("own results", [("agrees", "claimant")])
    assert (own.verdict, own.row) == ("partly supported", "own-results")
    assert rubric.judge_truth("own results", [("agrees", "claimant"), ("agrees", "independent")]).verdict == "supported"


@pytest.mark.parametrize("findings, verdict, row", [
    ([("agrees", "independent"), ("agrees", "independent"), ("no source found", "independent")], "supported", "combine"),
    ([("agrees", "independent"), ("differs", "independent")], "partly supported", "combine"),
    ([("differs", "independent")], "not supported", "combine"),
    ([("partly agrees", "independent")], "partly supported", "qualified"),
    ([("part for whole", "independent"), ("agrees", "independent")], "partly supported", "part-for-whole"),
    ([("other group", "independent"), ("agrees", "independent")], "not supported", "other-group"),
    ([("context", "independent")], "not verifiable", "nothing-counts"),
    ([], "not verifiable", "nothing-counts"),
])
def test_findings_combine_by_the_published_rows(findings, verdict, row):
    judged = rubric.judge_truth("others", findings)
    assert (judged.verdict, judged.row) == (verdict, row)


def test_a_cap_never_raises_a_measured_verdict():
    measured = rubric.Judgement("not supported", "change", "far off")
    assert rubric.judge_truth("others", [("partly agrees", "independent")], measured).verdict == "not supported"
    supported = rubric.Judgement("supported", "length", "within")
    capped = rubric.judge_truth("others", [("part for whole", "independent")], supported)
    assert (capped.verdict, capped.row) == ("partly supported", "part-for-whole")


def test_another_groups_figure_does_not_override_a_measurement_that_supports_the_claim():
    supported = rubric.Judgement("supported", "count-by-date", "within")
    assert rubric.judge_truth("others", [("other group", "independent")], supported).verdict == "supported"


@pytest.mark.parametrize("findings, answer", [
    (["agrees", "agrees"], "faithful"), (["agrees", "partly agrees"], "partly faithful"),
    (["agrees", "differs"], "partly faithful"), (["differs"], "not faithful"), (["no source found"], "not checked"),
    ([], "not checked"),
])
def test_relay_answers(findings, answer):
    assert rubric.judge_relay(findings).verdict == answer


def test_unknown_inputs_are_refused_naming_them():
    with pytest.raises(ValueError, match="finding 'agree' is not one of"):
        rubric.judge_truth("others", [("agree", "independent")])
    with pytest.raises(ValueError, match="voice 'government' is not one of"):
        rubric.judge_truth("others", [("agrees", "government")])
    with pytest.raises(ValueError, match="relay finding 'context' is not one of"):
        rubric.judge_relay(["context"])


# --- Measured rules and their tolerances ---------------------------------------------------------


def test_lowest_since_rule():
    feb, mar = pd.Timestamp("2021-02-01"), pd.Timestamp("2021-03-01")
    names = {"sw-total": "all", "usbp": "Border Patrol"}
    assert rubric.judge_lowest_since(feb, {"sw-total": feb, "usbp": mar}, names).verdict == "supported"
    assert rubric.judge_lowest_since(feb, {"sw-total": mar, "usbp": mar}, names).verdict == "not supported"
    assert rubric.judge_lowest_since(feb, {"sw-total": pd.Timestamp("2020-04-01"), "usbp": mar}, names).verdict == "partly supported"


def test_count_rule_uses_the_tolerance_constant(monkeypatch):
    args = dict(claimed=100.0, low=80.0, high=94.0, month="June")
    assert rubric.judge_count_by_date(**args).verdict == "not supported"
    monkeypatch.setattr(rubric, "RELATIVE_TOLERANCE", 0.07)
    assert rubric.judge_count_by_date(**args).verdict == "partly supported"
    assert rubric.judge_count_by_date(claimed=100.0, low=93.0, high=99.0, month="June").verdict == "supported"


def test_the_printed_rows_are_made_from_the_constants(monkeypatch):
    monkeypatch.setattr(rubric, "PERCENT_TOLERANCE", 7.5)
    change = next(r for r in rubric.rows("truth") if r["key"] == "change")
    assert "within 7.5 percentage points" in change["then"]


def test_every_row_has_a_worked_example_from_the_register(register):
    for row in rubric.RELAY_ROWS + rubric.TRUTH_ROWS:
        assert row.example in register.index, row.key
