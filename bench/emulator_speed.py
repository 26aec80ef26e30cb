"""How fast is the emulator? Latency with one boto3 client, throughput with 8 concurrent clients.

Run from the project root::

    .venv/bin/python -m bench.emulator_speed [--latency-calls 2000] [--requests 4000] [--workers 8]

The emulator runs in its own process (the ``chime-identity-emulator`` console script on a free port), so the
benchmark's clients and the server do not share a GIL. Three phases, each on freshly reset state:

1. latency: DescribeAppInstance from one client, one call at a time, after a warm-up; no injected latency
2. throughput, threads: ``--workers`` threads with one boto3 client each, a Describe/List/Create mix
3. throughput, processes: the same mix from ``--workers`` processes, in case the client side's GIL is the limit

Besides the client-side figures it reads the emulator's own handling time (``duration_ms`` of
``GET /_emulator/requests``): the time from routing a request to having its answer, excluding HTTP I/O.
"""

from __future__ import annotations

import argparse
import multiprocessing
import os
import statistics
import sys
import threading
import time
from dataclasses import dataclass
from typing import Any

import boto3

from pulumi_chime_sdk_identity.emulator import EmulatorClient
from tools.harness.emulator_process import EmulatorProcess, chime_client

REGION = "us-east-1"
WARMUP = 200  # calls before the latency phase is timed
WORKER_WARMUP = 10  # calls per concurrent worker before the barrier
SEED_USERS = 20  # users in the app instance before a throughput phase


# -- CPU of the emulator and of the machine ----------------------------------------------------------------------


def cpu_seconds(pid: int) -> float | None:
    """User plus system CPU time of a process so far (Linux /proc; None elsewhere)."""
    try:
        with open(f"/proc/{pid}/stat") as stat:
            fields = stat.read().rpartition(")")[2].split()
    except OSError:
        return None
    return (int(fields[11]) + int(fields[12])) / os.sysconf("SC_CLK_TCK")


def machine_busy() -> tuple[int, int] | None:
    """(busy, total) jiffies of all CPUs so far (Linux /proc/stat; None elsewhere)."""
    try:
        with open("/proc/stat") as stat:
            values = [int(v) for v in stat.readline().split()[1:]]
    except OSError:
        return None
    idle = values[3] + values[4]  # idle + iowait
    return sum(values) - idle, sum(values)


class Window:
    """Wall time of a timed window, with the emulator's and the machine's CPU use over it."""

    def __init__(self, server_pid: int) -> None:
        self.server_pid = server_pid
        self.started = time.perf_counter()
        self._server = cpu_seconds(server_pid)
        self._machine = machine_busy()
        self.seconds = 0.0
        self.server_cpu: float | None = None
        self.machine_cpu: float | None = None

    def stop(self) -> Window:
        self.seconds = time.perf_counter() - self.started
        server, machine = cpu_seconds(self.server_pid), machine_busy()
        if server is not None and self._server is not None:
            self.server_cpu = (server - self._server) / self.seconds
        if machine is not None and self._machine is not None:
            self.machine_cpu = (machine[0] - self._machine[0]) / max(1, machine[1] - self._machine[1])
        return self


def background_load(seconds: float = 0.5) -> float | None:
    """How busy the machine is before the benchmark starts (other jobs skew every figure)."""
    before = machine_busy()
    time.sleep(seconds)
    after = machine_busy()
    if before is None or after is None:
        return None
    return (after[0] - before[0]) / max(1, after[1] - before[1])


# -- clients and the request mix -----------------------------------------------------------------------------------


def make_client(url: str) -> Any:
    """A boto3 client of its own session (sessions are not thread-safe), without retries."""
    return chime_client(url, region=REGION, retries={"max_attempts": 1, "mode": "standard"})


@dataclass(frozen=True)
class Fixture:
    """What a phase's requests refer to: one app instance and one of its users."""

    app_arn: str
    user_arn: str


def reset_and_seed(emulator: EmulatorClient) -> Fixture:
    emulator.reset()
    client = make_client(emulator.url)
    app_arn = client.create_app_instance(Name="bench")["AppInstanceArn"]
    user_arns = [
        client.create_app_instance_user(AppInstanceArn=app_arn, AppInstanceUserId=f"seed-{i}", Name=f"seed {i}")[
            "AppInstanceUserArn"
        ]
        for i in range(SEED_USERS)
    ]
    return Fixture(app_arn, user_arns[0])


def mixed_call(client: Any, fixture: Fixture, worker: int, i: int) -> None:
    """Request i of a worker: 60% Describe, 30% List, 10% Create."""
    slot = i % 10
    if slot < 5:
        client.describe_app_instance(AppInstanceArn=fixture.app_arn)
    elif slot == 5:
        client.describe_app_instance_user(AppInstanceUserArn=fixture.user_arn)
    elif slot < 9:
        client.list_app_instance_users(AppInstanceArn=fixture.app_arn, MaxResults=10)
    else:
        client.create_app_instance_user(
            AppInstanceArn=fixture.app_arn, AppInstanceUserId=f"w{worker}-{i}", Name=f"worker {worker} #{i}"
        )


def run_mix(client: Any, fixture: Fixture, worker: int, count: int) -> tuple[list[float], int]:
    """count mixed requests; their latencies in ms and the number that failed."""
    latencies: list[float] = []
    errors = 0
    for i in range(count):
        started = time.perf_counter()
        try:
            mixed_call(client, fixture, worker, i)
        except Exception:
            errors += 1
        latencies.append((time.perf_counter() - started) * 1000.0)
    return latencies, errors


def warm_up(client: Any, fixture: Fixture, calls: int) -> None:
    for _ in range(calls):
        client.describe_app_instance(AppInstanceArn=fixture.app_arn)


# -- phases ----------------------------------------------------------------------------------------------------------


@dataclass
class Result:
    phase: str
    requests: int
    latencies: list[float]
    errors: int
    server_ms: list[float]
    window: Window

    @property
    def seconds(self) -> float:
        return self.window.seconds

    @property
    def rps(self) -> float:
        return self.requests / self.seconds


def latency_phase(emulator: EmulatorProcess, calls: int) -> Result:
    fixture = reset_and_seed(emulator)
    client = make_client(emulator.url)
    warm_up(client, fixture, WARMUP)
    since = len(emulator.requests())
    latencies = []
    window = Window(emulator.pid)
    for _ in range(calls):
        started = time.perf_counter()
        client.describe_app_instance(AppInstanceArn=fixture.app_arn)
        latencies.append((time.perf_counter() - started) * 1000.0)
    window.stop()
    return Result("DescribeAppInstance, 1 client", calls, latencies, 0, server_times(emulator, since), window)


def thread_phase(emulator: EmulatorProcess, workers: int, total: int) -> Result:
    fixture = reset_and_seed(emulator)
    per_worker = total // workers
    clients = [make_client(emulator.url) for _ in range(workers)]
    barrier = threading.Barrier(workers + 1)
    results: list[tuple[list[float], int]] = [([], 0)] * workers

    def work(worker: int) -> None:
        warm_up(clients[worker], fixture, WORKER_WARMUP)
        barrier.wait()
        results[worker] = run_mix(clients[worker], fixture, worker, per_worker)

    since = len(emulator.requests()) + workers * WORKER_WARMUP
    threads = [threading.Thread(target=work, args=(w,)) for w in range(workers)]
    for thread in threads:
        thread.start()
    barrier.wait()
    window = Window(emulator.pid)
    for thread in threads:
        thread.join()
    window.stop()
    return _combine(f"mix, {workers} threads", emulator, since, per_worker * workers, window, results)


def _process_worker(
    url: str, fixture: Fixture, worker: int, count: int, barrier: Any, queue: multiprocessing.Queue[Any]
) -> None:
    client = make_client(url)
    warm_up(client, fixture, WORKER_WARMUP)
    barrier.wait()
    queue.put((worker, *run_mix(client, fixture, worker, count)))


def process_phase(emulator: EmulatorProcess, workers: int, total: int) -> Result:
    fixture = reset_and_seed(emulator)
    per_worker = total // workers
    context = multiprocessing.get_context("spawn")
    barrier = context.Barrier(workers + 1)
    queue: multiprocessing.Queue[Any] = context.Queue()
    since = len(emulator.requests()) + workers * WORKER_WARMUP
    processes = [
        context.Process(target=_process_worker, args=(emulator.url, fixture, w, per_worker, barrier, queue))
        for w in range(workers)
    ]
    for process in processes:
        process.start()
    barrier.wait(timeout=120)  # the workers have imported boto3, made a client and warmed up
    window = Window(emulator.pid)
    results = [queue.get(timeout=300) for _ in processes]
    window.stop()
    for process in processes:
        process.join()
    ordered = [(latencies, errors) for _, latencies, errors in sorted(results, key=lambda r: r[0])]
    return _combine(f"mix, {workers} processes", emulator, since, per_worker * workers, window, ordered)


def _combine(
    phase: str,
    emulator: EmulatorClient,
    since: int,
    requests: int,
    window: Window,
    results: list[tuple[list[float], int]],
) -> Result:
    latencies = [ms for worker_latencies, _ in results for ms in worker_latencies]
    errors = sum(worker_errors for _, worker_errors in results)
    return Result(phase, requests, latencies, errors, server_times(emulator, since), window)


def server_times(emulator: EmulatorClient, since: int) -> list[float]:
    return [float(entry["duration_ms"]) for entry in emulator.requests(since)]


# -- report ----------------------------------------------------------------------------------------------------------


def percentile(values: list[float], pct: float) -> float:
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, round(pct / 100.0 * (len(ordered) - 1)))]


def _share(value: float | None) -> str:
    return "n/a" if value is None else f"{value:.0%}"


def report(results: list[Result], elapsed: float) -> None:
    header = (
        f"{'phase':<32} {'requests':>8} {'seconds':>8} {'req/s':>8} {'p50 ms':>7} {'p95 ms':>7} {'p99 ms':>7} "
        f"{'server p50 ms':>13} {'server p95 ms':>13} {'server CPU':>10} {'machine CPU':>11} {'errors':>6}"
    )
    print(header)
    print("-" * len(header))
    for r in results:
        print(
            f"{r.phase:<32} {r.requests:>8} {r.seconds:>8.2f} {r.rps:>8.0f} {statistics.median(r.latencies):>7.2f} "
            f"{percentile(r.latencies, 95):>7.2f} {percentile(r.latencies, 99):>7.2f} "
            f"{statistics.median(r.server_ms):>13.3f} {percentile(r.server_ms, 95):>13.3f} "
            f"{_share(r.window.server_cpu):>10} {_share(r.window.machine_cpu):>11} {r.errors:>6}"
        )
    print(
        f"\nCPUs: {os.cpu_count()}; python {sys.version.split()[0]}; boto3 {boto3.__version__}; "
        f"total run {elapsed:.1f} s\nserver p50/p95 = the emulator's own duration_ms (routing to answer, no HTTP I/O); "
        "server CPU = the emulator process's CPU time / wall time (100% = one core, the ceiling of its GIL); "
        "machine CPU = all cores busy (100% = every core)"
    )


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--latency-calls", type=int, default=2000, help="timed DescribeAppInstance calls")
    parser.add_argument("--requests", type=int, default=4000, help="requests per throughput phase")
    parser.add_argument("--workers", type=int, default=8, help="concurrent clients per throughput phase")
    args = parser.parse_args()

    began = time.perf_counter()
    idle_load = background_load()
    with EmulatorProcess() as emulator:
        results = [
            latency_phase(emulator, args.latency_calls),
            thread_phase(emulator, args.workers, args.requests),
            process_phase(emulator, args.workers, args.requests),
        ]
    print(f"emulator: {emulator.url} (separate process)\n")
    report(results, time.perf_counter() - began)
    print(f"machine CPU busy before the run (other jobs): {_share(idle_load)}")
    return 1 if any(r.errors for r in results) else 0


if __name__ == "__main__":
    sys.exit(main())
