"""loopwise: systems maps of social problems, with the evidence behind every link.

Example:
    >>> import loopwise
    >>> m = loopwise.builtin_map()
    >>> len(m.factors) >= 45, m.factor("reoffending").kind
    (True, 'outcome')
"""

from loopwise.errors import LoopwiseError
from loopwise.model import Map

__version__ = "0.1.0"


def builtin_map(slug: str = "breaking-the-cycle") -> Map:
    """Load a map shipped with loopwise (validated on load)."""
    from loopwise.builtin import load_builtin_map

    return load_builtin_map(slug)


__all__ = ["LoopwiseError", "Map", "__version__", "builtin_map"]
