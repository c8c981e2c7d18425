"""The Content-Security-Policy of every page loopwise writes: served, published or saved.

Only the site's own scripts and styles run (no inline script, no ``javascript:`` links), so
user text that slipped through as a link still cannot run. The served pages send it as a
header (with ``frame-ancestors``, which only a header can carry); the static site and the
saved pages carry it as a ``<meta http-equiv>`` tag, so they are protected from ``file://``
or any web host too.

Example:
    >>> "script-src 'self'" in PAGE_POLICY, "frame-ancestors" in PAGE_POLICY
    (True, False)
"""

from __future__ import annotations

PAGE_POLICY = (
    "default-src 'self'; script-src 'self'; style-src 'self'; img-src 'self' data:; "
    "connect-src 'self'; font-src 'self'; object-src 'none'; base-uri 'none'; "
    "form-action 'self'"
)
"""What a page may load: the site's own files (the ``<meta>`` tag of every page)."""

CONTENT_SECURITY_POLICY = PAGE_POLICY + "; frame-ancestors 'none'"
"""The served pages' header: also never framed by another site (clickjacking)."""

EMBED_POLICY = PAGE_POLICY + "; frame-ancestors *"
"""The embeddable canvas (``/maps/{slug}/embed``): made to be framed, and has no actions."""

DOCS_POLICY = CONTENT_SECURITY_POLICY + "; worker-src 'self' blob:"
"""``/docs`` (the package's own Swagger UI): the site's policy; a documentation viewer may
run its search in a worker made from its own code (a ``blob:``)."""


REDOC_STYLE_HASHES = (
    "sha256-47DEQpj8HBSa+/TImW+5JCeuQeRkm5NMpJWZG3hSuFU=",
    "sha256-QMIg+bpjm3JdElJ388KYke01izlUW0UoNOeKjpMxdgc=",
)
"""The two ``<style>`` elements ReDoc's bundle writes before it reads its nonce (an empty one,
then its scrollbar's fixed stylesheet): allowed by hash, so only that exact text applies. A
new ReDoc (``npm run vendor``) with other text fails the offline browser test, which names
the hash Chromium asks for."""


def docs_policy(style_nonce: str | None = None) -> str:
    """The documentation pages' policy; with ``style_nonce``, ``<style>`` elements carrying
    that one-use nonce, or ReDoc's own fixed ones (:data:`REDOC_STYLE_HASHES`), may apply
    too (ReDoc writes its styles into such elements; nothing else inline is allowed).

    >>> "style-src 'self' 'nonce-abc' 'sha256-" in docs_policy("abc")
    True
    """
    if style_nonce is None:
        return DOCS_POLICY
    allowed = " ".join([f"'nonce-{style_nonce}'", *(f"'{h}'" for h in REDOC_STYLE_HASHES)])
    return DOCS_POLICY.replace("style-src 'self'", f"style-src 'self' {allowed}")
