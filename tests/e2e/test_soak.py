"""Short versions of bench/soak.py and bench/crash.py: the soak workload with N=10 through the real engine.

Fault soak: `up` then `destroy` under 30% throttling, 5% 503, 2% lost responses and a 1 s consistency
delay (one seed): no failed resource, exactly the declared resources (no duplicate, none missing,
emulator IDs == state IDs, tags exact), nothing left after destroy.

Retries exhausted: the same with `maxAttempts` 2 and lost responses so frequent that several creates fail after
taking effect: no orphan after `up`, a second `up` (which converges) or `destroy`.

Crash: `pulumi up` SIGKILLed mid-run, then the README's recovery (bench/crash.py does the same at N=300).
"""

from __future__ import annotations

from collections.abc import Callable

from tests.support import Emulator
from tools.harness import soak
from tools.harness.engine import Stack

USERS = 10
SEED = 3


def workload(stack_factory: Callable[..., Stack]) -> Stack:
    stack = stack_factory("soak", source=soak.WORKLOAD)
    stack.set_config("soak:users", str(USERS))
    return stack


def test_fault_soak_up_then_destroy(stack_factory: Callable[..., Stack], emulator: Emulator) -> None:
    stack = workload(stack_factory)
    emulator.configure(**soak.FAULTS, seed=SEED)
    try:
        up = soak.run(stack, "up", "--yes", "--skip-preview")
        assert up.ok, up.tail
        assert soak.counts(emulator.server) == soak.expected_counts(USERS)
        assert soak.mismatch(stack, emulator.server) == {}
        assert soak.wrong_tags(emulator.server) == []

        down = soak.run(stack, "destroy", "--yes", "--skip-preview")
        assert down.ok, down.tail
        assert not any(soak.counts(emulator.server).values())
        faults = soak.faults(emulator.requests())["by_kind"]
        assert faults.get("ThrottledClientException", 0) > 10
        assert faults.get("ServiceUnavailableException", 0) > 0
    finally:
        emulator.configure(**soak.NO_FAULTS)


EXHAUSTED_USERS = 20
# The first `up` at 50% lost answers (bench/soak.py --retries-exhausted uses 10%), so that of its 47 creates several
# run out of their 2 attempts after taking effect; then the soak's own 10% for the second `up` and `destroy`.
KEEP_GOING = ("--yes", "--skip-preview", "--continue-on-error")  # past a call that ran out of attempts
FIRST_UP_FAULTS = {**soak.EXHAUSTED_FAULTS, "lost_response_rate": 0.50}


def test_fault_soak_with_retries_exhausted_leaves_no_orphan(
    stack_factory: Callable[..., Stack], emulator: Emulator
) -> None:
    stack = workload(stack_factory)
    stack.set_config("soak:users", str(EXHAUSTED_USERS))
    stack.set_config("chimesdkidentity:maxAttempts", str(soak.EXHAUSTED_MAX_ATTEMPTS))
    emulator.configure(**FIRST_UP_FAULTS, seed=SEED)
    try:
        first = soak.run(stack, "up", *KEEP_GOING)  # may fail where a read runs out of attempts
        assert soak.orphans(stack, emulator.server) == 0, (soak.mismatch(stack, emulator.server), first.errors)
        settled = soak.settled_creates(emulator.requests(), soak.EXHAUSTED_MAX_ATTEMPTS)
        assert settled > 0, "some creates ran out of retries after taking effect, and were settled"
        emulator.configure(**soak.EXHAUSTED_FAULTS)

        for _ in range(3):  # a second up, and another while a read still runs out of attempts somewhere
            again = soak.run(stack, "up", *KEEP_GOING)
            assert soak.orphans(stack, emulator.server) == 0, soak.mismatch(stack, emulator.server)
            if again.ok:
                break
        assert again.ok, again.tail
        assert soak.counts(emulator.server) == soak.expected_counts(EXHAUSTED_USERS)
        assert soak.mismatch(stack, emulator.server) == {}

        for _ in range(4):  # a delete whose attempts all failed stays in state, for the next destroy
            down = soak.run(stack, "destroy", *KEEP_GOING)
            assert soak.orphans(stack, emulator.server) == 0, soak.mismatch(stack, emulator.server)
            if down.ok:
                break
        assert down.ok, down.tail
        assert not any(soak.counts(emulator.server).values())
    finally:
        emulator.configure(**soak.NO_FAULTS)


def test_crash_mid_up_then_documented_recovery(stack_factory: Callable[..., Stack], emulator: Emulator) -> None:
    # SIGKILL right after the emulator committed the 5th user: AWS has users the state never recorded.
    stack = workload(stack_factory)
    with soak.CreateKiller(emulator.server, USERS // 2, operations=("CreateAppInstanceUser",)) as killer:
        killed = soak.run(stack, "up", "--yes", "--skip-preview", on_start=killer.attach)
    assert killed.returncode == -9, killed.tail
    soak.repair_after_kill(stack)  # `pulumi cancel` (the dead run's lock), as the CLI says
    assert "users" in soak.mismatch(stack, emulator.server)

    # The README's recovery: adopt what the killed run created, then drop the engine's pending creates.
    up = soak.run(stack, "up", "--yes", "--skip-preview", env={"CHIMESDKIDENTITY_ADOPT_EXISTING": "true"})
    assert up.ok, up.tail
    stack.refresh("--clear-pending-creates")
    assert soak.pending_operations(stack) == []
    assert soak.counts(emulator.server) == soak.expected_counts(USERS)
    assert soak.mismatch(stack, emulator.server) == {}
    stack.preview("--expect-no-changes")

    stack.destroy()
    assert not any(soak.counts(emulator.server).values())
