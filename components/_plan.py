"""What a ``pulumi preview --json`` plans for Chime SDK Identity resources, as the Markdown of a pull-request comment.

:func:`read_plan` turns the engine's preview digest (the JSON document ``pulumi preview --json`` prints: ``steps``
with ``op``, ``urn``, ``oldState``, ``newState``, ``diffReasons``, ``replaceReasons``, ``detailedDiff``, and
``diagnostics``, ``changeSummary``) into a :class:`Plan`; :func:`render` writes its Markdown, the data lost first.
Input that is not a whole preview raises :class:`PlanError` (one line) and yields no summary at all.

Everything is keyed on the dynamic resources (type ``pulumi-python:dynamic/chimesdkidentity:<Kind>``) and their
inputs and dependencies, never on a component's type: a ``MessagingApp`` written in Python
(``chimesdkidentity:components:MessagingApp``) or reached from another language through the component provider
(``chime-sdk-identity:index:MessagingApp``) has the same children. Each child is grouped under the AppInstance it
depends on (the URN its ``app_instance_arn`` or, for an endpoint, its user's input depends on; else the ARN itself).

What is printed: resources by their Pulumi resource name (from the URN) and the names of the inputs that change.
Values are printed only for inputs that are neither secret (device tokens) nor marked sensitive by the service
model (names, metadata, tags, user ids; :func:`..dynamic_providers._schema.sensitive_fields`), such as retention
days, ``force_destroy``, ``allow_messages`` or an endpoint's ``type``. The same input always gives the same output.
"""

from __future__ import annotations

import json
from collections import Counter
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from typing import Any, TypeGuard

from pulumi_chime_sdk_identity.dynamic_providers import (
    AppInstanceAdminProvider,
    AppInstanceBotProvider,
    AppInstanceProvider,
    AppInstanceRetentionSettingsProvider,
    AppInstanceUserEndpointProvider,
    AppInstanceUserProvider,
)
from pulumi_chime_sdk_identity.dynamic_providers._provider import ChimeProvider
from pulumi_chime_sdk_identity.dynamic_providers._schema import UNKNOWN, field_names, sensitive_fields

TYPE_PREFIX = "pulumi-python:dynamic/chimesdkidentity:"
PROVIDERS: dict[str, type[ChimeProvider]] = {
    provider.kind: provider
    for provider in (
        AppInstanceProvider,
        AppInstanceUserProvider,
        AppInstanceBotProvider,
        AppInstanceAdminProvider,
        AppInstanceUserEndpointProvider,
        AppInstanceRetentionSettingsProvider,
    )
}
# How each kind is headed inside an AppInstance's section, in the order the sections come.
SECTIONS = {
    "AppInstance": "AppInstance",
    "AppInstanceUser": "Users",
    "AppInstanceBot": "Bots",
    "AppInstanceAdmin": "Admins",
    "AppInstanceUserEndpoint": "Endpoints",
    "AppInstanceRetentionSettings": "Retention",
}
CHANGES = ("create", "update", "replace", "delete")
# The engine's step ops (pkg/resource/deploy/step.go) and the change each stands for; the others change nothing.
_STEP_OPS = {
    "create": "create",
    "update": "update",
    "delete": "delete",
    "replace": "replace",
    "create-replacement": "replace",
    "delete-replaced": "replace",
    "import": "import",
    "import-replacement": "import",
}
_NO_CHANGE = frozenset({"same", "read", "read-replacement", "refresh", "discard", "discard-replaced"})
_NO_CHANGE |= {"remove-pending-replace"}
_PARENT_INPUT = {"AppInstanceUserEndpoint": "app_instance_user_arn"}  # the others: app_instance_arn
_UNNAMED = "No step of this preview names this AppInstance; `pulumi preview --refresh` or `--show-sames` would"
FOLD_OVER = 10  # a list of more entries than this is folded under <details>


class PlanError(ValueError):
    """Raised when the input is not a whole ``pulumi preview --json`` document (malformed, truncated, other)."""


@dataclass(frozen=True)
class Change:
    """One resource of ours that the plan creates, updates, replaces or deletes."""

    kind: str
    """AppInstance, AppInstanceUser, ... (the dynamic resource's type after ``chimesdkidentity:``)."""
    name: str
    """Its Pulumi resource name, from the URN."""
    op: str
    """create, update, replace or delete."""
    app: str
    """The AppInstance it belongs to: that AppInstance's resource name, or its ARN when no step names it."""
    fields: tuple[str, ...] = ()
    """The inputs that change (update, replace), by name only."""
    values: tuple[str, ...] = ()
    """``field: old → new`` for changed inputs that are neither secret nor sensitive."""
    of: str | None = None
    """For an admin or an endpoint: the resource name of its user or bot, when the plan names it."""
    loss: str | None = None
    """What the change loses, when it loses data."""


@dataclass
class Plan:
    """What one preview plans: our changes, a count of other resources' changes, and whether it failed."""

    changes: list[Change] = field(default_factory=list)
    others: Counter[str] = field(default_factory=Counter)
    """Changes of resources that are not this library's (pulumi-aws and the like), by op."""
    errors: list[str] = field(default_factory=list)
    """One entry per error diagnostic: the resource name it names, or "" (a failed preview plans nothing)."""

    @property
    def data_loss(self) -> list[Change]:
        return [change for change in self.changes if change.loss]


# -- reading the engine's JSON ----------------------------------------------------------------------


def _urn_parts(urn: str) -> tuple[str, str]:
    """(type, name) of a URN ``urn:pulumi:STACK::PROJECT::QUALIFIED$TYPE::NAME``."""
    parts = urn.split("::", 3)
    if len(parts) != 4 or not parts[0].startswith("urn:pulumi:"):
        raise PlanError(f"not the output of `pulumi preview --json`: a step's urn is not a Pulumi URN ({urn[:80]!r})")
    return parts[2].rsplit("$", 1)[-1], parts[3]


def _kind(type_: str) -> str | None:
    kind = type_.removeprefix(TYPE_PREFIX)
    return kind if type_.startswith(TYPE_PREFIX) and kind in PROVIDERS else None


@dataclass
class _Resource:
    urn: str
    kind: str | None
    name: str
    custom: bool
    old: Mapping[str, Any] | None
    new: Mapping[str, Any] | None
    op: str = "same"
    keys: list[str] = field(default_factory=list)

    @property
    def state(self) -> Mapping[str, Any]:
        return self.new or self.old or {}

    def inputs(self) -> Mapping[str, Any]:
        return _mapping(self.state.get("inputs"))

    def dependencies(self, key: str) -> list[str]:
        deps = _mapping(self.state.get("propertyDependencies")).get(key) or []
        return [dep for dep in deps if isinstance(dep, str)]


def _mapping(value: Any) -> Mapping[str, Any]:
    return value if isinstance(value, Mapping) else {}


def _parse(text: str) -> Mapping[str, Any]:
    if not text.strip():
        raise PlanError("the input is empty: expected the output of `pulumi preview --json`")
    try:
        document = json.loads(text)
    except json.JSONDecodeError as error:
        what = "truncated" if _cut_short(text) else "not valid JSON"
        raise PlanError(
            f"the input is {what} (line {error.lineno}, column {error.colno}: {error.msg}): expected the whole "
            "output of `pulumi preview --json`"
        ) from None
    if not isinstance(document, dict) or not isinstance(document.get("steps", []), list):
        raise PlanError("not the output of `pulumi preview --json`: expected an object with a list of steps")
    if "steps" not in document and "changeSummary" not in document:
        raise PlanError("not the output of `pulumi preview --json`: it has neither steps nor a changeSummary")
    return document


def _cut_short(text: str) -> bool:
    """Whether the text ends inside a string or with brackets still open: JSON cut off, not malformed."""
    depth, in_string, escaped = 0, False, False
    for char in text:
        if in_string:
            escaped, in_string = (False, True) if escaped else (char == "\\", char != '"')
        elif char == '"':
            in_string = True
        elif char in "{[":
            depth += 1
        elif char in "}]":
            depth -= 1
            if depth < 0:
                return False
    return in_string or depth > 0


def read_plan(text: str) -> Plan:
    """The plan of a ``pulumi preview --json`` document; :class:`PlanError` for anything that is not one whole."""
    document = _parse(text)
    plan = Plan()
    for diagnostic in document.get("diagnostics") or []:
        if isinstance(diagnostic, Mapping) and diagnostic.get("severity") == "error":
            urn = diagnostic.get("urn")
            plan.errors.append(_urn_parts(urn)[1] if isinstance(urn, str) and urn else "")
    resources: dict[str, _Resource] = {}
    for index, step in enumerate(document.get("steps") or []):
        if not isinstance(step, Mapping) or not isinstance(step.get("op"), str) or not isinstance(step.get("urn"), str):
            raise PlanError(f"not the output of `pulumi preview --json`: step {index} has no op or urn")
        type_, name = _urn_parts(step["urn"])
        old, new = _mapping(step.get("oldState")) or None, _mapping(step.get("newState")) or None
        found = resources.get(step["urn"])
        if found is None:
            custom = bool((new or old or {}).get("custom", True))
            found = resources[step["urn"]] = _Resource(step["urn"], _kind(type_), name, custom, old, new)
        else:
            found.old, found.new = old or found.old, new or found.new
        op = step["op"]
        if op in _NO_CHANGE:
            continue
        if found.op != "replace":  # a replacement's create and delete halves stay one replacement
            found.op = _STEP_OPS.get(op) or op
        keys = list(step.get("detailedDiff") or {}) or list(step.get("diffReasons") or [])
        keys += list(step.get("replaceReasons") or [])
        found.keys += [key for key in keys if isinstance(key, str)]

    if plan.errors:
        return plan
    apps = _AppIndex(resources.values())
    for resource in resources.values():
        if resource.op == "same" or resource.urn.split("::", 3)[2].endswith("pulumi:pulumi:Stack"):
            continue
        if resource.kind is None:
            if resource.custom and not resource.urn.split("::", 3)[2].rsplit("$", 1)[-1].startswith("pulumi:"):
                plan.others[resource.op] += 1
            continue
        plan.changes.append(_change(resource, apps, resources))
    plan.changes.sort(key=lambda c: (c.app, list(SECTIONS).index(c.kind), CHANGES.index(c.op), c.name))
    return plan


class _AppIndex:
    """Which AppInstance each resource belongs to, from URNs where dependencies give them, else ARNs."""

    def __init__(self, resources: Iterable[_Resource]) -> None:
        self.by_urn = {resource.urn: resource for resource in resources}
        self.by_arn: dict[str, str] = {}
        for resource in self.by_urn.values():
            if resource.kind == "AppInstance":
                for state in (resource.old, resource.new):
                    for arn in (_mapping(state).get("id"), _mapping(_mapping(state).get("outputs")).get("arn")):
                        if _known(arn):
                            self.by_arn[arn] = resource.urn
        for resource in self.by_urn.values():
            arn = resource.inputs().get("app_instance_arn")
            for dep in resource.dependencies("app_instance_arn"):
                if _known(arn) and _type_kind(dep) == "AppInstance":
                    self.by_arn.setdefault(arn, dep)

    def app_of(self, resource: _Resource) -> str:
        """The AppInstance's resource name, or its ARN, or a placeholder when neither is known yet."""
        if resource.kind == "AppInstance":
            return resource.name
        key = _PARENT_INPUT.get(resource.kind or "", "app_instance_arn")
        for dep in resource.dependencies(key):
            if _type_kind(dep) == "AppInstance":
                return _urn_parts(dep)[1]
            parent = self.by_urn.get(dep)
            if parent is not None and parent is not resource and parent.kind == "AppInstanceUser":
                return self.app_of(parent)
        value = resource.inputs().get(key)
        if _known(value):
            arn = value.partition("/user/")[0]
            return _urn_parts(self.by_arn[arn])[1] if arn in self.by_arn else arn
        return "(an AppInstance known only at `pulumi up`)"


def _type_kind(urn: str) -> str | None:
    try:
        return _kind(_urn_parts(urn)[0])
    except PlanError:
        return None


def _known(value: Any) -> TypeGuard[str]:
    return isinstance(value, str) and bool(value) and value != UNKNOWN and value != "[secret]"


def _change(resource: _Resource, apps: _AppIndex, resources: Mapping[str, _Resource]) -> Change:
    kind = resource.kind
    assert kind is not None
    provider = PROVIDERS[kind]
    names = field_names(provider.inputs)
    fields = sorted(
        {key.split(".")[0].split("[")[0] for key in resource.keys if not key.startswith("__")},
        key=lambda name: (names.index(name) if name in names else len(names), name),
    )
    quiet = sensitive_fields(provider.inputs) | set(provider.secret_inputs)
    old = _mapping(resource.old.get("inputs")) if resource.old else {}
    new = _mapping(resource.new.get("inputs")) if resource.new else {}
    values: list[str] = []
    if resource.op in ("update", "replace"):
        for name in fields:
            if name not in quiet and name in names:
                values += _value_changes(name, old.get(name), new.get(name))
    elif resource.op == "create" and kind == "AppInstanceRetentionSettings":
        values.append(f"channel_retention_days: {_show(new.get('channel_retention_days'))}")
    member = None
    if kind in ("AppInstanceAdmin", "AppInstanceUserEndpoint"):
        key = "admin_arn" if kind == "AppInstanceAdmin" else "app_instance_user_arn"
        member = next((_urn_parts(dep)[1] for dep in resource.dependencies(key) if _type_kind(dep)), None)
    change = Change(
        kind=kind,
        name=resource.name,
        op=resource.op,
        app=apps.app_of(resource),
        fields=tuple(fields) if resource.op in ("update", "replace") else (),
        values=tuple(values),
        of=member,
    )
    created_apps = {r.urn for r in resources.values() if r.kind == "AppInstance" and r.op == "create"}
    parent_created = any(dep in created_apps for dep in resource.dependencies("app_instance_arn"))
    return Change(**{**change.__dict__, "loss": _loss(change, old, new, parent_created)})


def _value_changes(name: str, old: Any, new: Any) -> list[str]:
    """``name: old → new`` for a scalar, or one such line per changed leaf of a block."""
    if isinstance(old, Mapping) or isinstance(new, Mapping):
        olds, news = _leaves(old), _leaves(new)
        return [
            f"{name}.{path}: {_show(olds.get(path))} → {_show(news.get(path))}"
            for path in sorted(set(olds) | set(news))
            if olds.get(path) != news.get(path)
        ] or [f"{name}: {_show(old)} → {_show(new)}"]
    return [f"{name}: {_show(old)} → {_show(new)}"]


def _leaves(value: Any, prefix: str = "") -> dict[str, Any]:
    if not isinstance(value, Mapping):
        return {prefix: value} if prefix else {}
    found: dict[str, Any] = {}
    for key, item in value.items():
        found.update(_leaves(item, f"{prefix}.{key}" if prefix else str(key)))
    return found


def _show(value: Any) -> str:
    if value is None:
        return "unset"
    if value == UNKNOWN:
        return "(known at `pulumi up`)"
    if value == "[secret]":
        return "(secret)"
    if isinstance(value, float) and value.is_integer():
        value = int(value)
    if isinstance(value, bool | int | float):
        return json.dumps(value)
    if isinstance(value, str):
        return value
    return "(a block)"


def _days(value: Any) -> float | None:
    return float(value) if isinstance(value, int | float) and not isinstance(value, bool) else None


def _loss(change: Change, old: Mapping[str, Any], new: Mapping[str, Any], parent_created: bool) -> str | None:
    """What the change loses, in the words of README, Data safety; None if it loses no data."""
    kind, op = change.kind, change.op
    if kind == "AppInstance" and op in ("delete", "replace"):
        verb = "deleted" if op == "delete" else "replaced (the old one deleted)"
        return (
            f"is **{verb}**: DeleteAppInstance deletes everything in it, also the users, bots, channels and "
            "messages the application created at run time. (`pulumi up` refuses it while the AppInstance holds "
            "users or bots this stack does not manage, unless `force_destroy` is set.)"
        )
    turned_on = new.get("force_destroy") is True and old.get("force_destroy") is not True
    if kind == "AppInstance" and op == "update" and turned_on:
        return (
            "gets `force_destroy` **turned on**: deleting or replacing it from now on also deletes the users and bots "
            "this stack does not manage, with their channels and messages; the guard is off."
        )
    if kind == "AppInstanceUser" and op == "delete":
        return (
            "is **deleted**, with its tags, endpoints and admin rights, also those the application gave it at run "
            "time; treat what the Messaging API holds for it (channel memberships, messages) as lost."
        )
    if kind == "AppInstanceUser" and op == "replace":
        return (
            "is **replaced**: the old user is deleted with its tags, endpoints and admin rights, also those the "
            "application gave it at run time, and the new one has only what the stack declares; treat what the "
            "Messaging API holds for the old one (channel memberships, messages) as lost."
        )
    if kind == "AppInstanceBot" and op in ("delete", "replace"):
        verb = "deleted" if op == "delete" else "replaced"
        return f"is **{verb}**: the old bot's admin rights go with it, also those given at run time."
    if kind == "AppInstanceRetentionSettings" and op in ("create", "update", "replace"):
        before, after = _days(old.get("channel_retention_days")), _days(new.get("channel_retention_days"))
        if op == "create" and parent_created:
            return None  # a new AppInstance has no messages yet
        if after is not None and before is not None and after >= before:
            return None
        if after is None and new.get("channel_retention_days") != UNKNOWN:
            return None
        days = _show(new.get("channel_retention_days"))
        was = _show(old.get("channel_retention_days"))
        words = f"is **shortened** from {was}" if before is not None else "is **set**"
        return (
            f"{words} to {days} days: channel messages older than that are deleted (AWS restores them only "
            "if retention is lengthened or turned off within 30 days)."
        )
    return None


# -- the Markdown -----------------------------------------------------------------------------------

_VERB = {"create": "created", "update": "updated", "replace": "replaced", "delete": "deleted"}
_LABEL = {
    "AppInstance": "AppInstance",
    "AppInstanceUser": "user",
    "AppInstanceBot": "bot",
    "AppInstanceAdmin": "admin",
    "AppInstanceUserEndpoint": "endpoint",
    "AppInstanceRetentionSettings": "retention",
}


def _count(number: int, noun: str) -> str:
    return f"{number} {noun}" if number == 1 else f"{number} {noun}s"


def entry(change: Change) -> str:
    """One change as a line: ``- replace user `chat-bob-user`: app_instance_user_id``."""
    line = f"- {change.op} {_LABEL[change.kind]} `{change.name}`"
    if change.of:
        line += f" (of `{change.of}`)"
    shown = {value.split(":")[0].split(".")[0] for value in change.values}
    details = [*change.values, *(name for name in change.fields if name not in shown)]
    return f"{line}: {', '.join(details)}" if details else line


def _headline(plan: Plan) -> str:
    counts = Counter(change.op for change in plan.changes)
    parts = [f"{counts[op]} to {op}" for op in CHANGES if counts[op]]
    parts += [f"{count} to {op}" for op, count in sorted(counts.items()) if op not in CHANGES]
    return ", ".join(parts)


def render(plan: Plan) -> str:
    """The Markdown of the plan: a headline, the data it loses first, then each AppInstance's changes."""
    title = "### Chime SDK Identity plan"
    if plan.errors:
        names = ", ".join(f"`{name}`" for name in sorted(set(plan.errors) - {""}))
        where = f" (on {names})" if names else ""
        return (
            f"{title}: **the preview failed**\n\n{_count(len(plan.errors), 'error')}{where}: this is no plan. "
            "Read the errors in the preview's log.\n"
        )
    others = sum(plan.others.values())
    if not plan.changes:
        tail = f" ({_count(others, 'other resource')} change: see the full diff)" if others else ""
        return f"{title}: no change to Chime SDK Identity resources{tail}.\n"
    lines = [f"{title}: {_headline(plan)}", ""]
    if plan.data_loss:
        lines += ["> [!CAUTION]", f"> **This plan loses data** ({_count(len(plan.data_loss), 'change')}):"]
        lines += [
            f"> - {_LABEL[c.kind]} `{c.name}`{'' if c.kind == 'AppInstance' else f' in `{c.app}`'} {c.loss}"
            for c in plan.data_loss
        ]
        lines.append("")
    else:
        lines += ["Nothing in this plan loses data.", ""]
    apps = sorted({change.app for change in plan.changes})
    for app in apps:
        mine = [change for change in plan.changes if change.app == app]
        lines += [f"#### AppInstance `{app}`", ""]
        if app.startswith("arn:"):
            lines += [f"({_UNNAMED}.)", ""]
        for kind, section in SECTIONS.items():
            of_kind = [change for change in mine if change.kind == kind]
            if not of_kind:
                continue
            counts = Counter(change.op for change in of_kind)
            ops = list(dict.fromkeys(op for op in (*CHANGES, *sorted(counts)) if op in counts))
            summary = ", ".join(f"{counts[op]} {_VERB.get(op, op)}" for op in ops)
            lines.append(f"**{section}**: {summary}" if kind != "AppInstance" else f"**{section}**")
            for op in ops:
                group = [entry(change) for change in of_kind if change.op == op]
                if len(group) > FOLD_OVER:
                    noun = section.lower() if kind != "AppInstance" else "AppInstances"
                    lines += ["<details>", f"<summary>{len(group)} {noun} {_VERB.get(op, op)}</summary>", ""]
                    lines += [*group, "", "</details>"]
                else:
                    lines += group
            lines.append("")
    if others:
        counted = ", ".join(f"{count} to {op}" for op, count in sorted(plan.others.items()))
        lines += [f"Also in this plan: {_count(others, 'other resource')} ({counted}); see the full diff.", ""]
    return "\n".join(lines)
