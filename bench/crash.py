"""Crash recovery: SIGKILL `pulumi up` of the soak workload at seeded random points, then recover.

Run from the project root: .venv/bin/python -m bench.crash [--users 300] [--kills 6] [--seed 7]
       [--json results.json] [--markdown docs/crash.md]
     .venv/bin/python -m bench.crash --render results.json [--markdown docs/crash.md]   # the report only
(after `make pulumi`; about 2-4 minutes per kill point at N=300 on 2 cores). Writes a report to --markdown.

Kill point k: the `pulumi up` CLI process gets SIGKILL the moment the emulator has committed the
k-th create of the run (before that create's response leaves the emulator), so AWS holds a resource
that the state never records. Its children (language host, program, provider; the engine starts
each in its own process group) get 5 s to exit, then are killed by PID. k=1 (the AppInstance) is
always tried, the others are drawn from 2..(number of creates) with --seed. No faults are injected:
the crash is the only failure.

After the kill, the backend is repaired as the CLI says (`pulumi cancel` for the dead run's lock;
an empty checkpoint `.attrs` sidecar, if the kill hit a checkpoint write, is deleted), the emulator
store and the backend are saved, and two recoveries of that same crash are run and recorded:
A. engine only: `pulumi up`; if it fails, `pulumi refresh` (what the engine's warning asks for,
   non-interactive) and `pulumi up` again;
B. (state restored) the README's recovery: `CHIMESDKIDENTITY_ADOPT_EXISTING=true pulumi up`, then
   `pulumi refresh --clear-pending-creates`.
Each ends by comparing the emulator with the program (counts; emulator IDs == state IDs) and with
`pulumi destroy`, after which anything left in the emulator is an orphan.
"""

from __future__ import annotations

import argparse
import json
import random
import sys
import tempfile
from pathlib import Path
from typing import Any

from pulumi_chime_sdk_identity.emulator import EmulatorClient, EmulatorServer
from tools.harness import soak
from tools.harness.engine import REPO, engine_env, pulumi_bin_dir

ADOPT_ENV = {"CHIMESDKIDENTITY_ADOPT_EXISTING": "true"}
DOCS = REPO / "docs"


def creates_of(users: int) -> int:
    """Create calls of one clean `up`: AppInstance, retention, users, admins, endpoints."""
    expected = soak.expected_counts(users)
    return 2 + expected["users"] + expected["admins"] + expected["endpoints"]


def converged(stack: soak.Stack, server: EmulatorServer, users: int) -> dict[str, Any]:
    counts = soak.counts(server)
    mismatch = soak.mismatch(stack, server)
    pending = soak.pending_operations(stack)
    return {
        "ok": counts == soak.expected_counts(users) and not mismatch,
        "counts": counts,
        "orphans_or_missing": {table: {k: len(v) for k, v in diff.items()} for table, diff in mismatch.items()},
        "pending_creates": len(pending),
        "pending_with_id": sum(1 for op in pending if op["resource"].get("id")),
        "pending_names": sorted(op["resource"]["urn"].rsplit("::", 1)[1] for op in pending),
    }


def step(log: list[dict[str, Any]], name: str, outcome: soak.Outcome) -> soak.Outcome:
    entry: dict[str, Any] = {"step": name, "ok": outcome.ok, "seconds": round(outcome.seconds, 1)}
    if outcome.failed:
        entry["failed"] = outcome.failed
    adoption = [line for line in outcome.output.splitlines() if "already exists. To manage it" in line]
    if adoption:
        entry["adoption_errors"] = len(adoption)
    others = sorted({line.strip()[:160] for line in outcome.output.splitlines() if "rror" in line} - set(adoption))
    if not outcome.ok and others:
        entry["other_errors"] = others[:5]
    if "pending operations from previous deployment" in outcome.output:
        entry["engine_warned_pending"] = True
    log.append(entry)
    return outcome


def crash_run(server: EmulatorServer, env: dict[str, str], workdir: Path, users: int, kill_at: int) -> dict[str, Any]:
    """One kill point: kill, then two recoveries of the same crash (restored in between), each ending in destroy."""
    emulator = EmulatorClient(server.url)
    emulator.reset()
    emulator.configure(**soak.NO_FAULTS)
    stack = soak.workload_stack(workdir / "stack", env, server, users)
    result: dict[str, Any] = {"kill_after_creates": kill_at}
    try:
        with soak.CreateKiller(server, kill_at) as killer:
            first = soak.run(stack, "up", "--yes", "--skip-preview", on_start=killer.attach)
        result["killed"] = {
            "returncode": first.returncode,
            "at": killer.killed_at,
            "children": len(killer.children),
            "children_outlived_grace": len(killer.children_outlived_grace),
            "seconds": round(first.seconds, 1),
        }
        result["after_kill"] = {"backend_repairs": soak.repair_after_kill(stack)}
        result["after_kill"].update(converged(stack, server, users))
        crash = soak.snapshot(server, stack, workdir / "crash-backend")

        # A: the engine on its own: up; where it fails, the refresh its warning asks for, and up again.
        log: list[dict[str, Any]] = []
        up = step(log, "up", soak.run(stack, "up", "--yes", "--skip-preview"))
        if not up.ok:
            step(log, "refresh", soak.run(stack, "refresh", "--yes", "--skip-preview"))
            step(log, "up", soak.run(stack, "up", "--yes", "--skip-preview"))
        result["engine_only"] = {"steps": log, **converged(stack, server, users)}
        step(log, "destroy", soak.run(stack, "destroy", "--yes", "--skip-preview"))
        result["engine_only"]["left_after_destroy"] = {table: n for table, n in soak.counts(server).items() if n}

        # B: the README's recovery, on the same crash.
        soak.restore(server, stack, crash)
        log = []
        step(log, "ADOPT up", soak.run(stack, "up", "--yes", "--skip-preview", env=ADOPT_ENV))
        step(log, "refresh --clear-pending-creates", soak.run(stack, "refresh", "--yes", "--clear-pending-creates"))
        result["one_liner"] = {"steps": log, **converged(stack, server, users)}
        quiet = soak.run(stack, "preview", "--expect-no-changes")
        result["one_liner"]["preview_quiet"] = quiet.ok
        step(log, "destroy", soak.run(stack, "destroy", "--yes", "--skip-preview"))
        result["one_liner"]["left_after_destroy"] = {table: n for table, n in soak.counts(server).items() if n}
    finally:
        soak.repair_after_kill(stack)
        emulator.reset()  # orphans the stack cannot delete; counted above
        stack.run("stack", "rm", "--yes", "--force", check=False)
    return result


def summary(result: dict[str, Any]) -> str:
    def path(name: str) -> str:
        taken = result.get(name, {})
        steps = ", ".join(
            f"{s['step']} {'ok' if s['ok'] else 'FAILED'}"
            + (f" ({s['adoption_errors']} adopt_id errors)" if s.get("adoption_errors") else "")
            for s in taken.get("steps", [])
        )
        return (
            f"{name}: [{steps}] converged={taken.get('ok')} orphans={taken.get('orphans_or_missing')} "
            f"pending={taken.get('pending_creates')} left after destroy={taken.get('left_after_destroy')}"
        )

    after = result["after_kill"]
    return (
        f"kill after create #{result['kill_after_creates']} ({result['killed']['at'].get('operation')}): "
        f"not in state {after['orphans_or_missing']}, pending creates {after['pending_creates']} "
        f"({after['pending_with_id']} with ID), repairs {after['backend_repairs']}\n  {path('engine_only')}\n"
        f"  {path('one_liner')}"
    )


def _orphans(diff: dict[str, dict[str, int]]) -> str:
    parts = [f"{n} {table} {kind}" for table, kinds in sorted(diff.items()) for kind, n in kinds.items() if n]
    return ", ".join(parts) or "none"


def _left(counts: dict[str, int]) -> str:
    return ", ".join(f"{n} {table}" for table, n in sorted(counts.items())) or "nothing"


def _steps(path: dict[str, Any]) -> str:
    return "; ".join(
        f"{s['step']} {'ok' if s['ok'] else 'failed'}"
        + (f" ({s['adoption_errors']} 'already exists')" if s.get("adoption_errors") else "")
        for s in path.get("steps", [])
        if s["step"] != "destroy"
    )


def markdown(results: list[dict[str, Any]], command: str, users: int) -> str:
    """The report: one row per kill point, for the engine alone and for the README's recovery."""
    rows = []
    for r in results:
        after, engine, ours = r["after_kill"], r["engine_only"], r["one_liner"]
        rows.append(
            f"| {r['kill_after_creates']} | {r['killed']['at'].get('operation', '?')} | "
            f"{_orphans(after['orphans_or_missing'])} | {after['pending_creates']} | "
            f"{', '.join(after['backend_repairs'])} | {_steps(engine)} | "
            f"{'yes' if engine['ok'] else '**no**: ' + _orphans(engine['orphans_or_missing'])} | "
            f"{_left(engine['left_after_destroy'])} | {_steps(ours)} | {'yes' if ours['ok'] else '**NO**'} | "
            f"{'yes' if ours.get('preview_quiet') else '**NO**'} | {_left(ours['left_after_destroy'])} |"
        )
    recovered = sum(1 for r in results if r["one_liner"]["ok"] and not r["one_liner"]["left_after_destroy"])
    alone = sum(1 for r in results if r["engine_only"]["ok"] and not r["engine_only"]["left_after_destroy"])
    return "\n".join(
        [
            f"# Crash recovery: SIGKILL of `pulumi up` at {len(results)} points, {users} users",
            "",
            f"Written by `bench/crash.py` (`{command}`). Kill point k: the `pulumi up` CLI gets SIGKILL the moment "
            "the emulator has committed the k-th create of the run, before that create's answer leaves it, so "
            f"AWS holds a resource the state never records. A clean `up` makes {creates_of(users)} creates. After "
            "the kill the backend is repaired as the CLI says (`pulumi cancel`; an empty checkpoint `.attrs` "
            "sidecar left by a kill mid-write is deleted), then two recoveries of the same crash are run, each "
            "ending in `pulumi destroy`:",
            "",
            "- **engine alone**: `pulumi up`; if it fails, the `pulumi refresh` its pending-operations warning "
            "asks for, and `pulumi up` again;",
            "- **README recovery** (state and emulator restored to the crash): "
            "`CHIMESDKIDENTITY_ADOPT_EXISTING=true pulumi up`, then `pulumi refresh --clear-pending-creates`.",
            "",
            f"**The README recovery converged at {recovered} of {len(results)} kill points (exactly the declared "
            f"resources, state IDs equal to the emulator's, a quiet preview, nothing left after destroy); the "
            f"engine alone at {alone}.**",
            "",
            "| k | killed after | not in state after the kill | pending creates | repairs | engine alone | "
            "converged | left after destroy | README recovery | converged | preview quiet | left after destroy |",
            "|---|---|---|---|---|---|---|---|---|---|---|---|",
            *rows,
            "",
            "*Not in state*: resources in the emulator that the state does not record (orphans). A plain `up` "
            "after a kill that hit the AppInstance create makes a second AppInstance and leaves the first "
            "behind; after a user or admin create it fails with `already exists` until those are adopted.",
            "",
        ]
    )


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--users", type=int, default=300)
    parser.add_argument("--kills", type=int, default=6, help="kill points besides k=1")
    parser.add_argument("--seed", type=int, default=7)
    parser.add_argument("--at", type=int, nargs="*", help="explicit kill points instead")
    parser.add_argument("--json", type=Path)
    parser.add_argument("--markdown", type=Path, default=DOCS / "crash.md", help="write the report here")
    parser.add_argument("--render", type=Path, help="only rewrite the report from this --json file")
    args = parser.parse_args()
    if args.render:
        saved = json.loads(args.render.read_text())
        args.markdown.write_text(markdown(saved["results"], saved["command"], saved["users"]))
        return
    command = " ".join(["python -m bench.crash", *sys.argv[1:]])
    total = creates_of(args.users)
    draw = random.Random(args.seed)
    # Admins and endpoints are created last (they wait for their users' ARNs): draw 2 points there too.
    anywhere, last = draw.sample(range(2, total + 1), args.kills), draw.sample(range(max(2, total - 26), total + 1), 2)
    points = args.at or sorted({1, *anywhere, *last})
    print(f"{total} creates per clean up; kill points {points}", flush=True)
    tmp = Path(tempfile.mkdtemp(prefix="crash-"))
    env = engine_env(tmp, pulumi_bin_dir())
    results = []
    with EmulatorServer() as server:
        for index, point in enumerate(points):
            result = crash_run(server, env, tmp / f"k{index}", args.users, point)
            results.append(result)
            print(summary(result), flush=True)
    if args.json:
        args.json.write_text(json.dumps({"command": command, "users": args.users, "results": results}, indent=2))
    args.markdown.write_text(markdown(results, command, args.users))
    print(f"wrote {args.markdown}")


if __name__ == "__main__":
    main()
