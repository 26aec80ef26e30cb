"""Fault soak: `pulumi up` then `pulumi destroy` of the soak workload under injected faults, for several seeds.

Run from the project root: .venv/bin/python -m bench.soak [--users 300] [--seeds 1 2 3] [--refresh] [--lost 0.02]
       [--json out.json] [--markdown docs/soak.md]
     .venv/bin/python -m bench.soak --render out.json [--markdown docs/soak.md]   # rewrite the report only
(after `make pulumi`; about 3 minutes per seed at N=300 on 2 cores). Writes a report to --markdown.

Faults (tools/harness/soak.FAULTS): 30% throttling (429), 5% 503, 2% lost responses (the call
takes effect, the client gets a 500), and a 1 s consistency delay hiding new resources from Describe
and List. Each run must finish with no failed resource; after `up` the emulator must hold exactly
what the program declares (1 AppInstance, N users with their tags, 5 admins, 20 endpoints,
retention, no bot) and exactly the IDs in the stack's state; after `destroy`, nothing.
The emulator runs in this process; the checks read its store directly (no faults, no delay).
"""

from __future__ import annotations

import argparse
import json
import sys
import tempfile
import time
from pathlib import Path
from typing import Any

from bench.programs.soak import workload
from pulumi_chime_sdk_identity.emulator import EmulatorClient, EmulatorServer
from tools.harness import soak
from tools.harness.engine import REPO, engine_env, pulumi_bin_dir

DOCS = REPO / "docs"


def phase_faults(emulator: EmulatorClient, start: int) -> dict[str, Any]:
    return {**soak.faults(emulator.requests(start)), "faults_injected_total": emulator.faults_injected()}


def soak_run(
    server: EmulatorServer,
    env: dict[str, str],
    workdir: Path,
    users: int,
    seed: int,
    refresh: bool,
    faults: dict[str, Any] | None = None,
) -> dict[str, Any]:
    """One seed: up (and optionally refresh) then destroy; every check's result in a dict."""
    emulator = EmulatorClient(server.url)
    emulator.reset()
    emulator.configure(**soak.NO_FAULTS)
    stack = soak.workload_stack(workdir, env, server, users)
    faults = {**soak.FAULTS, **(faults or {})}
    emulator.configure(**faults, seed=seed)
    result: dict[str, Any] = {"seed": seed, "users": users, "faults": faults, "expected": soak.expected_counts(users)}
    try:
        start = len(emulator.requests())
        up = soak.run(stack, "up", "--yes", "--skip-preview")
        result["up"] = {"ok": up.ok, "seconds": round(up.seconds, 1), "failed": up.failed, "errors": up.errors}
        result["up"]["faults"] = phase_faults(emulator, start)
        result["resources_in_state"] = len(stack.resources())
        result["after_up"] = {
            "counts": soak.counts(server),
            "orphans_or_missing": soak.mismatch(stack, server),
            "wrong_tags": soak.wrong_tags(server),
            "pending_operations": len(soak.pending_operations(stack)),
        }
        if not up.ok:
            result["up"]["tail"] = up.tail
        if refresh:
            start = len(emulator.requests())
            again = soak.run(stack, "refresh", "--yes", "--skip-preview", "--expect-no-changes")
            result["refresh"] = {"ok": again.ok, "seconds": round(again.seconds, 1), "failed": again.failed}
            result["refresh"]["faults"] = phase_faults(emulator, start)
            if not again.ok:
                result["refresh"]["tail"] = again.tail
        start = len(emulator.requests())
        down = soak.run(stack, "destroy", "--yes", "--skip-preview")
        result["destroy"] = {"ok": down.ok, "seconds": round(down.seconds, 1), "failed": down.failed}
        result["destroy"]["faults"] = phase_faults(emulator, start)
        if not down.ok:
            result["destroy"]["tail"] = down.tail
        result["after_destroy"] = {"counts": soak.counts(server), "state": len(stack.resources())}
    finally:
        emulator.configure(**soak.NO_FAULTS)
        leftovers = soak.counts(server)
        if any(leftovers.values()):
            stack.run("destroy", "--yes", "--skip-preview", check=False)
        stack.run("stack", "rm", "--yes", "--force", check=False)
    counts_ok = result.get("after_up", {}).get("counts") == result["expected"]
    result["verdict"] = {
        "zero_failures": bool(result.get("up", {}).get("ok") and result.get("destroy", {}).get("ok"))
        and result.get("refresh", {"ok": True})["ok"],
        "no_duplicates": counts_ok and not result["after_up"]["orphans_or_missing"],
        "tags_exact": not result.get("after_up", {}).get("wrong_tags", [None]),
        "nothing_left": not any(result.get("after_destroy", {}).get("counts", {"x": 1}).values()),
    }
    return result


def fault_kinds(result: dict[str, Any]) -> dict[str, int]:
    kinds: dict[str, int] = {}
    for phase in ("up", "refresh", "destroy"):
        for kind, count in result.get(phase, {}).get("faults", {}).get("by_kind", {}).items():
            kinds[kind] = kinds.get(kind, 0) + count
    return kinds


def summary(result: dict[str, Any]) -> str:
    up, down = result.get("up", {}), result.get("destroy", {})
    kinds = fault_kinds(result)
    lost_creates = {
        op: n for op, n in up.get("faults", {}).get("lost_by_operation", {}).items() if op in soak.CREATE_OPERATIONS
    }
    verdict = " ".join(f"{key}={'yes' if ok else 'NO'}" for key, ok in result["verdict"].items())
    return (
        f"seed {result['seed']}: up {up.get('seconds')} s ({up.get('faults', {}).get('requests')} requests), "
        f"destroy {down.get('seconds')} s ({down.get('faults', {}).get('requests')} requests); "
        f"state {result.get('resources_in_state')} resources; faults {kinds}; lost creates {lost_creates}; "
        f"failed up={up.get('failed')} destroy={down.get('failed')}; "
        f"after up {result.get('after_up', {}).get('counts')}; {verdict}"
    )


def markdown(results: list[dict[str, Any]], command: str) -> str:
    """The report: one row per seed, then what every row must show."""
    first = results[0]
    faults = first["faults"]
    rows = []
    for r in results:
        kinds = fault_kinds(r)
        up = r.get("up", {})
        lost_creates = {
            op.removeprefix("Create").removeprefix("Register").removeprefix("Put"): n
            for op, n in up.get("faults", {}).get("lost_by_operation", {}).items()
            if op in soak.CREATE_OPERATIONS
        }
        requests = sum(r.get(p, {}).get("faults", {}).get("requests", 0) for p in ("up", "refresh", "destroy"))
        verdict = r["verdict"]
        rows.append(
            f"| {r['seed']} | {r.get('resources_in_state')} | "
            f"{up.get('seconds')} / {r.get('refresh', {}).get('seconds', '-')} / "
            f"{r.get('destroy', {}).get('seconds')} | {requests} | {kinds.get('ThrottledClientException', 0)} | "
            f"{kinds.get('ServiceUnavailableException', 0)} | {kinds.get('LostResponse', 0)} | "
            f"{', '.join(f'{k} {n}' for k, n in sorted(lost_creates.items())) or '-'} | "
            + " | ".join("yes" if verdict[key] else "**NO**" for key in verdict)
            + " |"
        )
    survived = sum(sum(fault_kinds(r).values()) for r in results)
    passed = sum(1 for r in results if all(r["verdict"].values()))
    return "\n".join(
        [
            f"# Fault soak: {first['users']} users, {len(results)} seeds",
            "",
            f"Written by `bench/soak.py` (`{command}`): `pulumi up`, `pulumi refresh --expect-no-changes` and "
            f"`pulumi destroy` of the soak workload (one MessagingApp, {first['users']} users, "
            f"{workload.ADMINS} admins, {workload.ENDPOINTS} push endpoints, retention) through the real CLI "
            "against the emulator, which injects "
            f"{faults['throttle_rate']:.0%} throttling (429), {faults['error_rate']:.0%} 503, "
            f"{faults['lost_response_rate']:.0%} lost responses (the call takes effect, the client gets a 500) and "
            f"a {faults['consistency_delay_ms'] / 1000:g} s consistency delay (new resources hidden from Describe "
            "and List), from a seeded generator.",
            "",
            f"**{passed} of {len(results)} runs passed every check; {survived} injected faults survived.**",
            "",
            "| seed | resources in state | up / refresh / destroy (s) | requests | 429 | 503 | lost responses | "
            "lost creates | no failed resource | no duplicate, none missing | tags exact | nothing left |",
            "|---|---|---|---|---|---|---|---|---|---|---|---|",
            *rows,
            "",
            "Checks: *no failed resource* in any command; after `up` the emulator holds exactly the declared "
            "resources (counts of AppInstances, users, bots, admins, endpoints) and exactly the IDs in the "
            "state; every tag as declared; after `destroy`, nothing. *Lost creates* are creates whose response "
            "was lost after they took effect: each was recovered (ClientRequestToken idempotency, or a read-back "
            "for `CreateAppInstanceAdmin`, which takes no token) without a duplicate.",
            "",
        ]
    )


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--users", type=int, default=300)
    parser.add_argument("--seeds", type=int, nargs="+", default=[1, 2, 3])
    parser.add_argument("--refresh", action="store_true", help="also `pulumi refresh --expect-no-changes` after up")
    parser.add_argument("--lost", type=float, default=soak.FAULTS["lost_response_rate"], help="lost-response rate")
    parser.add_argument("--json", type=Path, help="write every result here")
    parser.add_argument("--markdown", type=Path, default=DOCS / "soak.md", help="write the report here")
    parser.add_argument("--render", type=Path, help="only rewrite the report from this --json file")
    args = parser.parse_args()
    if args.render:
        saved = json.loads(args.render.read_text())
        args.markdown.write_text(markdown(saved["results"], saved["command"]))
        return
    command = " ".join(["python -m bench.soak", *sys.argv[1:]])
    tmp = Path(tempfile.mkdtemp(prefix="soak-"))
    env = engine_env(tmp, pulumi_bin_dir())
    results = []
    started = time.monotonic()
    with EmulatorServer() as server:
        for seed in args.seeds:
            lost = {"lost_response_rate": args.lost}
            result = soak_run(server, env, tmp / f"seed{seed}", args.users, seed, args.refresh, lost)
            results.append(result)
            print(summary(result), flush=True)
            for phase in ("up", "refresh", "destroy"):
                if result.get(phase, {}).get("errors") or result.get(phase, {}).get("tail"):
                    print(f"  {phase} errors: {result[phase].get('errors')}\n{result[phase].get('tail', '')}")
    print(f"{len(results)} runs in {time.monotonic() - started:.0f} s")
    if args.json:
        args.json.write_text(json.dumps({"command": command, "results": results}, indent=2))
    args.markdown.write_text(markdown(results, command))
    print(f"wrote {args.markdown}")
    sys.exit(0 if all(all(r["verdict"].values()) for r in results) else 1)


if __name__ == "__main__":
    main()
