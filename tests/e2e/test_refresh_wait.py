"""Refresh of users that vanished right after `up` waits only as long as the delay it observes (issue 11).

Before: up to consistencyWaitSeconds (15 s) per user, 48 s and 281 requests for 9 users (bench/refresh_wait.py).
"""

from __future__ import annotations

from collections import Counter
from typing import Any

from tests.support import Emulator
from tools.harness.engine import Stack
from tools.harness.refresh_wait import vanished_users

USERS = 9


def test_refresh_of_vanished_new_users_waits_no_longer_than_observed(
    stack: Stack, emulator: Emulator, chime: Any
) -> None:
    refresh = vanished_users(stack, emulator, chime, USERS)
    assert refresh.seconds < 12, refresh
    looks = Counter(refresh.operations)
    assert looks["DescribeAppInstanceUser"] <= 3 * USERS, looks
