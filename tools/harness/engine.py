"""Run the real `pulumi` CLI on a throw-away stack: local file backend, emulator endpoint, no network."""

from __future__ import annotations

import json
import os
import shutil
import subprocess
import sys
import uuid
from collections import Counter
from pathlib import Path
from typing import Any

import yaml

REPO = Path(__file__).resolve().parents[2]
PASSPHRASE = "e2e-test-passphrase"
COMMAND_TIMEOUT_SECONDS = 600


def pulumi_bin_dir() -> str:
    """Where the engine is: $PULUMI_BIN_DIR (set by `make test`), else build or reuse it."""
    if os.environ.get("PULUMI_BIN_DIR"):
        return os.environ["PULUMI_BIN_DIR"]
    result = subprocess.run([str(REPO / "tools" / "build-pulumi.sh")], capture_output=True, text=True, check=True)
    return result.stdout.strip().splitlines()[-1]


def engine_env(home: Path, bin_dir: str) -> dict[str, str]:
    """The environment of every pulumi command: offline, local, and with dummy credentials."""
    venv_bin = str(Path(sys.executable).parent)
    env = {key: value for key, value in os.environ.items() if not key.startswith(("AWS_", "PULUMI_"))}
    env.update(
        PATH=os.pathsep.join([bin_dir, venv_bin, env.get("PATH", "")]),
        PULUMI_BACKEND_URL=f"file://{home / 'backend'}",
        PULUMI_HOME=str(home / "pulumi-home"),
        PULUMI_CONFIG_PASSPHRASE=PASSPHRASE,
        PULUMI_SKIP_UPDATE_CHECK="true",
        PULUMI_DISABLE_AUTOMATIC_PLUGIN_ACQUISITION="true",
        PULUMI_SKIP_CONFIRMATIONS="true",
        PULUMI_DEBUG_COMMANDS="true",  # for --event-log
        AWS_ACCESS_KEY_ID="AKIDE2E",
        AWS_SECRET_ACCESS_KEY="e2e-secret",
        AWS_CONFIG_FILE=os.devnull,
        AWS_SHARED_CREDENTIALS_FILE=os.devnull,
    )
    (home / "backend").mkdir(parents=True, exist_ok=True)
    return env


_REPLACE_OPS = frozenset({"replace", "create-replacement", "delete-replaced", "discard-replaced"})
_ENGINE_TYPES = ("pulumi:pulumi:Stack", "pulumi:providers:")


def resource_ops(event_log: Path, *, completed: bool) -> dict[str, str]:
    """What a `pulumi` command planned (or, ``completed``, did) to each resource, by URN name.

    Each resource gets one of create, update, replace, delete, same or read. A step is planned when its
    resourcePreEvent is logged and done when its resOutputsEvent is, so a step that failed is not done.
    """
    key = "resOutputsEvent" if completed else "resourcePreEvent"
    ops: dict[str, set[str]] = {}
    for line in event_log.read_text().splitlines():
        metadata = json.loads(line).get(key, {}).get("metadata")
        if metadata and not metadata["type"].startswith(_ENGINE_TYPES):
            ops.setdefault(metadata["urn"].rsplit("::", 1)[-1], set()).add(metadata["op"])
    return {name: _one_op(found) for name, found in ops.items()}


def changed(ops: dict[str, str]) -> dict[str, str]:
    """The resources whose operation is not ``same``, by name."""
    return {name: op for name, op in sorted(ops.items()) if op != "same"}


def summary(ops: dict[str, str]) -> str:
    """Operations counted, as the tables of the walks print them: ``create 1, update 2`` or ``no change``."""
    counts = Counter(op for op in ops.values() if op != "same")
    return ", ".join(f"{op} {count}" for op, count in sorted(counts.items())) or "no change"


def _one_op(ops: set[str]) -> str:
    if ops & _REPLACE_OPS:
        return "replace"
    return next((op for op in ("create", "update", "delete", "read") if op in ops), "same")


class PulumiError(AssertionError):
    """A pulumi command failed; carries its output."""


class Stack:
    """One throw-away stack of a copied program folder."""

    def __init__(
        self,
        source: Path,
        workdir: Path,
        env: dict[str, str],
        emulator_url: str,
        *,
        program: str | None = None,
        keep_runtime: bool = False,
    ) -> None:
        """Copy the program folder ``source`` to ``workdir/<program>`` (default: the folder's name) and init a stack.

        A project folder's .venv link, stack files, caches, installed packages and generated SDKs are left
        behind. The copy's Pulumi.yaml runs it with this interpreter's virtualenv; ``keep_runtime`` keeps the
        project's own runtime (a TypeScript, Go or YAML program) and the rest of its Pulumi.yaml, with that
        virtualenv as the runtime option the dynamic provider reads and this checkout as every package's source.
        """
        program = program or source.name
        self.dir = workdir / program
        ignored = (".venv", "Pulumi.*.yaml", "__pycache__", "node_modules", "sdks", "bin")
        shutil.copytree(source, self.dir, ignore=shutil.ignore_patterns(*ignored))
        venv = Path(sys.executable).parent.parent
        project: dict[str, Any] = {"runtime": {"name": "python"}}
        if keep_runtime:
            project = yaml.safe_load((source / "Pulumi.yaml").read_text())
            project["packages"] = dict.fromkeys(project.get("packages") or {}, str(REPO))
        project["name"] = f"e2e-{program}"
        project["runtime"].setdefault("options", {})["virtualenv"] = str(venv)
        (self.dir / "Pulumi.yaml").write_text(yaml.safe_dump(project, sort_keys=False))
        self.transcript: list[str] = []
        """What every command of this stack printed, stdout and stderr."""
        self.env = env
        self.name = f"t{uuid.uuid4().hex[:10]}"
        self.run("stack", "init", self.name)
        self.set_config("chimesdkidentity:endpoint", emulator_url)
        self.set_config("chimesdkidentity:region", "us-east-1")
        # Tests delete resources out of band seconds after creating them; don't wait 15 s for each.
        self.set_config("chimesdkidentity:consistencyWaitSeconds", "1")

    def run(self, *args: str, check: bool = True) -> subprocess.CompletedProcess[str]:
        """Run `pulumi ARGS` in the program folder on this stack."""
        stack = ["--stack", self.name] if args[:2] not in (("stack", "init"), ("package", "add")) else []
        result = subprocess.run(
            ["pulumi", *args, *stack, "--non-interactive"],
            cwd=self.dir,
            env=self.env,
            capture_output=True,
            text=True,
            timeout=COMMAND_TIMEOUT_SECONDS,
        )
        self.transcript.append(result.stdout + result.stderr)
        if check and result.returncode != 0:
            raise PulumiError(f"pulumi {' '.join(args)} exited {result.returncode}\n{result.stdout}\n{result.stderr}")
        return result

    def set_config(self, key: str, value: str, *, secret: bool = False) -> None:
        self.run("config", "set", key, value, *(["--secret"] if secret else []))

    def declare(self, *resources: dict[str, Any]) -> None:
        """Replace the program's resources (the `test:spec` config the program reads)."""
        self.set_config("test:spec", json.dumps({"resources": list(resources)}))

    def plan(self, prefix: Path) -> subprocess.CompletedProcess[str]:
        """`pulumi preview --save-plan <prefix>.plan --event-log <prefix>.preview`, failure or not."""
        return self.run("preview", "--save-plan", f"{prefix}.plan", "--event-log", f"{prefix}.preview", check=False)

    def apply_plan(self, prefix: Path) -> tuple[dict[str, str], dict[str, str]]:
        """`pulumi up --plan` of what :meth:`plan` saved; what the preview planned and what up did, per resource."""
        self.run("up", "--yes", "--skip-preview", "--plan", f"{prefix}.plan", "--event-log", f"{prefix}.up")
        return (
            resource_ops(Path(f"{prefix}.preview"), completed=False),
            resource_ops(Path(f"{prefix}.up"), completed=True),
        )

    def up(self) -> str:
        return self.run("up", "--yes", "--skip-preview").stdout

    def preview(self, *extra: str, check: bool = True) -> subprocess.CompletedProcess[str]:
        return self.run("preview", *extra, check=check)

    def preview_json(self) -> dict[str, Any]:
        """The structured preview: changeSummary and steps."""
        return dict(json.loads(self.run("preview", "--json").stdout))

    def changes(self) -> dict[str, int]:
        """The preview's change summary without the 'same' count, e.g. {"update": 1}."""
        summary = self.preview_json().get("changeSummary", {})
        return {op: count for op, count in summary.items() if op != "same" and count}

    def refresh(self, *extra: str, check: bool = True) -> subprocess.CompletedProcess[str]:
        return self.run("refresh", "--yes", "--skip-preview", *extra, check=check)

    def destroy(self) -> str:
        return self.run("destroy", "--yes", "--skip-preview").stdout

    def export(self) -> dict[str, Any]:
        return dict(json.loads(self.run("stack", "export").stdout))

    def resources(self, type_name: str | None = None) -> list[dict[str, Any]]:
        """The state's resources, optionally of one of our types (e.g. "AppInstanceUser")."""
        found = self.export()["deployment"].get("resources", [])
        if type_name is None:
            return list(found)
        return [r for r in found if r["type"] == f"pulumi-python:dynamic/chimesdkidentity:{type_name}"]

    def outputs(self) -> dict[str, Any]:
        return dict(json.loads(self.run("stack", "output", "--json").stdout))

    def remove(self) -> None:
        """Destroy what is left and delete the stack, even after a failed test."""
        self.run("destroy", "--yes", "--skip-preview", check=False)
        self.run("stack", "rm", "--yes", "--force", check=False)
