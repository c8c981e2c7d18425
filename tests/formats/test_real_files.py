"""Real files from Kumu and PRSM import faithfully (issue 15): every polarity convention, parallel
connections merged with both sides' data, named loops that are not one cycle kept as views,
long labels, and an import report of what was read and what was not."""

from __future__ import annotations

from pathlib import Path

import pytest
from typer.testing import CliRunner

from loopwise.cli import app
from loopwise.formats import read_map, read_map_report
from loopwise.formats._common import polarity_of
from loopwise.model import is_slug

runner = CliRunner()


@pytest.mark.parametrize(
    ("written", "polarity"),
    [
        ("++", "+"), ("--", "+"), ("+-", "-"), ("-+", "-"), ("+", "+"), ("-", "-"),
        ("positive", "+"), ("Negative", "-"), ("same", "+"), ("Opposite", "-"), ("s", "+"),
        ("o", "-"), ("\u2212", "-"), ("Positive influence", "+"), ("Negative influence", "-"),
        ("+1", "+"), ("-1", "-"), ("", None), ("Sample", None), ("influence", None),
    ],
)  # fmt: skip
def test_polarity_conventions(written: str, polarity: str | None) -> None:
    assert polarity_of(written) == polarity


@pytest.fixture
def kumu(data_dir: Path):
    return read_map_report(data_dir / "kumu-cld-cases.json")


def _polarities(m) -> dict[tuple[str, str], str]:
    return {
        (lk.source_factor, lk.target_factor): "?" if "polarity:unknown" in lk.tags else lk.polarity
        for lk in m.links
    }


def test_kumu_two_character_types_and_words(kumu) -> None:
    m, report = kumu
    polarity = _polarities(m)
    assert polarity["homelessness", "reoffending"] == "+"  # ++
    assert polarity["reoffending", "short-sentences"] == "+"  # --: both fall together
    assert polarity["short-sentences", "homelessness"] == "-"  # +-
    assert polarity["stable-employment", "reoffending"] == "-"  # -+
    assert polarity["reoffending", "stable-employment"] == "+"  # positive
    assert polarity["debt", "stress"] == "+"  # same
    assert polarity["stress", "debt"] == "-"  # Opposite
    assert polarity["debt", "reoffending"] == "?"  # no type


def test_kumu_parallel_connections_are_merged_keeping_both(kumu) -> None:
    m, report = kumu
    assert len(m.links) == 12  # 15 connections: two pairs merged, one to itself dropped
    both = m.link("homelessness--stress")
    assert both.polarity == "+" and "polarity:unknown" not in both.tags  # the known sign wins
    assert both.mechanism == "No address, no calm.\n\nWorkshop 2: linked."
    assert both.tags == ["workshop 2", "loop:not-a-ring"]
    (other,) = both.custom["merged_links"]
    assert other["custom"] == {"kumu_id": "conn-Cx10Qz", "kumu_direction": "undirected"}
    assert other["polarity"] == "unknown"
    clash = m.link("stress--reoffending")
    assert "polarity:unknown" in clash.tags  # + and - between one pair: the sign is unknown
    assert clash.custom["merged_links"][0]["polarity"] == "-"
    assert report.merged_links == [
        "homelessness -> stress: parallel connections merged into one link (polarity +)",
        "stress -> reoffending: parallel connections merged into one link (polarity unknown)",
    ]
    assert any("a connection from 'debt' to itself" in d for d in report.dropped)


def test_kumu_named_loops_that_are_not_one_cycle_become_views(kumu) -> None:
    m, report = kumu
    loops = {lp.id: lp for lp in m.curated_loops}
    assert set(loops) == {"revolving-door", "debt-spiral"}
    assert loops["revolving-door"].kind == "B"
    assert loops["debt-spiral"].factors == ["debt", "stress"]  # given by elements only
    views = {v.id: v for v in m.views}
    assert set(views) == {"figure-of-eight", "not-a-ring"}
    assert views["figure-of-eight"].name == "Figure of eight"
    assert views["figure-of-eight"].filters.tags == ["loop:figure-of-eight"]
    tagged = {f.id for f in m.factors if "loop:figure-of-eight" in f.tags}
    assert tagged == {"homelessness", "reoffending", "short-sentences", "stable-employment"}
    assert sum("loop:figure-of-eight" in lk.tags for lk in m.links) == 5
    assert len(report.loops_as_views) == 2
    assert report.loops_as_views[0].startswith(
        "loops[1] ('Figure of eight') is not one simple cycle: kept as the view 'figure-of-eight'"
    )


def test_long_labels_get_short_unique_deterministic_ids(kumu, data_dir: Path) -> None:
    m, _ = kumu
    long_ids = [f.id for f in m.factors if len(f.label) == 300]
    assert len(long_ids) == 2 and len(set(long_ids)) == 2
    assert all(is_slug(i) and len(i) <= 120 for i in long_ids)
    assert long_ids[0].startswith("loss-of-settled-accommodation-after-release")
    assert all(is_slug(lk.id) for lk in m.links)
    again, _ = read_map_report(data_dir / "kumu-cld-cases.json")
    assert [f.id for f in again.factors] == [f.id for f in m.factors]
    assert [lk.id for lk in again.links] == [lk.id for lk in m.links]
    long_link = next(lk for lk in m.links if lk.source_factor == long_ids[0])
    assert len(long_link.id) <= 120 and long_link.id.startswith(long_ids[0][:50])


def test_kumu_report_names_what_was_not_read(kumu) -> None:
    m, report = kumu
    assert (report.factors, report.links, report.loops, report.views) == (8, 12, 2, 2)
    assert report.unknown_polarity == 2
    assert m.description == "Every Kumu convention loopwise reads, in one small project."
    assert "the top-level 'fields' (Kumu settings loopwise has no place for)" in report.dropped
    assert "positions of 1 further map(s): the first is read" in report.dropped
    assert "the perspective 'Default' (Kumu's styling code)" in report.dropped
    assert m.factor("homelessness").custom["kumu_type"] == "Variable"  # custom fields kept


def test_prsm_styles_named_for_polarity(data_dir: Path) -> None:
    m, report = read_map_report(data_dir / "prsm-styles.prsm")
    polarity = _polarities(m)
    assert polarity["debt", "stress"] == "+"  # "Positive influence"
    assert polarity["stress", "sleep"] == "-"  # "Negative influence"
    merged = m.link("sleep--debt")  # edge0 "Sample" (unknown) merged with a negative one
    assert polarity["sleep", "debt"] == "-"
    assert merged.mechanism == "Tired people miss payments."
    assert report.merged_links == [
        "sleep -> debt: parallel connections merged into one link (polarity -)"
    ]
    assert len(m.links) == 5 and all(len(lk.id) <= 120 for lk in m.links)
    assert report.unknown_polarity == 0
    assert m.factor("debt").custom["Evidence grade"] == "B"  # the map's own field, kept
    assert report.dropped == [
        "the top-level 'buttons' (PRSM settings loopwise has no place for)",
        "the top-level 'underlay' (PRSM settings loopwise has no place for)",
    ]


def test_cli_import_prints_the_report(cli_store: Path, data_dir: Path) -> None:
    result = runner.invoke(app, ["import", str(data_dir / "kumu-cld-cases.json"), "--as", "k"])
    assert result.exit_code == 0, result.output
    out = " ".join(result.output.split())
    assert "imported k: 8 factors, 12 links" in out
    assert "read (kumu-project): 8 factors, 12 links, 2 named loops, 2 views" in out
    assert "merged: stress -> reoffending: parallel connections merged" in out
    assert "warning: loops[1] ('Figure of eight') is not one simple cycle" in out
    assert "not read: the perspective 'Default'" in out


def test_a_refused_kumu_file_writes_nothing(cli_store: Path, tmp_path: Path) -> None:
    path = tmp_path / "bad.json"
    path.write_text('{"elements": [{"label": "A"}], "connections": [{"from": "A", "to": "Z"}]}')
    result = runner.invoke(app, ["import", str(path), "--as", "attempt"])
    assert result.exit_code == 1
    assert "connections[0].to: unknown element 'Z'" in " ".join(result.output.split())
    assert "attempt" not in runner.invoke(app, ["maps"]).output


def test_exports_of_a_merged_map_read_back(kumu, tmp_path: Path) -> None:
    m, _ = kumu
    for fmt, name in (("kumu-project", "k.json"), ("prsm", "k.prsm"), ("json", "k.loopwise.json")):
        from loopwise.formats import write_map

        path = tmp_path / name
        path.write_text(write_map(m, fmt))
        back = read_map(path, fmt)
        assert _polarities(back) == _polarities(m), fmt


@pytest.fixture
def api(tmp_path: Path):
    from fastapi.testclient import TestClient

    from loopwise.store import open_store
    from loopwise.web.app import create_app

    store = open_store(f"sqlite:///{tmp_path / 'web.db'}")
    yield TestClient(create_app(store), raise_server_exceptions=False), store
    store.close()


def test_api_returns_the_import_report_and_stores_nothing(api, data_dir: Path) -> None:
    client, store = api
    body = (data_dir / "kumu-cld-cases.json").read_bytes()
    response = client.post("/api/import-report", params={"filename": "k.json"}, content=body)
    assert response.status_code == 200, response.text
    document = response.json()
    assert document["map"]["title"] == "Kumu CLD cases"
    report = document["report"]
    assert (report["format"], report["links"], report["unknown_polarity"]) == (
        "kumu-project",
        12,
        2,
    )
    assert len(report["merged_links"]) == 2 and len(report["loops_as_views"]) == 2
    assert store.list_maps() == []
    bad = client.post("/api/import-report", params={"filename": "k.json"},
                      content=b'{"elements": [{"label": "A"}], "connections": [{"from": "A", "to": "' + b"Z" * 100_000 + b'"}]}')  # fmt: skip
    assert bad.status_code == 422 and len(bad.content) < 700
    assert client.post("/api/import-report", params={"filename": "x.json"}).status_code == 422
