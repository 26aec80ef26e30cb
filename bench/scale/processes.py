"""Running pulumi on the workload's stacks, and sampling its processes' memory and CPU."""

from __future__ import annotations

import collections
import json
import platform
import subprocess
import tempfile
import threading
import time
from pathlib import Path
from typing import Any

import psutil

from tools.harness import soak
from tools.harness.emulator_process import EmulatorProcess
from tools.harness.engine import REPO, Stack

PROGRAM = REPO / "bench" / "programs" / "scale"
WORKERS = 4  # the Python dynamic-provider host serves at most 4 gRPC calls at once
SAMPLE_SECONDS = 0.1
COMMAND_TIMEOUT_SECONDS = 3600
SKIP_CHECKPOINTS = {"PULUMI_SKIP_CHECKPOINTS": "true"}
UP = ["up", "--yes", "--skip-preview"]
PREVIEW = ["preview"]
REFRESH = ["refresh", "--yes", "--skip-preview"]
DESTROY = ["destroy", "--yes", "--skip-preview"]

Json = dict[str, Any]


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
    stack = Stack(PROGRAM, workdir / name, env, url)
    stack.set_config("scale:users", str(users))
    for key, value in config.items():
        stack.set_config(f"scale:{key}", value)
    return stack


def emulator_cpu_seconds(emulator: EmulatorProcess) -> float:
    """CPU seconds the emulator's process has spent so far."""
    times = psutil.Process(emulator.pid).cpu_times()
    return float(times.user + times.system)


def busy_cpu_seconds() -> float:
    """CPU seconds the whole machine has spent busy so far."""
    times = psutil.cpu_times()
    return float(sum(times) - times.idle - getattr(times, "iowait", 0.0))


def process_cpu_seconds() -> float:
    """CPU seconds of this script (the sampler thread) so far."""
    times = psutil.Process().cpu_times()
    return float(times.user + times.system)


def run_phase(
    stack: Stack,
    emulator: EmulatorProcess,
    args: list[str],
    extra_env: dict[str, str] | None = None,
    *,
    check: bool = True,
) -> Json:
    """Run `pulumi ARGS` on the stack: wall time, the API calls it made, and its processes' figures.

    ``calls`` are the answered requests by operation; ``throttled`` the 429s quota mode answered instead
    (none without it), each of which the provider sends again; ``failed`` the resources the engine's output
    shows failed. A command that exits non-zero ends the benchmark, unless ``check`` is False.
    """
    since = len(emulator.requests())
    emulator_cpu = emulator_cpu_seconds(emulator)
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
        output.seek(0)
        text = output.read()
        if code != 0 and check:
            raise SystemExit(f"pulumi {' '.join(args)} exited {code}:\n{text[-5000:]}")
    emulator_cpu = emulator_cpu_seconds(emulator) - emulator_cpu
    # CPU that neither this run's processes, the emulator nor this script used: other jobs on the machine.
    other = busy_cpu_seconds() - machine_cpu - sum(figures["cpu"].values()) - emulator_cpu
    other -= process_cpu_seconds() - own_cpu
    entries = emulator.requests(since)
    first = min((entry["time"] for entry in entries), default=None)
    provider_started = figures.pop("started").get("provider")
    answered = [entry for entry in entries if not quota_throttled(entry)]
    failed, _ = soak.failures(text)
    return {
        "seconds": round(seconds, 3),
        "started_at": started,
        "exit_code": code,
        "failed": failed,
        "calls": by_operation(answered),
        "throttled": by_operation([entry for entry in entries if quota_throttled(entry)]),
        "errors": sum(1 for entry in answered if entry["status"] >= 400),
        "first_request_s": round(first - started, 3) if first is not None else None,
        "provider_start_s": round(provider_started - started, 3) if provider_started is not None else None,
        "emulator_cpu": round(emulator_cpu, 3),
        "other_cpu_share": round(max(other, 0.0) / (seconds * (psutil.cpu_count() or 1)), 3),
        **figures,
    }


def quota_throttled(entry: Json) -> bool:
    """Whether quota mode answered this request 429 (an injected throttle has a ``fault``; quota's has none)."""
    return bool(entry["status"] == 429 and entry["fault"] is None)


def by_operation(entries: list[Json]) -> dict[str, int]:
    """Requests of a log slice counted per operation, sorted by name."""
    return dict(sorted(collections.Counter(entry["operation"] for entry in entries).items()))


def calls_total(phase: Json) -> int:
    """API calls a phase made."""
    return sum(phase["calls"].values())


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


# -- the machine -----------------------------------------------------------------------------------------------------


def background_load(seconds: float = 2.0) -> float:
    """How busy the machine's CPUs are before the benchmark starts (other jobs skew every figure)."""
    return float(psutil.cpu_percent(interval=seconds)) / 100.0


def machine() -> str:
    memory = psutil.virtual_memory().total / 2**30
    return f"{psutil.cpu_count()} cores, {memory:.0f} GiB, Python {platform.python_version()}, {platform.system()}"
