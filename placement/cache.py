"""Small in-memory caches for the work a rerun would otherwise repeat, shared by every session of a server.

Models are immutable (an edit makes a new one), so a model object is its own key: `PerObject` keeps
values derived from a model while that model lives (held weakly, so a dropped model takes its
values with it), with a few extra key parts each. `Recent` keeps the last values of any hashable key.
Both count what they compute, so tests can show a value being reused and recomputed.
"""

from __future__ import annotations

import threading
import weakref
from collections import OrderedDict
from collections.abc import Callable, Hashable
from typing import Any


class Recent:
    """The `size` most recently used values, by hashable key (least recently used dropped first)."""

    def __init__(self, size: int):
        self.size = size
        self.computed = 0  # how many values were computed rather than reused
        self._values: OrderedDict[Hashable, Any] = OrderedDict()
        self._lock = threading.Lock()

    def get(self, key: Hashable, compute: Callable[[], Any]) -> Any:
        """The value for `key`, computed (outside the lock: sessions never wait for each other) when missing."""
        return self.lookup(key, compute)[0]

    def lookup(self, key: Hashable, compute: Callable[[], Any]) -> tuple[Any, bool]:
        """(the value for `key`, whether it was computed now)."""
        with self._lock:
            if key in self._values:
                self._values.move_to_end(key)
                return self._values[key], False
        value = compute()
        with self._lock:
            self.computed += 1
            self._values[key] = value
            self._values.move_to_end(key)
            while len(self._values) > self.size:
                self._values.popitem(last=False)
        return value, True

    def clear(self) -> None:
        with self._lock:
            self._values.clear()


class PerObject:
    """Values derived from an immutable object (a model), up to `size` keys each, for as long as it lives."""

    def __init__(self, size: int):
        self.size = size
        self.computed = 0
        self._sources: dict[int, tuple[weakref.ref, Recent]] = {}
        self._lock = threading.Lock()

    def get(self, source: object, key: Hashable, compute: Callable[[], Any]) -> Any:
        """The value for `key` derived from `source`, computed when missing."""
        value, computed = self._for(source).lookup(key, compute)
        if computed:
            with self._lock:
                self.computed += 1
        return value

    def _for(self, source: object) -> Recent:
        identity = id(source)
        with self._lock:
            entry = self._sources.get(identity)
            if entry is not None and entry[0]() is source:
                return entry[1]
            values = Recent(self.size)
            # An object's id may be reused once it is gone: the callback drops its values first.
            ref = weakref.ref(source, lambda dead, identity=identity: self._forget(identity, dead))
            self._sources[identity] = (ref, values)
            return values

    def _forget(self, identity: int, dead: weakref.ref) -> None:
        with self._lock:
            entry = self._sources.get(identity)
            if entry is not None and entry[0] is dead:
                del self._sources[identity]

    def __len__(self) -> int:
        """How many objects have values here."""
        with self._lock:
            return len(self._sources)

    def clear(self) -> None:
        with self._lock:
            self._sources.clear()
