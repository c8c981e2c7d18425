from __future__ import annotations

from pathlib import Path

import pytest
from typer.testing import CliRunner

from loopwise.cli import app
from loopwise.errors import ImportFormatError, ValidationError
from loopwise.formats import (
    FORMATS,
    detect_format,
    format_for_output,
    formats_table,
    read_bytes,
    read_map,
    write_map,
)
from loopwise.model import Map

runner = CliRunner()

ISSUE_FORMATS = {"json", "kumu-json", "kumu-project", "kumu-xlsx", "kumu-csv", "loopy", "prsm",
                 "graphml", "gexf", "dot", "mermaid", "vensim", "xmile", "causal-map"}  # fmt: skip


def test_every_format_of_the_issue_is_registered_with_a_reader_or_writer() -> None:
    assert set(FORMATS) >= ISSUE_FORMATS
    for spec in FORMATS.values():
        assert spec.reader or spec.writer
        assert all(ext.startswith(".") for ext in spec.extensions)
    assert FORMATS["mermaid"].reader is None and FORMATS["vensim"].writer is None
    assert FORMATS["kumu-xlsx"].binary and not FORMATS["graphml"].binary


def test_formats_table_has_one_row_per_format() -> None:
    rows = formats_table()
    assert [r["name"] for r in rows] == list(FORMATS)
    assert {r["read"] for r in rows} == {"yes", "no"}


@pytest.mark.parametrize(
    ("name", "expected"),
    [
        ("kumu-project.json", "kumu-project"),
        ("kumu-blueprint.json", "kumu-json"),
        ("kumu.xlsx", "kumu-xlsx"),
        ("kumu-connections.csv", "kumu-csv"),
        ("example.loopy.json", "loopy"),
        ("reoffending.prsm", "prsm"),
        ("reoffending-compressed.prsm", "prsm"),
        ("reoffending.mdl", "vensim"),
        ("reoffending.xmile", "xmile"),
        ("causal-map.xlsx", "causal-map"),
        ("yed.graphml", "graphml"),
    ],
)
def test_detection_by_extension_then_content(data_dir: Path, name: str, expected: str) -> None:
    path = data_dir / name
    assert detect_format(path.read_bytes(), name) == expected
    assert read_map(path).factors  # and it reads


def test_content_detection_when_the_extension_says_nothing(data_dir: Path, small_map: Map) -> None:
    raw = write_map(small_map, "gexf").encode()
    assert detect_format(raw, "download.bin") == "gexf"
    assert (
        detect_format((data_dir / "kumu-project.json").read_bytes(), "export.txt") == "kumu-project"
    )
    assert detect_format(write_map(small_map, "json").encode(), "x.json") == "json"


def test_undetectable_file_lists_the_formats(tmp_path: Path) -> None:
    path = tmp_path / "notes.bin"
    path.write_bytes(b"\x00\x01 nothing here")
    with pytest.raises(
        ImportFormatError, match=r"notes\.bin: cannot tell the file's format.*kumu-project"
    ):
        read_map(path)


def test_unknown_and_one_way_formats_are_clear(small_map: Map, tmp_path: Path) -> None:
    with pytest.raises(ValidationError, match=r"--format: unknown format 'xml' \(.*known: .*gexf"):
        read_map(tmp_path / "x.xml", "xml")
    # an output format lists only the formats loopwise writes, and says what you may have meant
    with pytest.raises(ValidationError) as written:
        write_map(small_map, "jsn")
    assert "did you mean 'json'?" in str(written.value) and "writable: " in str(written.value)
    assert "vensim" not in str(written.value) and "xmile" not in str(written.value)
    with pytest.raises(ValidationError, match="'vensim' can be read but not written") as one_way:
        write_map(small_map, "vensim")
    assert "xmile" not in str(one_way.value)
    with pytest.raises(ValidationError, match="can be written but not read"):
        read_map(tmp_path / "x.mmd", "mermaid")


def test_format_for_output_by_extension() -> None:
    assert format_for_output("out/map.graphml") == "graphml"
    assert format_for_output("map.GEXF") == "gexf"
    assert format_for_output("map.xlsx") == "kumu-xlsx"
    assert format_for_output("map.mmd") == "mermaid"
    with pytest.raises(ValidationError, match="cannot tell the format"):
        format_for_output("map.docx")


def test_read_bytes_reads_uploads(small_map: Map) -> None:
    raw = write_map(small_map, "kumu-project").encode()
    back = read_bytes(raw, "upload.json")
    assert {f.label for f in back.factors} == {f.label for f in small_map.factors}


# ---------------------------------------------------------------------------- CLI
def run(*args: str):
    return runner.invoke(app, list(args))


def test_cli_formats_lists_every_format(cli_store: Path) -> None:
    result = run("formats")
    assert result.exit_code == 0, result.output
    for name in ISSUE_FORMATS:
        assert name in result.output


def test_cli_import_detects_the_format_and_reports_unknown_polarity(
    cli_store: Path, data_dir: Path
) -> None:
    result = run("import", str(data_dir / "kumu-project.json"), "--as", "kumu")
    assert result.exit_code == 0, result.output
    assert "imported kumu: 5 factors, 6 links" in result.output
    assert (
        "1 link(s) have no polarity in the file: imported as + tagged polarity:unknown; "
        "their loops are of type ? (unknown)" in " ".join(result.output.split())
    )
    shown = run("export", "kumu", "--format", "mermaid")
    assert shown.exit_code == 0 and shown.output.startswith("flowchart LR")


def test_cli_export_infers_the_format_from_the_output_name(cli_store: Path, tmp_path: Path) -> None:
    import networkx as nx
    import openpyxl

    out = tmp_path / "map.graphml"
    result = run("export", "breaking-the-cycle", "-o", str(out))
    assert result.exit_code == 0, result.output
    assert nx.read_graphml(out).number_of_nodes() > 5
    xlsx = tmp_path / "map.xlsx"
    assert run("export", "breaking-the-cycle", "-o", str(xlsx)).exit_code == 0
    assert openpyxl.load_workbook(xlsx).sheetnames == ["Elements", "Connections"]
    again = run("import", str(xlsx), "--as", "copy")
    assert again.exit_code == 0, again.output


def test_cli_binary_formats_need_an_output_file(cli_store: Path) -> None:
    result = run("export", "breaking-the-cycle", "--format", "kumu-xlsx")
    assert result.exit_code == 1
    assert "give -o FILE" in result.output


def test_cli_import_with_explicit_format(cli_store: Path, data_dir: Path) -> None:
    result = run(
        "import", str(data_dir / "kumu-blueprint.json"), "--format", "kumu-json", "--as", "bp"
    )
    assert result.exit_code == 0, result.output
    wrong = run("import", str(data_dir / "kumu-blueprint.json"), "--format", "gexf", "--as", "bp2")
    assert wrong.exit_code == 1 and "not well-formed XML" in wrong.output


@pytest.mark.parametrize("name", [s.name for s in FORMATS.values() if s.reader and s.writer])
def test_every_two_way_format_reads_what_it_writes(small_map: Map, name: str) -> None:
    data = write_map(small_map, name)
    raw = data if isinstance(data, bytes) else data.encode("utf-8")
    filename = "written" + FORMATS[name].extensions[0]
    back = read_bytes(raw, filename, name)
    assert len(back.factors) == len(small_map.factors)
    assert len(back.links) == len(small_map.links)
    assert sorted(lk.polarity for lk in back.links) == sorted(lk.polarity for lk in small_map.links)
    detected = detect_format(raw, filename)
    assert FORMATS[detected].reader is FORMATS[name].reader  # detection finds a reader for it
