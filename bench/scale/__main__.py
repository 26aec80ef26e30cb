"""`python -m bench.scale`: measure every size, the profiles, and write the report (see bench/scale/__init__.py)."""

from __future__ import annotations

import argparse
import functools
import json
import tempfile
import time
from collections.abc import Callable
from pathlib import Path

from bench.programs.scale import workload
from bench.scale.floor import measure_floor
from bench.scale.processes import (
    DESTROY,
    PREVIEW,
    REFRESH,
    SKIP_CHECKPOINTS,
    UP,
    Json,
    background_load,
    calls_total,
    machine,
    new_stack,
    run_phase,
    state_figures,
)
from bench.scale.profiling import measure_cold_start, measure_engine_profile, measure_profile
from bench.scale.quota import BACKENDS, measure_quota
from bench.scale.report import render
from pulumi_chime_sdk_identity.dynamic_providers._resource import FULL_STACK_TRACES
from tools.harness.emulator_process import EmulatorProcess
from tools.harness.engine import REPO, engine_env, pulumi_bin_dir

DOCS = REPO / "docs"
FULL_TRACES_ENV = {FULL_STACK_TRACES: "true"}


def measure_size(workdir: Path, home: Path, env: dict[str, str], emulator: EmulatorProcess, users: int) -> Json:
    print(f"N={users}: pulumi up / preview / refresh / destroy", flush=True)
    result: Json = {"users": users, "resources": users + workload.EXTRA_RESOURCES}
    stack = new_stack(f"n{users}", workdir, env, emulator.url, users)
    phases = {"up": run_phase(stack, emulator, UP), "preview": run_phase(stack, emulator, PREVIEW)}
    phases["refresh"] = run_phase(stack, emulator, REFRESH)
    result["state"] = state_figures(stack, home)
    phases["destroy"] = run_phase(stack, emulator, DESTROY)
    stack.run("stack", "rm", "--yes", "--force")
    result["phases"] = phases
    print(f"N={users}: floor", flush=True)
    result["floor"] = measure_floor(emulator, users, phases)
    emulator.reset()
    print(f"N={users}: up / destroy with PULUMI_SKIP_CHECKPOINTS=true", flush=True)
    stack = new_stack(f"n{users}-skip", workdir, env, emulator.url, users)
    result["skip_checkpoints"] = {
        "up": run_phase(stack, emulator, UP, SKIP_CHECKPOINTS),
        "destroy": run_phase(stack, emulator, DESTROY, SKIP_CHECKPOINTS),
    }
    stack.run("stack", "rm", "--yes", "--force")
    emulator.reset()
    print(f"N={users}: before (state entries with the SDK's full stack traces, {FULL_STACK_TRACES})", flush=True)
    stack = new_stack(f"n{users}-traces", workdir, env, emulator.url, users)
    before = {"up": run_phase(stack, emulator, UP, FULL_TRACES_ENV)}
    before["state"] = state_figures(stack, home)
    before["destroy"] = run_phase(stack, emulator, DESTROY, FULL_TRACES_ENV)
    result["full_stack_traces"] = before
    stack.run("stack", "rm", "--yes", "--force")
    emulator.reset()
    for name, phase in [
        *phases.items(),
        *(("skip " + k, v) for k, v in result["skip_checkpoints"].items()),
        *(("traces " + k, before[k]) for k in ("up", "destroy")),
    ]:
        print(f"    {name:13} {phase['seconds']:8.2f} s  {calls_total(phase):6} calls", flush=True)
    for name, floor in result["floor"].items():
        print(f"    floor {name:7} {floor['seconds']:8.2f} s  same calls: {floor['calls_match']}", flush=True)
    return result


def user_counts(text: str) -> list[int]:
    """``100,300`` as [100, 300]; ``none`` or nothing as []."""
    return [int(part) for part in text.split(",") if part.strip() and part.strip() != "none"]


def arguments() -> argparse.Namespace:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--sizes", default="100,300,1000", help="user counts, comma-separated (default 100,300,1000)")
    parser.add_argument(
        "--quota-sizes",
        help="user counts of the runs under quota, comma-separated (default: --sizes; 'none' skips them)",
    )
    parser.add_argument("--latency-ms", type=float, default=20.0, help="latency the emulator adds per request")
    parser.add_argument("--profile-users", type=int, default=300, help="users in the profiling run (0: none)")
    parser.add_argument(
        "--engine-profile-users", type=int, default=300, help="users in the engine's pprof run (0: none)"
    )
    parser.add_argument(
        "--merge",
        action="store_true",
        help="start from the existing .json: re-measure only the sizes given (and the profiles unless 0)",
    )
    parser.add_argument(
        "--out",
        type=Path,
        default=DOCS,
        help="folder for benchmarks.md/.png/.json (default docs/; a smoke run: /tmp/...)",
    )
    parser.add_argument("--render-only", action="store_true", help="rewrite .md and .png from the .json")
    return parser.parse_args()


def main() -> None:
    args = arguments()
    args.out.mkdir(parents=True, exist_ok=True)
    raw = args.out / "benchmarks.json"
    if args.render_only:
        render(json.loads(raw.read_text()), args.out)
        return
    run_started = time.time()
    sizes = user_counts(args.sizes)
    quota_sizes = sizes if args.quota_sizes is None else user_counts(args.quota_sizes)
    load = background_load()
    if load > 0.1:
        print(
            f"warning: the machine is already {load:.0%} busy; the figures will be slower than they should", flush=True
        )
    results: Json = {"latency_ms": args.latency_ms, "sizes": []}
    if args.merge:
        results = json.loads(raw.read_text())
    results.update(machine=machine(), background_load=max(load, results.get("background_load", 0.0)))
    bin_dir = pulumi_bin_dir()

    def timed(part: Callable[[], Json]) -> Json:
        started = time.time()
        result = part()
        return {**result, "minutes": round((time.time() - started) / 60.0, 2), "measured_at": time.ctime()}

    with (
        tempfile.TemporaryDirectory(prefix="bench-scale-") as tmp,
        EmulatorProcess("--latency-ms", str(args.latency_ms)) as emulator,
    ):
        home = Path(tmp)
        env = engine_env(home, bin_dir)
        results["cold_start"] = timed(lambda: measure_cold_start(emulator.url))
        for users in sizes:
            measured = timed(functools.partial(measure_size, home, home, env, emulator, users))
            results["sizes"] = sorted(
                [s for s in results["sizes"] if s["users"] != users] + [measured], key=lambda s: s["users"]
            )
        for users in quota_sizes:
            for backend in BACKENDS:
                measured = timed(functools.partial(measure_quota, home, env, args.latency_ms, users, backend))
                key = (users, backend)
                results["quota"] = sorted(
                    [q for q in results.get("quota", []) if (q["users"], q.get("backend", "default")) != key]
                    + [measured],
                    key=lambda q: (q["users"], list(BACKENDS).index(q.get("backend", "default"))),
                )
        if args.profile_users:
            print(f"profiling at N={args.profile_users}", flush=True)
            main_up = next((s["phases"]["up"] for s in results["sizes"] if s["users"] == args.profile_users), None)
            results["profile"] = timed(lambda: measure_profile(home, env, emulator, args.profile_users, main_up))
        if args.engine_profile_users:
            print(f"engine pprof at N={args.engine_profile_users}", flush=True)
            results["engine_profile"] = timed(
                lambda: measure_engine_profile(home, env, emulator, args.engine_profile_users, bin_dir)
            )
    if not args.merge:  # what a whole run takes; a merge keeps the figure of the run it completes
        results["total_minutes"] = round((time.time() - run_started) / 60.0, 1)
    raw.write_text(json.dumps(results, indent=1) + "\n")
    render(results, args.out)
    print(
        f"wrote {args.out / 'benchmarks.md'}; the measurements took {results['total_minutes']:.1f} minutes", flush=True
    )


if __name__ == "__main__":
    main()
