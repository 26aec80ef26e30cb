"""Fault soak: `pulumi up` then `pulumi destroy` of the soak workload under injected faults, for several seeds.

Run from the project root: .venv/bin/python -m bench.soak [--users 300] [--seeds 1 2 3] [--refresh] [--lost 0.02]
       [--retries-exhausted] [--json out.json] [--markdown docs/soak.md]
     .venv/bin/python -m bench.soak --render out.json [--markdown docs/soak.md]   # rewrite the report only
(after `make pulumi`; about 3 minutes per seed at N=300 on 2 cores). Writes a report to --markdown.

Faults (tools/harness/soak.FAULTS): 30% throttling (429), 5% 503, 2% lost responses (the call
takes effect, the client gets a 500), and a 1 s consistency delay hiding new resources from Describe
and List. Each run must finish with no failed resource; after `up` the emulator must hold exactly
what the program declares (1 AppInstance, N users with their tags, 5 admins, 20 endpoints,
retention, no bot) and exactly the IDs in the stack's state; after `destroy`, nothing.

--retries-exhausted (tools/harness/soak.EXHAUSTED_FAULTS): `chimesdkidentity:maxAttempts 2`, 10% lost responses
(--lost overrides), 5% 503, no throttling, so creates fail after taking effect. Commands may then fail; what must
hold is that nothing is ever in the emulator and not in the state (orphans after `up`, a second `up` and
`destroy`: 0), that the second `up` converges, and that `destroy`, repeated while it fails (up to 6 times), leaves
nothing.

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
EXHAUSTED_DESTROYS = 6  # with retries exhausted, destroy until it succeeds, at most this often


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
    max_attempts: int | None = None,
) -> dict[str, Any]:
    """One seed: up (and optionally refresh), a second up, then destroy; every check's result in a dict.

    ``max_attempts``: set chimesdkidentity:maxAttempts (retries exhausted); commands may then fail, and a failed
    destroy is run once more.
    """
    emulator = EmulatorClient(server.url)
    emulator.reset()
    emulator.configure(**soak.NO_FAULTS)
    stack = soak.workload_stack(workdir, env, server, users)
    if max_attempts is not None:
        stack.set_config("chimesdkidentity:maxAttempts", str(max_attempts))
    faults = {**soak.FAULTS, **(faults or {})}
    emulator.configure(**faults, seed=seed)
    result: dict[str, Any] = {
        "seed": seed,
        "users": users,
        "faults": faults,
        "max_attempts": max_attempts,
        "expected": soak.expected_counts(users),
        "orphans": {},
    }
    log_start = len(emulator.requests())
    try:
        start = len(emulator.requests())
        # With retries exhausted a call other than a create can fail: let the engine carry on with the rest.
        keep_going = ("--continue-on-error",) if max_attempts is not None else ()
        up = soak.run(stack, "up", "--yes", "--skip-preview", *keep_going)
        result["up"] = {"ok": up.ok, "seconds": round(up.seconds, 1), "failed": up.failed, "errors": up.errors}
        result["up"]["faults"] = phase_faults(emulator, start)
        result["resources_in_state"] = len(stack.resources())
        result["orphans"]["up"] = soak.orphans(stack, server)
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
        second = soak.run(stack, "up", "--yes", "--skip-preview", *keep_going)
        result["second_up"] = {"ok": second.ok, "seconds": round(second.seconds, 1), "failed": second.failed}
        result["second_up"]["faults"] = phase_faults(emulator, start)
        result["orphans"]["second_up"] = soak.orphans(stack, server)
        result["after_second_up"] = {"counts": soak.counts(server), "orphans_or_missing": soak.mismatch(stack, server)}
        if not second.ok:
            result["second_up"]["tail"] = second.tail
        start = len(emulator.requests())
        down = soak.run(stack, "destroy", "--yes", "--skip-preview", *keep_going)
        result["destroy"] = {"ok": down.ok, "seconds": round(down.seconds, 1), "failed": down.failed}
        result["destroy"]["faults"] = phase_faults(emulator, start)
        result["orphans"]["destroy"] = soak.orphans(stack, server)
        if not down.ok:
            result["destroy"]["tail"] = down.tail
        destroys = 1
        while not down.ok and max_attempts is not None and destroys < EXHAUSTED_DESTROYS:
            # A delete whose attempts all failed stays in state: destroy again.
            down = soak.run(stack, "destroy", "--yes", "--skip-preview", *keep_going)
            destroys += 1
            result["destroy"]["failed"] += down.failed
            result["orphans"]["destroy"] = max(result["orphans"]["destroy"], soak.orphans(stack, server))
        result["destroys"] = destroys
        result["after_destroy"] = {"counts": soak.counts(server), "state": len(stack.resources())}
        if max_attempts is not None:
            result["settled_creates"] = soak.settled_creates(emulator.requests(log_start), max_attempts)
    finally:
        emulator.configure(**soak.NO_FAULTS)
        leftovers = soak.counts(server)
        if any(leftovers.values()):
            stack.run("destroy", "--yes", "--skip-preview", check=False)
        stack.run("stack", "rm", "--yes", "--force", check=False)
    result["verdict"] = verdict(result)
    return result


def verdict(result: dict[str, Any]) -> dict[str, bool]:
    """The checks of one run. With retries exhausted, commands may fail: the run must still never orphan."""
    expected = result["expected"]
    converged = (
        result.get("after_second_up", {}).get("counts") == expected
        and not result["after_second_up"]["orphans_or_missing"]
    )
    no_orphans = len(result["orphans"]) == 3 and not any(result["orphans"].values())
    nothing_left = not any(result.get("after_destroy", {}).get("counts", {"x": 1}).values())
    if result.get("max_attempts") is not None:
        return {"no_orphans": no_orphans, "converged": converged, "nothing_left": nothing_left}
    counts_ok = result.get("after_up", {}).get("counts") == expected
    return {
        "zero_failures": bool(result.get("up", {}).get("ok") and result.get("destroy", {}).get("ok"))
        and result.get("refresh", {"ok": True})["ok"]
        and result.get("second_up", {}).get("ok", False),
        "no_duplicates": counts_ok and not result["after_up"]["orphans_or_missing"],
        "no_orphans": no_orphans,
        "tags_exact": not result.get("after_up", {}).get("wrong_tags", [None]),
        "nothing_left": nothing_left,
    }


PHASES = ("up", "refresh", "second_up", "destroy")
CHECKS = {
    "zero_failures": "no failed resource",
    "no_duplicates": "no duplicate, none missing",
    "no_orphans": "no orphans",
    "converged": "second up converged",
    "tags_exact": "tags exact",
    "nothing_left": "nothing left",
}


def orphan_counts(result: dict[str, Any]) -> str:
    return " / ".join(str(result["orphans"].get(phase, "-")) for phase in ("up", "second_up", "destroy"))


def fault_kinds(result: dict[str, Any]) -> dict[str, int]:
    kinds: dict[str, int] = {}
    for phase in PHASES:
        for kind, count in result.get(phase, {}).get("faults", {}).get("by_kind", {}).items():
            kinds[kind] = kinds.get(kind, 0) + count
    return kinds


def summary(result: dict[str, Any]) -> str:
    up, down = result.get("up", {}), result.get("destroy", {})
    kinds = fault_kinds(result)
    lost_creates = {
        op: n for op, n in up.get("faults", {}).get("lost_by_operation", {}).items() if op in soak.CREATE_OPERATIONS
    }
    checks = " ".join(f"{key}={'yes' if ok else 'NO'}" for key, ok in result["verdict"].items())
    return (
        f"seed {result['seed']}: up {up.get('seconds')} s ({up.get('faults', {}).get('requests')} requests), "
        f"destroy {down.get('seconds')} s ({down.get('faults', {}).get('requests')} requests); "
        f"state {result.get('resources_in_state')} resources; faults {kinds}; lost creates {lost_creates}; "
        f"failed up={up.get('failed')} destroy={down.get('failed')}; "
        f"after up {result.get('after_up', {}).get('counts')}; orphans after up / second up / destroy "
        f"{orphan_counts(result)}; creates settled after retries ran out {result.get('settled_creates', '-')}; "
        f"{checks}"
    )


def markdown(results: list[dict[str, Any]], command: str) -> str:
    """The report: one row per seed, then what every row must show."""
    first = results[0]
    faults = first["faults"]
    exhausted = first.get("max_attempts") is not None
    keys = list(first["verdict"])
    rows = []
    for r in results:
        kinds = fault_kinds(r)
        up = r.get("up", {})
        lost_creates = {
            op.removeprefix("Create").removeprefix("Register").removeprefix("Put"): n
            for op, n in up.get("faults", {}).get("lost_by_operation", {}).items()
            if op in soak.CREATE_OPERATIONS
        }
        requests = sum(r.get(p, {}).get("faults", {}).get("requests", 0) for p in PHASES)
        failed = sum(len(r.get(p, {}).get("failed", [])) for p in PHASES)
        rows.append(
            f"| {r['seed']} | {r.get('resources_in_state')} | "
            f"{up.get('seconds')} / {r.get('refresh', {}).get('seconds', '-')} / "
            f"{r.get('second_up', {}).get('seconds')} / {r.get('destroy', {}).get('seconds')} | {requests} | "
            f"{kinds.get('ThrottledClientException', 0)} | {kinds.get('ServiceUnavailableException', 0)} | "
            f"{kinds.get('LostResponse', 0)} | "
            f"{', '.join(f'{k} {n}' for k, n in sorted(lost_creates.items())) or '-'} | "
            + (f"{r.get('settled_creates')} | {failed} | {r.get('destroys')} | " if exhausted else "")
            + f"{orphan_counts(r)} | "
            + " | ".join("yes" if r["verdict"][key] else "**NO**" for key in keys)
            + " |"
        )
    survived = sum(sum(fault_kinds(r).values()) for r in results)
    passed = sum(1 for r in results if all(r["verdict"].values()))
    retries = (
        f"`chimesdkidentity:maxAttempts {first['max_attempts']}` (retries exhausted: a lost answer and a lost or "
        "failed retry make a create fail after it took effect), "
        if exhausted
        else ""
    )
    extra_columns = "creates settled after retries ran out | failed resources | destroys | " if exhausted else ""
    checks = (
        "Checks: no resource is ever in the emulator and not in the state (*orphans* after `up`, after a second "
        "`up` and after `destroy`); the second `up` converges to exactly the declared resources and IDs; after "
        "`destroy`, nothing. Commands run with `--continue-on-error` and may fail where a call other than a create "
        "runs out of attempts; *failed resources* counts those over all commands, and `destroy` is repeated while "
        "it fails (*destroys*): a delete that failed stays in the state and is found gone by the next. *Creates "
        "settled after retries ran out* counts ClientRequestTokens sent more often than botocore's attempts: each such "
        "create was sent again by the provider and kept (CreateAppInstanceAdmin takes no token and is not counted)."
        if exhausted
        else "Checks: *no failed resource* in any command; after `up` the emulator holds exactly the declared "
        "resources (counts of AppInstances, users, bots, admins, endpoints) and exactly the IDs in the "
        "state; *orphans* (in the emulator, not in state) after `up`, a second `up` and `destroy`: 0; every tag as "
        "declared; after `destroy`, nothing. *Lost creates* are creates whose response was lost after they took "
        "effect: each was recovered (ClientRequestToken idempotency; for `CreateAppInstanceAdmin`, which takes no "
        "token, the retry's ConflictException taken as its own first attempt) without a duplicate."
    )
    return "\n".join(
        [
            f"# Fault soak{' with retries exhausted' if exhausted else ''}: {first['users']} users, "
            f"{len(results)} seeds",
            "",
            f"Written by `bench/soak.py` (`{command}`): `pulumi up`, "
            + ("`pulumi refresh --expect-no-changes`, " if "refresh" in first else "")
            + "a second `pulumi up` and "
            f"`pulumi destroy` of the soak workload (one MessagingApp, {first['users']} users, "
            f"{workload.ADMINS} admins, {workload.ENDPOINTS} push endpoints, retention) through the real CLI "
            f"against the emulator, with {retries}"
            f"{faults['throttle_rate']:.0%} throttling (429), {faults['error_rate']:.0%} 503, "
            f"{faults['lost_response_rate']:.0%} lost responses (the call takes effect, the client gets a 500) and "
            f"a {faults['consistency_delay_ms'] / 1000:g} s consistency delay (new resources hidden from Describe "
            "and List), injected from a seeded generator.",
            "",
            f"**{passed} of {len(results)} runs passed every check; {survived} injected faults survived.**",
            "",
            "| seed | resources in state | up / refresh / second up / destroy (s) | requests | 429 | 503 | "
            f"lost responses | lost creates | {extra_columns}orphans after up / second up / destroy | "
            + " | ".join(CHECKS[key] for key in keys)
            + " |",
            "|" + "---|" * (9 + (3 if exhausted else 0) + len(keys)),
            *rows,
            "",
            checks,
            "",
        ]
    )


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--users", type=int, default=300)
    parser.add_argument("--seeds", type=int, nargs="+", default=[1, 2, 3])
    parser.add_argument("--refresh", action="store_true", help="also `pulumi refresh --expect-no-changes` after up")
    parser.add_argument("--lost", type=float, help="lost-response rate (default 0.02; 0.10 with --retries-exhausted)")
    parser.add_argument(
        "--retries-exhausted",
        action="store_true",
        help="maxAttempts 2, 10%% lost responses, no throttling: creates fail after taking effect",
    )
    parser.add_argument("--json", type=Path, help="write every result here")
    parser.add_argument(
        "--markdown", type=Path, help="write the report here (docs/soak.md, or docs/soak-retries-exhausted.md)"
    )
    parser.add_argument("--render", type=Path, help="only rewrite the report from this --json file")
    args = parser.parse_args()
    args.markdown = args.markdown or DOCS / ("soak-retries-exhausted.md" if args.retries_exhausted else "soak.md")
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
            faults = dict(soak.EXHAUSTED_FAULTS if args.retries_exhausted else soak.FAULTS)
            if args.lost is not None:
                faults["lost_response_rate"] = args.lost
            attempts = soak.EXHAUSTED_MAX_ATTEMPTS if args.retries_exhausted else None
            result = soak_run(server, env, tmp / f"seed{seed}", args.users, seed, args.refresh, faults, attempts)
            results.append(result)
            print(summary(result), flush=True)
            for phase in PHASES:
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
