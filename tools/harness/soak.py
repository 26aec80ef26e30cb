"""Shared by bench/soak.py, bench/crash.py and tests/e2e/test_soak.py: the soak workload, its faults and checks.

The workload is bench/programs/soak (its numbers, tags and names in workload.py there): one
MessagingApp with N tagged users, the first 5 admins, one endpoint on each of the first 20 users,
and 30-day retention. The emulator runs in the calling process, so the checks read a snapshot of its
state (``EmulatorServer.snapshot``): no API call, no injected fault and no consistency delay can blur
what is really there.
"""

from __future__ import annotations

import collections
import contextlib
import os
import re
import shutil
import signal
import subprocess
import threading
import time
from collections.abc import Callable
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from bench.programs.soak import workload
from pulumi_chime_sdk_identity.emulator import EmulatorServer
from pulumi_chime_sdk_identity.emulator import Snapshot as EmulatorState
from tools.harness.engine import COMMAND_TIMEOUT_SECONDS, REPO, Stack

WORKLOAD = REPO / "bench" / "programs" / "soak"
# The fault mix of the issue: 30% throttling, 5% 5xx, 2% lost responses, 1 s consistency delay.
FAULTS: dict[str, Any] = {
    "throttle_rate": 0.30,
    "error_rate": 0.05,
    "lost_response_rate": 0.02,
    "consistency_delay_ms": 1000,
}
# Retries exhausted: botocore makes 2 attempts (chimesdkidentity:maxAttempts 2), and 10% of answers are lost after
# the call took effect, so some creates fail although AWS made the resource. No throttling: with 2 attempts it
# would fail every tenth call for no reason this run is about.
EXHAUSTED_MAX_ATTEMPTS = 2
EXHAUSTED_FAULTS: dict[str, Any] = {**FAULTS, "throttle_rate": 0.0, "lost_response_rate": 0.10}
NO_FAULTS: dict[str, Any] = {
    "throttle_rate": 0.0,
    "error_rate": 0.0,
    "lost_response_rate": 0.0,
    "consistency_delay_ms": 0,
    "latency_ms": 0,
    "seed": None,
}
CREATE_OPERATIONS = (
    "CreateAppInstance",
    "CreateAppInstanceUser",
    "CreateAppInstanceAdmin",
    "RegisterAppInstanceUserEndpoint",
    "PutAppInstanceRetentionSettings",
)
DYNAMIC = "pulumi-python:dynamic/chimesdkidentity:"
KINDS = {  # state type -> emulator table
    "AppInstance": "app_instances",
    "AppInstanceUser": "users",
    "AppInstanceBot": "bots",
    "AppInstanceAdmin": "admins",
    "AppInstanceUserEndpoint": "endpoints",
    "AppInstanceRetentionSettings": "retention",
}


def expected_counts(users: int) -> dict[str, int]:
    """What the program declares, per emulator table."""
    return {
        "app_instances": 1,
        "users": users,
        "bots": 0,
        "admins": min(workload.ADMINS, users),
        "endpoints": min(workload.ENDPOINTS, users),
        "retention": 1,
    }


def workload_stack(workdir: Path, env: dict[str, str], server: EmulatorServer, users: int) -> Stack:
    """A throw-away stack of the workload with N users."""
    stack = Stack(WORKLOAD, workdir, env, server.url)
    stack.set_config("soak:users", str(users))
    return stack


def inventory(server: EmulatorServer) -> dict[str, list[str]]:
    """Every key of every resource table, from a snapshot of the emulator's state (retention only when enabled)."""
    state = server.snapshot()
    found = {table: sorted(state[table]) for table in KINDS.values()}
    found["retention"] = sorted(
        key
        for key, record in state["retention"].items()
        if record.get("AppInstanceRetentionSettings", {}).get("ChannelRetentionSettings")
    )
    return found


def inventory_over_api(client: Any) -> dict[str, list[str]]:
    """:func:`inventory` of an emulator in another process, read with boto3 ``client``'s List and Get calls.

    The keys are the IDs the state records (an admin ``<app>|<user>``, an endpoint ``<user>|<endpoint id>``).
    Read it while no fault, delay or quota is in force: each of those would blur or throttle the reads.
    """
    found: dict[str, list[str]] = {table: [] for table in KINDS.values()}
    for app in _pages(client.list_app_instances, "AppInstances"):
        arn = app["AppInstanceArn"]
        found["app_instances"].append(arn)
        users = [u["AppInstanceUserArn"] for u in _pages(client.list_app_instance_users, "AppInstanceUsers", arn)]
        found["users"] += users
        found["bots"] += [b["AppInstanceBotArn"] for b in _pages(client.list_app_instance_bots, "AppInstanceBots", arn)]
        admins = _pages(client.list_app_instance_admins, "AppInstanceAdmins", arn)
        found["admins"] += [f"{arn}|{admin['Admin']['Arn']}" for admin in admins]
        settings = client.get_app_instance_retention_settings(AppInstanceArn=arn)
        if settings.get("AppInstanceRetentionSettings", {}).get("ChannelRetentionSettings"):
            found["retention"].append(arn)

        def endpoints(user: str) -> list[str]:
            listed = _pages(
                client.list_app_instance_user_endpoints, "AppInstanceUserEndpoints", AppInstanceUserArn=user
            )
            return [f"{user}|{endpoint['EndpointId']}" for endpoint in listed]

        with ThreadPoolExecutor(max_workers=8) as pool:  # one List per user: the slow part at 1,000 users
            found["endpoints"] += [key for keys in pool.map(endpoints, users) for key in keys]
    return {table: sorted(keys) for table, keys in found.items()}


def _pages(call: Callable[..., Any], key: str, app_instance_arn: str | None = None, **args: Any) -> list[Any]:
    """Every item of a List call, under ``key`` in each page (botocore has no paginators for this service)."""
    if app_instance_arn is not None:
        args["AppInstanceArn"] = app_instance_arn
    items: list[Any] = []
    while True:
        page = call(MaxResults=50, **args)
        items += page.get(key, [])
        if not page.get("NextToken"):
            return items
        args["NextToken"] = page["NextToken"]


def counts(server: EmulatorServer) -> dict[str, int]:
    return {table: len(keys) for table, keys in inventory(server).items()}


def wrong_tags(server: EmulatorServer) -> list[str]:
    """Users whose tags are not exactly the app's tags plus their own (workload.user_tags)."""
    state = server.snapshot()
    bad = []
    for arn in sorted(state["users"]):
        index = workload.user_index(arn.rsplit("/", 1)[1])
        want = {**workload.APP_TAGS, **workload.user_tags(index)}
        if (state["tags"].get(arn) or {}).get("Tags") != want:
            bad.append(arn)
    return bad


def state_ids(stack: Stack) -> dict[str, list[str]]:
    """The IDs the stack's state holds, per emulator table."""
    ids: dict[str, list[str]] = {table: [] for table in KINDS.values()}
    for resource in stack.resources():
        kind = resource["type"].removeprefix(DYNAMIC)
        if kind in KINDS and resource.get("id"):
            ids[KINDS[kind]].append(resource["id"])
    return ids


def pending_operations(stack: Stack) -> list[dict[str, Any]]:
    return list(stack.export()["deployment"].get("pending_operations") or [])


def mismatch(stack: Stack, server: EmulatorServer) -> dict[str, dict[str, list[str]]]:
    """Per table: IDs in the emulator and not in state (orphans) and in state but not in the emulator."""
    return difference(inventory(server), state_ids(stack))


def difference(live: dict[str, list[str]], state: dict[str, list[str]]) -> dict[str, dict[str, list[str]]]:
    """:func:`mismatch` of an inventory (:func:`inventory` or :func:`inventory_over_api`) and :func:`state_ids`."""
    out: dict[str, dict[str, list[str]]] = {}
    for table in KINDS.values():
        orphans = sorted(set(live[table]) - set(state[table]))
        missing = sorted(set(state[table]) - set(live[table]))
        if orphans or missing:
            out[table] = {"orphaned": orphans, "missing": missing}
    return out


def orphans(stack: Stack, server: EmulatorServer) -> int:
    """Resources in the emulator that the stack's state does not hold."""
    return sum(len(found["orphaned"]) for found in mismatch(stack, server).values())


def settled_creates(requests: list[dict[str, Any]], max_attempts: int) -> int:
    """Creates sent more often than botocore's attempts: their retries ran out and the provider settled them.

    Counted by ClientRequestToken (one per logical create), so CreateAppInstanceAdmin, which takes none, is not.
    """
    sent = collections.Counter(entry["client_request_token"] for entry in requests if entry.get("client_request_token"))
    return sum(1 for count in sent.values() if count > max_attempts)


def faults(requests: list[dict[str, Any]]) -> dict[str, Any]:
    """Faults in a slice of the request log: by kind, and lost responses by operation."""
    kinds = collections.Counter(entry["fault"] for entry in requests if entry.get("fault"))
    lost = collections.Counter(entry["operation"] for entry in requests if entry.get("fault") == "LostResponse")
    return {"requests": len(requests), "by_kind": dict(kinds), "lost_by_operation": dict(lost)}


@dataclass
class Outcome:
    """One pulumi command: exit code, time, resources that failed, error lines and its output."""

    command: str
    returncode: int
    seconds: float
    failed: list[str] = field(default_factory=list)
    errors: list[str] = field(default_factory=list)
    output: str = ""

    @property
    def ok(self) -> bool:
        return self.returncode == 0 and not self.failed

    @property
    def tail(self) -> str:
        return self.output[-3000:]


_FAILED = re.compile(r"^\s*\S+\s+(\S+)\s+(\S+)\s+\*\*\w+ failed\*\*", re.MULTILINE)


def failures(output: str) -> tuple[list[str], list[str]]:
    """Resources shown as `**creating failed**` (type and name), and the error lines of the output."""
    failed = sorted({f"{kind.removeprefix(DYNAMIC)} {name}" for kind, name in _FAILED.findall(output)})
    errors = [line.strip() for line in output.splitlines() if line.strip().startswith("error:")]
    return failed, errors


def run(
    stack: Stack,
    *args: str,
    on_start: Callable[[subprocess.Popen[str]], None] | None = None,
    env: dict[str, str] | None = None,
) -> Outcome:
    """Run `pulumi ARGS` in its own process group; on_start gets the process (to kill it); env is added."""
    command = ["pulumi", *args, "--stack", stack.name, "--non-interactive"]
    started = time.monotonic()
    process = subprocess.Popen(
        command,
        cwd=stack.dir,
        env={**stack.env, **(env or {})},
        stdout=subprocess.PIPE,
        stderr=subprocess.STDOUT,
        text=True,
        start_new_session=True,
    )
    if on_start is not None:
        on_start(process)
    output, _ = process.communicate(timeout=COMMAND_TIMEOUT_SECONDS)
    failed, errors = failures(output)
    return Outcome(" ".join(args), process.returncode, time.monotonic() - started, failed, errors, output)


def backend_dir(stack: Stack) -> Path:
    return Path(stack.env["PULUMI_BACKEND_URL"].removeprefix("file://"))


def repair_after_kill(stack: Stack) -> list[str]:
    """What a killed run leaves in a file backend, undone the way the CLI's messages say; returns what was done.

    - The run's lock file: `pulumi cancel` removes it (else: "the stack is currently locked").
    - A kill while the checkpoint is being written can leave its `.attrs` sidecar empty (gocloud's
      fileblob truncates it before writing; the checkpoint itself is renamed into place atomically),
      and every command then fails with "failed to load checkpoint: EOF". A missing sidecar is
      allowed, so the empty one is deleted.
    """
    done = []
    root = backend_dir(stack) / ".pulumi"
    for sidecar in sorted((root / "stacks").rglob("*.attrs")):
        if sidecar.stat().st_size == 0:
            sidecar.unlink()
            done.append(f"deleted empty {sidecar.name}")
    if any((root / "locks").rglob("*.json")):
        stack.run("cancel", "--yes")
        done.append("pulumi cancel")
    return done


@dataclass
class Snapshot:
    """The emulator's state and the stack's file backend at one moment (to try two recoveries of one crash)."""

    state: EmulatorState
    backend: Path


def snapshot(server: EmulatorServer, stack: Stack, where: Path) -> Snapshot:
    shutil.rmtree(where, ignore_errors=True)
    shutil.copytree(backend_dir(stack), where)
    return Snapshot(server.snapshot(), where)


def restore(server: EmulatorServer, stack: Stack, saved: Snapshot) -> None:
    server.restore(saved.state)
    shutil.rmtree(backend_dir(stack))
    shutil.copytree(saved.backend, backend_dir(stack))


def _descendants(pid: int) -> list[int]:
    """Every live process below pid (the engine starts plugins in their own process groups, so no killpg)."""
    children: dict[int, list[int]] = {}
    for entry in Path("/proc").iterdir():
        if entry.name.isdigit():
            try:
                stat = (entry / "stat").read_text()
            except OSError:
                continue
            parent = int(stat.rpartition(")")[2].split()[1])
            children.setdefault(parent, []).append(int(entry.name))
    found, todo = [], [pid]
    while todo:
        for child in children.get(todo.pop(), []):
            found.append(child)
            todo.append(child)
    return found


def _alive(pid: int) -> bool:
    try:
        state = Path(f"/proc/{pid}/stat").read_text().rpartition(")")[2].split()[0]
    except OSError:
        return False
    return state != "Z"


class CreateKiller:
    """SIGKILLs a `pulumi` CLI process as soon as the emulator has committed the k-th create (of ``operations``).

    It subscribes to the emulator's request log, so the kill lands right after the k-th create took effect and
    before its response leaves the emulator: exactly the window in which AWS has a resource that the
    stack's state will never record. Only the CLI process is killed; its children (language host,
    program, dynamic provider: the engine starts each in its own process group) are recorded at that
    moment, given ``grace`` seconds to exit on their own, then killed by PID.
    """

    def __init__(
        self,
        server: EmulatorServer,
        after_creates: int,
        grace: float = 5.0,
        operations: tuple[str, ...] = CREATE_OPERATIONS,
    ) -> None:
        self.server = server
        self.after = after_creates
        self.operations = operations
        self.grace = grace
        self.process: subprocess.Popen[str] | None = None
        self.seen = 0
        self.fired = threading.Event()
        self.killed_at: dict[str, Any] = {}
        self.children: list[int] = []
        self.children_outlived_grace: list[int] = []
        self.reaped = threading.Event()
        self._unsubscribe: Callable[[], None] | None = None

    def __enter__(self) -> CreateKiller:
        self._unsubscribe = self.server.requests.subscribe(self._seen)
        return self

    def __exit__(self, *exc: object) -> None:
        if self._unsubscribe is not None:
            self._unsubscribe()
        if self.fired.is_set():
            self.reaped.wait(self.grace + 5)

    def attach(self, process: subprocess.Popen[str]) -> None:
        self.process = process

    def _seen(self, entry: dict[str, Any]) -> None:
        committed = entry["status"] < 300 or entry.get("fault") == "LostResponse"
        if entry["operation"] in self.operations and committed:
            self.seen += 1
            if self.seen == self.after and self.process is not None and not self.fired.is_set():
                self.fired.set()
                self.killed_at = {"create": self.seen, "operation": entry["operation"]}
                self.children = _descendants(self.process.pid)
                os.kill(self.process.pid, signal.SIGKILL)
                threading.Thread(target=self._reap, daemon=True).start()

    def _reap(self) -> None:
        deadline = time.monotonic() + self.grace
        while time.monotonic() < deadline and any(_alive(pid) for pid in self.children):
            time.sleep(0.1)
        self.children_outlived_grace = [pid for pid in self.children if _alive(pid)]
        for pid in self.children_outlived_grace:
            with contextlib.suppress(ProcessLookupError):
                os.kill(pid, signal.SIGKILL)
        self.reaped.set()
