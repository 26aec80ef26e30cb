"""Adoption in the components: which existing resources an entry takes over, and what each adoption needs.

Nothing is adopted that the arguments do not name. An app adopts the AppInstance its ``adopt_id`` gives
(and that AppInstance's retention settings, which have no identity of their own); a user marked ``adopt``
is the user its AppInstance ARN and user id give (with its admin role when ``admin`` is set); a bot and
an endpoint adopt by their IDs. What exists cannot be under something new, so an adopted entry needs its
parent adopted too: :func:`problems` says so at construction, by the field to set, with the other input
problems. :func:`join` builds the resource IDs the providers' ``adopt_id`` takes.
"""

from __future__ import annotations

from typing import Any

import pulumi

from . import _names
from ._names import entry_field, keyed


def join(*parts: pulumi.Input[str] | None) -> pulumi.Input[str] | None:
    """The parts as one string, an Output if any part is one; None if any part is None (nothing to adopt)."""
    if any(part is None for part in parts):
        return None
    if all(isinstance(part, str) for part in parts):
        return "".join(str(part) for part in parts)
    return pulumi.Output.all(*parts).apply(lambda values: "".join(str(value) for value in values))


def _endpoint_problems(path: str, user: Any) -> list[tuple[str, str]]:
    found: list[tuple[str, str]] = []
    adopted: dict[Any, str] = {}
    for key, endpoint in keyed(entry_field(user, "endpoints")):
        endpoint_id = entry_field(endpoint, "adopt_id")
        if endpoint_id is None:
            continue
        where = f"{path}endpoints.{key}.adopt_id"
        if entry_field(user, "adopt") is not True:
            found.append((where, f"needs {path}adopt: true: a user made by this stack has no endpoints to adopt yet"))
        if isinstance(endpoint_id, str) and adopted.setdefault(endpoint_id, where) != where:
            found.append((where, f"names the endpoint {adopted[endpoint_id]} adopts too"))
    return found


def problems(app_adopt_id: Any, users: Any, bots: Any) -> list[tuple[str, str]]:
    """(path, reason) for each adoption of a MessagingApp's spec or arguments that cannot work."""
    found: list[tuple[str, str]] = []
    new_app = "needs the app's adopt_id: an AppInstance made by this stack has no {} to adopt yet"
    for user_id, user in keyed(users):
        if entry_field(user, "adopt") is True and app_adopt_id is None:
            found.append((f"users.{user_id}.adopt", new_app.format("users")))
        found += _endpoint_problems(f"users.{user_id}.", user)
    adopted: dict[Any, str] = {}
    for key, bot in keyed(bots):
        bot_id = entry_field(bot, "adopt_id")
        if bot_id is None:
            continue
        if app_adopt_id is None:
            found.append((f"bots.{key}.adopt_id", new_app.format("bots")))
        if isinstance(bot_id, str) and adopted.setdefault(bot_id, f"bots.{key}") != f"bots.{key}":
            found.append((f"bots.{key}.adopt_id", f"names the bot {adopted[bot_id]} adopts too"))
    return found


def entry_problems(name: str, app_adopt_id: Any, users: Any, bots: Any) -> list[tuple[str, str]]:
    """(path, reason) for each problem between a MessagingApp's entries, from arguments or a spec's data: two
    entries whose resources would share a name (:func:`._names.clashes`), and adoptions that cannot work."""
    return _names.clashes(name, users, bots) + problems(app_adopt_id, users, bots)


def user_problems(user: Any) -> list[tuple[str, str]]:
    """(path, reason) for each adoption of a MessagingUser's arguments that cannot work."""
    return _endpoint_problems("", user)
