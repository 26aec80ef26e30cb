"""The shared Pace of one operation against a token-bucket quota, in simulated time (no sleeps, no wall clock)."""

from __future__ import annotations

import heapq
import random
from dataclasses import dataclass, field

import pytest

from pulumi_chime_sdk_identity.dynamic_providers._aws import Pace

LATENCY = 0.02


@dataclass
class Bucket:
    """The service's side: RATE calls per second with a burst, or a fixed share of random 429s."""

    rate: float | None
    burst: float = 10.0
    random_429: float = 0.0
    tokens: float = 10.0
    at: float = 0.0
    rng: random.Random = field(default_factory=lambda: random.Random(7))

    def admit(self, now: float) -> bool:
        if self.rng.random() < self.random_429:
            return False
        if self.rate is None:
            return True
        self.tokens = min(self.burst, self.tokens + (now - self.at) * self.rate)
        self.at = now
        if self.tokens >= 1:
            self.tokens -= 1
            return True
        return False


def run(bucket: Bucket, calls: int, threads: int = 4, ceiling: float | None = None) -> tuple[Pace, float, int]:
    """``calls`` calls by ``threads`` workers sharing one Pace, each retried until answered: (pace, end, 429s)."""
    now = [0.0]
    pace = Pace(ceiling, clock=lambda: now[0])
    events: list[tuple[float, int, str]] = [(0.0, worker, "ready") for worker in range(threads)]
    heapq.heapify(events)
    done = throttles = 0
    while done < calls:
        now[0], worker, what = heapq.heappop(events)
        if what == "ready":
            heapq.heappush(events, (now[0] + pace.delay(), worker, "send"))
        elif what == "send":
            heapq.heappush(events, (now[0] + LATENCY, worker, "ok" if bucket.admit(now[0]) else "429"))
        elif what == "ok":
            pace.succeeded()
            done += 1
            heapq.heappush(events, (now[0], worker, "ready"))
        else:
            throttles += 1
            heapq.heappush(events, (now[0] + pace.throttled(), worker, "ready"))
    return pace, now[0], throttles


@pytest.mark.parametrize("threads", [1, 4, 16])
def test_under_a_quota_the_calls_go_at_its_rate(threads: int) -> None:
    # 1,000 calls against 10 per second with a burst of 10: the floor is (1000 - 10) / 10 = 99 s.
    pace, end, throttles = run(Bucket(rate=10.0), 1000, threads)
    floor = (1000 - 10) / 10
    assert end <= floor * 1.05, f"{end:.1f} s for a floor of {floor:.0f} s"
    assert throttles <= 200, f"{throttles} answers were 429s: more than one for every five calls"
    assert pace.rate is not None
    assert 9.0 <= pace.rate <= 20.0, "at most twice the quota: past it most answers are 429s"


def test_a_ceiling_is_never_exceeded_and_needs_no_429() -> None:
    pace, end, throttles = run(Bucket(rate=10.0), 200, ceiling=9.5)
    assert throttles == 0
    assert end >= (200 - 1) / 9.5
    assert pace.rate == 9.5


def test_random_429s_without_a_quota_do_not_slow_the_calls_down() -> None:
    # A fault now and then says nothing of a rate: no pace is set, each throttled caller alone steps back a little.
    pace, end, throttles = run(Bucket(rate=None, random_429=0.3), 1000)
    assert throttles > 200
    assert pace.rate is None
    assert end <= ((1000 + throttles) * LATENCY + throttles * Pace.STEP_BACK * 1.5) / 4


def test_when_nothing_gets_through_the_tries_slow_down() -> None:
    # Every answer a 429: the tries halve their rate while the window holds the evidence, to a few a second.
    now = [0.0]
    pace = Pace(clock=lambda: now[0])
    for _ in range(200):
        now[0] += pace.delay() + LATENCY
        now[0] += pace.throttled()
    assert pace.rate is not None
    assert Pace.SLOWEST <= pace.rate <= Pace.EVIDENCE / Pace.WINDOW
    assert now[0] > 200 / (Pace.EVIDENCE / Pace.WINDOW) / 2


def test_a_learned_rate_is_raised_after_quiet_and_forgotten_after_long_quiet() -> None:
    pace, end, _ = run(Bucket(rate=10.0), 300)
    assert pace.rate is not None
    learned = pace.rate
    now = end + Pace.PROBE_AFTER + 0.1
    pace._clock = lambda: now
    pace.succeeded()
    assert pace.rate == pytest.approx(learned * (1 + Pace.PROBE_STEP))
    now = end + Pace.FORGET_AFTER + 0.1
    pace.succeeded()
    assert pace.rate is None
