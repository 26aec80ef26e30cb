"""TypeScript, Go and YAML programs use MessagingApp, through the component provider, with Python's guarantees.

For each language, through the real CLI, that language's host and the SDK ``pulumi package add`` generates:

- ``examples/<language>`` as committed: up, then a quiet preview (no API call) and a quiet refresh;
- the edits of the preview promise, each previewed (plan saved) then applied: the operation preview planned for
  every resource is the one up performed, it is the one the edit means, and a quiet preview follows;
- bad input fails ``pulumi preview`` naming the field, with no API call;
- adoption: a user made outside the stack is refused until marked ``adopt``, then taken over with no create;
- the data guard: destroying an AppInstance that holds a user the stack does not manage is refused until
  ``forceDestroy`` is set and applied;
- device tokens (from secret config, and one written as a literal) are never in state or output in plain text;
- no plugin is downloaded: the engine finds the package in the program's Pulumi.yaml, and the language host
  reports no plugin of the Python environment (pulumi-aws is installed there).
"""

from __future__ import annotations

import json
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import pytest

from tests.e2e.languages import LANGUAGES, SECRET_KEY, App, edited, initial_app, render, secret
from tests.support import PINPOINT_APP, Emulator
from tools.harness.engine import REPO, Stack, changed, summary

EXAMPLES = REPO / "examples"
TOKEN = "alice-phone-token-e2e-0001"
LITERAL_TOKEN = "bob-tablet-token-e2e-0002"
"""Bob's tablet's token, written in the program as a literal (TypeScript, Go) or read from secret config (YAML:
pulumi-yaml quotes the program's source lines in its type errors, literals included)."""
TABLET_KEY = "bobTabletToken"
READS = ("Describe", "List", "Get")


@dataclass
class Edit:
    """One change to the app and the operation it means per resource (every other resource stays ``same``)."""

    name: str
    change: Callable[[App], Any]
    ops: dict[str, str] = field(default_factory=dict)


def _add_tablet(app: App) -> None:
    token = secret(TABLET_KEY) if app["name"].startswith("yaml") else LITERAL_TOKEN
    app["users"]["bob"]["endpoints"] = {
        "tablet": {"type": "APNS", "resourceArn": PINPOINT_APP, "deviceToken": token, "name": "Bob's iPad"}
    }


EDITS = [
    Edit("add a user", lambda a: a["users"].__setitem__("carol", {"name": "Carol"}), {"chat-carol-user": "create"}),
    Edit("remove a user", lambda a: a["users"].pop("carol"), {"chat-carol-user": "delete"}),
    Edit("rename the AppInstance", lambda a: a.__setitem__("name", a["name"] + "-renamed"), {"chat-app": "update"}),
    Edit(
        "change tags",
        lambda a: a["tags"].__setitem__("team", "core"),
        dict.fromkeys(["chat-app", "chat-alice-user", "chat-bob-user"], "update"),
    ),
    Edit("add an endpoint", _add_tablet, {"chat-bob-endpoint-tablet": "create"}),
    Edit("make a user an admin", lambda a: a["users"]["bob"].__setitem__("admin", True), {"chat-bob-admin": "create"}),
    Edit("change retention", lambda a: a.__setitem__("retentionDays", 90), {"chat-retention": "update"}),
]


@dataclass
class Bad:
    """An input the preview must refuse, and what its message must say, per language (one text for all if str)."""

    name: str
    change: Callable[[App], Any]
    says: str | dict[str, str]


BAD_INPUTS = [
    Bad(
        "a user id with a space",
        lambda a: a["users"].__setitem__("bad id", {"name": "X"}),
        "users.bad id: invalid user id",
    ),
    Bad(
        "retention of 0 days", lambda a: a.__setitem__("retentionDays", 0), "retentionDays: must be between 1 and 5475"
    ),
    Bad(
        "an unknown key",
        lambda a: a["users"]["bob"].__setitem__("naem", "Bobby"),
        {"typescript": "'\"naem\"' does not exist", "go": "unknown field Naem", "yaml": "Property naem does not exist"},
    ),
]


class LanguageWalk:
    """One stack of a language's example, and the record of what each edit did."""

    def __init__(self, language: str, stack: Stack, emulator: Emulator, workdir: Path) -> None:
        self.language = language
        self.stack = stack
        self.emulator = emulator
        self.workdir = workdir
        self.app = initial_app(language)
        self.table: list[tuple[str, str, str]] = []

    def write(self, app: App) -> None:
        render(self.language, app, self.stack.dir)

    def apply(self, edit: Edit, *, writes_not: tuple[str, ...] = ()) -> None:
        app = edited(self.app, edit.change)
        self.write(app)
        prefix = self.workdir / edit.name.replace(" ", "-")
        preview = self.stack.plan(prefix)
        assert preview.returncode == 0, f"{edit.name}: preview failed\n{preview.stdout}\n{preview.stderr}"
        start = len(self.emulator.requests())
        planned, done = self.stack.apply_plan(prefix)
        assert planned == done, f"{edit.name}: preview planned {changed(planned)}, up did {changed(done)}"
        assert changed(done) == edit.ops, f"{edit.name}: up did {changed(done)}"
        made = [op for op in self.emulator.operations(start) if op in writes_not]
        assert made == [], f"{edit.name}: up called {made}"
        self.stack.preview("--expect-no-changes")
        self.app = app
        self.table.append((edit.name, summary(planned), summary(done)))

    def refused(self, name: str, app: App, says: str, *, reads: bool = False) -> None:
        """A preview of ``app`` fails saying ``says``, with no API call (``reads``: none but reads); the program is
        then put back."""
        self.write(app)
        start = len(self.emulator.requests())
        preview = self.stack.preview(check=False)
        output = preview.stdout + preview.stderr
        assert preview.returncode != 0, f"{name}: preview accepted it"
        assert says in output, f"{name}: {output}"
        calls = [op for op in self.emulator.operations(start) if not (reads and op.startswith(READS))]
        assert calls == [], f"{name}: preview called {calls}"
        self.table.append((name, "refused", "-"))
        self.write(self.app)


@pytest.mark.parametrize("language", LANGUAGES)
def test_language_walk(
    language: str,
    stack_factory: Callable[..., Stack],
    emulator: Emulator,
    chime: Any,
    engine: dict[str, str],
    tmp_path: Path,
) -> None:
    stack = stack_factory(language, source=EXAMPLES / language, keep_runtime=True)
    stack.run("package", "add", str(REPO))
    stack.set_config(SECRET_KEY, TOKEN, secret=True)
    stack.set_config(TABLET_KEY, LITERAL_TOKEN, secret=True)

    # The example as committed.
    stack.up()
    arn = stack.outputs()["appInstanceArn"]
    users = chime.list_app_instance_users(AppInstanceArn=arn)["AppInstanceUsers"]
    assert sorted(user["AppInstanceUserArn"].rsplit("/", 1)[1] for user in users) == ["alice", "bob"]
    admins = chime.list_app_instance_admins(AppInstanceArn=arn)["AppInstanceAdmins"]
    assert [admin["Admin"]["Arn"] for admin in admins] == [f"{arn}/user/alice"]
    endpoints = chime.list_app_instance_user_endpoints(AppInstanceUserArn=f"{arn}/user/alice")
    assert len(endpoints["AppInstanceUserEndpoints"]) == 1
    retention = chime.get_app_instance_retention_settings(AppInstanceArn=arn)["AppInstanceRetentionSettings"]
    assert retention == {"ChannelRetentionSettings": {"RetentionDays": 30}}
    assert {"Key": "managed-by", "Value": "pulumi"} in chime.list_tags_for_resource(ResourceARN=arn)["Tags"]
    start = len(emulator.requests())
    stack.preview("--expect-no-changes")
    assert emulator.operations(start) == [], "a no-op preview calls no API"
    stack.refresh("--expect-no-changes")

    walk = LanguageWalk(language, stack, emulator, tmp_path)
    walk.write(walk.app)  # the same program, written from its description: nothing to change
    stack.preview("--expect-no-changes")
    for edit in EDITS:
        walk.apply(edit)
    for bad in BAD_INPUTS:
        says = bad.says if isinstance(bad.says, str) else bad.says[language]
        walk.refused(bad.name, edited(walk.app, bad.change), says)

    # Adoption: a user made outside the stack is refused until the app adopts it.
    chime.create_app_instance_user(AppInstanceArn=arn, AppInstanceUserId="dave", Name="Dave", ClientRequestToken="t1")
    walk.refused("an existing user, not adopted", edited(walk.app, _dave(adopt=False)), "already exists", reads=True)
    walk.apply(
        # adoptId reaches the retention settings too (an adopted app's retention is taken over): no API call.
        Edit(
            "adopt an existing user",
            _dave(adopt=True, app=arn),
            {"chat-app": "update", "chat-retention": "update", "chat-dave-user": "create"},
        ),
        writes_not=("CreateAppInstanceUser",),
    )

    # Device tokens: secret in state, never printed.
    state = json.dumps(stack.export())
    assert TOKEN not in state
    assert LITERAL_TOKEN not in state
    printed = [text for text in stack.transcript if TOKEN in text or LITERAL_TOKEN in text]
    assert printed == [], printed[0][:3000] if printed else ""

    # The data guard: a user the stack does not manage keeps the AppInstance until force_destroy is applied. The
    # refused destroy deletes the stack's own resources first (README, Data safety); the next up makes them again.
    walk.apply(Edit("remove the adopted user", lambda a: a["users"].pop("dave"), {"chat-dave-user": "delete"}))
    chime.create_app_instance_user(AppInstanceArn=arn, AppInstanceUserId="erin", Name="Erin", ClientRequestToken="t2")
    destroy = stack.run("destroy", "--yes", "--skip-preview", check=False)
    assert destroy.returncode != 0
    assert "still holds 1 user" in destroy.stdout + destroy.stderr
    assert chime.describe_app_instance(AppInstanceArn=arn)["AppInstance"]["Name"] == walk.app["name"]
    assert chime.describe_app_instance_user(AppInstanceUserArn=f"{arn}/user/erin")["AppInstanceUser"]["Name"] == "Erin"
    remade = ["retention", "alice-user", "alice-admin", "alice-endpoint-phone", "bob-user", "bob-admin"]
    walk.apply(
        Edit(
            "set forceDestroy",
            lambda a: a.__setitem__("forceDestroy", True),
            {"chat-app": "update", "chat-bob-endpoint-tablet": "create", **{f"chat-{r}": "create" for r in remade}},
        )
    )
    stack.destroy()
    assert chime.list_app_instances()["AppInstances"] == []

    plugins = Path(engine["PULUMI_HOME"]) / "plugins"
    assert not plugins.exists() or not [p.name for p in plugins.iterdir() if p.name.startswith("resource-")]
    print(f"\n{language}: " + "".join(f"\n  {name:<32} planned {plan:<22} up {did}" for name, plan, did in walk.table))


def _dave(*, adopt: bool, app: str | None = None) -> Callable[[App], None]:
    def change(target: App) -> None:
        target["users"]["dave"] = {"name": "Dave", **({"adopt": True} if adopt else {})}
        if app is not None:
            target["adoptId"] = app

    return change
