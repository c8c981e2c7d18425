"""What a map looks like to a reader, with no web framework: shared by the API, the
explorer pages and the static site.

``present`` sits above ``analysis``/``simulation`` and below ``api``, ``web`` and
``publish``; it imports pydantic and the analyses, never FastAPI or Starlette, so a
static site or a brief can be built without loading a web server.

- :mod:`~loopwise.present.bundle`: one map version with its analyses computed once
  (:class:`~loopwise.present.bundle.MapBundle`) and a cache of them (``BundleCache``).
- :mod:`~loopwise.present.payloads`: the pydantic payloads the API returns and the pages show.
- :mod:`~loopwise.present.convert`: entities and analyses of a bundle to those payloads.
- :mod:`~loopwise.present.scenarios`: a scenario run (with Monte Carlo bands) for display.
- :mod:`~loopwise.present.layout`: the canvas layout (boxes, theme regions).
"""
