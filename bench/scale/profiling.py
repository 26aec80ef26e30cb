"""Where the time goes: the provider's cold start, cProfile of provider and program, the engine's pprof."""

from __future__ import annotations

import collections
import json
import os
import pstats
import shutil
import statistics
import subprocess
import sys
import time
from pathlib import Path
from typing import Any

from bench.programs.scale import workload
from bench.scale.processes import DESTROY, PREVIEW, SKIP_CHECKPOINTS, UP, Json, new_stack, run_phase
from tools.harness.emulator_process import EmulatorProcess
from tools.harness.engine import REPO

PROFILE_HOOK = REPO / "bench" / "profile_hook"
COLD_START = REPO / "bench" / "programs" / "cold_start"


# -- cold start of the provider process, piece by piece --------------------------------------------------------------


def measure_cold_start(url: str, runs: int = 5) -> Json:
    """Median of runs: interpreter start, SDK imports, our package's import, botocore model, first client."""
    env = {
        **os.environ,
        "AWS_ACCESS_KEY_ID": "AKIDCOLD",
        "AWS_SECRET_ACCESS_KEY": "cold",
        "AWS_CONFIG_FILE": os.devnull,
        "AWS_SHARED_CREDENTIALS_FILE": os.devnull,
        "AWS_ENDPOINT_URL_CHIME_SDK_IDENTITY": url,
        "AWS_REGION": workload.REGION,
    }
    samples: list[Json] = []
    for _ in range(runs):
        started = time.perf_counter()
        out = subprocess.run(
            [sys.executable, str(COLD_START)], env=env, capture_output=True, text=True, check=True
        ).stdout
        total = time.perf_counter() - started
        parts = json.loads(out)
        parts["interpreter"] = total - sum(parts.values())
        parts["total"] = total
        samples.append(parts)
    return {key: round(statistics.median(s[key] for s in samples), 4) for key in samples[0]}


# -- profiling run ---------------------------------------------------------------------------------------------------


def cum(stats: pstats.Stats, file_suffix: str, names: tuple[str, ...]) -> float:
    """Cumulative seconds of the functions named names in files ending with file_suffix."""
    table: dict[tuple[str, int, str], tuple[Any, ...]] = stats.stats  # type: ignore[attr-defined]
    return sum(value[3] for (file, _line, name), value in table.items() if file.endswith(file_suffix) and name in names)


def ncalls(stats: pstats.Stats, file_suffix: str, name: str) -> int:
    """How many times the function named name in a file ending with file_suffix was called."""
    table: dict[tuple[str, int, str], tuple[Any, ...]] = stats.stats  # type: ignore[attr-defined]
    return sum(value[1] for (file, _line, func), value in table.items() if file.endswith(file_suffix) and func == name)


def own(stats: pstats.Stats, contains: str) -> float:
    """Self seconds of all functions whose name contains the string (e.g. a builtin method)."""
    table: dict[tuple[str, int, str], tuple[Any, ...]] = stats.stats  # type: ignore[attr-defined]
    return sum(value[2] for (_file, _line, name), value in table.items() if contains in name)


def self_time_under(stats: pstats.Stats, folders: tuple[str, ...]) -> float:
    table: dict[tuple[str, int, str], tuple[Any, ...]] = stats.stats  # type: ignore[attr-defined]
    return sum(value[2] for (file, _line, _name), value in table.items() if file.startswith(folders))


def load_stats(directory: Path, prefix: str) -> pstats.Stats | None:
    files = sorted(directory.glob(f"{prefix}-*.pstats"))
    if not files:
        return None
    stats = pstats.Stats(str(files[0]))
    for extra in files[1:]:
        stats.add(str(extra))
    return stats


def call_log(directory: Path) -> Json:
    """From the provider's timed gRPC calls: count and mean ms per method, busy span, time-weighted concurrency."""
    rows = [json.loads(line) for path in directory.glob("calls-*.jsonl") for line in path.read_text().splitlines()]
    rows = [row for row in rows if row["method"] != "Configure"]
    if not rows:
        return {}
    methods: dict[str, list[float]] = collections.defaultdict(list)
    for row in rows:
        methods[row["method"]].append((row["end"] - row["start"]) * 1000.0)
    first, last = min(r["start"] for r in rows), max(r["end"] for r in rows)
    events = sorted([(r["start"], 1) for r in rows] + [(r["end"], -1) for r in rows])
    in_flight: dict[int, float] = collections.defaultdict(float)
    level, previous = 0, first
    for moment, change in events:
        in_flight[level] += moment - previous
        level, previous = level + change, moment
    span = last - first
    return {
        "methods": {m: {"count": len(v), "mean_ms": round(statistics.mean(v), 2)} for m, v in sorted(methods.items())},
        "first_call": first,
        "span_s": round(span, 3),
        "busy_s": round(sum(sum(v) for v in methods.values()) / 1000.0, 3),
        "in_flight_share": {str(k): round(v / span, 3) for k, v in sorted(in_flight.items())} if span else {},
    }


def provider_breakdown(stats: pstats.Stats) -> Json:
    """Where the provider's gRPC calls spend their time (seconds, summed over calls)."""
    total = cum(stats, "pulumi/dynamic/__main__.py", ("Check", "Diff", "Create", "Read", "Update", "Delete"))
    ours = cum(stats, "dynamic_providers/_provider.py", ("check", "diff", "create", "read", "update", "delete"))
    boto = cum(stats, "botocore/client.py", ("_make_api_call",))
    wire = own(stats, "recv_into") + own(stats, "sendall") + own(stats, "'poll' of 'select.poll'")
    loads = cum(stats, "dill/_dill.py", ("loads",))
    # asyncio.new_event_loop() calls the policy's method of the same name in the same file: take the outer one.
    table: dict[tuple[str, int, str], tuple[Any, ...]] = stats.stats  # type: ignore[attr-defined]
    loops = max(
        (v[3] for (f, _l, name), v in table.items() if f.endswith("asyncio/events.py") and name == "new_event_loop"),
        default=0.0,
    )
    return {
        "total": round(total, 3),
        "waiting_for_api": round(wire, 3),
        "botocore_cpu": round(boto - wire, 3),
        "our_code": round(ours - boto, 3),
        "unpickle_and_imports": round(loads, 3),
        "sdk_event_loops": round(loops, 3),
        "sdk_other": round(total - ours - loops - loads, 3),
        "counts": {
            "grpc_calls": ncalls(stats, "pulumi/dynamic/__main__.py", "get_provider"),
            "boto3_clients_created": ncalls(stats, "botocore/session.py", "create_client"),
            "service_models_loaded": ncalls(stats, "botocore/loaders.py", "load_service_model"),
            "providers_unpickled": ncalls(stats, "dill/_dill.py", "loads"),
            "input_validations": ncalls(stats, "dynamic_providers/_schema.py", "validate"),
            "api_calls": ncalls(stats, "dynamic_providers/_aws.py", "call"),
        },
    }


def program_breakdown(stats: pstats.Stats) -> Json:
    """Where the program's main thread (the SDK's event loop) spends its time."""
    total = cum(stats, "pulumi-language-python-exec", ("<module>",))
    debug_logs = cum(stats, "pulumi/log.py", ("debug",))
    idle = own(stats, "'poll' of 'select.epoll'")
    annotations = cum(stats, "pulumi/_types.py", ("resource_types",))
    ours = self_time_under(stats, (str(REPO / "components"), str(REPO / "dynamic_providers")))
    imports = cum(stats, "<frozen importlib._bootstrap>", ("_find_and_load",))
    return {
        "total": round(total, 3),
        "idle_waiting_for_engine": round(idle, 3),
        "blocking_debug_log_rpcs": round(debug_logs, 3),
        "output_type_annotations": round(annotations, 3),
        "imports": round(imports, 3),
        "our_code_self_time": round(ours, 3),
        "sdk_other": round(total - idle - debug_logs - annotations - imports - ours, 3),
        "debug_log_rpcs": ncalls(stats, "pulumi/log.py", "debug"),
        "resources_registered": ncalls(stats, "pulumi/runtime/resource.py", "register_resource"),
        "providers_pickled": ncalls(stats, "dill/_dill.py", "dumps"),
        "pickling_s": round(cum(stats, "dill/_dill.py", ("dumps",)), 3),
    }


def measure_profile(
    workdir: Path, env: dict[str, str], emulator: EmulatorProcess, users: int, main_up: Json | None
) -> Json:
    """At `users` users, checkpoints skipped: provider calls timed, then cProfile; then the bare program."""
    result: Json = {"users": users}
    for mode in ("timed", "cprofile"):
        directory = workdir / f"profile-{mode}"
        stack = new_stack(f"profile-{mode}", workdir, env, emulator.url, users)
        for phase, args in (("up", UP), ("preview", PREVIEW)):
            (directory / phase).mkdir(parents=True)
            hook = {
                **SKIP_CHECKPOINTS,
                "PYTHONPATH": str(PROFILE_HOOK),
                "BENCH_PROFILE_DIR": str(directory / phase),
                "BENCH_PROFILE_CPROFILE": "1" if mode == "cprofile" else "0",
            }
            figures = run_phase(stack, emulator, args, hook)
            entry: Json = {"seconds": figures["seconds"], "calls": call_log(directory / phase)}
            if entry["calls"] and mode == "timed":
                entry["calls"]["first_call_s"] = round(entry["calls"].pop("first_call") - figures["started_at"], 3)
            else:
                entry["calls"].pop("first_call", None)
            provider = load_stats(directory / phase, "provider")
            program = load_stats(directory / phase, "program")
            if provider is not None:
                entry["provider"] = provider_breakdown(provider)
            if program is not None:
                entry["program"] = program_breakdown(program)
            result[f"{mode}_{phase}"] = entry
        run_phase(stack, emulator, DESTROY, SKIP_CHECKPOINTS)
        stack.run("stack", "rm", "--yes", "--force")
        emulator.reset()
    for shape in ("app", "bare"):
        if shape == "app" and main_up is not None:  # the main run at this size is exactly this case
            up = main_up
        else:
            stack = new_stack(f"shape-{shape}", workdir, env, emulator.url, users, shape=shape)
            up = run_phase(stack, emulator, UP)
            run_phase(stack, emulator, DESTROY, SKIP_CHECKPOINTS)
            stack.run("stack", "rm", "--yes", "--force")
            emulator.reset()
        result[shape] = {
            "up_s": up["seconds"],
            "calls": sum(up["calls"].values()),
            "engine_cpu": round(up["cpu"].get("engine", 0.0), 2),
            "program_cpu": round(up["cpu"].get("program", 0.0), 2),
        }
    return result


ENGINE_FUNCTIONS = {
    "saveSnapshot": "backend.(*SnapshotManager).saveSnapshot",
    "JSON encoding": "diy.compactJSONMarshaler.Marshal",
    "MD5 of each write": "crypto/md5.(*digest).Write",
    "file writes": "diy.(*wrappedBucket).WriteAll",
    ".bak copy": "diy.backupTarget",
    "integrity check": "snapshot.VerifyIntegrity",
    "snapshot serialization": "stack.SerializeDeploymentWithMetadata",
    "garbage collection": "runtime.gcBgMarkWorker",
}


def measure_engine_profile(
    workdir: Path, env: dict[str, str], emulator: EmulatorProcess, users: int, bin_dir: str
) -> Json:
    """`pulumi up --profiling` (Go pprof of the engine) at `users` users with checkpoints, read by `go tool pprof`."""
    go = shutil.which("go") or ("/usr/local/go/bin/go" if Path("/usr/local/go/bin/go").exists() else None)
    if go is None:
        return {"users": users, "skipped": "no `go` on PATH to read the profile"}
    stack = new_stack(f"engine-{users}", workdir, env, emulator.url, users)
    prefix = workdir / "engine-profile"
    up = run_phase(stack, emulator, [*UP, "--profiling", str(prefix)])
    run_phase(stack, emulator, DESTROY, SKIP_CHECKPOINTS)
    stack.run("stack", "rm", "--yes", "--force")
    emulator.reset()
    cpu_file = next(workdir.glob("engine-profile.*.cpu"))
    top = subprocess.run(
        [go, "tool", "pprof", "-top", "-cum", "-nodecount=400", str(Path(bin_dir) / "pulumi"), str(cpu_file)],
        capture_output=True,
        text=True,
        check=True,
    ).stdout
    total = next((line for line in top.splitlines() if "Total samples" in line), "")
    shares: dict[str, float] = {}
    for line in top.splitlines():
        parts = line.split(None, 5)
        if len(parts) == 6 and parts[4].endswith("%"):
            for label, function in ENGINE_FUNCTIONS.items():
                if parts[5].endswith(function) and label not in shares:
                    shares[label] = float(parts[4].rstrip("%")) / 100.0
    return {"users": users, "up_s": up["seconds"], "samples": total.strip(), "cum_share": shares}
