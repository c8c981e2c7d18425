from __future__ import annotations

from pathlib import Path

import pytest

from loopwise.errors import ImportFormatError
from loopwise.formats.vensim import read_mdl


@pytest.fixture
def model(data_dir: Path):
    return read_mdl((data_dir / "reoffending.mdl").read_bytes(), "reoffending.mdl")


def test_variables_without_control_parameters(model) -> None:
    assert [f.label for f in model.factors] == [
        "Prison population", "Prison admissions", "Releases", "Average time served",
        "Released population", "Reoffending rate", "Stable housing"]  # fmt: skip
    stock = model.factor("prison-population")
    assert stock.custom["vensim_type"] == "stock" and stock.custom["vensim_units"] == "people"
    assert stock.description == "People in prison in England and Wales."
    assert stock.position is not None and (stock.position.x, stock.position.y) == (520, 240)


def test_links_from_equations_and_arrows_with_their_polarity(model) -> None:
    edges = {(lk.source_factor, lk.target_factor): (lk.polarity, lk.tags) for lk in model.links}
    assert edges[("stable-housing", "reoffending-rate")] == ("-", [])  # arrow marked 45 ('-')
    assert edges[("reoffending-rate", "prison-admissions")] == ("+", [])  # arrow marked 43
    # signs from the equations: Releases = Prison population / Average time served
    assert edges[("prison-population", "releases")] == ("+", [])
    assert edges[("average-time-served", "releases")] == ("-", [])
    # INTEG(Prison admissions - Releases, 80000): an inflow and an outflow
    assert edges[("prison-admissions", "prison-population")] == ("+", [])
    assert edges[("releases", "prison-population")] == ("-", [])
    assert len(model.links) == 8


def test_causal_loop_only_model_with_a_function_of() -> None:
    text = b"""{UTF-8}
Crime= A FUNCTION OF( Poverty,-Policing)
~\t~\t|
Poverty= A FUNCTION OF( Crime)
~\t~\t|
Policing= A FUNCTION OF( )
~\t~\t|
\\\\\\---/// Sketch information - do not modify anything except names
V300  Do not put anything below this section - it will be ignored
*View 1
10,1,Crime,100,100,30,10,8,3,0,0,0,0,0,0
10,2,Poverty,300,100,30,10,8,3,0,0,0,0,0,0
10,3,Policing,200,250,30,10,8,3,0,0,0,0,0,0
1,4,2,1,0,0,43,0,0,64,0,-1--1--1,,1|(0,0)|
1,5,3,1,0,0,45,0,0,64,0,-1--1--1,,1|(0,0)|
1,6,1,2,0,0,0,0,0,64,0,-1--1--1,,1|(0,0)|
///---\\\\\\
"""
    m = read_mdl(text, "cld.mdl")
    assert {(lk.source_factor, lk.target_factor, lk.polarity, tuple(lk.tags)) for lk in m.links} == {
        ("poverty", "crime", "+", ()), ("policing", "crime", "-", ()),
        ("crime", "poverty", "+", ("polarity:unknown",))}  # fmt: skip


@pytest.mark.parametrize(
    ("text", "message"),
    [
        (
            b"a = b\n~ u\n~ c\n|\nb = 1\n~ u\n~ ",
            r"trunc\.mdl: equation without its closing '\|' near line 4 \(truncated file\?\)",
        ),
        (
            b"a = b\n|\n",
            r"trunc\.mdl: line 1: an equation needs 'name = expression ~ units ~ comment \|'",
        ),
    ],
)
def test_bad_models_name_the_line(text: bytes, message: str) -> None:
    with pytest.raises(ImportFormatError, match=message):
        read_mdl(text, "trunc.mdl")
