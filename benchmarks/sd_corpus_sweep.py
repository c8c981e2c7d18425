"""Sweep the system-dynamics test models: how many import, how fast, and do formats agree?

Runs loopwise's Vensim / XMILE / Stella readers over every model file of the SDXorg
test-models corpus (``../shared/corpora/sd-test-models`` beside the repository, or the folder
given as the first argument) and prints, per format: files, imported, refused (with the
first words of each refusal, counted), and the time of a full pass as a ratio to the pass of
the first format (speed figures are only ever ratios in the same process). Then it checks
that each model found in several formats (same folder, same stem) gives the same factors and
links, and prints the loop types of the models checked by hand (teacup: one B; SIR: one R,
two B; Lotka-Volterra: two R, three B; the simple harmonic oscillator: one B).

Usage::

    python benchmarks/sd_corpus_sweep.py [CORPUS] [--json OUT.json] [--pysd PYTHON] [--smoke]

``--pysd PYTHON`` also times PySD's translators (run in that Python, which must have PySD;
PySD is not a loopwise dependency) over the same files, for the parser choice.
"""

from __future__ import annotations

import argparse
import collections
import json
import subprocess
import sys
import time
from pathlib import Path

from loopwise.analysis import find_feedback_loops
from loopwise.errors import LoopwiseError
from loopwise.formats import read_map

FORMAT_OF = {".mdl": "vensim", ".xmile": "xmile", ".stmx": "xmile", ".itmx": "xmile"}
HAND_CHECKED = {
    # file (relative to the corpus) -> expected loop types, as the equations give them
    "samples/teacup/teacup.mdl": {"B": 1},
    "samples/teacup/teacup.xmile": {"B": 1},
    "samples/teacup/teacup.stmx": {"B": 1},
    "samples/teacup/teacup_legacy.stmx": {"B": 1},
    "samples/SIR/SIR.mdl": {"R": 1, "B": 2},
    "samples/SIR/SIR.xmile": {"R": 1, "B": 2},
    "samples/SIR/SIR.stmx": {"R": 1, "B": 2},
    "samples/SIR/SIR_legacy.stmx": {"R": 1, "B": 2},
    # prey births R, prey deaths B, predator births R, predator deaths B, predation B
    "samples/Lotka_Volterra/Lotka_Volterra.mdl": {"R": 2, "B": 3},
    # position -> elastic acceleration (-k/m * position) -> speed -> position
    "samples/simple_harmonic_oscillator/simple_harmonic_oscillator.mdl": {"B": 1},
}


def model_files(corpus: Path) -> list[Path]:
    return sorted(p for p in corpus.rglob("*") if p.suffix.lower() in FORMAT_OF and p.is_file())


def kind_of(path: Path) -> str:
    suffix = path.suffix.lower()
    return {".mdl": "mdl", ".xmile": "xmile", ".stmx": "stmx", ".itmx": "stmx"}[suffix]


def sweep(corpus: Path) -> dict:
    files = model_files(corpus)
    rows = []
    for path in files:
        start = time.perf_counter()
        try:
            map_ = read_map(path, FORMAT_OF[path.suffix.lower()])
            error = None
        except LoopwiseError as exc:
            map_, error = None, str(exc).replace(str(path), "").lstrip(": ")
        except Exception as exc:  # a crash is a bug to report, not a refusal
            map_, error = None, f"CRASH {type(exc).__name__}: {exc}"
        elapsed = time.perf_counter() - start
        rows.append((path, map_, error, elapsed))
    return {"files": files, "rows": rows}


def signature(map_) -> tuple[frozenset, frozenset]:
    """Factors and links by the model's own names (what must agree across formats)."""
    names = {f.id: _name(f) for f in map_.factors}
    links = frozenset(
        (names[lk.source_factor], names[lk.target_factor],
         "?" if "polarity:unknown" in lk.tags else lk.polarity)
        for lk in map_.links
    )  # fmt: skip
    return frozenset(names.values()), links


def _name(factor) -> str:
    for key in ("vensim_name", "xmile_name"):
        if key in factor.custom:
            return " ".join(str(factor.custom[key]).replace("_", " ").lower().split())
    return factor.label.lower()


def report(corpus: Path, result: dict) -> dict:
    per: dict[str, collections.Counter] = collections.defaultdict(collections.Counter)
    seconds: dict[str, float] = collections.Counter()
    reasons: dict[str, collections.Counter] = collections.defaultdict(collections.Counter)
    for path, map_, error, elapsed in result["rows"]:
        kind = kind_of(path)
        per[kind]["files"] += 1
        per[kind]["imported" if map_ is not None else "refused"] += 1
        seconds[kind] += elapsed
        if error is not None:
            reasons[kind][" ".join(error.split()[:7])] += 1
    total = sum(c["files"] for c in per.values())
    imported = sum(c["imported"] for c in per.values())
    base = seconds.get("mdl") or 1.0
    print(f"{'format':8} {'files':>5} {'imported':>8} {'refused':>7} {'time vs mdl pass':>17}")
    for kind in ("mdl", "xmile", "stmx"):
        c = per[kind]
        print(f"{kind:8} {c['files']:5} {c['imported']:8} {c['refused']:7} "
              f"{seconds[kind] / base:17.2f}")  # fmt: skip
    print(f"{'all':8} {total:5} {imported:8} {total - imported:7}   "
          f"({100 * imported / max(total, 1):.1f}% import)")  # fmt: skip
    for kind, counter in reasons.items():
        for reason, count in counter.most_common():
            print(f"  refused {kind}: {count} x {reason}")

    groups: dict[tuple[Path, str], list] = collections.defaultdict(list)
    for path, map_, _, _ in result["rows"]:
        if map_ is not None:
            stem = path.stem.replace("_mdl", "")
            groups[path.parent, stem].append((path, map_))
    same = differ = 0
    differing = []
    for (folder, stem), members in sorted(groups.items()):
        if len({kind_of(p) for p, _ in members}) < 2:
            continue
        signatures = {signature(m) for _, m in members}
        if len(signatures) == 1:
            same += 1
        else:
            differ += 1
            differing.append(str((folder / stem).relative_to(corpus)))
    print(f"models in several formats: {same} agree, {differ} differ")
    for name in differing:
        print(f"  differ: {name}")

    checked = {}
    for rel, expected in HAND_CHECKED.items():
        path = corpus / rel
        row = next((r for r in result["rows"] if r[0] == path), None)
        if row is None or row[1] is None:
            checked[rel] = "not imported"
            print(f"  {rel}: not imported ({row[2] if row else 'missing'})")
            continue
        loops = find_feedback_loops(row[1])
        found = dict(collections.Counter(lp.kind for lp in loops))
        checked[rel] = found
        mark = "ok" if found == expected else f"EXPECTED {expected}"
        print(f"  {rel}: loops {found} {mark}")
    return {
        "per_format": {k: dict(v) for k, v in per.items()},
        "imported": imported,
        "total": total,
        "seconds_ratio_vs_mdl": {k: seconds[k] / base for k in seconds},
        "formats_agree": same,
        "formats_differ": differing,
        "hand_checked": checked,
        "refusals": {k: dict(v) for k, v in reasons.items()},
    }


_PYSD_SCRIPT = r"""
import json, sys, time, warnings
warnings.simplefilter("ignore")
import pysd
from pysd.translators.vensim.vensim_file import VensimFile
from pysd.translators.xmile.xmile_file import XmileFile
out = []
for line in sys.stdin:
    path = line.strip()
    start = time.perf_counter()
    try:
        if path.lower().endswith(".mdl"):
            f = VensimFile(path); f.parse()
        else:
            f = XmileFile(path); f.parse()
        f.get_abstract_model()
        ok, err = True, None
    except BaseException as exc:
        ok, err = False, type(exc).__name__ + ": " + " ".join(str(exc).split())[:80]
    out.append([path, ok, err, time.perf_counter() - start])
print(json.dumps(out))
"""


def pysd_pass(python: str, files: list[Path]) -> list:
    """Parse every file to PySD's abstract model in another Python (PySD installed there)."""
    done = subprocess.run([python, "-c", _PYSD_SCRIPT], input="\n".join(map(str, files)),
                          capture_output=True, text=True, check=True)  # fmt: skip
    return json.loads(done.stdout)


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    default = Path(__file__).resolve().parents[2] / "shared" / "corpora" / "sd-test-models"
    parser.add_argument("corpus", nargs="?", type=Path, default=default)
    parser.add_argument("--json", type=Path, help="also write the figures as JSON")
    parser.add_argument("--pysd", help="a Python with PySD, to compare its translators")
    parser.add_argument("--smoke", action="store_true",
                        help="a tiny run over the tests' few models (tests/data/sd)")  # fmt: skip
    args = parser.parse_args(argv)
    if args.smoke:
        args.corpus = Path(__file__).resolve().parents[1] / "tests" / "data" / "sd"
    if not args.corpus.is_dir():
        print(f"no corpus at {args.corpus}", file=sys.stderr)
        return 1
    result = sweep(args.corpus)
    loopwise_seconds = sum(row[3] for row in result["rows"])
    figures = report(args.corpus, result)
    if args.pysd:
        rows = pysd_pass(args.pysd, result["files"])
        pysd_seconds = sum(row[3] for row in rows)  # per-file times: PySD's import left out
        per: dict[str, collections.Counter] = collections.defaultdict(collections.Counter)
        for path, ok, _err, _ in rows:
            per[kind_of(Path(path))]["parsed" if ok else "failed"] += 1
        print("PySD translators (file -> abstract model), per format:")
        for kind in ("mdl", "xmile", "stmx"):
            print(f"  {kind:6} parsed {per[kind]['parsed']:4}  failed {per[kind]['failed']:4}")
        print(f"  PySD pass time / loopwise pass time: {pysd_seconds / loopwise_seconds:.1f}")
        figures["pysd"] = {k: dict(v) for k, v in per.items()}
        figures["pysd_time_ratio"] = pysd_seconds / loopwise_seconds
    if args.json:
        args.json.write_text(json.dumps(figures, indent=2) + "\n")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
