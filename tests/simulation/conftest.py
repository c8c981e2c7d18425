"""Helpers for the simulation tests: the fcm-evolve fixture FCMs (MIT, see
``tests/data/fcm-evolve/LICENSE``) read as weight matrices.

The files are edge lists ``(from, to, weight)`` with 1-based vertex numbers and a vertex name
list. The PSOT edges are Mathematica with named weights defined from ``$activationThreshold``;
we take ``$activationThreshold = 1`` (so strongOrLink = 0.5, orLink = 0.45, weakOrLink =
andLink = 0.25). Both maps have a self-link, which the low-level :func:`run_fcm` accepts.
"""

from __future__ import annotations

import ast
import operator
import re
from pathlib import Path
from typing import NamedTuple

import numpy as np
import pytest

DATA = Path(__file__).parent.parent / "data" / "fcm-evolve"


class FixtureFcm(NamedTuple):
    name: str
    concepts: list[str]
    weights: np.ndarray


def _matrix(edges: list[tuple[int, int, float]], vertex_ids: list[int]) -> np.ndarray:
    position = {v: i for i, v in enumerate(vertex_ids)}
    matrix = np.zeros((len(vertex_ids), len(vertex_ids)))
    for start, end, weight in edges:
        matrix[position[start], position[end]] = weight
    return matrix


def load_clot() -> FixtureFcm:
    names = dict(
        (int(k), v)
        for k, v in re.findall(r'(\d+):"([^"]*)"', (DATA / "clot-verts.csv").read_text())
    )
    edges = [
        (int(a), int(b), float(w))
        for a, b, w in re.findall(
            r"\(\s*(\d+)\s*,\s*(\d+)\s*,\s*(-?[\d.]+)\s*\)", (DATA / "clot-fcm.csv").read_text()
        )
    ]
    ids = sorted(names)
    return FixtureFcm("clot", [names[i] for i in ids], _matrix(edges, ids))


_OPS = {ast.Add: operator.add, ast.Sub: operator.sub, ast.Div: operator.truediv}


def _evaluate(expression: str, names: dict[str, float]) -> float:
    """Evaluate ``name``, numbers, unary minus, + - / -- nothing else."""

    def walk(node: ast.AST) -> float:
        if isinstance(node, ast.Expression):
            return walk(node.body)
        if isinstance(node, ast.Constant) and isinstance(node.value, int | float):
            return float(node.value)
        if isinstance(node, ast.Name):
            return names[node.id]
        if isinstance(node, ast.UnaryOp) and isinstance(node.op, ast.USub):
            return -walk(node.operand)
        if isinstance(node, ast.BinOp) and type(node.op) in _OPS:
            return _OPS[type(node.op)](walk(node.left), walk(node.right))
        raise ValueError(f"unexpected expression {expression!r}")

    return walk(ast.parse(expression.replace("$", "_"), mode="eval"))


def load_psot(activation_threshold: float = 1.0) -> FixtureFcm:
    text = re.sub(r"\(\*.*?\*\)", "", (DATA / "psot-eds-upd.txt").read_text(), flags=re.S)
    names: dict[str, float] = {"_activationThreshold": activation_threshold}
    for name, expression in re.findall(r"^\s*(\w+)\s*=\s*([^;{]+);", text, flags=re.M):
        names[name] = _evaluate(expression.strip(), names)
    edges = [
        (int(a), int(b), _evaluate(w.strip(), names))
        for a, b, w in re.findall(r"\{\s*(\d+)\s*,\s*(\d+)\s*,\s*([^{}]+?)\}", text)
    ]
    vertices = re.findall(r"(\d+),\s*([^,\r\n]+),", (DATA / "psot-verts.csv").read_text())
    ids = [int(v) for v, _ in vertices]
    return FixtureFcm("psot", [short for _, short in vertices], _matrix(edges, ids))


@pytest.fixture(scope="session")
def clot() -> FixtureFcm:
    return load_clot()


@pytest.fixture(scope="session")
def psot() -> FixtureFcm:
    return load_psot()
