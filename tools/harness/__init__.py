"""The development harness that the tests and the benchmarks share; not part of the installed library.

- ``tools.harness.engine``: the real ``pulumi`` CLI on throw-away stacks (local file backend, the
  emulator's endpoint, no network): ``engine_env``, ``pulumi_bin_dir``, ``Stack``.
- ``tools.harness.emulator_process``: the ``chime-identity-emulator`` console script in its own process.
- ``tools.harness.soak``: the soak workload's faults, checks, crash killer and backend repairs.

It is imported from the repository root: pytest puts the root on ``sys.path`` (``pythonpath`` in
pyproject.toml) and the benchmarks run as modules from there (``.venv/bin/python -m bench.scale``).
"""
