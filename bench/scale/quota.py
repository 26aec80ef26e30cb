"""Under quota: `up`, `refresh` and `destroy` of the workload against an emulator enforcing request rates.

Each size runs on a fresh ``chime-identity-emulator --quota`` process (every operation 10 requests per second
per account and region, burst 10: the rates the README's emulator section assumes) with the latency of the
other runs. Per phase: the answered calls and the 429s by operation (from the request log; the emulator's
counters beside them), the resources the engine reports failed, the wall time and the quota floor.
After `up` and after `destroy`, the emulator's inventory is compared with the state's IDs.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

from bench.programs.scale import workload
from bench.scale.processes import DESTROY, REFRESH, UP, Json, new_stack, run_phase
from tools.harness import soak
from tools.harness.emulator_process import EmulatorProcess, chime_client
from tools.harness.engine import Stack

PHASES = (("up", UP), ("refresh", REFRESH), ("destroy", DESTROY))
# The file backend as the engine writes it by default, and with its own zstd compression (README, Performance).
BACKENDS: dict[str, dict[str, str]] = {"default": {}, "zstd": {"PULUMI_DIY_BACKEND_ZSTD": "true"}}
CHECKED = ("up", "destroy")  # the phases after which the emulator must hold exactly what the state says


def quota_floor(calls: dict[str, int], rates: dict[str, float], burst: float) -> Json:
    """The least time the quota allows a phase: that of its slowest operation, max(0, calls - burst) / rate.

    Every (account, region, operation) bucket starts full, so the first ``burst`` calls of an operation go at
    once and the rest at its rate. Latency, start-up and the order operations depend on are left out: a floor.
    """
    floors = {op: max(0.0, count - burst) / rates[op] for op, count in calls.items()}
    slowest = max(floors, key=lambda op: floors[op], default=None)
    if slowest is None:
        return {"operation": None, "calls": 0, "rate": None, "seconds": 0.0}
    return {"operation": slowest, "calls": calls[slowest], "rate": rates[slowest], "seconds": round(floors[slowest], 3)}


def orphan_check(stack: Stack, client: Any) -> Json:
    """The emulator's resources per table, and those it holds beyond the state's (orphaned) or short of it."""
    live = soak.inventory_over_api(client)
    diff = soak.difference(live, soak.state_ids(stack))
    return {
        "live": {table: len(keys) for table, keys in live.items()},
        "orphaned": sum(len(found["orphaned"]) for found in diff.values()),
        "missing": sum(len(found["missing"]) for found in diff.values()),
        "mismatch": {table: {k: len(v) for k, v in found.items()} for table, found in diff.items()},
    }


def measure_quota(workdir: Path, env: dict[str, str], latency_ms: float, users: int, backend: str) -> Json:
    """Up, refresh and destroy of N users on a fresh emulator in quota mode, each phase from full buckets."""
    print(f"N={users}: under quota, {backend} state backend, up / refresh / destroy", flush=True)
    with EmulatorProcess("--latency-ms", str(latency_ms), "--quota") as emulator:
        quota = emulator.quota()
        client = chime_client(emulator.url, region=workload.REGION, retries={"mode": "standard", "max_attempts": 3})
        stack = new_stack(f"n{users}-quota-{backend}", workdir, {**env, **BACKENDS[backend]}, emulator.url, users)
        result: Json = {"users": users, "backend": backend, "burst": quota["burst"], "phases": {}, "orphans": {}}
        for name, args in PHASES:
            phase = run_phase(stack, emulator, args, check=False)
            phase["throttled_counted"] = emulator.quota()["throttled"]  # the emulator's own counters, as a check
            phase["floor"] = quota_floor(phase["calls"], quota["rates"], quota["burst"])
            result["phases"][name] = phase
            emulator.configure(quota=False)  # the inventory's reads must not eat the next phase's quota
            if name in CHECKED:
                result["orphans"][name] = orphan_check(stack, client)
            emulator.configure(quota=True)  # refills every bucket and zeroes the counters
        stack.run("stack", "rm", "--yes", "--force")
    result["rates"] = sorted(set(quota["rates"].values()))
    for name, phase in result["phases"].items():
        floor = phase["floor"]
        print(
            f"    quota {name:8} {phase['seconds']:8.2f} s  {sum(phase['calls'].values()):6} calls  "
            f"{sum(phase['throttled'].values()):5} throttled  {len(phase['failed'])} failed  "
            f"exit {phase['exit_code']}  floor {floor['seconds']:.2f} s ({floor['operation']})",
            flush=True,
        )
    for name, check in result["orphans"].items():
        print(f"    quota after {name}: orphaned {check['orphaned']}, missing {check['missing']}", flush=True)
    return result
