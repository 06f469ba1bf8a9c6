"""The chart layer: the HTML part carries an inert specification with the values a reader hovers,
the PNG part is the same specification drawn without a browser, identically every time."""

from __future__ import annotations

import html
import json
import re

import pandas as pd
import pytest

from migration_report.core import chart_compile, charts, style
from migration_report.chapters.flow_statistics import figures as flow_charts, analysis as flows
from migration_report import load, source_line
from migration_report.chapters.introduction import figures as verdict_chart


def specs(figure: charts.Figure) -> list[dict]:
    found = re.findall(r'<script type="application/json">(.*?)</script>', chart_compile.compile_html(figure.html()),
                       flags=re.S)
    return [json.loads(text) for text in found]


def tooltip_rows(spec: dict) -> list[dict]:
    """The rows of the per-month tooltip table (the dataset with a 'label' and 'next' column)."""
    for data in spec["data"]:
        values = data.get("values") or []
        if values and {"label", "next"} <= set(values[0]):
            return values
    raise AssertionError("no tooltip table in the specification")


@pytest.fixture(scope="module")
def may_june():
    series = flows.measure_series(load("sw-encounters")).loc["2023-01-01":"2023-09-01"]
    return series, flow_charts.may_june_figure(series, source=source_line("sw-encounters"))


def test_the_tooltip_shows_the_month_and_each_value_as_the_prose_writes_it(may_june):
    series, figure = may_june
    (spec,) = specs(figure)
    rows = {row["label"]: row for row in tooltip_rows(spec)}
    may = rows["May 2023"]
    expected = f"{int(series.loc['2023-05-01', 'sw-total']):,} encounters"
    assert may["s0"] == expected  # s0 is the first series, all Southwest border encounters
    assert re.fullmatch(r"\d{1,3}(,\d{3})+ encounters", may["s1"])
    # The tooltip's titles are the legend's series names.
    assert flows.MEASURES["sw-total"][0] in json.dumps(spec)


def test_the_html_part_is_inert_and_labelled_for_the_figure_alt_text(may_june):
    _, figure = may_june
    page = figure.html()
    assert "<script>" not in page and 'type="application/vnd.vegalite+json"' in page
    compiled = chart_compile.compile_html(page)  # as the HTML book's build gives it to the page
    assert "<script>" not in compiled and 'type="application/json"' in compiled and "vegalite" not in compiled
    assert compiled.replace(chart_compile.inert_json(figure.panel_specs()[0]), "") == page.replace(
        chart_compile.inert_json(figure.panel_vegalite()[0]), "").replace(chart_compile.VEGA_LITE_TYPE, "application/json")
    assert 'aria-label="ALT"' in page and 'tabindex="0"' in page  # sphinx_charts puts the :alt: text here
    assert html.escape(charts.TEXT["hint"]) in page
    assert page.count('class="vega-chart"') == 1
    assert "Source: CBP" in page


def test_json_inside_a_script_cannot_close_it():
    text = chart_compile.inert_json({"label": "</script><script>alert(1)</script> & more"})
    assert "</script>" not in text and "<" not in text and "&" not in text
    assert json.loads(text)["label"] == "</script><script>alert(1)</script> & more"


def test_the_png_is_the_same_every_time_and_has_the_source_line(may_june):
    series, figure = may_june
    again = flow_charts.may_june_figure(series, source=source_line("sw-encounters"))
    png = figure.png()
    assert png[:8] == b"\x89PNG\r\n\x1a\n"
    assert png == again.png()
    width = int.from_bytes(png[16:20], "big")
    assert width >= charts.WIDTH * charts.PNG_SCALE * 0.9
    static = json.dumps(figure.static_spec())
    assert "Source: CBP" in static


def test_a_figure_needs_a_source_line():
    chart = verdict_chart.verdict_figure(pd.Series({"supported": 1}), source="Source: x").panels[0]
    with pytest.raises(ValueError, match="Source"):
        charts.Figure([chart], source="CBP")


def test_the_spanish_edition_s_figures_take_its_source_line(monkeypatch):
    # The Spanish kernels write "Fuente: …"; the introduction's chart failed on it (issue 16).
    from migration_report.core import i18n

    monkeypatch.setenv(i18n.ENVIRONMENT, "es")
    chart = verdict_chart.verdict_figure(pd.Series({"supported": 1}), source="Fuente: x").panels[0]
    assert charts.Figure([chart], source="Fuente: el registro").source == "Fuente: el registro"
    with pytest.raises(ValueError, match="Source"):
        charts.Figure([chart], source="CBP")


def test_bars_label_each_category_with_its_count():
    counts = pd.Series({"supported": 12, "partly supported": 3, "not supported": 1001, "not verifiable": 0})
    (spec,) = specs(verdict_chart.verdict_figure(counts, source="Source: the register"))
    shown = {row["verdict"]: row["shown"] for data in spec["data"] for row in data.get("values") or []
             if "shown" in row}
    assert shown == {"supported": "12", "partly supported": "3", "not supported": "1,001", "not verifiable": "0"}
    assert style.VERDICT_COLOURS["not supported"] in json.dumps(spec)


def test_dark_mode_swaps_every_grey_the_charts_use():
    for colour in (charts.TEXT_COLOUR, charts.GRID_COLOUR, charts.SHADE, style.PALETTE["black"], charts.HIGHLIGHT):
        assert colour in charts.DARK
    # The series hues are Okabe–Ito in both modes, apart from the darkest, which is lightened.
    assert style.PALETTE["orange"] not in charts.DARK


def test_month_names_come_from_text():
    assert charts.month_label(pd.Timestamp("2023-05-01")) == "May 2023"
    assert charts.day_label(pd.Timestamp("2023-07-26")) == "26 July 2023"
    axis = charts.month_axis(9)
    assert '"Jan"' in axis["labelExpr"] and "utcmonth" in axis["labelExpr"]


def test_stacked_steps_close_the_last_month_and_stack_once():
    months = pd.date_range("2023-01-01", periods=3, freq="MS", name="month")
    wide = pd.DataFrame({"a": [1, 2, 3], "b": [10, 20, 30]}, index=months)
    chart = charts.time_series(wide, labels={"a": "A", "b": "B"}, colours={"a": "#0072B2", "b": "#E69F00"},
                               y_title="Count", x_title="Month", kind="area")
    spec = charts.vegalite(chart)
    steps = next(v for v in spec["datasets"].values() if v and "order" in v[0] and v[0].get("series") in ("A", "B")
                 and len(v) == 8)
    per_month = pd.DataFrame(steps).groupby("month").size()
    assert per_month.max() == 2  # one row per series and month: the stack is not doubled
    assert sorted(per_month.index)[-1] == "2023-04-01T00:00:00Z"  # the closing row of the last step


def test_barrier_split_labels_each_part_with_its_metres_and_share():
    from migration_report.chapters.rio_grande_dispute import analysis as barrier, figures as barrier_charts

    geometry = load("barrier-geometry")
    figure = barrier_charts.split_figure(geometry, source=source_line("barrier-geometry"))
    (spec,) = specs(figure)
    rows = [row for data in spec["data"] for row in data.get("values") or [] if "shown_share" in row]
    table = barrier.split_table(geometry).set_index(["figure_set", "part"])
    expected = {(barrier.FIGURE_SET_NAMES[s], barrier.PART_NAMES[p]): (f"{table.loc[(s, p), 'length_m']:,.1f} m",
                                                                      f"{table.loc[(s, p), 'share_pct']:.1f} %")
                for s in ("mexico-sre", "ibwc-survey") for p in barrier.SIDES}
    assert {(r["set"], r["side"]): (r["shown_length"], r["shown_share"]) for r in rows} == expected
    assert "nominal 1,000 ft = 304.8 m" in json.dumps(spec)
    assert figure.png().startswith(b"\x89PNG")
    assert style.last_source == source_line("barrier-geometry").removeprefix("Source:").strip()


def test_flows_has_one_panel_per_country_on_one_scale_and_says_which_cbp_does_not_break_out():
    from migration_report.chapters.cooperation_and_funding import analysis as funding, figures as funding_charts

    encounters = load("sw-encounters")
    citizenships = sorted(encounters["citizenship"].unique())
    monthly = funding.monthly_by_country(encounters, ["BELIZE", "CUBA", "HONDURAS"], 2022, 2023)
    figure = funding_charts.flows_figure(monthly, ["BELIZE", "CUBA", "HONDURAS"], citizenships, 2023,
                                         source="Source: test.")
    belize, cuba, honduras = specs(figure)
    note = next(row["text"] for data in belize["data"] for row in data.get("values") or [] if "text" in row)
    assert " ".join(note) == "Belize: not broken out by CBP (inside OTHER)"
    assert len(note) > 1  # in lines short enough for a phone
    top = float(monthly["encounters"].max())
    for spec in (cuba, honduras):
        (y,) = [s for s in spec["scales"] if s["name"] == "y"]
        assert y["domain"] == [0, top]
    assert "FY2023" in json.dumps(cuba)


def test_funding_labels_each_entry_and_draws_the_unconfirmed_pledge_hollow():
    from migration_report.chapters.cooperation_and_funding import analysis as funding, figures as funding_charts

    money = load("programme-funding")
    figure = funding_charts.funding_figure(money, source=source_line("programme-funding"))
    panels = specs(figure)
    assert len(panels) == len(funding.KINDS)
    text = json.dumps(panels)
    for amount in funding.funding_points(money)["amount_usd"].dropna():
        assert funding.usd_millions(amount) in text
    marks = [m for spec in panels for m in spec["marks"] if m.get("type") == "symbol"]
    hollow = [m for m in marks if m["encode"]["update"].get("fill", {}).get("value") == "white"]
    assert hollow, "the unconfirmed pledge is drawn hollow"


def test_timeline_has_a_row_per_event_a_bar_per_month_only_row_and_the_csv_values_on_hover():
    from migration_report.chapters.rio_grande_dispute import analysis as barrier, figures as barrier_charts
    from migration_report.core import outputs

    timeline = load("rio-grande-timeline")
    press = barrier.last_row(timeline, "press conference")["date"]
    figure = barrier_charts.timeline_figure(timeline, source=source_line("rio-grande-timeline"), press_conference=press)
    panels = specs(figure)
    assert len(panels) == len(barrier_charts.PERIODS)
    rows = [row for spec in panels for data in spec["data"] for row in data.get("values") or [] if "event" in row]
    shown = {row["label"]: row for row in rows}
    table = barrier.timeline_table(timeline)
    assert len(shown) == len(table)  # every event, once
    references = outputs.reference_texts(table["source_key"])
    for _, event in table.iterrows():
        row = shown[event["label"]]
        # The tooltip's date, event and source are the "When", "Event" and "Source" of the figure's CSV.
        assert (row["when"], row["event"], row["source"]) == (event["when"], event["event"],
                                                              references[event["source_key"]])
        assert (row["until"] > row["at"]) and (row["date_precision"] == "month") == (
            pd.Timestamp(row["until"]) - pd.Timestamp(row["at"]) > pd.Timedelta(days=27))
    low = [row for row in shown.values() if row["low"]]
    assert [row["label"] for row in low] == ["DOJ warns Texas by letter"]
    assert low[0]["shown"] == "DOJ warns Texas by letter (low confidence)" and low[0]["trust"] == "low"
    # Month-only rows are drawn as bars (thick rules) over their month, and only they.
    barred = set()
    for spec in panels:
        by_name = {data["name"]: data for data in spec["data"]}
        values = {}
        for name, data in by_name.items():  # a derived dataset: the inline values it starts from
            while "source" in data:
                data = by_name[data["source"]]
            values[name] = data.get("values") or []
        for mark in spec["marks"]:
            if mark["type"] == "rule" and mark["encode"]["update"].get("strokeWidth") == {"value": 8}:
                barred |= {row["label"] for row in values[mark["from"]["data"]]}
    assert barred == set(table.loc[table["date_precision"] == "month", "label"])
    # The press conference: a dotted line in the period it falls in, and in the key.
    assert "Press conference, 26 July 2023" in json.dumps(panels[0])
    press_panel = next(i for i, (a, b) in enumerate(barrier_charts.PERIODS)
                       if pd.Timestamp(a) <= press < pd.Timestamp(b))
    assert json.dumps(charts.iso(press)) in json.dumps(panels[press_panel])
    # Each label fits in the plot: it is placed from its measured width.
    assert all(0 < row["text_px"] < 340 for row in rows), max(row["text_px"] for row in rows)
    assert figure.png() == barrier_charts.timeline_figure(timeline, source=source_line("rio-grande-timeline"),
                                                          press_conference=press).png()


def test_an_event_outside_every_period_is_refused():
    from migration_report.chapters.rio_grande_dispute import figures as barrier_charts

    timeline = load("rio-grande-timeline")
    with pytest.raises(ValueError, match="outside every period"):
        barrier_charts.timeline_figure(timeline, source="Source: x", press_conference=pd.Timestamp("2023-07-26"),
                                       periods=(("2023-05-01", "2023-10-01"),))


def test_a_rule_label_wraps_and_is_placed_in_the_browser_from_its_measured_width():
    months = pd.date_range("2019-10-01", periods=60, freq="MS")
    wide = pd.DataFrame({"a": range(60)}, index=months)
    label = "June 2023: last month before the article"
    chart = charts.time_series(wide, labels={"a": "A"}, colours={"a": "#0072B2"}, y_title="y", x_title="x",
                               rules=[charts.Rule(label, at=pd.Timestamp("2023-07-01"))])
    spec = charts.vega(chart)
    (row,) = [r for data in spec["data"] for r in data.get("values") or [] if r.get("label") and "text_px" in r]
    assert " ".join(row["label"]) == label and all(len(line) <= charts.RULE_LABEL_CHARS for line in row["label"])
    assert row["text_px"] == max(charts.text_width(line) for line in row["label"])
    assert abs(row["p"] - 45 / 60) < 0.01  # July 2023 is month 45 of the 60 shown
    # Its x is worked out by Vega at the chart's width: beside the rule where it fits, else clamped inside.
    (text,) = [m for m in spec["marks"] if m["type"] == "text" and "datum.p * width" in json.dumps(m)]
    assert "clamp(" in text["encode"]["update"]["x"]["signal"]


def test_long_legend_labels_and_titles_are_drawn_on_several_lines():
    long = "Operaciones de Campo (en puertos de entrada)"
    lines = charts.wrapped_lines(long, charts.LEGEND_LABEL_PX)
    assert " ".join(lines) == long and len(lines) == 2
    assert all(charts.text_width(line) <= charts.LEGEND_LABEL_PX for line in lines)
    expr = charts.legend_label_expr([long, "Field Operations (at ports)"])
    assert expr == f'datum.label === "{long}" ? ["{lines[0]}", "{lines[1]}"] : datum.label'
    assert charts.legend_label_expr(["Field Operations (at ports)", "Border Patrol (between ports)"]) is None
    assert charts.title_lines("Claims in the article (number)", charts.BAR_TITLE_PX) == "Claims in the article (number)"
    assert charts.title_lines("Afirmaciones de la nota (número)", charts.BAR_TITLE_PX) == [
        "Afirmaciones de la nota", "(número)"]


def test_a_figure_is_the_same_in_every_time_zone(tmp_path):
    """A date-time without an offset is local time to JavaScript: the PNG (so the PDF) and the chart a reader sees
    moved with the machine's or reader's time zone (TZ=Pacific/Kiritimati, UTC+14, changed every flow PNG)."""
    import subprocess
    import sys

    script = ("import hashlib, pandas as pd\nfrom migration_report.core import charts\n"
              "wide = pd.DataFrame({'a': range(8)}, index=pd.date_range('2023-01-01', periods=8, freq='MS'))\n"
              "fig = charts.Figure([charts.time_series(wide, labels={'a': 'A'}, colours={'a': '#000000'}, y_title='y',"
              " x_title='x')], source='Source: test')\n"
              "print(hashlib.sha256(fig.png()).hexdigest(), hashlib.sha256(fig.html().encode()).hexdigest())\n")
    runs = [subprocess.Popen([sys.executable, "-c", script], stdout=subprocess.PIPE, text=True,
                             env={**__import__("os").environ, "TZ": zone})
            for zone in ("UTC", "Pacific/Kiritimati")]  # side by side; UTC+14 is the farthest from UTC
    prints = {run.communicate(timeout=300)[0] for run in runs}
    assert [run.returncode for run in runs] == [0, 0] and len(prints) == 1, prints


def test_a_long_valid_input_is_drawn_not_stopped_by_a_row_limit():
    """Every month from 1700 to 2026 (the schema accepts them): Altair's 5,000-row limit stopped the chapter with
    a MaxRowsError that named no parameter. The chart layer takes any number of rows."""
    months = pd.date_range("1700-01-01", "2026-06-01", freq="MS")
    wide = pd.DataFrame({"a": range(len(months)), "b": range(len(months))}, index=months)
    chart = charts.time_series(wide, labels={"a": "A", "b": "B"}, colours={"a": "#000000", "b": "#555555"},
                               y_title="y", x_title="x")
    spec = charts.vega(chart)
    rows = max(len(d.get("values", [])) for d in spec["data"])
    assert rows >= 2 * len(months) > 5000
