"""Where each explorer page lives: absolute paths when served, relative files when published.

Templates only ever build links through a :class:`Urls` object, so the same templates serve
``loopwise serve`` (``/maps/<slug>/factors/<id>``) and a static site opened from ``file://``
(``factors/<id>.html``, relative to the page).

Example:
    >>> ServedUrls("demo").factor("a")
    '/maps/demo/factors/a'
    >>> StaticUrls("demo", depth=1).factor("a")
    '../factors/a.html'
"""

from __future__ import annotations

from urllib.parse import quote, urlencode

STATIC_BRIEF_FORMATS = ("html", "pdf", "docx")
"""The formats a published site's briefs are written in."""


class Urls:
    """The links a page can make (see the two implementations below)."""

    static_site = False

    def __init__(self, slug: str) -> None:
        self.slug = slug

    def page(self, name: str) -> str:  # pragma: no cover - interface
        raise NotImplementedError

    def factor(self, factor_id: str) -> str:  # pragma: no cover - interface
        raise NotImplementedError

    def loop(self, loop_id: str) -> str:  # pragma: no cover - interface
        raise NotImplementedError

    def loops_page(self, number: int) -> str:  # pragma: no cover - interface
        """Page ``number`` (from 1) of the list of every loop."""
        raise NotImplementedError

    def asset(self, path: str) -> str:  # pragma: no cover - interface
        raise NotImplementedError

    def story(self, story_id: str) -> str:  # pragma: no cover - interface
        raise NotImplementedError

    def story_step(self, story_id: str, number: int) -> str:  # pragma: no cover - interface
        raise NotImplementedError


class ServedUrls(Urls):
    """Paths of the live server."""

    def __init__(self, slug: str) -> None:
        super().__init__(slug)
        self.base = f"/maps/{quote(slug)}"

    def page(self, name: str, **query: str | list[str]) -> str:
        path = self.base if name == "home" else f"{self.base}/{name}"
        return path + ("?" + urlencode(query, doseq=True) if query else "")

    def factor(self, factor_id: str) -> str:
        return f"{self.base}/factors/{quote(factor_id)}"

    def loop(self, loop_id: str) -> str:
        return f"{self.base}/loops/{quote(loop_id)}"

    def loops_page(self, number: int) -> str:
        return f"{self.base}/loops" + (f"?page={number}" if number > 1 else "")

    def scenario_for(self, factor_id: str) -> str:
        return self.page("scenario", push=f"{factor_id}:0.5")

    def story(self, story_id: str) -> str:
        """A story's cover page."""
        return f"{self.base}/stories/{quote(story_id)}"

    def story_step(self, story_id: str, number: int) -> str:
        """Step ``number`` (from 1) of a story: its own address, to share."""
        return f"{self.base}/stories/{quote(story_id)}/steps/{number}"

    def campaign(self, factor_id: str) -> str:
        """The campaign view of a policy factor."""
        return f"{self.base}/campaigns/{quote(factor_id)}"

    def asset(self, path: str) -> str:
        return f"/static/{path}"

    def api(self, path: str = "") -> str:
        return f"/api/maps/{quote(self.slug)}{path}"

    def data_script(self, name: str) -> str | None:
        return None

    def brief(self, fmt: str, **target: str) -> str | None:
        """Where to download an evidence brief (``loop=``, ``factor=`` or ``from=``/``to=``)."""
        return self.api("/brief") + "?" + urlencode({**target, "format": fmt})


class StaticUrls(Urls):
    """Relative links between the files of a published site (works from ``file://``)."""

    static_site = True

    def __init__(
        self,
        slug: str,
        depth: int = 0,
        briefs: frozenset[tuple[str, str]] = frozenset(),
        brief_formats: tuple[str, ...] = STATIC_BRIEF_FORMATS,
    ) -> None:
        super().__init__(slug)
        self.root = "../" * depth
        self.briefs = briefs
        """The ``(kind, id)`` of the briefs the site was published with (``loop``/``factor``)."""
        self.brief_formats = brief_formats

    def page(self, name: str, **query: str | list[str]) -> str:
        return self.root + ("index" if name == "home" else name) + ".html"

    def factor(self, factor_id: str) -> str:
        return f"{self.root}factors/{quote(factor_id)}.html"

    def loop(self, loop_id: str) -> str:
        return f"{self.root}loops/{quote(loop_id)}.html"

    def loops_page(self, number: int) -> str:
        return f"{self.root}loops" + (f"-{number}" if number > 1 else "") + ".html"

    def scenario_for(self, factor_id: str) -> str:
        return f"{self.root}scenarios/{quote(factor_id)}.html"

    def story(self, story_id: str) -> str:
        """A story's cover page in a published site."""
        return f"{self.root}stories/{quote(story_id)}.html"

    def story_step(self, story_id: str, number: int) -> str:
        """A story's step in a published site (``stories/<id>/steps/<n>.html``)."""
        return f"{self.root}stories/{quote(story_id)}/steps/{number}.html"

    def campaign(self, factor_id: str) -> str:
        """A policy's campaign view in a published site."""
        return f"{self.root}campaigns/{quote(factor_id)}.html"

    def asset(self, path: str) -> str:
        return f"{self.root}static/{path}"

    def api(self, path: str = "") -> str:
        return f"{self.root}data/map.json" if not path else f"{self.root}data{path}.json"

    def data_script(self, name: str) -> str | None:
        return f"{self.root}data/{name}.js"

    def brief(self, fmt: str, **target: str) -> str | None:
        """A brief the site was published with (a named loop's or a top factor's, full
        length): ``briefs/<kind>s/<id>.<fmt>``; any other needs ``loopwise brief``: None.

        >>> urls = StaticUrls("demo", 1, frozenset({("loop", "r1")}))
        >>> urls.brief("pdf", loop="r1"), urls.brief("pdf", loop="r1", length="one-page")
        ('../briefs/loops/r1.pdf', None)
        """
        if len(target) != 1 or fmt not in self.brief_formats:
            return None
        ((kind, id_),) = target.items()
        if (kind, id_) not in self.briefs:
            return None
        return f"{self.root}briefs/{kind}s/{quote(id_)}.{fmt}"
