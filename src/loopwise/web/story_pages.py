"""What a story's pages show: the list of stories, a story's cover and each of its steps.

A story (a view with steps, :class:`loopwise.model.View`) is read one step at a time. Each
step page shows the step's heading and text, the canvas focused on the step's factors and
links with the rest dimmed (``js/story.js``), each link in words with its own evidence (a
story adds no evidence of its own), and "what if this rose?" (:func:`step_play`). The live
server (:mod:`loopwise.web.story_views`) and the static publisher render the same templates
with these contexts.

Example:
    >>> from loopwise.builtin import load_builtin_map
    >>> from loopwise.web.urls import ServedUrls
    >>> bundle = MapBundle(load_builtin_map(), 1)
    >>> context = story_step_context(bundle, ServedUrls(bundle.map.slug),
    ...                              "cycle-in-seven-steps", 3)
    >>> context["number"], context["total"], context["next_url"]
    (3, 7, '/maps/breaking-the-cycle/stories/cycle-in-seven-steps/steps/4')
"""

from __future__ import annotations

from typing import Any

from loopwise.errors import UnknownIdError
from loopwise.model import Map, StoryStep, View
from loopwise.present.bundle import MapBundle
from loopwise.reports.citations import format_attributes, format_citation, source_year
from loopwise.reports.content import Step
from loopwise.web.pages import SCENARIO_PUSH, base_context
from loopwise.web.urls import Urls

PLAY_MIN_STEPS = 3
""""What if this rose?" follows the effect for at least this many steps of the map."""


def stories_context(bundle: MapBundle, urls: Urls) -> dict[str, Any]:
    """The map's stories, each with its steps' headings."""
    context = base_context(bundle, urls, "stories")
    context.update(stories=bundle.map.stories)
    return context


def story_context(bundle: MapBundle, urls: Urls, story_id: str) -> dict[str, Any]:
    """A story's cover: its name, description and the headings of its steps."""
    story = bundle.map.story(story_id)
    context = base_context(bundle, urls, "stories")
    context.update(story=story, total=len(story.steps))
    return context


def story_step_context(bundle: MapBundle, urls: Urls, story_id: str, number: int) -> dict[str, Any]:
    """Step ``number`` (from 1) of a story; :class:`UnknownIdError` for a step it lacks."""
    story = bundle.map.story(story_id)
    if not 1 <= number <= len(story.steps):
        raise UnknownIdError("step", str(number),
                             [str(n) for n in range(1, len(story.steps) + 1)])  # fmt: skip
    step = story.steps[number - 1]
    context = base_context(bundle, urls, "stories")
    context.update(
        story=story,
        step=step,
        number=number,
        total=len(story.steps),
        previous_url=urls.story_step(story.id, number - 1) if number > 1 else None,
        next_url=urls.story_step(story.id, number + 1) if number < len(story.steps) else None,
        links=step_links(bundle.map, step),
        evidence=step_evidence(bundle.map, step),
        play=step_play(bundle, step),
        focus={"factors": step_factor_ids(bundle.map, step), "links": list(step.links)},
    )
    context["focus_labels"] = [bundle.labels[f] for f in context["focus"]["factors"]]
    return context


def step_factor_ids(map_: Map, step: StoryStep) -> list[str]:
    """The factors a step shows: its own, then its links' ends, each once, in order.

    >>> from loopwise.builtin import load_builtin_map
    >>> step = StoryStep(title="t", text="x", links=["settled-accommodation--reoffending"])
    >>> step_factor_ids(load_builtin_map(), step)
    ['settled-accommodation', 'reoffending']
    """
    ids = list(step.factors)
    for link_id in step.links:
        link = map_.link(link_id)
        ids += [link.source_factor, link.target_factor]
    return list(dict.fromkeys(ids))


def step_links(map_: Map, step: StoryStep) -> list[Step]:
    """Each link of the step in words (as a brief says them)."""
    confidences = map_.link_confidences()
    out = []
    for link_id in step.links:
        link = map_.link(link_id)
        out.append(Step(
            link_id=link.id, from_id=link.source_factor,
            from_label=map_.factor(link.source_factor).label, to_id=link.target_factor,
            to_label=map_.factor(link.target_factor).label, polarity=link.polarity,
            delay=link.delay, mechanism=link.mechanism,
            confidence=confidences[link.id].level,
            evidence_count=confidences[link.id].evidence_count,
        ))  # fmt: skip
    return out


def step_evidence(map_: Map, step: StoryStep) -> dict[str, list[dict[str, Any]]]:
    """The accepted evidence of each of the step's links, word for word, by link id."""
    sources = {s.id: s for s in map_.sources}
    out: dict[str, list[dict[str, Any]]] = {}
    for link_id in step.links:
        items = []
        for ev in map_.link(link_id).evidence:
            if ev.status != "accepted":
                continue
            source = sources[ev.source]
            items.append({
                "kind": ev.kind, "text": ev.text, "source_kind": source.kind,
                "citation": format_citation(source),
                "attributes": format_attributes(source.attributes),
                "year": ev.year if ev.year is not None else source_year(source),
                "locator": f"p. {ev.page}" if ev.page else None, "caveat": ev.caveat,
            })  # fmt: skip
        out[link_id] = items
    return out


def step_play(bundle: MapBundle, step: StoryStep, push: float = SCENARIO_PUSH) -> dict[str, Any]:
    """ "What if this rose?" for a story step: push the step's ``push`` factor (else its
    first) and give the change in each of the step's factors after 1, 2, ... steps of the
    map's FCM (the scenario page's settings and the loop pages' play), for as many steps as
    the step shows factors, and at least :data:`PLAY_MIN_STEPS`.

    Example:
        >>> from loopwise.builtin import load_builtin_map
        >>> bundle = MapBundle(load_builtin_map(), 1)
        >>> step = bundle.map.story("cycle-in-seven-steps").steps[0]
        >>> play = step_play(bundle, step)
        >>> play["pushed"], play["factors"]
        ('short-custodial-sentences', ['short-custodial-sentences', 'reoffending'])
        >>> play["steps"][1][1] > 0  # reoffending rises a step after short sentences
        True
    """
    from loopwise.simulation.fcm import simulate

    factors = step_factor_ids(bundle.map, step)
    pushed = step.push or factors[0]
    if pushed not in factors:
        factors = [pushed, *factors]
    steps = []
    for count in range(1, max(len(factors), PLAY_MIN_STEPS) + 1):
        result = simulate(bundle.map, push={pushed: push}, transfer="tanh",
                          lam=bundle.default_slope, max_steps=count)  # fmt: skip
        steps.append([round(float(result.effect[f]), 3) for f in factors])
    return {"factors": factors, "pushed": pushed, "push": push, "steps": steps}


def story_out(story: View) -> dict[str, Any]:
    """A story as the API returns it (the view's own JSON)."""
    return story.model_dump(mode="json")
