"""``python -m loopwise`` runs the CLI."""

from loopwise.cli import app

app(prog_name="loopwise")
