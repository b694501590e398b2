"""The caches behind the fast reruns (placement/cache.py): reuse, eviction, and values dropped with their object."""

from __future__ import annotations

import gc
import threading

from placement.cache import PerObject, Recent


class Thing:
    """Stands in for a model: any object that can be referred to weakly."""


def test_recent_reuses_a_value_and_drops_the_least_recently_used():
    recent, made = Recent(2), []
    make = lambda key: lambda: made.append(key) or f"value of {key}"  # noqa: E731
    assert recent.get("a", make("a")) == "value of a"
    assert recent.get("a", make("a")) == "value of a"
    recent.get("b", make("b"))
    recent.get("a", make("a"))  # a is now the most recently used
    recent.get("c", make("c"))  # so b goes
    recent.get("a", make("a"))
    recent.get("b", make("b"))
    assert made == ["a", "b", "c", "b"]
    assert recent.computed == 4
    assert recent.lookup("b", make("b")) == ("value of b", False)


def test_per_object_keeps_values_per_object_and_key():
    cache, first, second = PerObject(4), Thing(), Thing()
    assert cache.get(first, 1, lambda: "first, 1") == "first, 1"
    assert cache.get(first, 1, lambda: "again") == "first, 1"
    assert cache.get(first, 2, lambda: "first, 2") == "first, 2"
    assert cache.get(second, 1, lambda: "second, 1") == "second, 1"  # same key, other object
    assert cache.computed == 3 and len(cache) == 2


def test_a_dropped_object_takes_its_values_with_it():
    cache, thing = PerObject(4), Thing()
    cache.get(thing, "key", lambda: [1, 2, 3])
    assert len(cache) == 1
    del thing
    gc.collect()
    assert len(cache) == 0
    # A new object that happens to get the old one's id is not mistaken for it.
    assert all(cache.get(Thing(), "key", lambda: "fresh") == "fresh" for _ in range(50))


def test_sessions_computing_at_once_each_get_a_value():
    cache, thing, results = PerObject(4), Thing(), []
    threads = [threading.Thread(target=lambda: results.append(cache.get(thing, "k", lambda: 42))) for _ in range(8)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    assert results == [42] * 8 and cache.get(thing, "k", lambda: 0) == 42
