"""The names a MessagingApp gives its children, to refuse two entries that would declare the same one.

Names come from the component's name and the entries' keys (see :mod:`.messaging_app`): a user id and a
bot key can produce the same name (user ``bot-helper`` and bot ``helper`` both make ``<name>-bot-helper-admin``
when both are admins), and so can a user id and an endpoint key (user ``a`` with endpoint ``x-endpoint-y`` and
user ``a-endpoint-x`` with endpoint ``y``). The engine would stop at the second with ``Duplicate resource URN``;
this says which two entries clash, in the component's own terms, together with every other problem.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any


def entry_field(entry: Any, name: str) -> Any:
    """A field of an entry given as arguments (a dataclass) or as a spec's mapping; None when absent."""
    return entry.get(name) if isinstance(entry, Mapping) else getattr(entry, name, None)


def keyed(mapping: Any) -> list[tuple[str, Any]]:
    """The (key, entry) pairs of a mapping of entries whose keys are strings; none for anything else."""
    return (
        [(key, value) for key, value in mapping.items() if isinstance(key, str)] if isinstance(mapping, Mapping) else []
    )


def children(name: str, users: Any, bots: Any) -> list[tuple[str, str, str]]:
    """(resource type, resource name, path of the entry that declares it) for each user's and bot's resources.

    The same names :class:`MessagingApp` declares (``<name>-<user_id>-user``, ``-admin``, ``-endpoint-<key>``;
    ``<name>-bot-<key>`` and ``-admin``), from arguments or a spec's data, whether or not they are valid yet.
    """
    found: list[tuple[str, str, str]] = []
    for user_id, user in keyed(users):
        found.append(("AppInstanceUser", f"{name}-{user_id}-user", f"users.{user_id}"))
        if entry_field(user, "admin") is True:
            found.append(("AppInstanceAdmin", f"{name}-{user_id}-admin", f"users.{user_id}.admin"))
        for key, _ in keyed(entry_field(user, "endpoints")):
            path = f"users.{user_id}.endpoints.{key}"
            found.append(("AppInstanceUserEndpoint", f"{name}-{user_id}-endpoint-{key}", path))
    for key, bot in keyed(bots):
        found.append(("AppInstanceBot", f"{name}-bot-{key}", f"bots.{key}"))
        if entry_field(bot, "admin") is True:
            found.append(("AppInstanceAdmin", f"{name}-bot-{key}-admin", f"bots.{key}.admin"))
    return found


def clashes(name: str, users: Any, bots: Any) -> list[tuple[str, str]]:
    """(path, reason) for each entry whose resource would have the name of an earlier entry's resource."""
    first: dict[tuple[str, str], str] = {}
    problems: list[tuple[str, str]] = []
    for kind, resource, path in children(name, users, bots):
        earlier = first.setdefault((kind, resource), path)
        if earlier != path:
            problems.append(
                (
                    path,
                    f"makes the {kind} {resource!r}, which {earlier} makes too: two resources cannot share a "
                    "name; rename one of the two keys",
                )
            )
    return problems
