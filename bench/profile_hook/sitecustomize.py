"""Bench-only profiling hook: Python imports it at start-up when this folder is on PYTHONPATH.

bench/scale/profiling.py puts it there only for its profiling run, and it does nothing unless
``BENCH_PROFILE_DIR`` is set. Then:

- in the dynamic provider process (``python -m pulumi.dynamic``) it wraps every gRPC method of the
  servicer: one JSON line per call in ``calls-<pid>.jsonl`` (method, start, end, thread) and, unless
  ``BENCH_PROFILE_CPROFILE=0``, a cProfile of each call, merged into ``provider-<pid>.pstats`` every
  half second and at exit;
- in the program process (``pulumi-language-python-exec``) it profiles the main thread (the SDK's event
  loop, where resources are registered) into ``program-<pid>.pstats`` at exit.

Nothing here is imported by the package or its tests.
"""

from __future__ import annotations

import atexit
import cProfile
import functools
import json
import os
import pstats
import sys
import threading
import time
from typing import Any

_DIR = os.environ.get("BENCH_PROFILE_DIR")
_CPROFILE = os.environ.get("BENCH_PROFILE_CPROFILE", "1") != "0"
_METHODS = ("Check", "Diff", "Create", "Read", "Update", "Delete", "Configure")


def _provider_hook(directory: str) -> None:
    from pulumi.runtime.proto import provider_pb2_grpc

    pid = os.getpid()
    calls = open(os.path.join(directory, f"calls-{pid}.jsonl"), "a", buffering=1)  # noqa: SIM115 - lives as long as the process
    finished: list[cProfile.Profile] = []
    lock = threading.Lock()
    flushing = threading.Lock()
    merged: list[pstats.Stats] = []

    def flush() -> None:
        with flushing:
            with lock:
                batch = finished[:]
                finished.clear()
            if not batch:
                return
            if not merged:
                merged.append(pstats.Stats(batch.pop()))
            for profile in batch:
                merged[0].add(profile)
            merged[0].dump_stats(os.path.join(directory, f"provider-{pid}.pstats"))

    def flush_forever() -> None:
        while True:
            time.sleep(0.5)
            flush()

    if _CPROFILE:
        threading.Thread(target=flush_forever, name="bench-profile-flush", daemon=True).start()
        atexit.register(flush)  # the engine stops the provider with SIGINT, which exits through atexit

    def wrap(name: str, method: Any) -> Any:
        @functools.wraps(method)
        def timed(request: Any, context: Any) -> Any:
            profile = cProfile.Profile() if _CPROFILE else None
            start = time.time()
            if profile is not None:
                profile.enable()
            try:
                return method(request, context)
            finally:
                if profile is not None:
                    profile.disable()
                end = time.time()
                calls.write(
                    json.dumps({"method": name, "start": start, "end": end, "thread": threading.get_ident()}) + "\n"
                )
                if profile is not None:
                    with lock:
                        finished.append(profile)

        return timed

    original = provider_pb2_grpc.add_ResourceProviderServicer_to_server

    def add_servicer(servicer: Any, server: Any) -> Any:
        for name in _METHODS:
            setattr(servicer, name, wrap(name, getattr(servicer, name)))
        return original(servicer, server)

    provider_pb2_grpc.add_ResourceProviderServicer_to_server = add_servicer


def _program_hook(directory: str) -> None:
    profile = cProfile.Profile()

    def dump() -> None:
        profile.disable()
        profile.dump_stats(os.path.join(directory, f"program-{os.getpid()}.pstats"))

    atexit.register(dump)
    profile.enable()


if _DIR:
    _argv = list(getattr(sys, "orig_argv", sys.argv))
    if "pulumi.dynamic" in _argv:
        _provider_hook(_DIR)
    elif _CPROFILE and any(arg.endswith("pulumi-language-python-exec") for arg in _argv):
        _program_hook(_DIR)
