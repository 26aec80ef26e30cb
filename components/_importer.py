"""Reading what exists in Chime SDK Identity into a MessagingApp spec that adopts it (``chime-identity-import``).

Every resource is read by its own provider's ``read_resource``, the read that adoption and refresh make, so
the spec holds exactly the values the first ``pulumi up`` compares with: the live name, metadata, tags and
expiration are written into the spec, and adopting it changes nothing. List calls are paginated (``Api.pages``);
a user is described only when selected, so importing the admins of a large app costs a few requests per admin,
and the reads of many users, bots or endpoints run :data:`READERS` at a time.
Device tokens never go into the spec: an endpoint names a stack config key (``device_token_config``) and
:class:`Imported` carries the tokens for the caller to put into encrypted stack config.
"""

from __future__ import annotations

import fnmatch
import re
import threading
from collections.abc import Callable, Iterable, Sequence
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass, field
from typing import Any, TypeVar

from pulumi_chime_sdk_identity.dynamic_providers import (
    AppInstanceBotProvider,
    AppInstanceProvider,
    AppInstanceRetentionSettingsProvider,
    AppInstanceUserEndpointProvider,
    AppInstanceUserProvider,
)
from pulumi_chime_sdk_identity.dynamic_providers._aws import Api
from pulumi_chime_sdk_identity.dynamic_providers._errors import ApiError, ChimeSdkIdentityError
from pulumi_chime_sdk_identity.dynamic_providers.rules import arn_problem

from . import _adopt
from ._args import KEY_PATTERN, MessagingAppArgs
from ._schema import validate_spec

Props = dict[str, Any]
READERS = 8
"""Reads in flight at once when describing many users, bots or endpoints."""
_T = TypeVar("_T")
_R = TypeVar("_R")
USERS_ADMINS = "admins"
USERS_ALL = "all"


class ImportFailure(ChimeSdkIdentityError):
    """Raised when the AppInstance cannot be read or its spec cannot be written; the message is one line."""


class CountingApi(Api):
    """The providers' API client of one region, counting the requests it makes (for the closing note)."""

    def __init__(self, region: str) -> None:
        super().__init__(region)
        self.requests = 0
        self._lock = threading.Lock()

    def call(self, operation: str, resource: str, **params: Any) -> dict[str, Any]:
        with self._lock:
            self.requests += 1
        return super().call(operation, resource, **params)


def in_threads(read: Callable[[_T], _R], items: Sequence[_T]) -> list[_R]:
    """``read`` of each item, in order, with up to READERS requests in flight (boto3 clients are thread-safe)."""
    if len(items) < 2:
        return [read(item) for item in items]
    with ThreadPoolExecutor(max_workers=READERS) as pool:
        return list(pool.map(read, items))


@dataclass(frozen=True)
class Selection:
    """Which users (beyond the admins, always) and whether endpoints go into the spec."""

    users: str = USERS_ADMINS
    """``admins`` (only users that are admins, who are always imported) or ``all``."""
    patterns: tuple[str, ...] = ()
    """Shell-style patterns of user ids (``team-*``) to add."""
    user_ids: tuple[str, ...] = ()
    """User ids to add; each must exist."""
    endpoints: bool = False
    """Adopt the selected users' push endpoints too."""

    def lists_users(self) -> bool:
        return self.users == USERS_ALL or bool(self.patterns)


@dataclass
class Imported:
    """A spec that adopts an AppInstance, and what it took to read it."""

    spec: Props
    tokens: list[tuple[str, str]] = field(default_factory=list)
    """(stack config key, device token) for each token the spec names: to set with ``--secret``, never to write."""
    counts: dict[str, int] = field(default_factory=dict)
    """How many of each kind the spec adopts: users, admins, bots, endpoints."""
    total_users: int | None = None
    """Users in the AppInstance, when they were listed."""


@dataclass(frozen=True)
class Summary:
    """One AppInstance of a listing, with its counts."""

    arn: str
    name: str
    users: int
    bots: int
    admins: int
    endpoints: int
    retention_days: int | None


def _one_line(error: ApiError, arn: str) -> ImportFailure:
    if error.is_not_found:
        return ImportFailure(f"{arn}: no such AppInstance in this account and region ({error.code})")
    reason = error.aws_message.splitlines()[0] if error.aws_message else error.code
    return ImportFailure(f"{arn}: cannot read it: {error.code}: {reason}")


def check_arn(arn: str) -> None:
    """Refuse anything but an AppInstance ARN in a region that has the service, before any request."""
    problem = arn_problem(arn, ("AppInstance",))
    if problem is not None:
        raise ImportFailure(f"not an AppInstance ARN to import: {problem}")


def _retention(api: Api, arn: str) -> int | None:
    try:
        days = AppInstanceRetentionSettingsProvider().read_resource(api, arn)["channel_retention_days"]
    except ApiError as error:
        if error.is_not_found:  # disabled
            return None
        raise
    return int(days)


def list_app_instances(api: Api) -> list[Summary]:
    """Every AppInstance of the client's account and region, with the counts of what each holds."""
    found = []
    for item in api.pages("ListAppInstances", "AppInstances", "AppInstances"):
        arn = item["AppInstanceArn"]
        users = [
            u["AppInstanceUserArn"]
            for u in api.pages("ListAppInstanceUsers", arn, "AppInstanceUsers", AppInstanceArn=arn)
        ]
        endpoints = sum(
            in_threads(
                lambda user: sum(
                    1
                    for _ in api.pages(
                        "ListAppInstanceUserEndpoints", user, "AppInstanceUserEndpoints", AppInstanceUserArn=user
                    )
                ),
                users,
            )
        )
        found.append(
            Summary(
                arn=arn,
                name=str(item.get("Name", "")),
                users=len(users),
                bots=sum(1 for _ in api.pages("ListAppInstanceBots", arn, "AppInstanceBots", AppInstanceArn=arn)),
                admins=sum(1 for _ in api.pages("ListAppInstanceAdmins", arn, "AppInstanceAdmins", AppInstanceArn=arn)),
                endpoints=endpoints,
                retention_days=_retention(api, arn),
            )
        )
    return found


def _named(live: Props, app_tags: dict[str, str], *, name_required: bool = True) -> Props:
    """A user's or bot's name, metadata and tags as spec keys: tags relative to the app's, which it inherits."""
    entry: Props = {}
    if live.get("name") or name_required:
        entry["name"] = live.get("name", "")
    if live.get("metadata"):
        entry["metadata"] = live["metadata"]
    tags: dict[str, str] = live.get("tags") or {}
    if all(tags.get(key) == value for key, value in app_tags.items()):
        own = {key: value for key, value in tags.items() if app_tags.get(key) != value}
    else:  # the app's tags are not all on it: it must not inherit them
        entry["inherit_tags"] = False
        own = tags
    if own:
        entry["tags"] = own
    return entry


_UNSAFE = re.compile(r"[^A-Za-z0-9._-]+")
_TOKENS = {
    "device_token": ("device_token_config", "deviceToken"),
    "voip_device_token": ("voip_device_token_config", "voipDeviceToken"),
}
"""An endpoint's token: the spec key naming its stack config key, and the suffix of that config key."""


def _key(name: str, fallback: str, taken: set[str]) -> str:
    """A stable key from a display name when it makes a valid, unused one; else the resource's own ID."""
    candidate = _UNSAFE.sub("-", name.strip()).strip("-._").lower()[:64]
    key = candidate if candidate and KEY_PATTERN.fullmatch(candidate) and candidate not in taken else fallback
    taken.add(key)
    return key


def _config_key(user_id: str, endpoint_key: str, suffix: str, taken: set[str]) -> str:
    """``<user>-<endpoint key>-deviceToken``, made unique among the spec's."""
    base = f"{_UNSAFE.sub('-', user_id)}-{endpoint_key}-{suffix}"
    key, n = base, 2
    while key in taken:
        key, n = f"{base}{n}", n + 1
    taken.add(key)
    return key


class _Reader:
    def __init__(self, api: Api, arn: str, selection: Selection) -> None:
        self.api = api
        self.arn = arn
        self.selection = selection
        self.config_keys: set[str] = set()
        self.tokens: list[tuple[str, str]] = []

    def pages(self, operation: str, key: str, **params: Any) -> Iterable[Props]:
        return self.api.pages(operation, self.arn, key, **params)

    def read_user(self, user_id: str) -> tuple[Props, list[Props]]:
        """The live user and, when endpoints are imported, its live endpoints by endpoint ID (run in threads)."""
        live = AppInstanceUserProvider().read_resource(self.api, f"{self.arn}/user/{user_id}")
        if not self.selection.endpoints:
            return live, []
        user_arn = live["arn"]
        summaries = self.api.pages(
            "ListAppInstanceUserEndpoints", user_arn, "AppInstanceUserEndpoints", AppInstanceUserArn=user_arn
        )
        reader = AppInstanceUserEndpointProvider()
        ids = sorted(str(summary["EndpointId"]) for summary in summaries)
        return live, [reader.read_resource(self.api, f"{user_arn}|{endpoint_id}") for endpoint_id in ids]

    def user(self, user_id: str, live: Props, endpoints: list[Props], app_tags: dict[str, str], admin: bool) -> Props:
        entry: Props = {"adopt": True, **_named(live, app_tags)}
        if live.get("expiration_settings"):
            entry["expiration_days"] = int(live["expiration_settings"]["expiration_days"])
        if admin:
            entry["admin"] = True
        if endpoints:
            entry["endpoints"] = self.endpoints(user_id, endpoints)
        return entry

    def endpoints(self, user_id: str, lives: list[Props]) -> Props:
        found: Props = {}
        keys: set[str] = set()
        for live in lives:
            endpoint_id = str(live["endpoint_id"])
            key = _key(live.get("name", ""), endpoint_id, keys)
            entry: Props = {"adopt_id": endpoint_id, "type": live["type"], "resource_arn": live["resource_arn"]}
            for token, (spec_key, suffix) in _TOKENS.items():
                value = live["endpoint_attributes"].get(token)
                if value:
                    entry[spec_key] = _config_key(user_id, key, suffix, self.config_keys)
                    self.tokens.append((entry[spec_key], value))
            if live.get("name"):
                entry["name"] = live["name"]
            if live.get("allow_messages", "ALL") != "ALL":
                entry["allow_messages"] = live["allow_messages"]
            found[key] = entry
        return found

    def bots(self, app_tags: dict[str, str], admins: set[str]) -> Props:
        found: Props = {}
        keys: set[str] = set()
        reader = AppInstanceBotProvider()
        arns = sorted(
            str(b["AppInstanceBotArn"])
            for b in self.pages("ListAppInstanceBots", "AppInstanceBots", AppInstanceArn=self.arn)
        )
        for bot_arn, live in zip(arns, in_threads(lambda arn: reader.read_resource(self.api, arn), arns), strict=True):
            bot_id = bot_arn.partition("/bot/")[2]
            entry: Props = {"adopt_id": bot_id, **_named(live, app_tags, name_required=False)}
            if bot_arn in admins:
                entry["admin"] = True
            entry["lex"] = live["configuration"]["lex"]
            found[_key(live.get("name", ""), bot_id, keys)] = entry
        return found

    def user_ids(self, admins: set[str]) -> tuple[list[str], int | None]:
        """The user ids to import, sorted, and how many users the AppInstance has (None when not listed)."""
        prefix = f"{self.arn}/user/"
        chosen = {arn.removeprefix(prefix) for arn in admins if arn.startswith(prefix)}
        total: int | None = None
        if self.selection.lists_users():
            listed = [
                str(u["AppInstanceUserArn"]).removeprefix(prefix)
                for u in self.pages("ListAppInstanceUsers", "AppInstanceUsers", AppInstanceArn=self.arn)
            ]
            total = len(listed)
            everyone = self.selection.users == USERS_ALL
            chosen |= {u for u in listed if everyone or any(fnmatch.fnmatchcase(u, p) for p in self.selection.patterns)}
            missing = [u for u in self.selection.user_ids if u not in listed]
        else:
            missing = [u for u in self.selection.user_ids if not self._user_exists(f"{prefix}{u}")]
        if missing:
            raise ImportFailure(f"{self.arn}: no user {', '.join(sorted(missing))} in this AppInstance")
        return sorted(chosen | set(self.selection.user_ids)), total

    def _user_exists(self, user_arn: str) -> bool:
        try:
            AppInstanceUserProvider().read_resource(self.api, user_arn)
        except ApiError as error:
            if error.is_not_found or error.is_forbidden:
                return False
            raise
        return True

    def read(self, *, allow_empty: bool) -> Imported:
        app = AppInstanceProvider().read_resource(self.api, self.arn)
        spec: Props = {"adopt_id": self.arn, "name": app["name"]}
        if app.get("metadata"):
            spec["metadata"] = app["metadata"]
        app_tags: dict[str, str] = app.get("tags") or {}
        if app_tags:
            spec["tags"] = app_tags
        retention = _retention(self.api, self.arn)
        if retention is not None:
            spec["retention_days"] = retention
        admins = {
            str(a["Admin"]["Arn"])
            for a in self.pages("ListAppInstanceAdmins", "AppInstanceAdmins", AppInstanceArn=self.arn)
        }
        bots = self.bots(app_tags, admins)
        user_ids, total = self.user_ids(admins)
        if not bots and not admins and total is None and not user_ids:
            first = self.api.call("ListAppInstanceUsers", self.arn, AppInstanceArn=self.arn, MaxResults=1)
            total = 0 if not first.get("AppInstanceUsers") else None
        if not allow_empty and not bots and total == 0:
            raise ImportFailure(
                f"{self.arn}: the AppInstance is empty (no users or bots); pass --allow-empty to adopt it alone"
            )
        users = {
            user_id: self.user(user_id, *read, app_tags, f"{self.arn}/user/{user_id}" in admins)
            for user_id, read in zip(user_ids, in_threads(self.read_user, user_ids), strict=True)
        }
        if users:
            spec["users"] = users
        if bots:
            spec["bots"] = bots
        counts = {
            "users": len(users),
            "admins": sum(1 for u in users.values() if u.get("admin"))
            + sum(1 for b in bots.values() if b.get("admin")),
            "bots": len(bots),
            "endpoints": sum(len(u.get("endpoints", {})) for u in users.values()),
        }
        return Imported(spec, self.tokens, counts, total)


def import_app_instance(api: Api, arn: str, selection: Selection, *, allow_empty: bool = False) -> Imported:
    """The spec adopting the AppInstance ``arn``, its retention, bots, admins and the selected users.

    Raises ImportFailure (one line) when the AppInstance cannot be read, a listed user does not exist, the
    AppInstance is empty (unless ``allow_empty``), or the spec would not validate.
    """
    check_arn(arn)
    try:
        imported = _Reader(api, arn, selection).read(allow_empty=allow_empty)
    except ApiError as error:
        raise _one_line(error, arn) from None
    problems = spec_problems(imported.spec)
    if problems:
        raise ImportFailure(f"{arn}: the spec would not validate: {problems[0]}")
    return imported


def spec_problems(spec: Props) -> list[str]:
    """``path: reason`` for anything in a spec the loader would refuse (tokens stand in for their config keys)."""
    unconfig = {spec_key: token for token, (spec_key, _) in _TOKENS.items()}
    data = {**spec, "users": {}}
    for user_id, user in (spec.get("users") or {}).items():
        endpoints = {
            key: {unconfig.get(name, name): value for name, value in endpoint.items()}
            for key, endpoint in (user.get("endpoints") or {}).items()
        }
        data["users"][user_id] = {**user, **({"endpoints": endpoints} if endpoints else {})}
    _, invalid = validate_spec(MessagingAppArgs, data)
    found = invalid + _adopt.entry_problems("app", data.get("adopt_id"), data.get("users"), data.get("bots"))
    return [f"{path}: {reason}" for path, reason in found]


def unmark_made_by_stack(spec: Props, arn: str, made: set[str]) -> None:
    """Drop the adoption marks of entries whose resources the stack made itself (``made``: their IDs).

    Importing an AppInstance a stack already manages then writes the spec that stack runs: a user the stack
    created is written as it was declared, without ``adopt``. A mark only matters when a resource enters a stack,
    so either way is the same to AWS; without it the stack sees no change at all. A user keeps ``adopt`` while one
    of its written endpoints is adopted (an adopted endpoint needs an adopted user).
    """
    for user_id, user in (spec.get("users") or {}).items():
        user_arn = f"{arn}/user/{user_id}"
        endpoints = user.get("endpoints") or {}
        for endpoint in endpoints.values():
            if f"{user_arn}|{endpoint.get('adopt_id')}" in made:
                endpoint.pop("adopt_id")
        if user_arn in made and not any("adopt_id" in endpoint for endpoint in endpoints.values()):
            user.pop("adopt", None)
    for bot in (spec.get("bots") or {}).values():
        if f"{arn}/bot/{bot.get('adopt_id')}" in made:
            bot.pop("adopt_id")
