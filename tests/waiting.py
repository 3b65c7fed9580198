"""The one way tests wait for something another process or thread does: poll a condition until it holds."""

from __future__ import annotations

import time
from collections.abc import Callable
from typing import TypeVar

T = TypeVar("T")


def wait_until(condition: Callable[[], T], what: str, timeout_s: float = 10.0, every_s: float = 0.02) -> T:
    """Poll `condition()` every `every_s` seconds until it returns something true and return that; AssertionError
    naming `what` after `timeout_s` seconds."""
    deadline = time.time() + timeout_s
    while True:
        result = condition()
        if result:
            return result
        if time.time() > deadline:
            raise AssertionError(f"timed out after {timeout_s}s waiting for {what}")
        time.sleep(every_s)
