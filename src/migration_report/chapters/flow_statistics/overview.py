"""The chapter's overview, governed by its papermill parameters: the window, citizenships and
component a reader chooses, checked, and the encounters they select."""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

import pandas as pd

from migration_report.core import params
from migration_report.core import data
from migration_report.core.i18n import _
from migration_report.core import i18n
from migration_report.core.params import ParameterError
from migration_report.core.schema import DataError
from migration_report.chapters.flow_statistics.series import (COMPONENTS, TEXT, _join_words, component_name)


# --- The chapter's overview (governed by its parameters) ----------------------------------------


@dataclass(frozen=True, eq=False)
class FlowParams(params.Params):
    """The chapter's parameters, checked, with the encounters table they select from.
    `checked["encounters"]` and the other fields by name still work for the notebook."""

    encounters: pd.DataFrame
    encounters_csv: str | None  # the reader's file, or None for the shipped table
    window_start: pd.Timestamp
    window_end: pd.Timestamp
    all_citizenships: list[str]
    citizenships: list[str]
    component: str
    output_dir: Path


def check_parameters(start, end, citizenships, component, encounters_csv, output_dir, load=None, load_file=None) -> FlowParams:
    """The chapter's papermill parameters, checked. `load` and `load_file` default to the data module's."""
    encounters = read_encounters(encounters_csv, load or data.load, load_file or data.load_file)
    first, last = encounters["month"].min(), encounters["month"].max()
    window_start, window_end = params.window(start, end, first=first, last=last)
    all_citizenships = sorted(encounters["citizenship"].unique())
    return FlowParams(
        encounters=encounters,
        encounters_csv=encounters_csv,
        window_start=window_start,
        window_end=window_end,
        all_citizenships=all_citizenships,
        citizenships=params.subset("citizenships", citizenships, all_citizenships),
        component=params.choice("component", component, ["all", "USBP", "OFO"]),
        output_dir=params.output_dir(output_dir),
    )


def overview_source_line(checked: FlowParams) -> str:
    """The 'Source: …' line of the overview figure: CBP's release for the shipped table, the reader's
    own file when `encounters_csv` names one (the figure shows that file's numbers, not CBP's release)."""
    if checked.encounters_csv is None:
        return data.source_line("sw-encounters")
    return _(TEXT["own_file"]).format(file=Path(checked.encounters_csv).name)


def read_encounters(encounters_csv, load, load_file) -> pd.DataFrame:
    """The shipped `sw-encounters` table, or a reader's file checked against its schema.

    A file that cannot be used raises ParameterError naming `encounters_csv`, with the data
    module's message (file, row, column, what was expected).
    """
    if encounters_csv is None:
        return load("sw-encounters")
    if not isinstance(encounters_csv, str) or not encounters_csv.strip():
        raise ParameterError("encounters_csv", encounters_csv, "None or the path of a CSV file with the schema of 'sw-encounters'")
    try:
        frame = load_file(encounters_csv, like="sw-encounters")
    except DataError as err:
        raise ParameterError("encounters_csv", encounters_csv, f"a CSV file with the schema of 'sw-encounters' ({err})") from err
    if frame.empty:
        raise ParameterError("encounters_csv", encounters_csv, "a CSV file with at least one row of data")
    return frame


def select(encounters: pd.DataFrame, start: pd.Timestamp, end: pd.Timestamp, citizenships: list[str], component: str) -> pd.DataFrame:
    """The rows of the overview: months start..end, the chosen citizenships and component ('all' = both)."""
    mask = encounters["month"].between(start, end) & encounters["citizenship"].isin(citizenships)
    if component != "all":
        mask &= encounters["component"] == component
    rows = encounters.loc[mask]
    # Which months the whole table has, so that by_component_title can tell "no row selected"
    # (0) from "no data" (missing) without the notebook passing the table again. As ISO text: pandas
    # deep-copies a frame's attrs into every frame made from it, and copying Timestamps one by one
    # took a twentieth of the chapter's run.
    rows.attrs["months_with_data"] = tuple(sorted(pd.DatetimeIndex(encounters["month"].unique()).strftime("%Y-%m-%d")))
    return rows


def by_component_title(rows: pd.DataFrame, start: pd.Timestamp, end: pd.Timestamp, months_with_data=None) -> pd.DataFrame:
    """Monthly encounters start..end with one column per component x title (e.g. 'USBP Title 8').

    A month with data but no selected row is 0; a month absent from the table (`months_with_data`,
    by default recorded by `select`) is missing (NaN, so the column is float64), never 0.
    """
    months = pd.date_range(start, end, freq="MS", name="month")
    keys = [f"{c} {t}" for c in COMPONENTS for t in ("Title 8", "Title 42")]
    if months_with_data is None:
        months_with_data = rows.attrs.get("months_with_data", months)
    if rows.empty:
        wide = pd.DataFrame(0, index=months, columns=keys)
    else:
        table = rows.assign(key=rows["component"] + " " + rows["title_of_authority"])
        wide = table.pivot_table(index="month", columns="key", values="encounter_count", aggfunc="sum", fill_value=0)
        wide = wide.reindex(index=months, columns=keys, fill_value=0).astype("int64")
    absent = ~months.isin(pd.DatetimeIndex(months_with_data))
    if absent.any():
        wide = wide.astype("float64")
        wide.loc[absent] = float("nan")
    return wide


def describe_selection(citizenships: list[str], all_citizenships: list[str], component: str) -> str:
    """Words for the overview's selection, e.g. 'Border Patrol encounters of MEXICO citizens'."""
    if sorted(citizenships) == sorted(all_citizenships):
        who = _(TEXT["all_citizenships"])
    else:
        who = _(TEXT["citizens_of"]).format(names=_join_words(
            [i18n.country_name(n) if n != "OTHER" else _(TEXT["other_countries"]) for n in citizenships]))
    what = _(TEXT["both_components"]) if component == "all" else component_name(component)
    return f"{what}, {who}"
