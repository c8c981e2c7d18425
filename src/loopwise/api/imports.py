"""Reading another tool's file without storing it: the import report over HTTP.

- ``POST /api/import-report?filename=NAME[&format=F]`` with the file as the request body:
  what an import of it would read and what not (counts, links of unknown polarity, parallel
  links merged, loops kept as views, fields dropped), and nothing is written. A file that
  cannot be read is a 422 naming the problem (never echoing the file); one over
  :data:`MAX_IMPORT_UPLOAD_BYTES` is a 413.
"""

from __future__ import annotations

from typing import Annotated, Any

from fastapi import APIRouter, HTTPException, Query, Request
from fastapi.concurrency import run_in_threadpool
from fastapi.responses import JSONResponse

from loopwise.errors import LoopwiseError

router = APIRouter(tags=["formats"])

MAX_IMPORT_UPLOAD_BYTES = 8_000_000
_MAX_DETAIL = 500


@router.post("/api/import-report", summary="What importing a file would read (nothing stored)")
async def import_report(
    request: Request,
    filename: Annotated[str, Query(min_length=1, max_length=200)],
    format: Annotated[str | None, Query(max_length=40)] = None,
) -> JSONResponse:
    """Read the file in the body as ``loopwise import`` would and return its import report."""
    from loopwise.formats import read_bytes_report

    raw = bytearray()
    async for chunk in request.stream():
        raw += chunk
        if len(raw) > MAX_IMPORT_UPLOAD_BYTES:
            raise HTTPException(413, f"a file may be at most {MAX_IMPORT_UPLOAD_BYTES:,} bytes")
    if not raw:
        raise HTTPException(422, "send the file as the request body")

    def read() -> dict[str, Any]:
        map_, report = read_bytes_report(bytes(raw), filename, format)
        return {
            "map": {"slug": map_.slug, "title": map_.title, "description": map_.description},
            "report": report.to_dict(),
        }

    try:
        return JSONResponse(await run_in_threadpool(read))
    except LoopwiseError as exc:  # a file that cannot be read: bad input, named
        detail = " ".join(str(exc).split())
        if len(detail) > _MAX_DETAIL:
            detail = detail[:_MAX_DETAIL] + "..."
        raise HTTPException(422, detail) from None
