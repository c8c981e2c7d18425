"""Evidence briefs and the funding gap over HTTP, for the explorer's "download brief"
button and its funding-gap overlay.

- ``GET /api/maps/{slug}/brief?loop=L | factor=F | from=A&to=B [&format=html|pdf|docx]``:
  the brief as a file (``Content-Disposition: attachment`` with a file name; HTML is shown
  inline). ``loop`` is a named loop's id or factor ids joined by ``,``.
- ``GET /api/maps/{slug}/funding-gaps``: per factor, leverage components beside the
  organisations acting on it and their known funding (JSON).
- ``POST /api/maps/{slug}/funding-gaps``: the same with a funder's portfolio file (CSV or
  XLSX, the raw file as the request body; see ``docs/portfolio.md``) plus which loops it
  touches and misses. Nothing is stored.

Unknown or private maps and unknown ids are 404; bad combinations of parameters, a bad
format or a bad portfolio file are 422; a PDF when WeasyPrint cannot run here is 503.

The router reads the store from ``request.app.state.store``; include it with
``app.include_router(briefs.router)``.
"""

from __future__ import annotations

from typing import Annotated, Any

from fastapi import APIRouter, HTTPException, Query, Request
from fastapi.concurrency import run_in_threadpool
from fastapi.responses import JSONResponse, Response

from loopwise.errors import LoopwiseError, UnknownIdError, ValidationError

router = APIRouter(prefix="/api/maps/{slug}", tags=["briefs and funding"])

MAX_PORTFOLIO_BYTES = 5_000_000


def _public_map(request: Request, slug: str) -> Any:
    store = request.app.state.store
    try:
        map_ = store.get_map(slug)
    except UnknownIdError:
        raise HTTPException(status_code=404, detail=f"no public map {slug!r}") from None
    # a private map only for its members: the app checks them before this router runs
    # (loopwise.api.auth.require_reader) and says so on the request
    if map_.visibility != "public" and getattr(request.state, "readable_map", None) != slug:
        raise HTTPException(status_code=404, detail=f"no public map {slug!r}")
    return map_


@router.get(
    "/brief",
    summary="An evidence brief for a loop, a factor or a path",
    response_class=Response,
    responses={
        200: {"content": {"text/html": {}, "application/pdf": {}, "application/vnd."
              "openxmlformats-officedocument.wordprocessingml.document": {}}},
        404: {"description": "Unknown or private map, unknown loop or factor, no such path"},
        422: {"description": "Not exactly one of loop, factor, from+to; unknown format"},
        503: {"description": "PDF asked for but WeasyPrint cannot run on this server"},
    },
)  # fmt: skip
async def get_brief(
    request: Request,
    slug: str,
    loop: Annotated[str | None, Query(max_length=2000)] = None,
    factor: Annotated[str | None, Query(max_length=200)] = None,
    from_: Annotated[str | None, Query(alias="from", max_length=200)] = None,
    to: Annotated[str | None, Query(max_length=200)] = None,
    format: Annotated[str, Query(max_length=10)] = "html",
    target: Annotated[str | None, Query(max_length=200)] = None,
    length: Annotated[str, Query(max_length=10, description="one-page or full")] = "full",
) -> Response:
    from loopwise.reports import BRIEF_FORMATS, build_brief, render_brief
    from loopwise.reports.content import BriefLength
    from loopwise.reports.pdf_brief import BriefRenderError

    if format not in BRIEF_FORMATS:
        raise HTTPException(422, f"format: must be one of {', '.join(BRIEF_FORMATS)}")
    if length not in ("one-page", "full"):
        raise HTTPException(422, "length: must be one of one-page, full")
    chosen_length: BriefLength = "one-page" if length == "one-page" else "full"
    if (from_ is None) != (to is None):
        raise HTTPException(422, "a path needs both from and to")
    path = (from_, to) if from_ is not None and to is not None else None
    given = [name for name, value in (("loop", loop), ("factor", factor), ("path", path))
             if value is not None]  # fmt: skip
    if len(given) != 1:
        raise HTTPException(422, "give exactly one of loop, factor, or from and to")
    map_ = _public_map(request, slug)

    def make() -> tuple[Any, bytes]:
        brief = build_brief(
            map_, loop=loop, factor=factor, path=path, target=target, length=chosen_length
        )
        # the site's Content-Security-Policy refuses inline styles: link the stylesheet
        # (a relative URL: /api/maps/{slug}/brief.css, next to this endpoint)
        return brief, render_brief(brief, format, stylesheet="brief.css")

    try:
        brief, data = await run_in_threadpool(make)
    except UnknownIdError as exc:
        raise HTTPException(404, str(exc)) from None
    except BriefRenderError as exc:
        raise HTTPException(503, str(exc)) from None
    except ValidationError as exc:
        # factors that do not go round a loop, or two factors with no path: nothing found
        status = 404 if exc.where in ("loop", "path") and "no " in exc.message else 422
        raise HTTPException(status, str(exc)) from None
    spec = BRIEF_FORMATS[format]
    disposition = "inline" if format == "html" else "attachment"
    filename = brief.filename_stem + spec.extension
    return Response(
        data,
        media_type=spec.media_type,
        headers={
            "Content-Disposition": f'{disposition}; filename="{filename}"',
            "X-Content-Type-Options": "nosniff",
        },  # fmt: skip
    )


@router.get("/brief.css", summary="The stylesheet of HTML briefs", response_class=Response)
def get_brief_stylesheet(slug: str) -> Response:
    """The briefs' stylesheet: a served HTML brief links it (the site's Content-Security-Policy
    refuses inline styles); the same for every map."""
    from loopwise.reports.html_brief import brief_stylesheet

    return Response(
        brief_stylesheet(), media_type="text/css; charset=utf-8",
        headers={"Cache-Control": "public, max-age=3600"},
    )  # fmt: skip


def _gap_document(map_: Any, portfolio: Any, target: str | None) -> dict[str, Any]:
    from loopwise.analysis.coverage import GAP_RULE, acting_on
    from loopwise.analysis.funding import funding_gap_frame, portfolio_coverage

    frame = funding_gap_frame(map_, target, portfolio=portfolio)
    cover = acting_on(map_.without_inferences())
    factors = []
    for index, row in frame.iterrows():
        fid = str(index)
        acting = [{"name": cover[fid].names[o], "via": None} for o in cover[fid].direct]
        acting += [{"name": cover[fid].names[o], "via": s.label}
                   for s in cover[fid].upstream for o in s.organisations]  # fmt: skip
        factors.append({"factor": fid, **{k: (v.item() if hasattr(v, "item") else v)
                                          for k, v in row.items()}, "acting": acting})  # fmt: skip
    document: dict[str, Any] = {
        "map": map_.slug,
        "target": frame.attrs["target"],
        "formula": frame.attrs["formula"],
        "rule": GAP_RULE,
        "currency": frame.attrs["currency"],
        "factors": factors,
    }
    if portfolio is not None:
        document["portfolio"] = {
            "organisations": [org.model_dump(mode="json", exclude_none=True) for org in portfolio],
            "total_funding": frame.attrs["portfolio_total"],
            **portfolio_coverage(map_, portfolio, gap=frame).to_dict(),
        }
    return document


@router.get("/funding-gaps", summary="Leverage beside who works on each factor, and funding")
async def get_funding_gaps(
    request: Request, slug: str, target: Annotated[str | None, Query(max_length=200)] = None
) -> JSONResponse:
    map_ = _public_map(request, slug)
    try:
        document = await run_in_threadpool(_gap_document, map_, None, target)
    except UnknownIdError as exc:
        raise HTTPException(404, str(exc)) from None
    except LoopwiseError as exc:
        raise HTTPException(422, str(exc)) from None
    return JSONResponse(document)


@router.post(
    "/funding-gaps",
    summary="The funding gap with a funder's portfolio file (CSV or XLSX as the body)",
)
async def post_funding_gaps(
    request: Request,
    slug: str,
    target: Annotated[str | None, Query(max_length=200)] = None,
    filename: Annotated[str, Query(max_length=200)] = "portfolio",
) -> JSONResponse:
    from loopwise.reports.portfolio import read_portfolio

    map_ = _public_map(request, slug)
    raw = b""
    async for chunk in request.stream():
        raw += chunk
        if len(raw) > MAX_PORTFOLIO_BYTES:
            raise HTTPException(
                413, f"a portfolio file may be at most {MAX_PORTFOLIO_BYTES:,} bytes"
            )
    if not raw:
        raise HTTPException(422, "send the portfolio file (CSV or XLSX) as the request body")

    def make() -> dict[str, Any]:
        return _gap_document(map_, read_portfolio(raw, map_, filename), target)

    try:
        document = await run_in_threadpool(make)
    except LoopwiseError as exc:  # a bad file or row: bad input, named
        raise HTTPException(422, str(exc)) from None
    return JSONResponse(document)
