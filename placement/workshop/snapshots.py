"""The model each round is scored with: its snapshot (a model file in the round's row), parsed once and kept
in memory, since a snapshot never changes; and how a model differs from the source, in words for the board.
"""

from __future__ import annotations

import threading
from collections import OrderedDict
from collections.abc import Callable

from placement.data.editing import edited_cells
from placement.data.model import Model
from placement.data.modelfile import from_json

MODEL_CACHE_SIZE = 256  # parsed round snapshots kept in memory (they never change)


class Snapshots:
    """Parsed round snapshots by (room code, round number), the least recently used dropped beyond MODEL_CACHE_SIZE."""

    def __init__(self):
        self._models: OrderedDict[tuple[str, int], Model | None] = OrderedDict()  # (code, round) -> snapshot
        self._models_lock = threading.Lock()

    def parsed(self, key: tuple[str, int], read: Callable[[], str | None]) -> Model | None:
        """The snapshot under `key` (None for a version 1 round), from `read` (its text) only the first time."""
        with self._models_lock:
            if key in self._models:
                self._models.move_to_end(key)
                return self._models[key]
        text = read()
        model = from_json(text, "the round's model")[0] if text else None
        with self._models_lock:
            self._models[key] = model
            while len(self._models) > MODEL_CACHE_SIZE:
                self._models.popitem(last=False)
        return model

    def forget(self, code: str) -> None:
        with self._models_lock:
            for cached in [k for k in self._models if k[0] == code]:
                del self._models[cached]


def describe_model(model: Model, baseline: Model) -> str:
    """A model versus the source baseline, in a few words: "the source baseline", or what changed."""
    changed = len([c for c in edited_cells(model) if c.provenance != "room"])
    from_room = len([c for c in model.cells.values() if c.provenance == "room"])
    parts = [f"{changed} cell{'s' if changed != 1 else ''} changed"] if changed else []
    parts += [f"{from_room} cell{'s' if from_room != 1 else ''} from the room"] if from_room else []
    parts += [f"{p.short_name} placement added" for p in model.placements if p.id not in baseline.placement_ids]
    parts += [f"{p.short_name} placement removed" for p in baseline.placements if p.id not in model.placement_ids]
    parts += [f"{f.name} factor added" for f in model.factors if f.id not in baseline.factor_ids]
    return "edited: " + ", ".join(parts) if parts else "the source baseline"
