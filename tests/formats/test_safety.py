"""Bad and hostile input: one clear line naming the file and place, and nothing written."""

from __future__ import annotations

import io
import json
import zipfile
from pathlib import Path

import pytest
from typer.testing import CliRunner

from loopwise.cli import app
from loopwise.formats import read_map, write_map
from loopwise.model import Map

runner = CliRunner()

BILLION_LAUGHS = b"""<?xml version="1.0"?>
<!DOCTYPE lolz [
 <!ENTITY lol "lol">
 <!ENTITY lol2 "&lol;&lol;&lol;&lol;&lol;&lol;&lol;&lol;&lol;&lol;">
 <!ENTITY lol3 "&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;">
 <!ENTITY lol9 "&lol3;&lol3;&lol3;&lol3;&lol3;&lol3;&lol3;&lol3;&lol3;&lol3;">
]>
<graphml xmlns="http://graphml.graphdrawing.org/xmlns"><graph edgedefault="directed">
<node id="a"><data key="label">&lol9;</data></node></graph></graphml>"""

EXTERNAL_ENTITY = b"""<?xml version="1.0"?>
<!DOCTYPE gexf [<!ENTITY secret SYSTEM "file:///etc/passwd">]>
<gexf xmlns="http://gexf.net/1.3" version="1.3"><graph><nodes>
<node id="a" label="&secret;"/></nodes></graph></gexf>"""

EXTERNAL_DTD = b"""<?xml version="1.0"?>
<!DOCTYPE xmile SYSTEM "http://attacker.example/evil.dtd">
<xmile xmlns="http://docs.oasis-open.org/xmile/ns/XMILE/v1.0" version="1.0"><model/></xmile>"""

KUMU_PROJECT = {
    "elements": [{"_id": "e1", "attributes": {"label": "Debt"}},
                 {"_id": "e2", "attributes": {"label": "Stress"}}],
    "connections": [{"_id": "c1", "from": "e1", "to": "e2", "attributes": {"connection type": "+"}}],
}  # fmt: skip


def _xlsx_with_entity_bomb(small_map: Map) -> bytes:
    original = zipfile.ZipFile(io.BytesIO(write_map(small_map, "kumu-xlsx")))
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w") as archive:
        for name in original.namelist():
            data = original.read(name)
            if name == "xl/worksheets/sheet1.xml":
                data = b'<?xml version="1.0"?><!DOCTYPE x [<!ENTITY a "aaaaaaaaaa">]>' + data
            archive.writestr(name, data)
    return out.getvalue()


def _zip_bomb() -> bytes:
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as archive:
        archive.writestr("[Content_Types].xml", b"<Types/>")
        archive.writestr("xl/worksheets/sheet1.xml", b"\0" * 3_000_000)
    return out.getvalue()


def _cases(small_map: Map) -> list[tuple[str, bytes, str]]:
    xlsx = write_map(small_map, "kumu-xlsx")
    project = json.dumps(KUMU_PROJECT)
    unknown = json.loads(project)
    unknown["connections"][0]["to"] = "e9"
    duplicate = json.loads(project)
    duplicate["elements"][1]["_id"] = "e1"
    return [
        ("bomb.graphml", BILLION_LAUGHS, r"XML with a DTD .* is refused"),
        ("xxe.gexf", EXTERNAL_ENTITY, r"XML with a DTD .* is refused"),
        ("dtd.xmile", EXTERNAL_DTD, r"XML with a DTD .* is refused"),
        ("bomb.xlsx", _xlsx_with_entity_bomb(small_map), r"sheet1\.xml declares a DTD or entities: refused"),
        ("zipbomb.xlsx", _zip_bomb(), r"sheet1\.xml inflates to more than the 2,000,000-byte limit of the whole archive \(a zip bomb\?\)"),
        ("latin1-connections.csv", "From,To\nCaf\u00e9,Bar\n".encode("latin-1"), r"not UTF-8 text \(bad byte 0xe9 at byte 11\)"),
        ("truncated.xlsx", xlsx[: len(xlsx) // 2], r"not a valid XLSX file \(damaged or truncated zip\)"),
        ("truncated.json", project[:-40].encode(), r"not valid JSON: .* at line 1"),
        ("truncated.gexf", write_map(small_map, "gexf").encode()[:300], r"not well-formed XML \(.*\) at line \d+"),
        ("truncated.prsm", write_map(small_map, "prsm-lz").encode()[:40], r"(PRSM data|not valid JSON)"),
        ("missing-connections.csv", b"From,Target\nA,B\n", r"sheet 'missing-connections': missing column 'to'"),
        ("unknown.json", json.dumps(unknown).encode(), r"connections\[0\]\.to: unknown element 'e9'"),
        ("duplicate.json", json.dumps(duplicate).encode(), r"elements\[1\]: duplicate id 'e1'"),
        ("duplicate.graphml", b'<graphml xmlns="http://graphml.graphdrawing.org/xmlns"><graph>'
         b'<node id="a"/><node id="a"/></graph></graphml>', r"node 'a': duplicate node id 'a'"),
    ]  # fmt: skip


@pytest.fixture
def cases(small_map: Map) -> dict[str, tuple[bytes, str]]:
    return {name: (content, message) for name, content, message in _cases(small_map)}


CASE_NAMES = [name for name, _, _ in _cases(Map.from_dict({"slug": "s", "title": "S"}))]


@pytest.mark.parametrize("name", CASE_NAMES)
def test_bad_file_gives_one_line_naming_the_file_and_writes_nothing(
    cli_store: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch, cases, name: str
) -> None:
    monkeypatch.setenv("LOOPWISE_MAX_IMPORT_BYTES", "2000000")
    content, message = cases[name]
    path = tmp_path / name
    path.write_bytes(content)
    before = runner.invoke(app, ["maps"]).output
    result = runner.invoke(app, ["import", str(path), "--as", "attempt"])
    assert result.exit_code == 1, result.output
    line = result.output.strip()
    assert line.startswith("error:")
    one_line = " ".join(line.split())  # rich wraps long lines on narrow terminals
    assert str(path) in one_line.replace(" ", "") or str(path) in one_line
    import re

    assert re.search(message, one_line), one_line
    assert runner.invoke(app, ["maps"]).output == before
    assert "attempt" not in runner.invoke(app, ["maps"]).output


@pytest.mark.parametrize("name", ["bomb.graphml", "xxe.gexf", "dtd.xmile"])
def test_hostile_xml_is_refused_by_the_library_too(tmp_path: Path, cases, name: str) -> None:
    from loopwise.errors import ImportFormatError

    path = tmp_path / name
    path.write_bytes(cases[name][0])
    with pytest.raises(ImportFormatError) as caught:
        read_map(path)
    assert "\n" not in str(caught.value) and "root:" not in str(caught.value)


def test_oversized_file_is_refused_before_parsing(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    from loopwise.errors import ImportFormatError

    monkeypatch.setenv("LOOPWISE_MAX_IMPORT_BYTES", "1000")
    path = tmp_path / "big.graphml"
    path.write_bytes(b"<graphml" + b" " * 2000)  # not even valid: size is checked first
    with pytest.raises(
        ImportFormatError, match=r"big\.graphml: file is 2,008 bytes, over the 1,000-byte limit"
    ):
        read_map(path)


def test_oversized_file_via_cli_writes_nothing(
    cli_store: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch, data_dir: Path
) -> None:
    monkeypatch.setenv("LOOPWISE_MAX_IMPORT_BYTES", "500")
    before = runner.invoke(app, ["maps"]).output
    result = runner.invoke(app, ["import", str(data_dir / "kumu-project.json")])
    assert result.exit_code == 1 and "over the 500-byte limit" in " ".join(result.output.split())
    assert runner.invoke(app, ["maps"]).output == before


def test_csv_in_utf16_with_bom_is_accepted(tmp_path: Path) -> None:
    path = tmp_path / "links.csv"
    path.write_bytes("From,To,Type\nCaf\u00e9,Bar,+\n".encode("utf-16"))
    m = read_map(path)
    assert m.factors[0].label == "Caf\u00e9"
