"""Validation rules whose limits come from botocore's service model: the rules the API itself enforces.

Public, so that the components check their arguments with the very rules the providers' ``Inputs``
use: ``Annotated[str, api_rule("UserId")]`` checks a value against the model shape ``UserId``
(lengths, pattern, enum, range), with one short message per problem and never the value itself.
:func:`is_unknown` tells the values that cannot be checked yet: an ``Output`` or awaitable in a
program, the engine's unknown during ``pulumi preview``.

Beyond the model's shapes: :data:`whole_number` (no bool or string where a number is due), :func:`arn_rule`
(an ARN of the kind an input takes, in a region the service has), :data:`admin_id_rule` and
:data:`endpoint_id_rule` (the composite IDs ``adopt_id`` takes), and :data:`SENSITIVE` / :func:`is_sensitive`
(inputs whose values check output must never show: the engine prints the value of a property a failure names).
"""

from __future__ import annotations

import inspect
import re
from collections.abc import Mapping
from functools import cache
from typing import Any

import botocore.session
import pulumi
from botocore.model import ServiceModel, StringShape
from pulumi.output import Unknown
from pulumi.runtime.rpc import UNKNOWN
from pydantic import AfterValidator, BeforeValidator

from ._config import SUPPORTED_REGIONS

__all__ = [
    "ARN_FORMS",
    "MAX_TAGS",
    "SECRET",
    "SENSITIVE",
    "UNKNOWN",
    "admin_id_rule",
    "api_rule",
    "arn_kind",
    "arn_problem",
    "arn_rule",
    "endpoint_id_rule",
    "is_sensitive",
    "is_unknown",
    "non_empty_rule",
    "region_problem",
    "region_rule",
    "service_model",
    "shape_problem",
    "tags_rule",
    "whole_number",
]

# Chime documents Metadata as "limited to a 1KB string in UTF-8": its limit is in bytes.
_BYTE_LIMITED = frozenset({"Metadata"})
MAX_TAGS = 50
"""The most tags one resource can have."""


@cache
def service_model() -> ServiceModel:
    """The botocore model of chime-sdk-identity, the file boto3 loads."""
    return botocore.session.get_session().get_service_model("chime-sdk-identity")


def _compile(pattern: str) -> re.Pattern[str]:
    # The model writes astral code points Java-style (\u10000); Python needs \U00010000.
    return re.compile(re.sub(r"\\u([0-9A-Fa-f]{5,6})", lambda m: "\\U" + m.group(1).zfill(8), pattern))


def shape_problem(shape_name: str, value: Any) -> str | None:
    """Why value breaks the model shape's constraints, or None."""
    shape = service_model().shape_for(shape_name)
    meta = shape.metadata
    if isinstance(shape, StringShape):
        unit = "bytes of UTF-8" if shape_name in _BYTE_LIMITED else "characters"
        size = len(value.encode()) if shape_name in _BYTE_LIMITED else len(value)
        if shape.enum and value not in shape.enum:
            return f"must be one of {', '.join(shape.enum)}"
        if "min" in meta and size < meta["min"]:
            return f"must be at least {meta['min']} {unit}" if meta["min"] > 1 else "must not be empty"
        if "max" in meta and size > meta["max"]:
            return f"must be at most {meta['max']} {unit}"
        if "pattern" in meta and not _compile(meta["pattern"]).fullmatch(value):
            return f"must match the pattern {meta['pattern']}"
    elif shape.type_name in ("integer", "long") and not meta.get("min", value) <= value <= meta.get("max", value):
        return f"must be between {meta['min']} and {meta['max']}"
    return None


class _Sensitive:
    """Marks an input whose value must never be quoted back (see :func:`is_sensitive`)."""

    def __repr__(self) -> str:
        return "SENSITIVE"


SENSITIVE = _Sensitive()
"""``Annotated[str, ..., SENSITIVE]``: the value may hold what the service model marks sensitive (a user id
inside an ARN), so check output never shows it. :func:`api_rule` of a sensitive shape implies it."""


class _Secret:
    """Marks an input that is a secret (see :data:`SECRET`)."""

    def __repr__(self) -> str:
        return "SECRET"


SECRET = _Secret()
"""``Annotated[str, ..., SECRET]``: the value is a secret (a device token): the resource that takes it encrypts it
in state, and the package schema other languages see marks it ``secret``, so their SDKs wrap it too."""


def api_rule(shape_name: str) -> AfterValidator:
    """A pydantic validator enforcing the model shape ``shape_name``."""

    def check(value: Any) -> Any:
        problem = shape_problem(shape_name, value)
        if problem is not None:
            raise ValueError(problem)
        return value

    check.sensitive = bool(service_model().shape_for(shape_name).metadata.get("sensitive"))  # type: ignore[attr-defined]
    return AfterValidator(check)


def is_sensitive(metadata: Any) -> bool:
    """Whether a field's annotation metadata marks its value sensitive: an :func:`api_rule` of a shape the
    service model marks ``sensitive`` (names, metadata, user ids, tags, tokens), or :data:`SENSITIVE`."""
    return any(item is SENSITIVE or getattr(getattr(item, "func", None), "sensitive", False) for item in metadata)


def _whole(value: Any) -> Any:
    # The engine sends every number as a float (30 -> 30.0); pydantic's int turns 30.0 into 30 and refuses
    # 1.5. It would also take True as 1 and "30" as 30: a bool or a string is not a number of days.
    if isinstance(value, bool):
        raise ValueError("must be a whole number, not true or false")
    if isinstance(value, str):
        raise ValueError("must be a whole number, not a string")
    return value


whole_number = BeforeValidator(_whole)
"""``Annotated[int, whole_number, ...]``: an integer, also as the engine's float (``30.0``); no bool or string."""


# What each kind of ARN looks like. Only the region is ever quoted back: ARNs can hold user ids.
ARN_FORMS = {
    "AppInstance": "arn:aws:chime:REGION:ACCOUNT:app-instance/ID",
    "AppInstanceUser": "arn:aws:chime:REGION:ACCOUNT:app-instance/ID/user/USER_ID",
    "AppInstanceBot": "arn:aws:chime:REGION:ACCOUNT:app-instance/ID/bot/BOT_ID",
    "Amazon Pinpoint app": "arn:aws:mobiletargeting:REGION:ACCOUNT:apps/APP_ID",
}
_CHIME_ARN = re.compile(r"arn:[^:]+:chime:(?P<region>[^:]*):[^:]*:app-instance/[^/|]+(?:/(?P<kind>user|bot)/[^/|]+)?")
_PINPOINT_ARN = re.compile(r"arn:[^:]+:mobiletargeting:[^:]*:[^:]*:apps/[^/|]+")


def arn_kind(value: str) -> str | None:
    """Which resource an ARN names (a key of ``ARN_FORMS``), or None for any other."""
    found = _CHIME_ARN.fullmatch(value)
    if found is not None:
        return {None: "AppInstance", "user": "AppInstanceUser", "bot": "AppInstanceBot"}[found.group("kind")]
    return "Amazon Pinpoint app" if _PINPOINT_ARN.fullmatch(value) else None


def _article(kind: str) -> str:
    return "an" if kind[0] in "AEIOU" else "a"


def arn_problem(value: str, kinds: tuple[str, ...]) -> str | None:
    """Why value is not an ARN of one of ``kinds``, or not in a region the service has; None if it is fine."""
    kind = arn_kind(value)
    if kind not in kinds:
        wanted = " or ".join(f"{_article(k)} {k} ARN ({ARN_FORMS[k]})" for k in kinds)
        if kind is not None:
            got = f"{_article(kind)} {kind} ARN"
        else:
            parts = value.split(":")
            got = f"an ARN of service {parts[2]!r}" if len(parts) > 2 and parts[2] else "another kind of ARN"
        return f"must be {wanted}, got {got}"
    found = _CHIME_ARN.fullmatch(value)
    if found is not None and found.group("region") not in SUPPORTED_REGIONS:
        return (
            f"its region {found.group('region')!r} has no Chime SDK Identity endpoint "
            f"(only {', '.join(SUPPORTED_REGIONS)})"
        )
    return None


def arn_rule(*kinds: str) -> AfterValidator:
    """A pydantic validator: an ARN of one of ``kinds`` (keys of ``ARN_FORMS``), in a region the service has.

    Put it after ``api_rule("ChimeArn")``, which reports a value that is no ARN at all.
    """

    def check(value: Any) -> Any:
        if is_unknown(value):
            return value
        problem = arn_problem(value, kinds)
        if problem is not None:
            raise ValueError(problem)
        return value

    return AfterValidator(check)


def _check_tags(tags: dict[str, str]) -> dict[str, str]:
    if len(tags) > MAX_TAGS:
        raise ValueError(f"at most {MAX_TAGS} tags are allowed, got {len(tags)}")
    for key, value in tags.items():
        if is_unknown(key) or is_unknown(value):  # a program's tag whose value is an Output
            continue
        if key.lower().startswith("aws:"):
            raise ValueError(f"tag key {key!r} uses the reserved prefix 'aws:'")
        for shape, item, what in (("TagKey", key, "key"), ("TagValue", value, f"value of {key!r}")):
            problem = shape_problem(shape, item)
            if problem is not None:
                raise ValueError(f"tag {what} {problem}")
    return dict(sorted(tags.items()))


_check_tags.sensitive = True  # type: ignore[attr-defined]  # TagKey and TagValue are sensitive in the model
tags_rule = AfterValidator(_check_tags)
"""Tags: at most 50, keys and values within the model's TagKey/TagValue, no ``aws:`` prefix (sorted by key)."""


def region_problem(region: str) -> str | None:
    """Why the service cannot be reached in region, or None."""
    if region not in SUPPORTED_REGIONS:
        return f"Chime SDK Identity is only in {', '.join(SUPPORTED_REGIONS)}, not {region!r}"
    return None


def _check_admin_id(value: str) -> str:
    instance, bar, admin = value.partition("|")
    problem = (
        arn_problem(instance, ("AppInstance",)) or arn_problem(admin, ("AppInstanceUser", "AppInstanceBot"))
        if bar
        else "has no '|'"
    )
    if problem is None and not admin.startswith(instance + "/"):
        problem = "names a user or bot of another AppInstance"
    if problem is not None:
        raise ValueError(f"must be '<AppInstance ARN>|<user or bot ARN>', the ID of an AppInstanceAdmin: {problem}")
    return value


admin_id_rule = AfterValidator(_check_admin_id)
"""An AppInstanceAdmin ID: ``<AppInstance ARN>|<ARN of a user or bot of that AppInstance>``."""


def _check_endpoint_id(value: str) -> str:
    user, bar, endpoint = value.partition("|")
    problem = arn_problem(user, ("AppInstanceUser",)) if bar else "has no '|'"
    if problem is None and not endpoint:
        problem = "has no endpoint ID after '|'"
    if problem is None:
        problem = shape_problem("String64", endpoint)
        problem = f"its endpoint ID {problem}" if problem else None
    if problem is not None:
        raise ValueError(f"must be '<user ARN>|<endpoint ID>', the ID of an AppInstanceUserEndpoint: {problem}")
    return value


endpoint_id_rule = AfterValidator(_check_endpoint_id)
"""An AppInstanceUserEndpoint ID: ``<AppInstanceUser ARN>|<endpoint ID>``."""


def _check_region(region: str) -> str:
    problem = region_problem(region)
    if problem is not None:
        raise ValueError(problem)
    return region


region_rule = AfterValidator(_check_region)
"""A region where the Chime SDK Identity API exists."""


def _check_non_empty(value: str) -> str:
    if not value:
        raise ValueError("must be a non-empty string")
    return value


non_empty_rule = AfterValidator(_check_non_empty)
"""A string that must not be empty where the model sets no limit (a Lex ``LocaleId`` such as ``en_US``)."""


def is_unknown(value: Any) -> bool:
    """Whether value, or anything inside it, cannot be checked yet.

    In a program: a ``pulumi.Output`` or another awaitable. In a provider during ``pulumi preview``:
    the host deserializes unknowns as ``pulumi.output.Unknown``; raw wire values carry the sentinel string.
    """
    if isinstance(value, Unknown | pulumi.Output) or inspect.isawaitable(value):
        return True
    if isinstance(value, Mapping):
        return any(is_unknown(v) for v in value.values())
    if isinstance(value, list | tuple):
        return any(is_unknown(v) for v in value)
    return bool(value == UNKNOWN)
