"""Counting what a client does within a window of time, for limits that must hold across
every process: password-reset requests and e-mails (accounts/password_resets.py), failed
sign-ins written to the audit log (audit.services.audit_event_record_capped).

Counts live in the shared cache (CACHE_URL: Redis in production, which production
requires): incrementing there is atomic, so requests arriving together cannot each find
the last place free, and a count disappears by itself when its window ends. The audit log
keeps what was refused; it is not where counts are kept, as it is read by action and
date, not by client address or account, and each count would be a query over it.
"""

import math
import time
from dataclasses import dataclass
from datetime import timedelta

from django.core.cache import cache


@dataclass(frozen=True)
class WindowCount:
    count: int  # the events within the window, this one included
    ends_at: float  # when the window closes and counting starts again (a POSIX time)

    def seconds_left(self) -> int:
        return max(math.ceil(self.ends_at - time.time()), 1)


def window_count(key: str, window: timedelta) -> WindowCount:
    """Counts one more event under `key`. A window opens with the first event and lasts
    `window`; the next event after it opens a new one."""
    now = time.time()
    seconds = math.ceil(window.total_seconds())
    cache.add(f"{key}:opened", now, timeout=seconds)
    cache.add(key, 0, timeout=seconds)
    try:
        count = cache.incr(key)
    except ValueError:  # the window closed between the two calls
        cache.set(key, 1, timeout=seconds)
        count = 1
    opened = cache.get(f"{key}:opened", now)
    return WindowCount(count=count, ends_at=opened + seconds)
