"""Proof at scale: `pulumi up/preview/refresh/destroy` of one MessagingApp with N users, against a floor.

Run from the project root (``make bench``; about 15 minutes on 2 cores, most of it N=1000)::

    .venv/bin/python bench/scale.py [--sizes 100,300,1000] [--latency-ms 20] [--profile-users 300]
        [--engine-profile-users 300]
    .venv/bin/python bench/scale.py --render-only     # rewrite docs/ from docs/benchmarks.json
    .venv/bin/python bench/scale.py --merge --sizes 1000 --profile-users 0 --engine-profile-users 0
                                                      # re-measure one size, keep the rest of the .json

Workload (bench/programs/scale): one MessagingApp with N tagged users, 5 of them admins, 20 of them
with a push endpoint, and retention: N + 27 dynamic resources. The emulator runs in its own process
with a fixed 20 ms of injected latency per request.

Before and after: up to 0.1 MessagingApp held a MessagingUser component per user; it now declares each
user's resources directly under itself (components/messaging_app.py). Each size also runs that old shape
(``scale:shape=per-user``: the same resources and names) side by side, `up` and `destroy`.

For each N, on a fresh stack through the real CLI (file backend, as in the tests):

1. ``pulumi up --skip-preview``, a no-op ``pulumi preview``, ``pulumi refresh``, ``pulumi stack export``,
   ``pulumi destroy``: wall time, API calls from the emulator's request log, peak RSS and CPU seconds of
   each process (psutil, every 0.1 s), and the cold start (first API request after ``pulumi up`` began).
2. The floor: plain boto3, one client shared by 4 threads (the Python host runs at most 4 operations at
   once), making exactly the operations and counts each phase made according to the log, level by level
   (the AppInstance, then users and retention, then admins and endpoints; deletes in reverse).
3. ``up`` and ``destroy`` again with ``PULUMI_SKIP_CHECKPOINTS=true``: the engine then writes the state
   once at the end instead of after every step, which isolates the cost of checkpointing.
4. ``up`` and ``destroy`` of the "before" shape, with checkpoints, as in 1.

Then, once: the provider process's start-up cost, piece by piece; and a profiling run at
``--profile-users`` users (checkpoints skipped, so what is left shows): the provider's gRPC calls timed
(bench/profile_hook/sitecustomize.py, put on PYTHONPATH only here), then cProfile of the provider and of
the program; plus the same resources without any component (``scale:shape=bare``) to price the one left; and
``pulumi up --profiling`` at ``--engine-profile-users`` users, read with ``go tool pprof`` (the engine's CPU).

Writes docs/benchmarks.md, docs/benchmarks.png and docs/benchmarks.json.
"""

from __future__ import annotations

import argparse
import collections
import contextlib
import json
import os
import platform
import pstats
import shutil
import signal
import statistics
import subprocess
import sys
import tempfile
import threading
import time
import urllib.request
import uuid
from collections.abc import Callable, Iterator
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path
from typing import Any

import boto3
import psutil
from botocore.config import Config

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from tests.e2e.harness import REPO, Stack, engine_env, pulumi_bin_dir

PROGRAM = REPO / "bench" / "programs" / "scale"
PROFILE_HOOK = REPO / "bench" / "profile_hook"
DOCS = REPO / "docs"
REGION = "us-east-1"
ADMINS = 5
ENDPOINTS = 20
EXTRA_RESOURCES = 1 + 1 + ADMINS + ENDPOINTS  # AppInstance, retention, admins, endpoints
WORKERS = 4  # the Python dynamic-provider host serves at most 4 gRPC calls at once
SAMPLE_SECONDS = 0.1
COMMAND_TIMEOUT_SECONDS = 3600
PINPOINT_APP = "arn:aws:mobiletargeting:us-east-1:123456789012:apps/0123456789abcdef"
ROLES = ("engine", "language host", "program", "provider")

Json = dict[str, Any]


# -- the emulator, in its own process --------------------------------------------------------------------------------


class EmulatorProcess:
    """``chime-identity-emulator --port 0 --latency-ms MS`` in a subprocess, and its introspection routes."""

    def __init__(self, latency_ms: float) -> None:
        script = Path(sys.executable).parent / "chime-identity-emulator"
        self.process = subprocess.Popen(
            [str(script), "--port", "0", "--latency-ms", str(latency_ms)],
            stdout=subprocess.PIPE,
            stderr=subprocess.DEVNULL,
            text=True,
        )
        assert self.process.stdout is not None
        first = self.process.stdout.readline().strip()
        if not first.startswith("Listening on "):
            self.process.kill()
            raise SystemExit(f"the emulator did not start: {first!r}")
        self.url = first.removeprefix("Listening on ")
        self.ps = psutil.Process(self.process.pid)

    def _call(self, method: str, path: str, body: Json | None = None) -> Any:
        data = json.dumps(body).encode() if body is not None else None
        with urllib.request.urlopen(urllib.request.Request(self.url + path, data=data, method=method)) as response:
            return json.load(response)

    def requests(self, since: int = 0) -> list[Json]:
        return list(self._call("GET", f"/_emulator/requests?since={since}")["requests"])

    def count(self) -> int:
        return len(self.requests())

    def reset(self) -> None:
        self._call("POST", "/_emulator/reset", {})

    def cpu_seconds(self) -> float:
        times = self.ps.cpu_times()
        return float(times.user + times.system)

    def stop(self) -> None:
        self.process.send_signal(signal.SIGTERM)
        try:
            self.process.wait(timeout=10)
        except subprocess.TimeoutExpired:
            self.process.kill()
            self.process.wait()


# -- sampling the pulumi process tree --------------------------------------------------------------------------------


def role_of(process: psutil.Process, root_pid: int) -> str | None:
    """engine (the pulumi CLI), language host, program or provider; None for the launcher shells."""
    if process.pid == root_pid:
        return "engine"
    command = " ".join(process.cmdline())
    if "pulumi-language-python-exec" in command:
        return "program"
    if "pulumi.dynamic" in command:
        return "provider"
    if process.name().startswith("pulumi-language"):
        return "language host"
    return None


class Sampler:
    """Peak RSS and CPU seconds per role of a pulumi command's process tree, sampled every 0.1 s."""

    def __init__(self, root_pid: int) -> None:
        self.root = psutil.Process(root_pid)
        self.peak_rss: dict[str, int] = {}
        self.cpu: dict[int, tuple[str, float]] = {}
        self.roles: dict[int, str | None] = {}
        self.started: dict[str, float] = {}  # role -> earliest process creation time
        self._stop = threading.Event()
        self._thread = threading.Thread(target=self._run, name="sampler", daemon=True)
        self._thread.start()

    def _run(self) -> None:
        while not self._stop.is_set():
            self.sample()
            self._stop.wait(SAMPLE_SECONDS)

    def sample(self) -> None:
        try:
            processes = [self.root, *self.root.children(recursive=True)]
        except psutil.Error:
            return
        for process in processes:
            try:
                if process.pid not in self.roles:
                    self.roles[process.pid] = role_of(process, self.root.pid)
                    role = self.roles[process.pid]
                    if role is not None:
                        created = process.create_time()
                        self.started[role] = min(self.started.get(role, created), created)
                role = self.roles[process.pid]
                if role is None:
                    continue
                with process.oneshot():
                    rss = process.memory_info().rss
                    times = process.cpu_times()
                self.peak_rss[role] = max(self.peak_rss.get(role, 0), rss)
                self.cpu[process.pid] = (role, times.user + times.system)
            except psutil.Error:
                continue

    def stop(self) -> Json:
        self._stop.set()
        self._thread.join()
        cpu: dict[str, float] = collections.defaultdict(float)
        for role, seconds in self.cpu.values():
            cpu[role] += seconds
        return {"peak_rss": dict(self.peak_rss), "cpu": dict(cpu), "started": dict(self.started)}


# -- running pulumi --------------------------------------------------------------------------------------------------


def new_stack(name: str, workdir: Path, env: dict[str, str], url: str, users: int, **config: str) -> Stack:
    stack = Stack("scale", workdir / name, env, url, source=PROGRAM)
    stack.set_config("scale:users", str(users))
    for key, value in config.items():
        stack.set_config(f"scale:{key}", value)
    return stack


def busy_cpu_seconds() -> float:
    """CPU seconds the whole machine has spent busy so far."""
    times = psutil.cpu_times()
    return float(sum(times) - times.idle - getattr(times, "iowait", 0.0))


def process_cpu_seconds() -> float:
    """CPU seconds of this script (the sampler thread) so far."""
    times = psutil.Process().cpu_times()
    return float(times.user + times.system)


def run_phase(
    stack: Stack, emulator: EmulatorProcess, args: list[str], extra_env: dict[str, str] | None = None
) -> Json:
    """Run `pulumi ARGS` on the stack: wall time, the API calls it made, and its processes' figures."""
    since = emulator.count()
    emulator_cpu = emulator.cpu_seconds()
    machine_cpu, own_cpu = busy_cpu_seconds(), process_cpu_seconds()
    env = {**stack.env, **(extra_env or {})}
    with tempfile.TemporaryFile("w+") as output:
        started = time.time()
        process = subprocess.Popen(
            ["pulumi", *args, "--stack", stack.name, "--non-interactive"],
            cwd=stack.dir,
            env=env,
            stdout=output,
            stderr=subprocess.STDOUT,
            text=True,
        )
        sampler = Sampler(process.pid)
        code = process.wait(timeout=COMMAND_TIMEOUT_SECONDS)
        seconds = time.time() - started
        figures = sampler.stop()
        if code != 0:
            output.seek(0)
            raise SystemExit(f"pulumi {' '.join(args)} exited {code}:\n{output.read()[-5000:]}")
    emulator_cpu = emulator.cpu_seconds() - emulator_cpu
    # CPU that neither this run's processes, the emulator nor this script used: other jobs on the machine.
    other = busy_cpu_seconds() - machine_cpu - sum(figures["cpu"].values()) - emulator_cpu
    other -= process_cpu_seconds() - own_cpu
    entries = emulator.requests(since)
    first = min((entry["time"] for entry in entries), default=None)
    provider_started = figures.pop("started").get("provider")
    return {
        "seconds": round(seconds, 3),
        "started_at": started,
        "calls": dict(sorted(collections.Counter(entry["operation"] for entry in entries).items())),
        "errors": sum(1 for entry in entries if entry["status"] >= 400),
        "first_request_s": round(first - started, 3) if first is not None else None,
        "provider_start_s": round(provider_started - started, 3) if provider_started is not None else None,
        "emulator_cpu": round(emulator_cpu, 3),
        "other_cpu_share": round(max(other, 0.0) / (seconds * (psutil.cpu_count() or 1)), 3),
        **figures,
    }


UP = ["up", "--yes", "--skip-preview"]
PREVIEW = ["preview"]
REFRESH = ["refresh", "--yes", "--skip-preview"]
DESTROY = ["destroy", "--yes", "--skip-preview"]


def state_figures(stack: Stack, home: Path) -> Json:
    """Bytes of `pulumi stack export` and of the backend's checkpoint file, and what the entries are."""
    exported = stack.run("stack", "export").stdout
    resources = json.loads(exported)["deployment"]["resources"]
    by_type: dict[str, list[int]] = collections.defaultdict(lambda: [0, 0])
    for resource in resources:
        kind = resource["type"].rsplit(":", 1)[-1]
        by_type[kind][0] += 1
        by_type[kind][1] += len(json.dumps(resource, indent=4))
    stacks = home / "backend" / ".pulumi" / "stacks"
    checkpoint = next((p for ext in ("", ".gz", ".zst") for p in stacks.rglob(f"{stack.name}.json{ext}")), None)
    return {
        "export_bytes": len(exported.encode()),
        "checkpoint_bytes": checkpoint.stat().st_size if checkpoint else None,
        "entries": len(resources),
        "by_type": {kind: {"count": c, "bytes": b} for kind, (c, b) in sorted(by_type.items())},
    }


# -- the floor: the same API calls from plain boto3 ------------------------------------------------------------------

# Dependency level of each operation in a phase: all of a level runs before the next level starts.
UP_LEVELS = {
    "CreateAppInstance": 0,
    "CreateAppInstanceUser": 1,
    "PutAppInstanceRetentionSettings": 1,
    "CreateAppInstanceAdmin": 2,
    "RegisterAppInstanceUserEndpoint": 2,
}
REFRESH_LEVELS = dict.fromkeys(
    (
        "DescribeAppInstance",
        "ListTagsForResource",
        "DescribeAppInstanceUser",
        "DescribeAppInstanceAdmin",
        "DescribeAppInstanceUserEndpoint",
        "GetAppInstanceRetentionSettings",
    ),
    0,
)
DESTROY_LEVELS = {
    "DeleteAppInstanceAdmin": 0,
    "DeregisterAppInstanceUserEndpoint": 0,
    "DeleteAppInstanceUser": 1,
    "PutAppInstanceRetentionSettings": 1,
    "DeleteAppInstance": 2,
}


def app_tags(users: int) -> dict[str, str]:
    return {"project": "bench", "scale": str(users)}


def user_tags(users: int, i: int) -> dict[str, str]:
    return {**app_tags(users), "team": f"team-{i % 10}", "index": str(i)}


def tag_list(tags: dict[str, str]) -> list[dict[str, str]]:
    return [{"Key": key, "Value": value} for key, value in sorted(tags.items())]


class Floor:
    """What a plain boto3 script needs for the same work: one client, 4 threads, dependency levels."""

    def __init__(self, url: str, users: int) -> None:
        self.users = users
        self.client = boto3.session.Session().client(
            "chime-sdk-identity",
            endpoint_url=url,
            region_name=REGION,
            aws_access_key_id="AKIDFLOOR",
            aws_secret_access_key="floor-secret",
            config=Config(retries={"mode": "standard", "max_attempts": 10}, connect_timeout=10, read_timeout=30),
        )
        self.phase = "up"
        self.app_arn = ""
        self.user_arns: dict[int, str] = {}
        self.endpoint_ids: dict[int, str] = {}

    def user_arn(self, i: int) -> str:
        return self.user_arns.get(i) or f"{self.app_arn}/user/user-{i:05d}"

    def task(self, operation: str, i: int) -> Callable[[], Any]:
        """The i-th call of operation in the current phase (i picks the user)."""
        c, app, token = self.client, self.app_arn, uuid.uuid4().hex
        match operation:
            case "CreateAppInstance":
                return lambda: self.created_app(
                    c.create_app_instance(
                        Name=f"floor-{self.users}", Tags=tag_list(app_tags(self.users)), ClientRequestToken=token
                    )["AppInstanceArn"]
                )
            case "CreateAppInstanceUser":
                return lambda: self.user_arns.__setitem__(
                    i,
                    c.create_app_instance_user(
                        AppInstanceArn=app,
                        AppInstanceUserId=f"user-{i:05d}",
                        Name=f"User {i}",
                        Tags=tag_list(user_tags(self.users, i)),
                        ClientRequestToken=token,
                    )["AppInstanceUserArn"],
                )
            case "PutAppInstanceRetentionSettings":
                days = {"RetentionDays": 30} if self.phase == "up" else {}  # destroy clears retention
                settings = {"ChannelRetentionSettings": days}
                return lambda: c.put_app_instance_retention_settings(
                    AppInstanceArn=app, AppInstanceRetentionSettings=settings
                )
            case "CreateAppInstanceAdmin":
                return lambda: c.create_app_instance_admin(AppInstanceArn=app, AppInstanceAdminArn=self.user_arn(i))
            case "RegisterAppInstanceUserEndpoint":
                return lambda: self.endpoint_ids.__setitem__(
                    i,
                    c.register_app_instance_user_endpoint(
                        AppInstanceUserArn=self.user_arn(i),
                        Name="",
                        Type="GCM",
                        ResourceArn=PINPOINT_APP,
                        EndpointAttributes={"DeviceToken": f"device-token-{i:05d}"},
                        AllowMessages="ALL",
                        ClientRequestToken=token,
                    )["EndpointId"],
                )
            case "DescribeAppInstance":
                return lambda: c.describe_app_instance(AppInstanceArn=app)
            case "ListTagsForResource":  # the AppInstance, then the users
                arn = app if i % (self.users + 1) == 0 else self.user_arn(i % (self.users + 1) - 1)
                return lambda: c.list_tags_for_resource(ResourceARN=arn)
            case "DescribeAppInstanceUser":
                return lambda: c.describe_app_instance_user(AppInstanceUserArn=self.user_arn(i))
            case "DescribeAppInstanceAdmin":
                return lambda: c.describe_app_instance_admin(AppInstanceArn=app, AppInstanceAdminArn=self.user_arn(i))
            case "DescribeAppInstanceUserEndpoint":
                return lambda: c.describe_app_instance_user_endpoint(
                    AppInstanceUserArn=self.user_arn(i), EndpointId=self.endpoint_ids[i]
                )
            case "GetAppInstanceRetentionSettings":
                return lambda: c.get_app_instance_retention_settings(AppInstanceArn=app)
            case "DeleteAppInstanceAdmin":
                return lambda: c.delete_app_instance_admin(AppInstanceArn=app, AppInstanceAdminArn=self.user_arn(i))
            case "DeregisterAppInstanceUserEndpoint":
                return lambda: c.deregister_app_instance_user_endpoint(
                    AppInstanceUserArn=self.user_arn(i), EndpointId=self.endpoint_ids[i]
                )
            case "DeleteAppInstanceUser":
                return lambda: c.delete_app_instance_user(AppInstanceUserArn=self.user_arn(i))
            case "DeleteAppInstance":
                return lambda: c.delete_app_instance(AppInstanceArn=app)
        raise SystemExit(f"the floor does not know {operation}: add it to bench/scale.py")

    def created_app(self, arn: str) -> None:
        self.app_arn = self.app_arn or arn

    def run(self, counts: dict[str, int], levels: dict[str, int]) -> float:
        """Make counts[operation] calls of each operation, level by level, 4 at a time; the wall seconds."""
        unknown = sorted(set(counts) - set(levels))
        if unknown:
            raise SystemExit(f"the floor has no dependency level for {unknown}: add them to bench/scale.py")
        started = time.perf_counter()
        with ThreadPoolExecutor(max_workers=WORKERS) as pool:
            for level in sorted(set(levels.values())):
                tasks = [
                    self.task(operation, i)
                    for operation, count in counts.items()
                    if levels[operation] == level
                    for i in range(count)
                ]
                for future in [pool.submit(task) for task in tasks]:
                    future.result()
        return time.perf_counter() - started


def measure_floor(emulator: EmulatorProcess, users: int, phases: dict[str, Json]) -> Json:
    """Replay up, refresh and destroy's call counts from plain boto3; check the log shows the same counts."""
    floor = Floor(emulator.url, users)
    result: Json = {}
    for phase, levels in (("up", UP_LEVELS), ("refresh", REFRESH_LEVELS), ("destroy", DESTROY_LEVELS)):
        counts = phases[phase]["calls"]
        floor.phase = phase
        since = emulator.count()
        seconds = floor.run(counts, levels)
        made = dict(sorted(collections.Counter(entry["operation"] for entry in emulator.requests(since)).items()))
        result[phase] = {"seconds": round(seconds, 3), "calls_match": made == counts, "calls": made}
    return result


# -- cold start of the provider process, piece by piece --------------------------------------------------------------

COLD_START_CODE = """
import json, time
t0 = time.perf_counter()
import dill, grpc, pulumi.dynamic, pulumi.runtime
t1 = time.perf_counter()
import pulumi_chime_sdk_identity.dynamic_providers
t2 = time.perf_counter()
from pulumi_chime_sdk_identity.dynamic_providers import _aws, _schema
_schema.service_model()
t3 = time.perf_counter()
_aws.client_for("us-east-1")
t4 = time.perf_counter()
print(json.dumps({"sdk_import": t1 - t0, "package_import": t2 - t1, "service_model": t3 - t2, "client": t4 - t3}))
"""


def measure_cold_start(url: str, runs: int = 5) -> Json:
    """Median of runs: interpreter start, SDK imports, our package's import, botocore model, first client."""
    env = {
        **os.environ,
        "AWS_ACCESS_KEY_ID": "AKIDCOLD",
        "AWS_SECRET_ACCESS_KEY": "cold",
        "AWS_CONFIG_FILE": os.devnull,
        "AWS_SHARED_CREDENTIALS_FILE": os.devnull,
        "AWS_ENDPOINT_URL_CHIME_SDK_IDENTITY": url,
        "AWS_REGION": REGION,
    }
    samples: list[Json] = []
    for _ in range(runs):
        started = time.perf_counter()
        out = subprocess.run(
            [sys.executable, "-c", COLD_START_CODE], env=env, capture_output=True, text=True, check=True
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
    skip = {"PULUMI_SKIP_CHECKPOINTS": "true"}
    for mode in ("timed", "cprofile"):
        directory = workdir / f"profile-{mode}"
        stack = new_stack(f"profile-{mode}", workdir, env, emulator.url, users)
        for phase, args in (("up", UP), ("preview", PREVIEW)):
            (directory / phase).mkdir(parents=True)
            hook = {
                **skip,
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
        run_phase(stack, emulator, DESTROY, skip)
        stack.run("stack", "rm", "--yes", "--force")
        emulator.reset()
    for shape in ("app", "bare"):
        if shape == "app" and main_up is not None:  # the main run at this size is exactly this case
            up = main_up
        else:
            stack = new_stack(f"shape-{shape}", workdir, env, emulator.url, users, shape=shape)
            up = run_phase(stack, emulator, UP)
            run_phase(stack, emulator, DESTROY, skip)
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
    run_phase(stack, emulator, DESTROY, {"PULUMI_SKIP_CHECKPOINTS": "true"})
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


# -- one size --------------------------------------------------------------------------------------------------------


def measure_size(workdir: Path, home: Path, env: dict[str, str], emulator: EmulatorProcess, users: int) -> Json:
    print(f"N={users}: pulumi up / preview / refresh / destroy", flush=True)
    result: Json = {"users": users, "resources": users + EXTRA_RESOURCES}
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
    skip = {"PULUMI_SKIP_CHECKPOINTS": "true"}
    stack = new_stack(f"n{users}-skip", workdir, env, emulator.url, users)
    result["skip_checkpoints"] = {
        "up": run_phase(stack, emulator, UP, skip),
        "destroy": run_phase(stack, emulator, DESTROY, skip),
    }
    stack.run("stack", "rm", "--yes", "--force")
    emulator.reset()
    print(f"N={users}: before (a MessagingUser component per user, as up to 0.1)", flush=True)
    stack = new_stack(f"n{users}-before", workdir, env, emulator.url, users, shape="per-user")
    before = {"up": run_phase(stack, emulator, UP)}
    before["state"] = state_figures(stack, home)
    before["destroy"] = run_phase(stack, emulator, DESTROY)
    result["before"] = before
    stack.run("stack", "rm", "--yes", "--force")
    emulator.reset()
    for name, phase in [
        *phases.items(),
        *(("skip " + k, v) for k, v in result["skip_checkpoints"].items()),
        *(("before " + k, before[k]) for k in ("up", "destroy")),
    ]:
        print(f"    {name:13} {phase['seconds']:8.2f} s  {sum(phase['calls'].values()):6} calls", flush=True)
    for name, floor in result["floor"].items():
        print(f"    floor {name:7} {floor['seconds']:8.2f} s  same calls: {floor['calls_match']}", flush=True)
    return result


# -- report ----------------------------------------------------------------------------------------------------------


def mb(value: float | None) -> str:
    return f"{value / 2**20:.0f}" if value else "-"


def ratio(a: float, b: float) -> str:
    return f"{a / b:.1f}" if b else "-"


def growth(first: float, last: float) -> str:
    return f"x{last / first:.2f}" if first else "-"


def max_other_share(results: Json) -> float:
    phases = [p for s in results["sizes"] for p in [*s["phases"].values(), *s["skip_checkpoints"].values()]]
    return max((p.get("other_cpu_share", 0.0) for p in phases), default=0.0)


def table(header: list[str], rows: list[list[str]]) -> str:
    lines = ["| " + " | ".join(header) + " |", "|" + "|".join("---" for _ in header) + "|"]
    lines += ["| " + " | ".join(row) + " |" for row in rows]
    return "\n".join(lines)


def calls_total(phase: Json) -> int:
    return sum(phase["calls"].values())


def render(results: Json, out: Path) -> None:
    sizes: list[Json] = results["sizes"]
    lines = [
        f"# Benchmarks: one MessagingApp with {sizes[0]['users']} to {sizes[-1]['users']} users",
        "",
        "Written by `bench/scale.py`; reproduce with `make bench` "
        f"(`.venv/bin/python bench/scale.py --sizes {','.join(str(s['users']) for s in sizes)} "
        f"--latency-ms {results['latency_ms']:g} --profile-users {results.get('profile', {}).get('users', 0)} "
        f"--engine-profile-users {results.get('engine_profile', {}).get('users', 0)}`), "
        f"{results['total_minutes']:.1f} minutes on this machine: {results['machine']}; CPUs "
        f"{results.get('background_load', 0):.0%} busy before it started.",
        "",
        "**Workload** ([bench/programs/scale](../bench/programs/scale/__main__.py)): one `MessagingApp` with N "
        f"users, each with 4 tags, {ADMINS} of them admins, {ENDPOINTS} of them with a push endpoint, and "
        f"retention: N + {EXTRA_RESOURCES} dynamic resources under one component. The emulator runs in its own "
        f"process and adds {results['latency_ms']:g} ms to every request. "
        "Pulumi runs as in the tests: the real CLI, file backend, `up`/`refresh`/`destroy` with `--skip-preview`.",
        "",
        "**Floor**: a plain boto3 script making the same calls (operation by operation, the counts read from the "
        f"emulator's request log of each phase), one client shared by {WORKERS} threads (the Python provider host "
        "serves at most 4 operations at once), level by level: the AppInstance, then users and retention, then "
        "admins and endpoints (deletes in reverse order; reads all at once). "
        "Client creation is outside the timing.",
        "",
        "**Checkpoints**: by default the engine rewrites the whole state file after every step. The columns "
        "marked *skip* ran with `PULUMI_SKIP_CHECKPOINTS=true` (state written once, at the end; unsafe if the "
        "run dies midway), which isolates that cost.",
        "",
        f"Other jobs on the machine used at most {max_other_share(results):.0%} of its CPU during any measured "
        "command (machine-wide busy CPU minus that of the pulumi processes, the emulator and the script).",
        "",
        "The fault soak and the crash-recovery runs have their own reports, also written by `make bench`: "
        "[soak.md](soak.md) and [crash.md](crash.md).",
        "",
        "![time and calls against N](benchmarks.png)",
        "",
        *before_after(results),
        "## Time (seconds) and ratio to the floor",
        "",
    ]
    rows = []
    for s in sizes:
        p, f, k = s["phases"], s["floor"], s["skip_checkpoints"]
        rows.append(
            [
                str(s["users"]),
                str(s["resources"]),
                f"{p['up']['seconds']:.1f}",
                f"{k['up']['seconds']:.1f}",
                f"{f['up']['seconds']:.2f}",
                f"**{ratio(p['up']['seconds'], f['up']['seconds'])}**",
                ratio(k["up"]["seconds"], f["up"]["seconds"]),
                f"{p['preview']['seconds']:.1f}",
                f"{p['refresh']['seconds']:.1f}",
                f"{f['refresh']['seconds']:.2f}",
                ratio(p["refresh"]["seconds"], f["refresh"]["seconds"]),
                f"{p['destroy']['seconds']:.1f}",
                f"{k['destroy']['seconds']:.1f}",
                f"{f['destroy']['seconds']:.2f}",
                ratio(p["destroy"]["seconds"], f["destroy"]["seconds"]),
                ratio(k["destroy"]["seconds"], f["destroy"]["seconds"]),
                f"{max(ph.get('other_cpu_share', 0.0) for ph in [*p.values(), *k.values()]):.0%}",
            ]
        )
    lines.append(
        table(
            [
                "N",
                "dynamic resources",
                "up",
                "up, skip",
                "floor up",
                "up / floor",
                "up skip / floor",
                "no-op preview",
                "refresh",
                "floor refresh",
                "refresh / floor",
                "destroy",
                "destroy, skip",
                "floor destroy",
                "destroy / floor",
                "destroy skip / floor",
                "other jobs' CPU (max)",
            ],
            rows,
        )
    )
    lines += ["", "## API calls per phase (total, and per dynamic resource)", ""]
    rows = []
    for s in sizes:
        p, n = s["phases"], s["resources"]
        match = all(f["calls_match"] for f in s["floor"].values())
        errors = sum(ph["errors"] for ph in p.values())
        rows.append(
            [
                str(s["users"]),
                *(f"{calls_total(p[ph])} ({calls_total(p[ph]) / n:.2f})" for ph in ("up", "preview", "refresh")),
                f"{calls_total(p['destroy'])} ({calls_total(p['destroy']) / n:.2f})",
                "yes" if match else "NO",
                str(errors),
            ]
        )
    lines.append(table(["N", "up", "no-op preview", "refresh", "destroy", "floor made the same calls", "errors"], rows))
    up_calls = ", ".join(f"{op} {count}" for op, count in sizes[-1]["phases"]["up"]["calls"].items())
    lines += ["", f"At N={sizes[-1]['users']}, `up` made: {up_calls}.", ""]

    lines += ["## Cold start, memory, CPU and state", ""]
    rows = []
    for s in sizes:
        up = s["phases"]["up"]
        cpu = up["cpu"]
        st = s["state"]
        rows.append(
            [
                str(s["users"]),
                f"{up['provider_start_s']:.2f}" if up["provider_start_s"] is not None else "-",
                f"{up['first_request_s']:.2f}" if up["first_request_s"] is not None else "-",
                mb(max(ph["peak_rss"].get("engine", 0) for ph in s["phases"].values())),
                mb(max(ph["peak_rss"].get("provider", 0) for ph in s["phases"].values())),
                mb(max(ph["peak_rss"].get("program", 0) for ph in s["phases"].values())),
                " / ".join(f"{cpu.get(role, 0.0):.1f}" for role in ("engine", "program", "provider"))
                + f" / {up['emulator_cpu']:.1f}",
                f"{st['export_bytes'] / 1e6:.2f}",
                f"{st['checkpoint_bytes'] / 1e6:.2f}" if st["checkpoint_bytes"] else "-",
                str(st["entries"]),
                f"{st['export_bytes'] / st['entries']:.0f}",
                f"{st['export_bytes'] / s['resources']:.0f}",
            ]
        )
    lines.append(
        table(
            [
                "N",
                "up start → provider process (s)",
                "up start → first API call (s)",
                "engine peak RSS (MB)",
                "provider peak RSS (MB)",
                "program peak RSS (MB)",
                "CPU s in up: engine / program / provider / emulator",
                "export (MB)",
                "state file (MB)",
                "state entries",
                "bytes per entry",
                "bytes per dynamic resource",
            ],
            rows,
        )
    )
    cold = results.get("cold_start")
    if cold:
        lines += [
            "",
            "Provider process start-up, measured alone (median of 5): interpreter "
            f"{cold['interpreter'] * 1000:.0f} ms, Pulumi SDK + grpc + dill imports "
            f"{cold['sdk_import'] * 1000:.0f} ms, "
            f"this package's providers {cold['package_import'] * 1000:.0f} ms, botocore service model "
            f"{cold['service_model'] * 1000:.0f} ms, first boto3 client {cold['client'] * 1000:.0f} ms: "
            f"{cold['total'] * 1000:.0f} ms in all. The rest of the time to the first API call is the engine, the "
            "language host and the program starting, and the program registering the first resources.",
        ]
    last = sizes[-1]
    top_type = max(last["state"]["by_type"].items(), key=lambda item: item[1]["bytes"])
    lines += [
        "",
        f"At N={last['users']} the largest share of the state is {top_type[0]} "
        f"({top_type[1]['count']} entries, {top_type[1]['bytes'] / last['state']['export_bytes']:.0%} of the "
        "bytes).",
    ]

    first = sizes[0]
    lines += ["", f"## Growth from N={first['users']} to N={last['users']}", ""]
    lines.append(
        f"Resources grow x{last['resources'] / first['resources']:.2f}. Linear growth keeps the per-resource "
        "figures near x1; a per-resource figure that grows with N is super-linear."
    )
    lines.append("")

    def per(s: Json, seconds: float) -> float:
        return seconds / s["resources"] * 1000.0

    rows = []
    for label, get in (
        ("up (ms per resource)", lambda s: per(s, s["phases"]["up"]["seconds"])),
        ("up, skip checkpoints (ms per resource)", lambda s: per(s, s["skip_checkpoints"]["up"]["seconds"])),
        ("floor up (ms per resource)", lambda s: per(s, s["floor"]["up"]["seconds"])),
        ("up / floor", lambda s: s["phases"]["up"]["seconds"] / s["floor"]["up"]["seconds"]),
        ("no-op preview (ms per resource)", lambda s: per(s, s["phases"]["preview"]["seconds"])),
        ("refresh (ms per resource)", lambda s: per(s, s["phases"]["refresh"]["seconds"])),
        ("destroy (ms per resource)", lambda s: per(s, s["phases"]["destroy"]["seconds"])),
        ("destroy, skip checkpoints (ms per resource)", lambda s: per(s, s["skip_checkpoints"]["destroy"]["seconds"])),
        ("API calls per resource, up", lambda s: calls_total(s["phases"]["up"]) / s["resources"]),
        ("API calls per resource, refresh", lambda s: calls_total(s["phases"]["refresh"]) / s["resources"]),
        ("engine CPU s per resource in up (ms)", lambda s: per(s, s["phases"]["up"]["cpu"].get("engine", 0.0))),
        ("provider CPU s per resource in up (ms)", lambda s: per(s, s["phases"]["up"]["cpu"].get("provider", 0.0))),
        ("program CPU s per resource in up (ms) [1]", lambda s: per(s, s["phases"]["up"]["cpu"].get("program", 0.0))),
        ("state bytes per dynamic resource", lambda s: s["state"]["export_bytes"] / s["resources"]),
        ("engine peak RSS (MB)", lambda s: s["phases"]["up"]["peak_rss"].get("engine", 0) / 2**20),
        ("provider peak RSS (MB)", lambda s: s["phases"]["up"]["peak_rss"].get("provider", 0) / 2**20),
        ("program peak RSS (MB)", lambda s: s["phases"]["up"]["peak_rss"].get("program", 0) / 2**20),
        ("up start → first API call (s)", lambda s: s["phases"]["up"]["first_request_s"] or 0.0),
    ):
        values = [get(s) for s in sizes]
        rows.append([label, *(f"{v:,.2f}" if v < 100 else f"{v:,.0f}" for v in values), growth(values[0], values[-1])])
    lines.append(table(["figure", *(f"N={s['users']}" for s in sizes), "growth"], rows))
    lines += [
        "",
        "[1] The program's CPU follows `up`'s wall time: while it waits for the engine its gRPC threads keep "
        "polling (compare the *skip* run at the largest N: "
        f"{last['skip_checkpoints']['up']['cpu'].get('program', 0.0):.0f} CPU s).",
    ]

    lines += ["", "## Where the time goes", ""]
    lines += where_time_goes(results)
    out.joinpath("benchmarks.md").write_text("\n".join(lines) + "\n")
    plot(results, out / "benchmarks.png")


def where_time_goes(results: Json) -> list[str]:
    sizes = results["sizes"]
    last = sizes[-1]
    up, skip = last["phases"]["up"], last["skip_checkpoints"]["up"]
    destroy, skip_destroy = last["phases"]["destroy"], last["skip_checkpoints"]["destroy"]
    lines = [
        f"- **Checkpoints (engine, file backend)**: at N={last['users']}, `up` takes {up['seconds']:.0f} s with "
        f"checkpoints and {skip['seconds']:.0f} s without ({1 - skip['seconds'] / up['seconds']:.0%} of the time); "
        f"`destroy` {destroy['seconds']:.0f} s against {skip_destroy['seconds']:.0f} s. The engine's CPU in `up` "
        f"falls from {up['cpu'].get('engine', 0):.0f} s to {skip['cpu'].get('engine', 0):.0f} s. Each step "
        "rewrites the whole state (serialize, MD5, copy the old file to .bak, write, verify integrity), so the "
        "work per step grows with the stack and the total with its square: see the per-resource rows above. "
        "`preview` and `refresh` write no checkpoint per unchanged resource and stay linear.",
    ]
    engine = results.get("engine_profile")
    if engine and engine.get("cum_share"):
        shares = engine["cum_share"]
        parts = ", ".join(f"{label} {share:.0%}" for label, share in shares.items() if label != "saveSnapshot")
        lines.append(
            f"- **Inside the engine** (`pulumi up --profiling`, Go pprof, N={engine['users']}, with checkpoints, "
            f"{engine['samples']}): writing checkpoints (`SnapshotManager.saveSnapshot`) is "
            f"{shares.get('saveSnapshot', 0):.0%} of the engine's CPU samples; inclusive shares: {parts}."
        )
    profile = results.get("profile")
    if profile:
        n = profile["users"]
        timed = profile.get("timed_up", {}).get("calls", {})
        if timed:
            share = timed.get("in_flight_share", {})
            busy4 = share.get(str(WORKERS), 0.0)
            idle = share.get("0", 0.0)
            methods = ", ".join(f"{m} {v['count']} x {v['mean_ms']:.1f} ms" for m, v in timed["methods"].items())
            floor = next((x["floor"]["up"]["seconds"] for x in results["sizes"] if x["users"] == n), None)
            total_s = profile["timed_up"]["seconds"]
            tail = total_s - timed.get("first_call_s", 0.0) - timed["span_s"]
            lines.append(
                f"- **Provider** (N={n}, checkpoints skipped, calls timed without a profiler): `up` took "
                f"{total_s:.1f} s: "
                f"{timed.get('first_call_s', 0):.1f} s before the provider's first call (engine, language host and "
                "program start; the program builds every resource object before the SDK registers any), "
                f"{timed['span_s']:.1f} s of provider calls"
                + (f" (the floor makes the same API calls in {floor:.1f} s)" if floor else "")
                + f", and {tail:.1f} s to finish. Calls: {methods}. During the calls all {WORKERS} workers were busy "
                f"{busy4:.0%} of the time and none {idle:.0%} (on average {timed['busy_s'] / timed['span_s']:.1f} in "
                "flight): the 4-operation cap binds part of the time; each Create costs about 3 ms on top of the "
                f"{results['latency_ms']:g} ms the emulator adds."
            )
        prof = profile.get("cprofile_up", {}).get("provider")
        if prof:
            total, c = prof["total"], prof["counts"]
            lines.append(
                f"- **Inside the provider** (cProfile, N={n}, summed over calls, {total:.1f} s): waiting for the API "
                f"{prof['waiting_for_api'] / total:.0%}, botocore's own CPU {prof['botocore_cpu'] / total:.0%}, "
                f"the SDK's per-call event loops {prof['sdk_event_loops'] / total:.0%} and its other glue "
                f"(gRPC, (de)serialization) {prof['sdk_other'] / total:.0%}, unpickling the providers and importing "
                f"the package {prof['unpickle_and_imports'] / total:.0%}, this package's own code "
                f"{prof['our_code'] / total:.0%}. Over {c['grpc_calls']} gRPC calls and {c['api_calls']} API calls "
                f"the process created {c['boto3_clients_created']} boto3 client, loaded botocore models "
                f"{c['service_models_loaded']} times and unpickled providers {c['providers_unpickled']} times (once "
                "per resource type): nothing is rebuilt per call."
            )
        for phase in ("up", "preview"):
            prog = profile.get(f"cprofile_{phase}", {}).get("program")
            if prog:
                total = prog["total"]
                lines.append(
                    f"- **Program, `{phase}`** (cProfile of its main thread, N={n}, {total:.1f} s): idle waiting "
                    f"for the engine {prog['idle_waiting_for_engine'] / total:.0%}, the SDK's blocking debug-log "
                    f"RPCs to the engine (several per resource) {prog['blocking_debug_log_rpcs'] / total:.0%}, the "
                    f"SDK reading `Output` annotations per resource {prog['output_type_annotations'] / total:.0%}, "
                    f"imports {prog['imports'] / total:.0%}, this package's own code (self time) "
                    f"{prog['our_code_self_time'] / total:.0%}, the rest of the SDK {prog['sdk_other'] / total:.0%}. "
                    f"{prog['resources_registered']} resources registered, {prog['debug_log_rpcs']} debug-log RPCs, "
                    f"{prog['providers_pickled']} providers pickled in {prog['pickling_s']:.2f} s."
                )
        comp, flat = profile.get("app"), profile.get("bare")
        if comp and flat:
            lines.append(
                f"- **The one component left** (N={n}, with checkpoints): the same dynamic resources declared "
                f"without `MessagingApp` take {flat['up_s']:.1f} s to `up` against {comp['up_s']:.1f} s "
                f"({comp['up_s'] / flat['up_s'] - 1:+.0%}), engine CPU {flat['engine_cpu']:.1f} "
                f"against {comp['engine_cpu']:.1f} s, program CPU {flat['program_cpu']:.1f} against "
                f"{comp['program_cpu']:.1f} s."
            )
    return lines


def before_after(results: Json) -> list[str]:
    """The speed-up of declaring each user's resources flat, measured side by side with the old shape."""
    sizes = [s for s in results["sizes"] if "before" in s]
    if not sizes:
        return []
    rows = []
    for s in sizes:
        b, a, f = s["before"], s["phases"], s["floor"]
        rows.append(
            [
                str(s["users"]),
                f"{b['state']['entries']} → {s['state']['entries']}",
                f"{b['up']['seconds']:.1f} → {a['up']['seconds']:.1f}",
                f"**x{b['up']['seconds'] / a['up']['seconds']:.2f}**",
                f"{ratio(b['up']['seconds'], f['up']['seconds'])} → {ratio(a['up']['seconds'], f['up']['seconds'])}",
                f"{b['destroy']['seconds']:.1f} → {a['destroy']['seconds']:.1f}",
                f"x{b['destroy']['seconds'] / a['destroy']['seconds']:.2f}",
                f"{b['up']['cpu'].get('engine', 0.0):.1f} → {a['up']['cpu'].get('engine', 0.0):.1f}",
                f"{sum(b['up']['calls'].values())} → {sum(a['up']['calls'].values())}",
            ]
        )
    return [
        "## Before and after: no component per user",
        "",
        "Up to 0.1 `MessagingApp` held a `MessagingUser` component per user, and the engine rewrites the whole "
        "state after every step, so those extra entries cost twice: more steps, each writing a bigger file. "
        "`MessagingApp` now declares each user's resources directly under itself (aliases move stacks made "
        "before in place; `tests/e2e/test_messaging_app_upgrade.py`). Both shapes ran side by side in this run, "
        "on fresh stacks against the same emulator (*before*: `scale:shape=per-user`, the same resources and "
        "names under a component per user).",
        "",
        table(
            [
                "N",
                "state entries",
                "up (s)",
                "up speed-up",
                "up / floor",
                "destroy (s)",
                "destroy speed-up",
                "engine CPU in up (s)",
                "API calls in up",
            ],
            rows,
        ),
        "",
    ]


def plot(results: Json, path: Path) -> None:
    import matplotlib

    matplotlib.use("Agg")
    import matplotlib.pyplot as plt

    sizes = results["sizes"]
    users = [s["users"] for s in sizes]
    figure, (times, per_resource, calls) = plt.subplots(1, 3, figsize=(16, 5))
    series = (
        ("pulumi up", lambda s: s["phases"]["up"]["seconds"], "C0", "-"),
        ("pulumi up, skip checkpoints", lambda s: s["skip_checkpoints"]["up"]["seconds"], "C0", "--"),
        ("floor up (boto3, 4 threads)", lambda s: s["floor"]["up"]["seconds"], "k", "-"),
        ("pulumi destroy", lambda s: s["phases"]["destroy"]["seconds"], "C3", "-"),
        ("pulumi destroy, skip checkpoints", lambda s: s["skip_checkpoints"]["destroy"]["seconds"], "C3", "--"),
        ("floor destroy", lambda s: s["floor"]["destroy"]["seconds"], "k", ":"),
        ("pulumi refresh", lambda s: s["phases"]["refresh"]["seconds"], "C2", "-"),
        ("floor refresh", lambda s: s["floor"]["refresh"]["seconds"], "k", "-."),
        ("no-op pulumi preview", lambda s: s["phases"]["preview"]["seconds"], "C1", "-"),
    )
    if all("before" in s for s in sizes):
        series += (
            ("pulumi up, before (0.1)", lambda s: s["before"]["up"]["seconds"], "C4", "-"),
            ("pulumi destroy, before (0.1)", lambda s: s["before"]["destroy"]["seconds"], "C4", ":"),
        )
    for label, get, color, style in series:
        values = [get(s) for s in sizes]
        times.plot(users, values, marker="o", color=color, linestyle=style, label=label)
        per_resource.plot(
            users,
            [v / s["resources"] * 1000 for v, s in zip(values, sizes, strict=True)],
            marker="o",
            color=color,
            linestyle=style,
            label=label,
        )
    times.set(xscale="log", yscale="log", xlabel="users (N)", ylabel="seconds", title="Wall time")
    per_resource.set(
        xscale="log", yscale="log", xlabel="users (N)", ylabel="ms per dynamic resource", title="Time per resource"
    )
    for phase, color, style, width in (
        ("up", "C0", "-", 4.0),
        ("refresh", "C2", "-", 1.5),
        ("destroy", "C3", "--", 1.5),
        ("preview", "C1", "-", 1.5),
    ):
        calls.plot(
            users,
            [calls_total(s["phases"][phase]) for s in sizes],
            marker="o",
            color=color,
            linestyle=style,
            linewidth=width,
            alpha=0.8,
            label=f"pulumi {phase}",
        )
    for phase, marker in (("up", "x"), ("refresh", "+"), ("destroy", "1")):
        calls.plot(
            users,
            [sum(s["floor"][phase]["calls"].values()) for s in sizes],
            marker=marker,
            markersize=12,
            linestyle="none",
            color="k",
            label=f"floor {phase}",
        )
    calls.set(xlabel="users (N)", ylabel="API calls", title="API calls (floor: the same)")
    for axes in (times, per_resource, calls):
        axes.grid(True, which="both", alpha=0.3)
        axes.set_xticks(users, [str(u) for u in users])
        axes.minorticks_off()
    times.legend(fontsize=7)
    calls.legend(fontsize=7)
    figure.suptitle(f"One MessagingApp with N users, {results['latency_ms']:g} ms per API request, 2 cores")
    figure.tight_layout()
    figure.savefig(path, dpi=110)
    plt.close(figure)


# -- main ------------------------------------------------------------------------------------------------------------


def background_load(seconds: float = 2.0) -> float:
    """How busy the machine's CPUs are before the benchmark starts (other jobs skew every figure)."""
    return float(psutil.cpu_percent(interval=seconds)) / 100.0


def machine() -> str:
    memory = psutil.virtual_memory().total / 2**30
    return f"{psutil.cpu_count()} cores, {memory:.0f} GiB, Python {platform.python_version()}, {platform.system()}"


@contextlib.contextmanager
def emulator_process(latency_ms: float) -> Iterator[EmulatorProcess]:
    emulator = EmulatorProcess(latency_ms)
    try:
        yield emulator
    finally:
        emulator.stop()


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--sizes", default="100,300,1000", help="user counts, comma-separated (default 100,300,1000)")
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
    parser.add_argument("--out", type=Path, default=DOCS, help="folder for benchmarks.md/.png/.json")
    parser.add_argument("--render-only", action="store_true", help="rewrite .md and .png from the .json")
    args = parser.parse_args()
    args.out.mkdir(parents=True, exist_ok=True)
    raw = args.out / "benchmarks.json"
    if args.render_only:
        render(json.loads(raw.read_text()), args.out)
        return
    run_started = time.time()
    sizes = [int(size) for size in args.sizes.split(",") if size.strip()]
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

    with tempfile.TemporaryDirectory(prefix="bench-scale-") as tmp, emulator_process(args.latency_ms) as emulator:
        home = Path(tmp)
        env = engine_env(home, bin_dir)
        results["cold_start"] = timed(lambda: measure_cold_start(emulator.url))
        for users in sizes:
            measured = timed(lambda users=users: measure_size(home, home, env, emulator, users))
            results["sizes"] = sorted(
                [s for s in results["sizes"] if s["users"] != users] + [measured], key=lambda s: s["users"]
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
