"""The web site: the FastAPI app serving the JSON API and the explorer's HTML pages.

``pages``, ``templating`` and ``urls`` (and the templates) are plain Jinja2, with no web
framework, so :mod:`loopwise.publish` renders the same pages as files.
"""
