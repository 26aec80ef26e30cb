"""Proof at scale: `pulumi up/preview/refresh/destroy` of one MessagingApp with N users, against a floor.

Run from the project root (``make bench``; about 25 minutes on 2 cores, most of it N=1000, a third of it under quota)::

    .venv/bin/python -m bench.scale [--sizes 100,300,1000] [--quota-sizes 100,300,1000|none] [--latency-ms 20]
        [--profile-users 300] [--engine-profile-users 300] [--out docs]
    .venv/bin/python -m bench.scale --render-only     # rewrite docs/ from docs/benchmarks.json
    .venv/bin/python -m bench.scale --merge --sizes 1000 --profile-users 0 --engine-profile-users 0
                                                      # re-measure one size, keep the rest of the .json
    .venv/bin/python -m bench.scale --sizes 10 --profile-users 10 --engine-profile-users 0 --out /tmp/scale
                                                      # a smoke run of every part, in a minute or two

Workload (bench/programs/scale, its numbers in workload.py there): one MessagingApp with N tagged users,
5 of them admins, 20 of them with a push endpoint, and retention: N + 27 dynamic resources. The emulator
runs in its own process with a fixed 20 ms of injected latency per request.

Before and after: state entries used to record the Python SDK's whole stack trace; our resources now keep
the program's frames only (dynamic_providers/_resource.py). Each size also runs the same workload with
``CHIMESDKIDENTITY_FULL_STACK_TRACES=true`` (the "before") side by side, `up` and `destroy`.

For each N, on a fresh stack through the real CLI (file backend, as in the tests):

1. ``pulumi up --skip-preview``, a no-op ``pulumi preview``, ``pulumi refresh``, ``pulumi stack export``,
   ``pulumi destroy``: wall time, API calls from the emulator's request log, peak RSS and CPU seconds of
   each process (psutil, every 0.1 s), and the cold start (first API request after ``pulumi up`` began).
2. The floor: plain boto3, one client shared by 4 threads (the Python host runs at most 4 operations at
   once), making exactly the operations and counts each phase made according to the log, level by level
   (the AppInstance, then users and retention, then admins and endpoints; deletes in reverse).
3. ``up`` and ``destroy`` again with ``PULUMI_SKIP_CHECKPOINTS=true``: the engine then writes the state
   once at the end instead of after every step, which isolates the cost of checkpointing.
4. ``up`` and ``destroy`` of the "before" (full stack traces in state), with checkpoints, as in 1.
5. Under quota (``--quota-sizes``, default the ``--sizes``; ``none`` skips it): ``up``, ``refresh`` and
   ``destroy`` on a fresh emulator process started with ``--quota`` (10/s per operation, burst 10): calls
   answered and throttled per operation, failed resources, wall time against the quota floor (the slowest
   operation's max(0, calls - burst) / rate), and the emulator's inventory against the state after ``up``
   and after ``destroy`` (module ``quota``).

Then, once: the provider process's start-up cost, piece by piece; and a profiling run at
``--profile-users`` users (checkpoints skipped, so what is left shows): the provider's gRPC calls timed
(bench/profile_hook/sitecustomize.py, put on PYTHONPATH only here), then cProfile of the provider and of
the program; plus the same resources without any component (``scale:shape=bare``) to price the one left; and
``pulumi up --profiling`` at ``--engine-profile-users`` users, read with ``go tool pprof`` (the engine's CPU).

Writes docs/benchmarks.md, docs/benchmarks.png and docs/benchmarks.json (or into ``--out``).

The modules, by concern: ``processes`` (running pulumi and sampling its processes), ``floor`` (the same
calls from plain boto3), ``quota`` (the runs under quota), ``profiling`` (cold start, cProfile, the engine's
pprof), ``report`` with its prose in ``report.md`` and ``plot``; ``__main__`` measures each size and writes
the files.
"""
