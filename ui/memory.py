"""Keep garbage collection cheap, while memory stays flat.

Streamlit can collect all generations after each script run (`runner.postScriptGC`); the app switches that
off (.streamlit/config.toml), since its cost grows with every live session (docs/live-rooms.md). Python's own
generational collection still runs, and its full collections walk every long-lived object in the process
(with pandas, Altair, NumPy and Streamlit loaded, some 60-120 ms) though none of them is garbage. Once a page
has imported what it needs, the app collects once and freezes what survived (`gc.freeze`): collections then
look only at what runs created since, which is what can become garbage, so they still free it. A page that
brings new modules (the first visit to it) freezes again; nothing else does, so the frozen set stays bounded
by the app's code. `make bench` shows the cost of a full collection and memory over 1,000 reruns.
"""

from __future__ import annotations

import gc
import sys
import threading

from streamlit import config

# AppTest runs pages inside a test process whose modules and objects come and go: freezing there would
# keep the tests' garbage forever. The bench, which stands AppTest in for a server, switches it on.
UNDER_APPTEST = False

_lock = threading.Lock()
_modules_frozen = 0  # how many modules were loaded when the app last froze


def freeze_after_start_up() -> bool:
    """Collect once and freeze what survives, when modules were loaded since the last time; whether it did."""
    global _modules_frozen
    if len(sys.modules) == _modules_frozen or (config.get_option("global.appTest") and not UNDER_APPTEST):
        return False
    with _lock:
        if len(sys.modules) == _modules_frozen:
            return False
        gc.collect()
        gc.freeze()
        _modules_frozen = len(sys.modules)
    return True
