"""A fault point for the crash tests, kept out of the store's logic.

`tests/bot/test_reliability.py` kills an ingest with SIGKILL while its write transaction is open, and checks
that nothing stored was lost. With KORYU_FAULT_PAUSE_S set (seconds), `fault_point()` announces itself on
stderr and waits there, inside the transaction, so the test can kill the process at exactly that point.
Unset — always, outside those tests — it does nothing.
"""

from __future__ import annotations

import os
import sys
import time

ENV = "KORYU_FAULT_PAUSE_S"


def fault_point() -> None:
    """Pause inside an open transaction when KORYU_FAULT_PAUSE_S is set (see the module docstring)."""
    pause = os.environ.get(ENV)
    if pause:
        sys.stderr.write("koryu: fault point reached (transaction open)\n")
        sys.stderr.flush()
        time.sleep(float(pause))
