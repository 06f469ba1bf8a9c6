"""The project's schema checker: it refuses what it does not implement, and reports true lines."""

import pandas as pd
import pytest

from migration_report.core.schema import DataError, SchemaError, check_schema, read_table

COUNT = {"name": "n", "type": "integer", "constraints": {"minimum": 0, "maximum": 1000}}
SCHEMA = {"fields": [{"name": "month", "type": "yearmonth", "constraints": {"required": True}}, COUNT]}


def write(tmp_path, text, name="t.csv"):
    path = tmp_path / name
    path.write_text(text, encoding="utf-8")
    return path


@pytest.mark.parametrize(
    "field, key, phrase",
    [
        ({"name": "when", "type": "datetime"}, "fields[0].type", "got 'datetime', a type the project's checker does not implement"),
        ({"name": "n", "type": "intger"}, "fields[0].type", "got 'intger'"),
        ({"name": "d", "type": "date", "format": "%d/%m/%Y"}, "fields[0].format", "only the default format"),
        ({"name": "e", "type": "string", "format": "email"}, "fields[0].format", "got 'email'"),
        ({"name": "n", "type": "integer", "constraints": {"exclusiveMaximum": 5}}, "fields[0].constraints.exclusiveMaximum",
         "a constraint the project's checker does not implement"),
        ({"name": "n", "type": "integer", "constraints": {"enum": [1, 2]}}, "fields[0].constraints.enum",
         "not implemented for integer fields"),
        ({"name": "b", "type": "boolean", "trueValues": ["yes"]}, "fields[0].trueValues", "a field property"),
        ({"name": "n", "type": "integer", "bareNumber": False}, "fields[0].bareNumber", "a field property"),
        ({"name": "m", "type": "yearmonth", "constraints": {"maximum": "June 2023"}}, "fields[0].constraints.maximum",
         "expected a month as YYYY-MM"),
    ],
)
def test_unimplemented_schema_parts_are_refused_naming_file_field_and_key(tmp_path, field, key, phrase):
    path = write(tmp_path, f"{field['name']}\n1\n")
    with pytest.raises(DataError) as caught:
        read_table(path, {"fields": [field]})
    error = caught.value
    assert error.path == path and error.key == "schema." + key and error.column == field["name"]
    assert phrase in str(error)
    assert str(error).startswith(f"{path}, column '{field['name']}', key 'schema.{key}': the schema's ")


def test_unimplemented_schema_level_keys_are_refused():
    with pytest.raises(SchemaError, match="missingValues: got \\['', 'NA'\\]"):
        check_schema({"fields": [COUNT], "missingValues": ["", "NA"]})
    with pytest.raises(SchemaError, match="^uniqueKeys: is not implemented"):
        check_schema({"fields": [COUNT], "uniqueKeys": [["n"]]})
    with pytest.raises(SchemaError, match="^primaryKey: names 'id', which is not a field"):
        check_schema({"fields": [COUNT], "primaryKey": ["id"]})
    with pytest.raises(SchemaError, match=r"^fields\[1\]\.name: 'n' is used by an earlier field"):
        check_schema({"fields": [COUNT, COUNT]})


def test_every_shipped_schema_is_implemented():
    from migration_report import resource_names
    from migration_report.core.data import resource

    for name in resource_names():
        check_schema(resource(name)["schema"])  # raises if the checker would skip a part of it


def test_a_bound_on_months_is_applied(tmp_path):
    schema = {"fields": [{"name": "month", "type": "yearmonth", "constraints": {"minimum": "2020-01"}}]}
    with pytest.raises(DataError, match="row 3, column 'month': got '2019-12', expected a value of at least 2020-01"):
        read_table(write(tmp_path, "month\n2020-01\n2019-12\n"), schema)


def test_row_numbers_are_file_lines_when_the_file_has_blank_lines(tmp_path):
    path = write(tmp_path, "month,n\n\n2023-01,5\n\n\n2023-02,x\n")
    with pytest.raises(DataError, match=r"row 6, column 'n': got 'x'") as caught:
        read_table(path, SCHEMA)
    assert caught.value.row == 6


def test_blank_lines_do_not_change_the_values(tmp_path):
    frame = read_table(write(tmp_path, "month,n\n\n2023-01,5\n\n2023-02,7\n\n"), SCHEMA)
    assert frame["n"].tolist() == [5, 7]
    assert frame["month"].tolist() == [pd.Timestamp("2023-01-01"), pd.Timestamp("2023-02-01")]


def test_a_quoted_value_over_two_lines_keeps_the_following_line_numbers(tmp_path):
    schema = {"fields": [{"name": "note", "type": "string"}, COUNT]}
    path = write(tmp_path, 'note,n\n"two\nlines",1\nok,-1\n')
    with pytest.raises(DataError, match="row 4, column 'n': got '-1', expected a value of at least 0"):
        read_table(path, schema)


def test_a_row_with_too_many_values_names_its_line(tmp_path):
    with pytest.raises(DataError, match="row 4: has 3 values but the header has 2 columns"):
        read_table(write(tmp_path, "month,n\n2023-01,5\n\n2023-02,7,9\n"), SCHEMA)


@pytest.mark.parametrize("digits", ["١٧", "１７", "१७"])
def test_counts_in_other_scripts_digits_are_refused(tmp_path, digits):
    with pytest.raises(DataError, match=f"row 2, column 'n': got '{digits}', expected a whole number written with the digits 0-9"):
        read_table(write(tmp_path, f"month,n\n2023-01,{digits}\n"), SCHEMA)


def test_a_400_digit_count_is_too_large_not_too_small(tmp_path):
    path = write(tmp_path, "month,n\n2023-01," + "9" * 400 + "\n")
    with pytest.raises(DataError) as caught:
        read_table(path, SCHEMA)
    message = str(caught.value)
    assert "expected a value of at most 1000" in message and "at least" not in message
    assert "(400 characters)" in message and len(message) < 200 + len(str(path))


def test_a_count_beyond_int64_is_refused_even_without_a_maximum(tmp_path):
    schema = {"fields": [{"name": "n", "type": "integer"}]}
    with pytest.raises(DataError, match="expected a value of at most 9223372036854775807"):
        read_table(write(tmp_path, "n\n9223372036854775808\n"), schema)
    with pytest.raises(DataError, match="expected a value of at least -9223372036854775808"):
        read_table(write(tmp_path, "n\n-" + "9" * 30 + "\n"), schema)
    assert read_table(write(tmp_path, "n\n9223372036854775807\n"), schema)["n"].item() == 2**63 - 1


def test_an_infinite_number_is_refused(tmp_path):
    schema = {"fields": [{"name": "x", "type": "number"}]}
    with pytest.raises(DataError, match="row 2, column 'x': got '1e999', expected a finite number"):
        read_table(write(tmp_path, "x\n1e999\n"), schema)


def test_months_after_the_latest_month_are_refused(tmp_path):
    path = write(tmp_path, "month,n\n2023-06,1\n2023-07,1\n")
    with pytest.raises(DataError, match="row 3, column 'month': got '2023-07', expected a month not after 2023-06"):
        read_table(path, SCHEMA, latest_month=pd.Timestamp("2023-06-01"))
    assert len(read_table(path, SCHEMA, latest_month=pd.Timestamp("2023-07-01"))) == 2


def test_a_directory_and_a_dangling_link_say_what_they_are(tmp_path):
    (tmp_path / "folder.csv").mkdir()
    with pytest.raises(DataError, match=r"folder\.csv: is a directory; expected a CSV file"):
        read_table(tmp_path / "folder.csv", SCHEMA)
    (tmp_path / "link.csv").symlink_to(tmp_path / "gone.csv")
    with pytest.raises(DataError, match=r"link\.csv: is a symbolic link to '.*gone\.csv', which does not exist"):
        read_table(tmp_path / "link.csv", SCHEMA)
    with pytest.raises(DataError, match=r"absent\.csv: file not found"):
        read_table(tmp_path / "absent.csv", SCHEMA)
