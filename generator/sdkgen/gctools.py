"""CPython's cyclic garbage collector around sdkgen's big stages.

`paused_gc`: run a stage of the analysis without the collector.

Loading and building the IR create a large graph of objects that outlives the stage and holds no
reference cycles: GitHub's 13 MB spec is ~270k containers, pydantic models and IR objects. CPython
starts a full collection each time the old generation has grown by a quarter, and each one walks
every object, so a stage that only builds walks its own output again and again. That was about a
third of the analysis time of GitHub's spec, and bought nothing: there is no cyclic garbage to find.

While the collector pauses, objects are still freed by reference counting as usual. At the end,
everything is moved into the oldest generation in one step (`gc.freeze()` then `gc.unfreeze()`,
which splice the generation lists without walking them), as if it had survived the collections it
skipped; the next full collection sees it like any other object. Nothing else changes: results do
not depend on when the collector runs.
"""

from __future__ import annotations

import gc
from collections.abc import Iterator
from contextlib import contextmanager


@contextmanager
def paused_gc() -> Iterator[None]:
    if not gc.isenabled():  # paused already (an enclosing stage, or the caller's own choice)
        yield
        return
    # objects the caller froze on purpose must stay frozen: then skip the promotion, which would thaw them
    promote = gc.get_freeze_count() == 0
    gc.disable()
    try:
        yield
    finally:
        if promote:
            gc.freeze()
            gc.unfreeze()
        gc.enable()


@contextmanager
def gc_frozen() -> Iterator[None]:
    """Keep the collector off what exists already (the IR, millions of objects on a big spec, only read
    while emitting, and shared with forked workers whose collections would otherwise touch, and so copy,
    every page of it): otherwise every full collection walks all of it again."""
    if gc.get_freeze_count():  # frozen already (an enclosing stage, or the caller's own choice)
        yield
        return
    gc.freeze()
    try:
        yield
    finally:
        gc.unfreeze()
