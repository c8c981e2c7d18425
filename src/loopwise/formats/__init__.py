"""Readers and writers for map files: one module per format, one registry.

Each format is a :class:`FormatSpec`: its name, file extensions, a reader (bytes -> a
validated :class:`~loopwise.model.Map`), a writer (Map -> ``str`` or ``bytes``) and a content
detector. Readers follow PySD's pipeline: parse the file, build the plain-dict abstract model,
validate it as a whole; so an import either gives a complete Map or raises one
:class:`~loopwise.errors.ImportFormatError` naming the file and place, and nothing is written.

Example:
    >>> "kumu-project" in FORMATS and FORMATS["graphml"].extensions
    ('.graphml',)
    >>> from loopwise.model import Map
    >>> write_map(Map(slug="demo", title="Demo"), "mermaid").splitlines()[0]
    'flowchart LR'
"""

from __future__ import annotations

import difflib
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

from loopwise.errors import ImportFormatError, ValidationError
from loopwise.formats import (
    causal_map,
    dot,
    gexf,
    graphml,
    kumu_json,
    kumu_sheet,
    loopwise_json,
    loopy,
    mermaid,
    prsm,
    vensim,
    xmile,
)
from loopwise.formats._common import (
    ImportReport,
    collecting_report,
    count_into,
    count_unknown_polarity,
)
from loopwise.formats.files import read_file_bytes
from loopwise.model import Map
from loopwise.model.polarity import UNKNOWN_POLARITY_TAG

__all__ = [
    "FORMATS",
    "UNKNOWN_POLARITY_TAG",
    "FormatSpec",
    "ImportReport",
    "count_unknown_polarity",
    "detect_format",
    "format_for_output",
    "formats_table",
    "get_format",
    "read_bytes",
    "read_bytes_report",
    "read_map",
    "read_map_report",
    "write_map",
]

Reader = Callable[[bytes, str], Map]
"""``reader(raw_bytes, where)``: ``where`` names the file in error messages."""
Writer = Callable[[Map], str | bytes]
Detector = Callable[[bytes, str], bool]


@dataclass(frozen=True)
class FormatSpec:
    """One file format: how to recognise, read and write it."""

    name: str
    extensions: tuple[str, ...]
    reader: Reader | None
    writer: Writer | None
    detect: Detector
    description: str
    binary: bool = False  # the writer returns bytes (needs ``-o FILE`` on the CLI)


def _json_reader(raw: bytes, where: str) -> Map:
    from loopwise.formats._common import decode_text

    return loopwise_json.loads_map(decode_text(raw, where), where=where)


def _json_detect(head: bytes, filename: str) -> bool:
    text = head[:4096].decode("utf-8", "ignore")
    return '"format": "loopwise"' in text or '"format":"loopwise"' in text


_SPECS = [
    FormatSpec("json", (".json",), _json_reader, loopwise_json.dumps_map, _json_detect,
               "loopwise JSON: canonical and lossless"),
    FormatSpec("kumu-project", (".json",), kumu_json.read_project, kumu_json.write_project,
               kumu_json.detect_project,
               "Kumu full project export JSON (elements, connections, loops, maps, perspectives)"),
    FormatSpec("kumu-json", (".json",), kumu_json.read_blueprint, kumu_json.write_blueprint,
               kumu_json.detect_blueprint, "Kumu blueprint JSON (elements and connections)"),
    FormatSpec("kumu-xlsx", (".xlsx",), kumu_sheet.read_xlsx, kumu_sheet.write_xlsx,
               kumu_sheet.detect_xlsx, "Kumu spreadsheet: Elements and Connections sheets",
               binary=True),
    FormatSpec("kumu-csv", (".csv", ".zip"), kumu_sheet.read_csv, kumu_sheet.write_csv_zip,
               kumu_sheet.detect_csv,
               "Kumu CSV: elements + connections files (read a pair or a zip; writes a zip)",
               binary=True),
    FormatSpec("loopy", (".loopy", ".json", ".txt", ".url"), loopy.read_loopy, loopy.write_json,
               loopy.detect, "LOOPY model JSON or its ?data= URL (writes the JSON)"),
    FormatSpec("loopy-url", (".url", ".txt"), loopy.read_loopy, loopy.write_url, loopy.detect_url,
               "LOOPY share URL (https://ncase.me/loopy/v1.1/?data=...)"),
    FormatSpec("prsm", (".prsm",), prsm.read_prsm, prsm.write_prsm, prsm.detect,
               "PRSM .prsm file (plain JSON or lz-string compressed)"),
    FormatSpec("prsm-lz", (".prsm",), prsm.read_prsm, prsm.write_prsm_compressed, prsm.detect,
               "PRSM .prsm file, written lz-string compressed as PRSM saves it"),
    FormatSpec("graphml", (".graphml",), graphml.read_graphml, graphml.write_graphml,
               graphml.detect, "GraphML (Gephi, yEd, networkx)"),
    FormatSpec("gexf", (".gexf",), gexf.read_gexf, gexf.write_gexf, gexf.detect,
               "GEXF 1.3 with viz positions (Gephi, networkx)"),
    FormatSpec("dot", (".dot", ".gv"), dot.read_dot, dot.write_dot, dot.detect,
               "Graphviz DOT"),
    FormatSpec("mermaid", (".mmd", ".mermaid"), None, mermaid.write_mermaid, mermaid.detect,
               "Mermaid flowchart text (write only)"),
    FormatSpec("causal-map", (".xlsx",), causal_map.read_xlsx, causal_map.write_xlsx,
               causal_map.detect_xlsx,
               "Causal Map: links sheet (cause, effect, quote, source_id) + sources sheet",
               binary=True),
    FormatSpec("vensim", (".mdl",), vensim.read_mdl, None, vensim.detect,
               "Vensim .mdl model (read only): variables and causal arrows"),
    FormatSpec("xmile", (".xmile", ".stmx", ".itmx", ".xml"), xmile.read_xmile, None,
               xmile.detect, "XMILE 1.0 (Stella, Vensim export; read only)"),
]  # fmt: skip

FORMATS: dict[str, FormatSpec] = {spec.name: spec for spec in _SPECS}


def get_format(name: str, *, writable: bool = False) -> FormatSpec:
    """The registered format of that name (``ValidationError`` listing the known ones; with
    ``writable=True`` only the formats loopwise can write, for an output format).

    >>> get_format("json").name
    'json'
    >>> get_format("jsn", writable=True)  # doctest: +ELLIPSIS
    Traceback (most recent call last):
    loopwise.errors.ValidationError: --format: unknown format 'jsn' (did you mean 'json'?; ...)
    """
    return _spec(name, writable=writable)


def _spec(name: str, place: str = "--format", *, writable: bool = False) -> FormatSpec:
    names = sorted(s.name for s in _SPECS if s.writer) if writable else sorted(FORMATS)
    listed = f"{'writable' if writable else 'known'}: {', '.join(names)}"
    if name not in FORMATS:
        close = difflib.get_close_matches(name, names, n=1)
        hint = f"did you mean {close[0]!r}?; " if close else ""
        raise ValidationError(f"unknown format {name!r} ({hint}{listed})", place)
    if writable and FORMATS[name].writer is None:
        raise ValidationError(f"format {name!r} can be read but not written ({listed})", place)
    return FORMATS[name]


def detect_format(raw: bytes, filename: str, *, readable: bool = True) -> str:
    """The name of the format of a file: by extension first, then by content.

    Raises :class:`ImportFormatError` listing the formats when none fits.
    """
    suffix = Path(filename).suffix.lower()
    pool = [s for s in _SPECS if (s.reader is not None or not readable)]
    by_extension = [s for s in pool if suffix in s.extensions]
    for spec in by_extension:
        if spec.detect(raw, filename):
            return spec.name
    for spec in pool:
        if spec not in by_extension and spec.detect(raw, filename):
            return spec.name
    if by_extension:
        return by_extension[0].name
    names = ", ".join(s.name for s in pool)
    raise ImportFormatError(
        f"cannot tell the file's format from its name or content; give --format (one of: {names})",
        filename,
    )


def read_bytes(raw: bytes, where: str, format: str | None = None) -> Map:
    """Read a map from bytes (an upload): ``where`` names it in errors."""
    from loopwise.formats.files import check_size

    check_size(raw, where)
    name = format or detect_format(raw, where)
    spec = _spec(name)
    if spec.reader is None:
        raise ImportFormatError(f"loopwise can write {name} but not read it", where)
    return spec.reader(raw, where)


def read_map(path: str | Path, format: str | None = None) -> Map:
    """Read a map file, detecting its format when ``format`` is None.

    The file is refused before parsing when it is over the size limit
    (``LOOPWISE_MAX_IMPORT_BYTES``, default 50 MB).
    """
    if format is not None:
        spec = _spec(format)
        if spec.reader is None:
            raise ValidationError(
                f"format {format!r} can be written but not read (readable: "
                f"{', '.join(s.name for s in _SPECS if s.reader)})",
                "--format",
            )
    path = Path(path)
    raw = read_file_bytes(path)
    name = format or detect_format(raw, str(path))
    return read_bytes(raw, str(path), name)


def read_map_report(path: str | Path, format: str | None = None) -> tuple[Map, ImportReport]:
    """Read a map file as :func:`read_map` does, with the report of what was read and not.

    Example:
        >>> import pathlib, tempfile
        >>> path = pathlib.Path(tempfile.mkdtemp()) / "k.json"
        >>> _ = path.write_text('{"elements": [{"label": "A"}, {"label": "B"}], '
        ...     '"connections": [{"from": "A", "to": "B"}, {"from": "A", "to": "B", "type": "-"}]}')
        >>> m, report = read_map_report(path)
        >>> report.links, report.unknown_polarity, m.links[0].polarity
        (1, 0, '-')
        >>> report.merged_links
        ['a -> b: parallel connections merged into one link (polarity -)']
    """
    path = Path(path)
    if format is not None:
        with collecting_report(format) as report:
            map_ = read_map(path, format)
        return map_, count_into(report, map_)
    raw = read_file_bytes(path)
    name = detect_format(raw, str(path))
    with collecting_report(name) as report:
        map_ = read_bytes(raw, str(path), name)
    return map_, count_into(report, map_)


def read_bytes_report(
    raw: bytes, where: str, format: str | None = None
) -> tuple[Map, ImportReport]:
    """Read a map from bytes as :func:`read_bytes` does, with its import report."""
    name = format or detect_format(raw, where)
    with collecting_report(name) as report:
        map_ = read_bytes(raw, where, name)
    return map_, count_into(report, map_)


def write_map(map_: Map, format: str = "json") -> str | bytes:
    """Serialise a map in the given format (``bytes`` for XLSX and zip formats)."""
    writer = _spec(format, writable=True).writer
    assert writer is not None  # _spec checked it
    return writer(map_)


def format_for_output(filename: str | Path) -> str:
    """The writable format an output file name asks for (``map.graphml`` -> ``graphml``)."""
    name = Path(filename).name.lower()
    for spec in _SPECS:
        if spec.writer and any(name.endswith(ext) for ext in spec.extensions):
            return spec.name
    raise ValidationError(
        f"cannot tell the format from the file name; give --format (one of: "
        f"{', '.join(s.name for s in _SPECS if s.writer)})",
        str(filename),
    )


def formats_table() -> list[dict[str, str]]:
    """One row per format: name, extensions, read, write, description."""
    return [
        {
            "name": spec.name,
            "extensions": " ".join(spec.extensions),
            "read": "yes" if spec.reader else "no",
            "write": "yes" if spec.writer else "no",
            "description": spec.description,
        }
        for spec in _SPECS
    ]
