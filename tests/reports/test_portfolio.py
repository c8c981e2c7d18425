"""Reading a funder's portfolio spreadsheet: the documented layout, all or nothing."""

from __future__ import annotations

from pathlib import Path

import pytest

from loopwise.errors import ImportFormatError, ValidationError
from loopwise.formats.tables import xlsx_bytes
from loopwise.model import Map
from loopwise.reports.portfolio import apply_portfolio, read_portfolio, read_portfolio_file

DATA = Path(__file__).parent.parent / "data"


@pytest.mark.parametrize("name", ["portfolio.csv", "portfolio.xlsx"])
def test_the_example_portfolio(builtin: Map, name: str) -> None:
    orgs = read_portfolio_file(DATA / name, builtin)
    assert [o.id for o in orgs] == [
        "example-housing-trust", "example-recovery-project", "example-mentors",
    ]  # fmt: skip
    housing, recovery, mentors = orgs
    assert housing.where == "West Midlands" and housing.kind == "charity"
    assert [a.factor for a in housing.acts_on] == [
        "help-finding-accommodation", "settled-accommodation",
    ]  # fmt: skip
    assert [(f.amount, f.currency, f.year) for f in housing.funding] == [
        (120000.0, "GBP", 2024), (45000.0, "GBP", 2025),
    ]  # fmt: skip
    # a factor may be named by its exact label; a source backs the actions
    assert [a.factor for a in recovery.acts_on] == [
        "drug-alcohol-treatment", "substance-dependency",
    ]  # fmt: skip
    assert recovery.acts_on[0].source == "npc-2021-article"
    assert recovery.funding[0].currency == "GBP"
    assert mentors.funding == [] and '"by and for"' in mentors.description


def test_csv_and_xlsx_give_the_same_organisations(builtin: Map) -> None:
    assert read_portfolio_file(DATA / "portfolio.csv", builtin) == read_portfolio_file(
        DATA / "portfolio.xlsx", builtin
    )


def _csv(*rows: str) -> bytes:
    return ("\n".join(rows) + "\n").encode("utf-8")


HEAD = "name,factors,funding_amount,funding_currency,funding_year,funding_source,kind,id"


@pytest.mark.parametrize(
    ("row", "message"),
    [
        ("A,nope,,,,,,", "row 3, column 'factors': unknown factor 'nope'"),
        ("A,financial-hardshp,,,,,,", "did you mean 'financial-hardship'"),
        ("A,financial-hardship,lots,,2024,,,", "row 3, column 'funding_amount': bad amount 'lots'"),
        ("A,financial-hardship,-5,,2024,,,", "bad amount '-5'"),
        ("A,financial-hardship,nan,,2024,,,", "bad amount 'nan'"),
        ("A,financial-hardship,inf,,2024,,,", "bad amount 'inf'"),
        ("A,financial-hardship,1e400,,2024,,,", "bad amount"),
        ("A,financial-hardship,100,,,,,", "column 'funding_year': a funding amount needs its year"),
        ("A,financial-hardship,100,,20x4,,,", "bad year '20x4'"),
        ("A,financial-hardship,100,,3024,,,", "bad year '3024'"),
        ("A,financial-hardship,,,2024,,,", "a funding year or source without an amount"),
        ("A,financial-hardship,100,pounds,2024,,,", "bad currency 'POUNDS'"),
        ("A,financial-hardship,$100,GBP,2024,,,", "is in USD but funding_currency says GBP"),
        ("A,financial-hardship,100,,2024,nope,,", "column 'funding_source': unknown source 'nope'"),
        ("A,financial-hardship,,,,,bank,", "column 'kind': unknown kind 'bank'"),
        (",financial-hardship,,,,,,", "column 'name': the organisation has no name"),
        ("A,financial-hardship,,,,,,Bad Id", "column 'id': 'Bad Id' is not a valid id"),
    ],
)
def test_bad_rows_name_the_row_and_the_column(builtin: Map, row: str, message: str) -> None:
    with pytest.raises(ValidationError, match=message.replace("(", r"\(").replace("$", r"\$")):
        read_portfolio(_csv(HEAD, "B,financial-hardship,,,,,,", row), builtin, "p.csv")


@pytest.mark.parametrize(
    ("raw", "message"),
    [
        (b"name,what\nA,B\n", "missing column 'factors'"),
        (b"factors\nfinancial-hardship\n", "missing column 'name'"),
        (b"name,factors\n", "no organisations"),
        (b"PK\x03\x04 broken", "not a valid XLSX file"),
        (b"\xff\xfe\x00\xd8", "UTF-16"),
        # another kind of file: said first, with what a portfolio is, never "columns found: '{'"
        (b'{"slug": "a-map"}', r"this is a JSON file \(a map\?\), not a spreadsheet"),
        (b'<?xml version="1.0"?><graphml/>', "this is an XML or HTML file"),
        (b"%PDF-1.7 ...", "this is a PDF document"),
        (b"\x00\x01\x02", "this is a binary file"),
    ],
)
def test_unreadable_files(builtin: Map, raw: bytes, message: str) -> None:
    with pytest.raises(ImportFormatError, match=message):
        read_portfolio(raw, builtin, "p.csv")


def test_rows_with_one_id_merge(builtin: Map) -> None:
    (org,) = read_portfolio(
        _csv("id,name,factors,funding_amount,funding_year",
             "x,X,financial-hardship|discharge-grant,10,2023",
             "x,,discharge-grant|bank-account-and-id,20,2024"),
        builtin,
    )  # fmt: skip
    assert [a.factor for a in org.acts_on] == [
        "financial-hardship", "discharge-grant", "bank-account-and-id",
    ]  # fmt: skip
    assert [f.amount for f in org.funding] == [10.0, 20.0]


def test_xlsx_uses_the_organisations_sheet(builtin: Map) -> None:
    raw = xlsx_bytes({"Read me": [["notes"]],
                      "Organisations": [["Name", "Factors"], ["Z", "discharge-grant"]]})  # fmt: skip
    (org,) = read_portfolio(raw, builtin, "p.xlsx")
    assert org.id == "z" and org.acts_on[0].factor == "discharge-grant"


def test_apply_adds_and_refuses_duplicates_without_replace(builtin: Map) -> None:
    orgs = read_portfolio_file(DATA / "portfolio.csv", builtin)
    updated = apply_portfolio(builtin, orgs)
    assert len(updated.organisations) == len(builtin.organisations) + 3
    assert updated.organisation("example-housing-trust").funding[1].year == 2025
    with pytest.raises(ValidationError, match="already on the map; use --replace"):
        apply_portfolio(updated, orgs)
    changed = [orgs[0].model_copy(update={"where": "Leeds"})]
    replaced = apply_portfolio(updated, changed, replace=True)
    assert replaced.organisation("example-housing-trust").where == "Leeds"
    assert len(replaced.organisations) == len(updated.organisations)
    assert builtin.organisations == load_again(builtin).organisations  # input untouched


def load_again(map_: Map) -> Map:
    return Map.from_dict(map_.to_dict())
