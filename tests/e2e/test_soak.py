"""Short versions of bench/soak.py and bench/crash.py: the soak workload with N=10 through the real engine.

Fault soak: `up` then `destroy` under 30% throttling, 5% 503, 2% lost responses and a 1 s consistency
delay (one seed): no failed resource, exactly the declared resources (no duplicate, none missing,
emulator IDs == state IDs, tags exact), nothing left after destroy.

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
