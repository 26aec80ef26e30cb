"""The behaviour every resource shares; each resource module supplies only its API calls.

A provider holds no instance state: dill pickles it by reference to its installed class, so
state keeps ~100 bytes per resource and no credentials. Configuration arrives in
``configure()`` and lives in :mod:`._config`.

Flow of one resource (terraform-provider-aws style):

- check: validate and normalize with the resource's pydantic Inputs (no API calls); refuse a second resource
  declaring the same identity
- diff: compare normalized inputs (no API calls); replace-on-change keys go in ``replaces``
- create: one create call, outputs from the request and response; undone if anything after it fails; a create
  whose answer was lost is settled by the same request again (same ClientRequestToken) and kept
- read: live values, or ``ReadResult(None, {})`` when gone; ``inputs`` reset to live values
- update: only the calls the changed fields need
- delete: already gone is success; a resource that holds what the stack does not own refuses (``refuse_delete``)
"""

from __future__ import annotations

import collections
import contextlib
import functools
import json
import re
import threading
import time
from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import UTC, datetime
from typing import Any, ClassVar, ParamSpec, TypeVar

from pulumi.dynamic import (
    CheckFailure,
    CheckResult,
    ConfigureRequest,
    CreateResult,
    DiffResult,
    ReadResult,
    ResourceProvider,
    UpdateResult,
)

from . import _config
from ._aws import Api, iso, new_token, now
from ._config import SUPPORTED_REGIONS
from ._errors import AdoptionError, ApiError, ChimeSdkIdentityError, UnsettledCreateError, one_line_in_host
from ._schema import Inputs, field_names, is_unknown, sensitive_fields, validate
from .rules import region_problem

Props = dict[str, Any]

# A create whose answer was lost after botocore's retries (a 5xx, a dropped connection or a read timeout: it may
# have taken effect) is settled by sending the same request again, with the same ClientRequestToken. The API
# answers a repeated token with what the first request made, CreateAppInstanceAdmin (no token) answers
# ConflictException for the admin our own attempt made, and PutAppInstanceRetentionSettings sets the same value
# again. The resource is then kept and recorded in state, as if the first answer had arrived.
CREATE_SETTLE_ATTEMPTS = 6
CREATE_SETTLE_DELAY_SECONDS = 0.5  # doubled after each try, up to CREATE_SETTLE_MAX_DELAY_SECONDS: 15.5 s in all
CREATE_SETTLE_MAX_DELAY_SECONDS = 4.0
THROTTLED = "ThrottledClientException"
# A resource created moments ago may not be visible to Describe yet (eventual consistency). A read that cannot
# find one looks again until it is as old as the delay this process has seen (the longest a new resource stayed
# hidden, else the youngest age at which one was found), and never past chimesdkidentity:consistencyWaitSeconds
# after its creation; with nothing seen yet, that setting is the bound.
VISIBILITY_POLL_SECONDS = 0.5
TIMESTAMPS = ("created_timestamp", "last_updated_timestamp")
_P = ParamSpec("_P")
_R = TypeVar("_R")


def _short_errors(method: Callable[_P, _R]) -> Callable[_P, _R]:
    """Re-raise our own errors from here, so the CLI's traceback shows two frames, not our internals."""

    @functools.wraps(method)
    def wrapper(*args: _P.args, **kwargs: _P.kwargs) -> _R:
        try:
            return method(*args, **kwargs)
        except ChimeSdkIdentityError as error:
            raise error.with_traceback(None) from None

    return wrapper


_APP_INSTANCE_ARN = re.compile(r"arn:[^:]+:chime:[^:]*:[^:]*:app-instance/[^/|]+")


@dataclass
class Seen:
    """What this provider process has seen. One process serves one `pulumi` command (one deployment)."""

    in_stack: set[str] = field(default_factory=set)
    """Identities (natural IDs, adopt_id values) of resources the engine checked with old inputs: they are
    in the stack, so a check of the same identity without old inputs is the create half of a replacement."""
    created: set[str] = field(default_factory=set)
    """IDs that a create of this command made: nothing can exist under them yet."""
    replacing: collections.Counter[str] = field(default_factory=collections.Counter)
    """Identities of resources in the stack whose diff found changes: each may be checked once more, without old
    inputs, as the create half of its replacement."""
    declared: set[str] = field(default_factory=set)
    """Identities of new resources checked so far: a second resource declaring one of them is a duplicate."""
    hidden_for: float | None = None
    """The longest a new resource stayed hidden: its age, in seconds, when a read that had to look again found it."""
    visible_at: float | None = None
    """The youngest age, in seconds, at which a read found a new resource at once."""
    claimed: set[str] = field(default_factory=set)
    """IDs that existed before a create of this command took them over (adopted, or set again by an upsert):
    a delete of the same ID in the same command (the old name of a resource renamed without an alias, the
    old half of a create-before-delete replacement) leaves them to their new owner."""
    forced: set[str] = field(default_factory=set)
    """IDs whose replacement this command's diff allowed because the new inputs set ``force_destroy``: the
    old half's delete goes ahead although the old state does not set it yet."""


seen = Seen()


class ChimeProvider(ResourceProvider):
    """Base of the six providers. Subclasses set the class attributes and the ``*_resource`` hooks."""

    serialize_as_secret_always = False

    kind: ClassVar[str]
    inputs: ClassVar[type[Inputs]]
    replace_on: ClassVar[tuple[str, ...]] = ()
    delete_before_replace: ClassVar[bool] = False
    # The input holding the ARN whose region a new resource lives in.
    parent_key: ClassVar[str | None] = None
    # Inputs whose values are secret: encrypted in state, never quoted in messages.
    secret_inputs: ClassVar[tuple[str, ...]] = ()
    # The create call carries a ClientRequestToken: a retry of it never meets our own first attempt.
    create_has_token: ClassVar[bool] = True
    # The input that names an existing resource whose create would fail with ConflictException (user ID,
    # admin ARN): a new resource's check reads the one ID it would take, so preview refuses the clash.
    identity_input: ClassVar[str | None] = None
    # The create call sets what may already be there (PutAppInstanceRetentionSettings): it takes over its ID.
    create_upserts: ClassVar[bool] = False
    # Nothing but its inputs identifies the resource (an admin role, retention settings): an adopt_id that names
    # nothing creates it, since the one to adopt and the one to create are the same thing.
    adopt_creates_missing: ClassVar[bool] = False

    # -- hooks for each resource ----------------------------------------------------------------

    def create_resource(self, api: Api, inputs: Props, token: str) -> tuple[str, Props]:
        """Make the create call with ``token`` as its ClientRequestToken where it takes one (the same token for
        every try of one create); return the new ID and the call's response."""
        raise NotImplementedError

    def created_outputs(self, resource_id: str, inputs: Props, response: Props) -> Props:
        """Computed outputs of a new resource from its inputs and create response (no API calls)."""
        raise NotImplementedError

    def read_resource(self, api: Api, resource_id: str) -> Props:
        """Live input values and computed outputs; raise ApiError (NotFound) when gone."""
        raise NotImplementedError

    def update_resource(self, api: Api, resource_id: str, olds: Props, news: Props) -> Props | None:
        """Make the calls the changed fields need; return outputs they produced, or None if none was needed."""
        raise NotImplementedError

    def delete_resource(self, api: Api, resource_id: str) -> None:
        """Delete; raise ApiError (NotFound) when already gone."""
        raise NotImplementedError

    def refuse_replace(self, resource_id: str, olds: Props, news: Props) -> None:
        """Raise DataLossError if replacing the resource would lose what the stack does not own (no API call)."""

    def refuse_delete(self, api: Api, resource_id: str, props: Props) -> None:
        """Raise DataLossError instead of deleting a resource that holds what the stack does not own."""

    def listed(self, api: Api, resource_id: str) -> bool:
        """Whether the parent's List* still shows the resource (to read Forbidden as gone or not)."""
        raise NotImplementedError

    def natural_id(self, inputs: Props) -> str | None:
        """The ID the inputs would give an existing resource, where identity comes from inputs."""
        return None

    def existing_id(self, api: Api, inputs: Props) -> str | None:
        """After a ConflictException on create: the ID of the resource already there, if it can be found."""
        return self.natural_id(inputs)

    def interrupted_id(self, api: Api, inputs: Props) -> str | None:
        """Before a create in adopt_existing mode, for resources without a natural key: what an interrupted
        create of these inputs left behind, if exactly one thing fits."""
        return None

    # -- ResourceProvider -----------------------------------------------------------------------

    def configure(self, req: ConfigureRequest) -> None:
        one_line_in_host()
        _config.configure(dict(req.config._props))

    def check(self, olds: Props, news: Props) -> CheckResult:
        inputs, failures = validate(self.inputs, news)
        failures += self._region_failures(olds, news)
        if not failures:
            failures = self._identity_failures(olds, inputs)
        # The engine prints the value of the property a failure names (`property name value {...}`): name none
        # for secret inputs, values the service model marks sensitive, or keys no model declares. The reason
        # still starts with the property's path.
        quiet = set(self.secret_inputs) | sensitive_fields(self.inputs)
        named = [
            (prop if prop.split(".")[0] in field_names(self.inputs) and prop.split(".")[0] not in quiet else "", reason)
            for prop, reason in failures
        ]
        return CheckResult(inputs, [CheckFailure(prop, reason) for prop, reason in named])

    def diff(self, id_: str, olds: Props, news: Props) -> DiffResult:
        changed = [key for key in field_names(self.inputs) if self._differs(key, olds, news)]
        if not changed:
            return DiffResult(changes=False)
        replaces = [key for key in changed if key in self.replace_on and self._moves(key, id_, news)]
        if replaces:
            self.refuse_replace(id_, olds, news)
        identity = self._known_natural_id(olds)
        if identity is not None:
            seen.replacing[self._mine(identity)] += 1  # the engine may replace it and check it again
        # changes=None lets the engine diff the inputs itself, so `preview --diff` lists each property.
        # A change of adopt_id, or a region written out as the one the resource is in, is an update that
        # makes no API call: the state records the input, so a later refresh has nothing to rewrite.
        # delete_before_replace goes with every change: `replaceOnChanges` can force a replacement
        # our own keys did not ask for, and a user ID or device token cannot exist twice.
        return DiffResult(
            changes=None,
            replaces=replaces,
            delete_before_replace=True if self.delete_before_replace else None,
        )

    @_short_errors
    def create(self, props: Props) -> CreateResult:
        inputs = self._inputs(props)
        api = self._api(inputs.get("adopt_id"), inputs)  # an adopted resource is in the region of its ID
        adopting = _config.current().adopt_existing
        if inputs.get("adopt_id") or adopting:
            resource_id = str(inputs.get("adopt_id") or self._interrupted(api, inputs) or "")
            adopted = self._adopt(api, resource_id, inputs) if resource_id else None
            if adopted is not None:
                return self._claim(resource_id, {**inputs, **adopted}, took_over=True)
        token = new_token()  # one per logical create: every retry and settling attempt below reuses it
        unsettled: ApiError | None = None
        for settling in range(CREATE_SETTLE_ATTEMPTS + 1):
            if unsettled is not None:
                time.sleep(min(CREATE_SETTLE_MAX_DELAY_SECONDS, CREATE_SETTLE_DELAY_SECONDS * 2 ** (settling - 1)))
            try:
                resource_id, response = self.create_resource(api, inputs, token)
                break
            except ApiError as error:
                if error.code == "ConflictException":
                    return self._conflict(api, inputs, error, ours=unsettled is not None or error.retried)
                if not (error.may_have_applied or (unsettled is not None and error.code == THROTTLED)):
                    raise
                unsettled = error
        else:
            assert unsettled is not None
            raise UnsettledCreateError(
                f"{unsettled.operation} for {unsettled.resource} may have taken effect: its answers were lost "
                f"({unsettled.code}) and {CREATE_SETTLE_ATTEMPTS} more tries of the same request could not tell. "
                "See README, Troubleshooting, before the next `pulumi up`"
            ) from None
        try:
            outputs = {**inputs, **self.created_outputs(resource_id, inputs, response)}
            json.dumps(outputs)
        except Exception:
            self._undo(api, resource_id)
            raise
        return self._claim(resource_id, outputs, took_over=self.create_upserts)

    def _conflict(self, api: Api, inputs: Props, error: ApiError, *, ours: bool) -> CreateResult:
        """The create met a resource already there: our own earlier attempt, another resource of this stack,
        or one made outside it."""
        existing = self.existing_id(api, inputs)
        if existing is None:
            raise error
        if existing in seen.created:
            raise AdoptionError(self._duplicate_message(existing)) from None
        if ours and not self.create_has_token and self.natural_id(inputs) == existing:
            # A create without ClientRequestToken (CreateAppInstanceAdmin) whose answer was lost: the retry met
            # the resource our first attempt made. Keep it, with the outputs a create makes (no call: a read
            # that failed now would leave it in AWS and out of state).
            return self._claim(existing, {**inputs, **self.created_outputs(existing, inputs, {})}, took_over=False)
        if self._mine(existing) in seen.in_stack:
            raise AdoptionError(self._duplicate_message(existing)) from None
        adopted = self._adopt(api, existing, inputs) if _config.current().adopt_existing else None
        if adopted is not None:
            return self._claim(existing, {**inputs, **adopted}, took_over=True)
        raise AdoptionError(self._exists_message(existing)) from None

    @_short_errors
    def read(self, id_: str, props: Props) -> ReadResult:
        api = self._api(id_, props)
        live = self._find(api, id_, props, learn=True)
        if live is None:
            return ReadResult(None, {})
        names = field_names(self.inputs)
        inputs = {key: live.get(key, props.get(key)) for key in names}
        inputs = {key: value for key, value in inputs.items() if value is not None}
        drifted = any(key in live and live[key] != props.get(key) for key in names)
        if not drifted and all(props.get(key) for key in TIMESTAMPS if key in live):
            # The API returns no timestamps from create/update, so they were recorded from this
            # provider's clock; keep them while nothing changed, so refresh stays quiet.
            live = {**live, **{key: props[key] for key in TIMESTAMPS if key in live}}
        return ReadResult(id_, {**live, **inputs}, inputs)

    @_short_errors
    def update(self, id_: str, olds: Props, news: Props) -> UpdateResult:
        inputs = self._inputs(news)
        api = self._api(id_, inputs)
        fresh = self.update_resource(api, id_, olds, inputs)
        carried = {key: olds[key] for key in olds if key not in inputs and key not in field_names(self.inputs)}
        carried.pop("__provider", None)
        return UpdateResult({**_refreshed(carried, fresh), **inputs})

    @_short_errors
    def delete(self, id_: str, props: Props) -> None:
        if id_ in seen.claimed:
            return  # another resource of this stack took it over in this command: it is theirs now
        api = self._api(id_, props)
        try:
            if id_ not in seen.forced:
                self.refuse_delete(api, id_, props)
            self.delete_resource(api, id_)
        except ApiError as error:
            if not self._gone(api, id_, error):
                raise

    # -- shared machinery -----------------------------------------------------------------------

    def _inputs(self, props: Props) -> Props:
        names = field_names(self.inputs)
        return {key: value for key, value in props.items() if key in names and value is not None}

    def _api(self, resource_id: str | None, props: Props) -> Api:
        arn = (resource_id or props.get(self.parent_key or "") or "").split("|")[0] or None
        return Api(_config.region_for(explicit=props.get("region"), arn=arn))

    def _differs(self, key: str, olds: Props, news: Props) -> bool:
        new = news.get(key)
        if key == "region" and new is None:
            return False  # an unset region follows configuration; the resource stays where it is
        if is_unknown(new):
            return True
        return bool(olds.get(key) != new)

    @staticmethod
    def _moves(key: str, resource_id: str, news: Props) -> bool:
        """Whether a changed replace-on input names another resource than this one.

        Only region can name the same one anew: set explicitly to the region the resource is in (which
        its ARN, the ID, says), it replaces nothing.
        """
        new = news.get(key)
        return key != "region" or is_unknown(new) or new != _config.region_for(arn=resource_id)

    def _region_failures(self, olds: Props, news: Props) -> list[tuple[str, str]]:
        """A new resource with a ``region`` input left unset is made in the configured region: refuse one the
        service does not have, naming the setting it came from (the region inside a parent ARN and the
        ``region`` input are checked by their rules)."""
        if "region" not in field_names(self.inputs) or olds or news.get("region") is not None or news.get("adopt_id"):
            return []  # in the stack already, placed explicitly, or adopted: where its ARN says
        settings = _config.current()
        problem = region_problem(settings.region) if settings.region else None
        if problem is None:
            return []
        return [
            (
                "region",
                f"region: not set, so the {self.kind} would be made in {settings.region!r} from "
                f"{settings.region_source}: {problem}. Set region, or `pulumi config set chimesdkidentity:region "
                f"{SUPPORTED_REGIONS[0]}`",
            )
        ]

    def _known_natural_id(self, inputs: Props) -> str | None:
        """The natural ID the inputs give, when every input it comes from is known."""
        if any(inputs.get(key) is None or is_unknown(inputs.get(key)) for key in self.replace_on):
            return None
        return self.natural_id(inputs)

    def _identity_failures(self, olds: Props, inputs: Props) -> list[tuple[str, str]]:
        """Refuse, before anything is touched, a create that must fail or would lose a resource.

        With old inputs the resource is in the stack: remember its identity and call nothing. Without
        them it is new, or the create half of a replacement (the engine checks that half again without
        old inputs, after the other half deleted the old resource in delete-before-replace order), which
        follows a diff of the same resource that found changes. Any other second declaration of one
        identity in this command is a duplicate, refused whichever of the two is checked second.
        """
        adopt = inputs.get("adopt_id")
        adopt = adopt if isinstance(adopt, str) and adopt else None
        if olds:
            known = self._known_natural_id(olds)
            seen.in_stack.update(self._mine(found) for found in (known, adopt) if found)
            identity = known or adopt
            duplicated = identity is not None and self._mine(identity) in seen.declared
            return self._duplicate_failures(known) if duplicated else []
        natural = self._known_natural_id(inputs)
        if adopt and self._mine(adopt) in seen.in_stack:
            return [
                (
                    "adopt_id",
                    f"adopt_id: this change replaces the {self.kind}, which deletes the resource adopt_id names "
                    "before the new one could adopt it. Remove adopt_id (it only matters when the resource is "
                    "created), then preview again.",
                )
            ]
        if adopt and natural and adopt != natural:
            return [("adopt_id", f"adopt_id: {adopt} does not match the inputs, which describe {natural}")]
        named = natural or adopt
        identity = self._mine(named) if named else None
        if identity is not None:
            if identity in seen.in_stack and seen.replacing[identity] > 0:
                seen.replacing[identity] -= 1  # the create half of a replacement
            elif identity in seen.in_stack or identity in seen.declared:
                return self._duplicate_failures(natural)
            else:
                seen.declared.add(identity)
        if adopt and not self.adopt_creates_missing and self._missing(adopt, inputs):
            return [
                (
                    "adopt_id",
                    f"adopt_id: {adopt} names no existing {self.kind}. Correct it, or remove it (in a MessagingApp "
                    "or MessagingUser: the entry's adopt or adopt_id) to create one",
                )
            ]
        if adopt or natural is None or self._mine(natural) in seen.in_stack or self.identity_input is None:
            return []
        if _config.current().adopt_existing:
            return []  # recovery mode: the create adopts what its inputs name
        if any(inputs.get(key) in seen.created for key in self.replace_on):
            return []  # its parent was created in this command: nothing can exist under it yet
        if not self._exists(natural, inputs):
            return []
        return [(self.identity_input, f"{self.identity_input}: {self._exists_message(natural)}")]

    def _missing(self, resource_id: str, inputs: Props) -> bool:
        """Whether the resource is known to be gone; False also when that cannot be told (then the create says)."""
        try:
            api = self._api(resource_id, inputs)
            self.read_resource(api, resource_id)
        except ApiError as error:
            try:
                return self._gone(api, resource_id, error)
            except Exception:  # the parent's List* cannot be read either: nothing to refuse at preview
                return False
        except Exception:  # unreachable, no credentials: nothing to refuse at preview
            return False
        return False

    def _exists(self, resource_id: str, inputs: Props) -> bool:
        """Whether the resource is there; False also when that cannot be told (no credentials, preview
        offline): then `pulumi up` meets the same answer from the create call."""
        try:
            self.read_resource(self._api(None, inputs), resource_id)
        except Exception:  # gone, forbidden, unreachable: nothing to refuse at preview
            return False
        return True

    def _exists_message(self, resource_id: str) -> str:
        return (
            f"{self.kind} {resource_id} already exists. If you renamed this resource in your program, add "
            'opts=pulumi.ResourceOptions(aliases=[pulumi.Alias(name="<its old name>")]) so Pulumi keeps it '
            'under the new name. To manage one made outside this stack, set adopt_id="'
            f'{resource_id}"{self.component_adopt_hint(resource_id)}. If an interrupted `pulumi up` created it, '
            "see README, Troubleshooting."
        )

    def component_adopt_hint(self, resource_id: str) -> str:
        """How a component entry adopts the resource, for the message about one that exists (empty if none can)."""
        return ""

    def _mine(self, identity: str) -> str:
        """An identity as ``Seen`` keeps it: with this kind, since kinds share IDs (an AppInstance's ARN is also the
        ID of its retention settings)."""
        return f"{self.kind} {identity}"

    def _duplicate_failures(self, natural: str | None) -> list[tuple[str, str]]:
        """Another resource of this program declares the same identity: say so, and name no value."""
        prop = (self.identity_input or self.parent_key or "adopt_id") if natural else "adopt_id"
        keys = " and ".join(self.replace_on) if natural else "adopt_id"
        return [
            (
                prop,
                f"{prop}: another {self.kind} resource of this stack declares the same {self.kind} (the same "
                f"{keys}). One {self.kind} can be managed by one resource only: remove one of "
                "the two declarations.",
            )
        ]

    def _duplicate_message(self, resource_id: str) -> str:
        return (
            f"{self.kind} {resource_id} is made or managed by another resource of this stack, which declares the "
            f"same {' and '.join(self.replace_on)}. One {self.kind} can be managed by one resource only: remove one "
            "of the two declarations."
        )

    def _interrupted(self, api: Api, inputs: Props) -> str | None:
        """What an interrupted create left, unless another resource of this command made or took it."""
        found = self.interrupted_id(api, inputs)
        return None if found in seen.created or found in seen.claimed else found

    @staticmethod
    def _claim(resource_id: str, outputs: Props, *, took_over: bool) -> CreateResult:
        (seen.claimed if took_over else seen.created).add(resource_id)
        return CreateResult(resource_id, outputs)

    def _gone(self, api: Api, resource_id: str, error: ApiError) -> bool:
        """NotFound is gone; Forbidden is gone only if the parent's List* (or the AppInstance's) agrees."""
        if error.is_not_found:
            return True
        if not error.is_forbidden:
            return False
        try:
            return not self.listed(api, resource_id)
        except ApiError as parent_error:
            if parent_error.is_not_found:
                return True
            if not parent_error.is_forbidden:
                raise
        instance = _APP_INSTANCE_ARN.match(resource_id)
        if instance is None:
            return False
        instances = api.pages("ListAppInstances", instance.group(0), "AppInstances")
        return all(item["AppInstanceArn"] != instance.group(0) for item in instances)

    def _find(self, api: Api, resource_id: str, props: Props, *, learn: bool = False) -> Props | None:
        """Live values, or None when gone; a resource created moments ago is looked for again (see
        VISIBILITY_POLL_SECONDS). ``learn``: props hold the real creation time, so what this read sees bounds the
        wait of the next ones."""
        created = _parse_time(props.get("created_timestamp"))
        looked_again = False
        while True:
            try:
                live = self.read_resource(api, resource_id)
            except ApiError as error:
                if not self._gone(api, resource_id, error):
                    raise
            else:
                if learn and created is not None:
                    _seen_visible(_age(created), looked_again)
                return live
            window = _visibility_window() if learn else _config.current().consistency_wait_seconds
            if created is None or _age(created) >= window:
                return None
            looked_again = True
            time.sleep(VISIBILITY_POLL_SECONDS)

    def _adopt(self, api: Api, resource_id: str, inputs: Props) -> Props | None:
        """The outputs of the existing resource, updated to the inputs; None if missing and it is to be created."""
        expected = self.natural_id(inputs)
        if expected is not None and expected != resource_id:
            raise AdoptionError(f"adopt_id {resource_id} does not match the inputs, which describe {expected}")
        live = self._find(api, resource_id, {})
        if live is None and self.adopt_creates_missing:
            return None
        if live is None:
            raise AdoptionError(f"adopt_id {resource_id} names no existing {self.kind}")
        for key in self.replace_on:
            if key in live and inputs.get(key) is not None and live[key] != inputs[key]:
                differs = (
                    f"other {key} than the inputs"
                    if key in self.secret_inputs
                    else f"{key}={live[key]!r}, but the inputs say {inputs[key]!r}"
                )
                raise AdoptionError(f"adopt_id {resource_id} has {differs}; {key} cannot be changed in place")
        fresh = self.update_resource(api, resource_id, live, inputs)
        return _refreshed(self._computed_part(live), fresh)

    def _computed_part(self, live: Props) -> Props:
        """What a live read holds beyond the inputs: ARNs, IDs, timestamps."""
        return {key: value for key, value in live.items() if key not in field_names(self.inputs)}

    def _undo(self, api: Api, resource_id: str) -> None:
        with contextlib.suppress(ApiError):  # the original failure is the one to report
            self.delete_resource(api, resource_id)


def _refreshed(computed: Props, fresh: Props | None) -> Props:
    """Computed outputs after an update: what the calls returned, and a new last-updated time if any ran."""
    if fresh is None:
        return computed
    stamp = {"last_updated_timestamp": now()} if "last_updated_timestamp" in computed else {}
    return {**computed, **stamp, **fresh}


def _parse_time(timestamp: Any) -> datetime | None:
    if not isinstance(timestamp, str):
        return None
    try:
        return datetime.fromisoformat(timestamp)
    except ValueError:
        return None


def _age(created: datetime) -> float:
    return (datetime.now(UTC) - created).total_seconds()


_visibility_lock = threading.Lock()


def _seen_visible(age: float, looked_again: bool) -> None:
    """Record that a read found a resource at this age, after looking again or at once."""
    if age >= _config.current().consistency_wait_seconds:
        return  # older than any window: it says nothing about the delay
    with _visibility_lock:
        if looked_again:
            seen.hidden_for = max(seen.hidden_for or 0.0, age)
        else:
            seen.visible_at = min(seen.visible_at if seen.visible_at is not None else age, age)


def _visibility_window() -> float:
    """How old a resource must be before a read that cannot find it takes it as gone."""
    limit = _config.current().consistency_wait_seconds
    with _visibility_lock:
        observed = seen.hidden_for if seen.hidden_for is not None else seen.visible_at
    return limit if observed is None else min(limit, observed + VISIBILITY_POLL_SECONDS)


def arn_outputs(resource_id: str) -> Props:
    """Computed outputs of a new resource whose ID is its ARN (the API returns no timestamps)."""
    stamp = now()
    return {"arn": resource_id, "created_timestamp": stamp, "last_updated_timestamp": stamp}


def named_live(api: Api, resource_id: str, live: Props) -> Props:
    """The live name, metadata, tags and timestamps shared by AppInstance, AppInstanceUser and AppInstanceBot."""
    return {
        "name": live.get("Name", ""),
        "metadata": live.get("Metadata", ""),
        "tags": read_tags(api, resource_id),
        "arn": resource_id,
        "created_timestamp": iso(live.get("CreatedTimestamp")),
        "last_updated_timestamp": iso(live.get("LastUpdatedTimestamp")),
    }


def update_named(
    api: Api, operation: str, arn_member: str, resource_id: str, olds: Props, news: Props, **extra: Any
) -> bool:
    """Call Update<Thing> when name, metadata or ``extra`` changed; the API wants Name and Metadata together."""
    wanted = (news.get("name", ""), news.get("metadata", ""))
    if (olds.get("name", ""), olds.get("metadata", "")) == wanted and not extra:
        return False
    api.call(operation, resource_id, **{arn_member: resource_id}, Name=wanted[0], Metadata=wanted[1], **extra)
    return True


def tag_list(tags: dict[str, str]) -> list[dict[str, str]]:
    """Tags in the API's form."""
    return [{"Key": key, "Value": value} for key, value in tags.items()]


def update_tags(api: Api, arn: str, old: dict[str, str] | None, new: dict[str, str] | None) -> bool:
    """Apply the tag delta: UntagResource for removed keys, TagResource for added or changed ones."""
    old, new = old or {}, new or {}
    removed = [key for key in old if key not in new]
    changed = {key: value for key, value in new.items() if old.get(key) != value}
    if removed:
        api.call("UntagResource", arn, ResourceARN=arn, TagKeys=removed)
    if changed:
        api.call("TagResource", arn, ResourceARN=arn, Tags=tag_list(changed))
    return bool(removed or changed)


def read_tags(api: Api, arn: str) -> dict[str, str]:
    """The resource's tags as a sorted dict."""
    tags = api.call("ListTagsForResource", arn, ResourceARN=arn).get("Tags") or []
    return dict(sorted((tag["Key"], tag["Value"]) for tag in tags))


def create_params(inputs: Props, token: str) -> Props:
    """Tags, Metadata and ClientRequestToken in the create request's form (what the create takes)."""
    params: Props = {"ClientRequestToken": token}
    if inputs.get("metadata"):
        params["Metadata"] = inputs["metadata"]
    if inputs.get("tags"):
        params["Tags"] = tag_list(inputs["tags"])
    return params
