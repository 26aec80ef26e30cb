"""API calls per phase and bytes of state per resource, measured through the real engine.

Run from the project root: .venv/bin/python -m bench.resource_figures   (after `make pulumi`; about a minute)

For each resource it brings up the parents alone, then adds the resource, and counts from the
emulator's request log the calls of: create, a no-op preview, refresh (minus the parents' share),
an update of one field, and delete. State bytes = the resource's entry in `pulumi stack export`.
"""

from __future__ import annotations

import importlib
import json
import tempfile
from pathlib import Path

from pulumi_chime_sdk_identity.emulator import EmulatorClient, EmulatorServer
from tests.e2e.acceptance import Case  # the resources' acceptance cases are what is measured
from tools.harness.engine import REPO, Stack, engine_env, pulumi_bin_dir

SPEC_PROGRAM = REPO / "tests" / "e2e" / "programs" / "spec"

MODULES = [
    "app_instance",
    "app_instance_user",
    "app_instance_bot",
    "app_instance_admin",
    "app_instance_user_endpoint",
    "app_instance_retention_settings",
]


def measure(case: Case, stack: Stack, emulator: EmulatorClient) -> dict[str, object]:
    def calls(action: object) -> list[str]:
        start = len(emulator.requests())
        action()  # type: ignore[operator]
        return emulator.operations(start)

    stack.declare(*case.parents)
    stack.up()
    parents_refresh = calls(lambda: stack.refresh())
    stack.declare(*case.parents, case.entry())
    row: dict[str, object] = {"create": calls(stack.up), "preview": calls(lambda: stack.preview())}
    refresh = calls(lambda: stack.refresh())
    for op in parents_refresh:
        refresh.remove(op)
    row["refresh"] = refresh
    (entry,) = stack.resources(case.type)
    row["state bytes"] = len(json.dumps(entry, separators=(",", ":")))
    row["provider bytes"] = len(entry["inputs"]["__provider"])
    if case.update:
        key, value = next(iter(case.update.items()))
        stack.declare(*case.parents, case.entry(**{key: value}))
        row["update"] = calls(stack.up)
    else:
        row["update"] = "(replaces)"
    stack.declare(*case.parents)
    row["delete"] = calls(stack.up)
    return row


def main() -> None:
    tmp = Path(tempfile.mkdtemp())
    env = engine_env(tmp, pulumi_bin_dir())
    with EmulatorServer() as server:
        emulator = EmulatorClient(server.url)
        print(
            f"{'resource':30} {'create':>6} {'preview':>7} {'refresh':>7} {'update':>10} {'delete':>6} {'state B':>8}"
        )
        for index, module in enumerate(MODULES):
            case = importlib.import_module(f"tests.e2e.test_{module}").CASE
            stack = Stack(SPEC_PROGRAM, tmp / f"w{index}", env, server.url)
            try:
                row = measure(case, stack, emulator)
            finally:
                stack.remove()
                emulator.reset()
            update = row["update"] if isinstance(row["update"], str) else len(row["update"])  # type: ignore[arg-type]
            print(
                f"{case.type:30} {len(row['create']):>6} {len(row['preview']):>7} {len(row['refresh']):>7} "  # type: ignore[arg-type]
                f"{update:>10} {len(row['delete']):>6} {row['state bytes']:>8}"  # type: ignore[arg-type]
            )
            print(f"    {json.dumps({k: v for k, v in row.items() if k not in ('state bytes',)})}")


if __name__ == "__main__":
    main()
