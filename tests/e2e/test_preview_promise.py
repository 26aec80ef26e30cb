"""The preview is a promise: for every class of edit, what `pulumi preview` proposes is what `pulumi up` does.

Each walk deploys a stack with every resource kind chained through outputs the way users chain them,
then applies one edit at a time. Per edit it asserts, through the real CLI and the emulator:

- the operation preview plans for each resource equals the one `pulumi up --plan` performs, and both
  equal what the edit means (everything not named stays ``same``);
- `pulumi up` makes exactly the API writes the edit needs, and nothing more;
- afterwards `pulumi preview --expect-no-changes` is quiet, and `pulumi refresh --expect-no-changes`
  changes neither inputs nor outputs of any resource;
- an edit that cannot be applied is refused by preview with a message that says why, and `pulumi up`
  refuses it too, with no API write.
"""

from __future__ import annotations

import copy
import json
from collections import Counter
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import pytest

from tests.support import LEX_ALIAS, PINPOINT_APP, Emulator
from tools.harness.engine import Stack, changed, summary

Entry = dict[str, Any]
Program = dict[str, Entry]
READS = ("Describe", "List", "Get")


@dataclass
class Edit:
    """One change to the program and what it must do."""

    name: str
    change: Callable[[Program, Stack], None]
    ops: dict[str, str] = field(default_factory=dict)
    """The operation per resource name; every other resource must stay ``same``."""
    writes: list[str] | None = None
    """The API writes `pulumi up` makes, in any order (None: not checked, e.g. a cascade of replacements)."""
    refused: str | None = None
    """Preview and up must both fail with this text; the program is then put back."""


@dataclass
class Walk:
    """A stack, the program it runs, and the record of what each edit did."""

    stack: Stack
    emulator: Emulator
    program: Program
    workdir: Path
    table: list[tuple[str, str, str]] = field(default_factory=list)

    def apply(self, edit: Edit) -> None:
        before = copy.deepcopy(self.program)
        edit.change(self.program, self.stack)
        self.stack.declare(*self.program.values())
        prefix = self.workdir / edit.name
        preview = self.stack.plan(prefix)
        start = len(self.emulator.requests())
        if edit.refused is not None:
            assert preview.returncode != 0, f"{edit.name}: preview accepted an edit it must refuse"
            assert edit.refused in preview.stdout + preview.stderr, preview.stdout
            assert "Traceback" not in preview.stdout + preview.stderr
            up = self.stack.run("up", "--yes", "--skip-preview", check=False)
            assert up.returncode != 0, f"{edit.name}: up accepted an edit preview refused"
            assert edit.refused in up.stdout + up.stderr, up.stdout
            assert self.writes(start) == [], f"{edit.name}: a refused edit wrote to the API"
            self.table.append((edit.name, "refused", "refused"))
            self.program = before
            self.stack.declare(*self.program.values())
            self.assert_quiet(edit.name)
            return
        assert preview.returncode == 0, f"{edit.name}: preview failed\n{preview.stdout}\n{preview.stderr}"
        planned, done = self.stack.apply_plan(prefix)
        assert planned == done, f"{edit.name}: preview planned {changed(planned)}, up did {changed(done)}"
        assert changed(done) == edit.ops, f"{edit.name}: up did {changed(done)}"
        if edit.writes is not None:
            assert Counter(self.writes(start)) == Counter(edit.writes), f"{edit.name}: {self.writes(start)}"
        self.table.append((edit.name, summary(planned), summary(done)))
        self.assert_quiet(edit.name)

    def writes(self, start: int) -> list[str]:
        return [op for op in self.emulator.operations(start) if not op.startswith(READS)]

    def assert_quiet(self, name: str) -> None:
        """Nothing left to change: a quiet preview, and a refresh that rewrites no input or output."""
        self.stack.run("preview", "--expect-no-changes")
        before = state_by_urn(self.stack)
        self.stack.refresh("--expect-no-changes")
        after = state_by_urn(self.stack)
        rewritten = {
            urn.rsplit("::", 1)[-1]: {
                key: (old.get(key), new.get(key))
                for old, new in zip(before.get(urn, ({}, {})), after[urn], strict=True)
                for key in sorted({*(old or {}), *(new or {})})
                if (old or {}).get(key) != (new or {}).get(key)
            }
            for urn in after
            if after[urn] != before.get(urn)
        }
        assert after.keys() == before.keys(), f"{name}: refresh changed the resources"
        assert rewritten == {}, f"{name}: refresh rewrote {rewritten}"


def state_by_urn(stack: Stack) -> dict[str, Any]:
    """Inputs and outputs per URN, secrets decrypted (their ciphertext changes with every write)."""
    deployment = json.loads(stack.run("stack", "export", "--show-secrets").stdout)["deployment"]
    return {
        r["urn"]: (r.get("inputs"), r.get("outputs"))
        for r in deployment.get("resources", [])
        if r["type"] != "pulumi:pulumi:Stack"
    }


def resource(type_: str, resource_name: str, **arguments: Any) -> Entry:
    return {"type": type_, "name": resource_name, "args": arguments}


def args(program: Program, name: str) -> dict[str, Any]:
    return dict.__getitem__(program, name)["args"]  # type: ignore[no-any-return]


def rename(program: Program, old: str, new: str, *, alias: bool) -> None:
    """Rename a resource in the program (its URN), with or without an alias, keeping its place."""
    renamed: Program = {}
    for key, entry in program.items():
        text = json.dumps(entry).replace("${" + old + ".", "${" + new + ".")
        entry = json.loads(text)
        if key == old:
            entry["name"] = new
            if alias:
                entry.setdefault("opts", {})["aliases"] = [{"name": old}]
        renamed[new if key == old else key] = entry
    program.clear()
    program.update(renamed)


def state_id(stack: Stack, name: str) -> str:
    return next(str(r["id"]) for r in stack.resources() if r["urn"].endswith(f"::{name}"))


def raw_program() -> Program:
    user_args = {"app_instance_arn": "${app.arn}", "tags": {"team": "chat"}}
    return {
        "app": resource("AppInstance", "app", name="chat", metadata="v1", tags={"team": "chat"}),
        "app2": resource("AppInstance", "app2", name="chat-2"),
        "retention": resource(
            "AppInstanceRetentionSettings", "retention", app_instance_arn="${app.arn}", channel_retention_days=30
        ),
        "alice": resource("AppInstanceUser", "alice", app_instance_user_id="alice", name="Alice", **user_args),
        "bob": resource("AppInstanceUser", "bob", app_instance_user_id="bob", name="Bob", **user_args),
        "carol": resource("AppInstanceUser", "carol", app_instance_user_id="carol", name="Carol", **user_args),
        "admin": resource("AppInstanceAdmin", "admin", app_instance_arn="${app.arn}", admin_arn="${alice.arn}"),
        "phone": resource(
            "AppInstanceUserEndpoint",
            "phone",
            app_instance_user_arn="${alice.arn}",
            type="GCM",
            resource_arn=PINPOINT_APP,
            endpoint_attributes={"device_token": "token-1"},
            name="Alice's phone",
        ),
        "bot": resource(
            "AppInstanceBot",
            "bot",
            app_instance_arn="${app.arn}",
            name="Helper",
            tags={"kind": "bot"},
            configuration={"lex": {"lex_bot_alias_arn": LEX_ALIAS, "locale_id": "en_US"}},
        ),
        "bot-admin": resource("AppInstanceAdmin", "bot-admin", app_instance_arn="${app.arn}", admin_arn="${bot.arn}"),
    }


def setter(resource_name: str, **values: Any) -> Callable[[Program, Stack], None]:
    """Set (or, with None, remove) arguments of one resource."""

    def change(program: Program, _stack: Stack) -> None:
        for key, value in values.items():
            if value is None:
                args(program, resource_name).pop(key, None)
            else:
                args(program, resource_name)[key] = value

    return change


def options(resource_name: str, **opts: Any) -> Callable[[Program, Stack], None]:
    def change(program: Program, _stack: Stack) -> None:
        program[resource_name]["opts"] = opts

    return change


def both(*changes: Callable[[Program, Stack], None]) -> Callable[[Program, Stack], None]:
    def change(program: Program, stack: Stack) -> None:
        for one in changes:
            one(program, stack)

    return change


def adopt_own(name: str) -> Callable[[Program, Stack], None]:
    def change(program: Program, stack: Stack) -> None:
        args(program, name)["adopt_id"] = state_id(stack, name)

    return change


def drop(name: str) -> Callable[[Program, Stack], None]:
    return lambda program, _stack: program.pop(name) and None  # type: ignore[func-returns-value]


def add(entry: Entry) -> Callable[[Program, Stack], None]:
    def change(program: Program, _stack: Stack) -> None:
        program[entry["name"]] = copy.deepcopy(entry)

    return change


RAW_NAMES_AT_THE_END = ("app", "app2", "retention", "alice", "robert", "carol", "admin", "phone", "bot", "bot-admin")
RAW_EDITS = [
    Edit("app rename", setter("app", name="chat-renamed"), {"app": "update"}, ["UpdateAppInstance"]),
    Edit("app metadata", setter("app", metadata="v2"), {"app": "update"}, ["UpdateAppInstance"]),
    Edit("app tag add", setter("app", tags={"team": "chat", "env": "dev"}), {"app": "update"}, ["TagResource"]),
    Edit("app tag change", setter("app", tags={"team": "chat", "env": "prod"}), {"app": "update"}, ["TagResource"]),
    Edit("app tag remove", setter("app", tags={"team": "chat"}), {"app": "update"}, ["UntagResource"]),
    Edit("app tags clear", setter("app", tags=None), {"app": "update"}, ["UntagResource"]),
    # A region written out as the one the app is in: recorded in state by an update, no API call.
    Edit("app region as it is", setter("app", region="us-east-1"), {"app": "update"}, []),
    # Recorded in state by an update, no API call: the delete it allows reads it from state.
    Edit("app force_destroy set", setter("app2", force_destroy=True), {"app2": "update"}, []),
    Edit("user rename", setter("alice", name="Alice B"), {"alice": "update"}, ["UpdateAppInstanceUser"]),
    Edit("user metadata", setter("alice", metadata="m1"), {"alice": "update"}, ["UpdateAppInstanceUser"]),
    Edit("user tags", setter("alice", tags={"team": "core"}), {"alice": "update"}, ["TagResource"]),
    Edit(
        "user expiration added",
        setter("alice", expiration_settings={"expiration_days": 30}),
        {"alice": "update"},
        ["PutAppInstanceUserExpirationSettings"],
    ),
    Edit(
        "user expiration changed",
        setter("alice", expiration_settings={"expiration_days": 60}),
        {"alice": "update"},
        ["PutAppInstanceUserExpirationSettings"],
    ),
    Edit(
        "user expiration removed",
        setter("alice", expiration_settings=None),
        {"alice": "update"},
        ["PutAppInstanceUserExpirationSettings"],
    ),
    Edit(
        "user id changed",
        setter("bob", app_instance_user_id="bob2"),
        {"bob": "replace"},
        ["DeleteAppInstanceUser", "CreateAppInstanceUser"],
    ),
    Edit(
        "user moved to another AppInstance",
        setter("bob", app_instance_arn="${app2.arn}"),
        {"bob": "replace"},
        ["DeleteAppInstanceUser", "CreateAppInstanceUser"],
    ),
    Edit(
        "admin moved to another user",
        setter("admin", admin_arn="${carol.arn}"),
        {"admin": "replace"},
        ["DeleteAppInstanceAdmin", "CreateAppInstanceAdmin"],
    ),
    Edit(
        "endpoint allow_messages",
        setter("phone", allow_messages="NONE"),
        {"phone": "update"},
        ["UpdateAppInstanceUserEndpoint"],
    ),
    Edit("endpoint name", setter("phone", name="Work phone"), {"phone": "update"}, ["UpdateAppInstanceUserEndpoint"]),
    Edit(
        "endpoint device token",
        setter("phone", endpoint_attributes={"device_token": "token-2"}),
        {"phone": "replace"},
        ["DeregisterAppInstanceUserEndpoint", "RegisterAppInstanceUserEndpoint"],
    ),
    Edit(
        "retention days",
        setter("retention", channel_retention_days=60),
        {"retention": "update"},
        ["PutAppInstanceRetentionSettings"],
    ),
    Edit("retention removed", drop("retention"), {"retention": "delete"}, ["PutAppInstanceRetentionSettings"]),
    Edit(
        "retention re-added",
        add(
            resource(
                "AppInstanceRetentionSettings", "retention", app_instance_arn="${app.arn}", channel_retention_days=14
            )
        ),
        {"retention": "create"},
        ["PutAppInstanceRetentionSettings"],
    ),
    Edit(
        "retention replaced by replace_on_changes",
        both(setter("retention", channel_retention_days=21), options("retention", replace_on_changes=["*"])),
        {"retention": "replace"},
        ["PutAppInstanceRetentionSettings"],  # the old half leaves the settings to the new one
    ),
    Edit("bot name", setter("bot", name="Helper 2"), {"bot": "update"}, ["UpdateAppInstanceBot"]),
    Edit(
        "bot configuration",
        setter("bot", configuration={"lex": {"lex_bot_alias_arn": LEX_ALIAS, "locale_id": "en_GB"}}),
        {"bot": "update"},
        ["UpdateAppInstanceBot"],
    ),
    Edit("bot tags", setter("bot", tags={"kind": "helper"}), {"bot": "update"}, ["TagResource"]),
    Edit(
        "ignore_changes on a user name",
        both(setter("carol", name="Ignored"), options("carol", ignore_changes=["name"])),
        {},
        [],
    ),
    Edit("ignore_changes lifted, name back", both(setter("carol", name="Carol"), options("carol")), {}, []),
    Edit("user renamed with an alias", lambda p, _s: rename(p, "bob", "robert", alias=True), {}, []),
    Edit(
        "user renamed without an alias",
        lambda p, _s: rename(p, "carol", "caroline", alias=False),
        refused="aliases",
    ),
    Edit(
        "admin renamed without an alias",
        lambda p, _s: rename(p, "admin", "carol-admin", alias=False),
        refused="aliases",
    ),
    Edit(
        "retention renamed without an alias",
        lambda p, _s: rename(p, "retention", "retention-b", alias=False),
        {"retention": "delete", "retention-b": "create"},
        ["PutAppInstanceRetentionSettings"],  # the old name's delete leaves the settings to the new one
    ),
    Edit("retention renamed with an alias", lambda p, _s: rename(p, "retention-b", "retention", alias=True), {}, []),
    Edit("adopt_id set on a resource that exists", adopt_own("carol"), {"carol": "update"}, []),
    Edit(
        "adopted user's id changed, adopt_id kept",
        setter("carol", app_instance_user_id="carol2"),
        refused="Remove adopt_id",
    ),
    Edit("adopt_id removed", setter("carol", adopt_id=None), {"carol": "update"}, []),
    Edit(
        "app region changed without force_destroy",
        setter("app", region="eu-central-1"),
        refused="region: changing it to 'eu-central-1' replaces AppInstance",
    ),
    Edit(
        "app region changed, force_destroy set in the same edit",
        setter("app", region="eu-central-1", force_destroy=True),
        {
            "app": "replace",
            "retention": "replace",
            "alice": "replace",
            "carol": "replace",
            "admin": "replace",
            "phone": "replace",
            "bot": "replace",
            "bot-admin": "replace",
        },
    ),
    Edit(
        "destroy",
        lambda p, _s: p.clear(),
        dict.fromkeys(RAW_NAMES_AT_THE_END, "delete"),
    ),
]


@pytest.fixture
def walk(stack: Stack, emulator: Emulator, tmp_path: Path) -> Walk:
    return Walk(stack, emulator, {}, tmp_path)


def deploy(walk: Walk, program: Program) -> None:
    walk.program = program
    walk.stack.declare(*program.values())
    walk.stack.up()
    walk.assert_quiet("deploy")


def report(walk: Walk) -> None:
    """The table for the closing note, printed with `pytest -s`."""
    width = max(len(name) for name, _, _ in walk.table)
    print()
    for name, planned, done in walk.table:
        print(f"| {name:<{width}} | {planned} | {done} |")


def test_raw_resources_every_edit_previews_what_up_does(walk: Walk) -> None:
    deploy(walk, raw_program())
    for edit in RAW_EDITS:
        walk.apply(edit)
    report(walk)


def app_spec() -> dict[str, Any]:
    return {
        "name": "team-chat",
        "tags": {"project": "chat"},
        "retention_days": 30,
        "users": {
            "alice": {
                "name": "Alice",
                "admin": True,
                "endpoints": {"phone": {"type": "GCM", "resource_arn": PINPOINT_APP, "device_token": "token-a"}},
            },
            "bob": {"name": "Bob"},
        },
        "bots": {"helper": {"name": "Helper", "lex": {"bot_alias_arn": LEX_ALIAS, "locale_id": "en_US"}}},
    }


def spec_edit(change: Callable[[dict[str, Any]], None]) -> Callable[[Program, Stack], None]:
    """An edit of the MessagingApp's spec."""

    def edit(program: Program, _stack: Stack) -> None:
        change(next(iter(program.values()))["spec"])

    return edit


def rename_component(program: Program, _stack: Stack) -> None:
    entry = program.pop("chat")
    program["team"] = {**entry, "name": "team", "opts": {"aliases": [{"name": "chat"}]}}


TABLET = {"type": "APNS", "resource_arn": PINPOINT_APP, "device_token": "token-b", "name": "Tablet"}
MODERATOR = {"name": "Moderator", "admin": True, "lex": {"bot_alias_arn": LEX_ALIAS, "locale_id": "en_US"}}
APP_CHILDREN = (
    "chat",
    "chat-app",
    "chat-retention",
    "chat-alice-user",
    "chat-alice-admin",
    "chat-alice-endpoint-phone",
    "chat-bob-user",
    "chat-bot-helper",
    "chat-bot-moderator",
    "chat-bot-moderator-admin",
)
APP_EDITS = [
    Edit(
        "add a user",
        spec_edit(lambda s: s["users"].update(carol={"name": "Carol"})),
        {"chat-carol-user": "create"},
        ["CreateAppInstanceUser"],
    ),
    Edit(
        "remove a user",
        spec_edit(lambda s: s["users"].pop("carol")),
        {"chat-carol-user": "delete"},
        ["DeleteAppInstanceUser"],
    ),
    Edit(
        "rename the app",
        spec_edit(lambda s: s.update(name="team-chat-2")),
        {"chat-app": "update"},
        ["UpdateAppInstance"],
    ),
    Edit(
        "change the app's tags (users' and bots' defaults)",
        spec_edit(lambda s: s["tags"].update(env="dev")),
        {"chat-app": "update", "chat-alice-user": "update", "chat-bob-user": "update", "chat-bot-helper": "update"},
        ["TagResource"] * 4,
    ),
    Edit(
        "add an endpoint",
        spec_edit(lambda s: s["users"]["bob"].update(endpoints={"tablet": TABLET})),
        {"chat-bob-endpoint-tablet": "create"},
        ["RegisterAppInstanceUserEndpoint"],
    ),
    Edit(
        "remove an endpoint",
        spec_edit(lambda s: s["users"]["bob"].pop("endpoints")),
        {"chat-bob-endpoint-tablet": "delete"},
        ["DeregisterAppInstanceUserEndpoint"],
    ),
    Edit(
        "make a user admin",
        spec_edit(lambda s: s["users"]["bob"].update(admin=True)),
        {"chat-bob-admin": "create"},
        ["CreateAppInstanceAdmin"],
    ),
    Edit(
        "a user no longer admin",
        spec_edit(lambda s: s["users"]["bob"].update(admin=False)),
        {"chat-bob-admin": "delete"},
        ["DeleteAppInstanceAdmin"],
    ),
    Edit(
        "rename a user who is admin and has an endpoint",
        spec_edit(lambda s: s["users"]["alice"].update(name="Alice Liddell")),
        {"chat-alice-user": "update"},
        ["UpdateAppInstanceUser"],
    ),
    Edit(
        "change a user's expiration",
        spec_edit(lambda s: s["users"]["alice"].update(expiration_days=365)),
        {"chat-alice-user": "update"},
        ["PutAppInstanceUserExpirationSettings"],
    ),
    Edit(
        "add a bot that is admin",
        spec_edit(lambda s: s["bots"].update(moderator=MODERATOR)),
        {"chat-bot-moderator": "create", "chat-bot-moderator-admin": "create"},
        ["CreateAppInstanceBot", "CreateAppInstanceAdmin"],
    ),
    Edit(
        "change a bot's name and invoked_by",
        spec_edit(
            lambda s: s["bots"]["helper"].update(
                name="Helper 2",
                lex={
                    **s["bots"]["helper"]["lex"],
                    "invoked_by": {"standard_messages": "AUTO", "targeted_messages": "ALL"},
                },
            )
        ),
        {"chat-bot-helper": "update"},
        ["UpdateAppInstanceBot"],
    ),
    Edit(
        "reorder users and bots",
        spec_edit(lambda s: s.update(users=dict(reversed(s["users"].items())), bots=dict(reversed(s["bots"].items())))),
        {},
        [],
    ),
    Edit(
        "change retention",
        spec_edit(lambda s: s.update(retention_days=60)),
        {"chat-retention": "update"},
        ["PutAppInstanceRetentionSettings"],
    ),
    Edit(
        "change the app's region without force_destroy",
        spec_edit(lambda s: s.update(region="eu-central-1")),
        refused="force_destroy=True",
    ),
    Edit("set force_destroy", spec_edit(lambda s: s.update(force_destroy=True)), {"chat-app": "update"}, []),
    Edit("rename the component with an alias", rename_component, {}, []),
    Edit(
        "destroy",
        lambda p, _s: p.clear(),
        {name.replace("chat", "team", 1): "delete" for name in APP_CHILDREN},
    ),
]


def test_messaging_app_every_edit_previews_what_up_does(walk: Walk) -> None:
    deploy(walk, {"chat": {"type": "MessagingApp", "name": "chat", "spec": app_spec()}})
    for edit in APP_EDITS:
        walk.apply(edit)
    report(walk)
