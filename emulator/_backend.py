"""What each chime-sdk-identity operation does: one handler per operation, over the Store.

Handlers receive parameters that the protocol layer has already parsed and validated against
the model, and return output dicts in the model's member names. State is scoped per
(account, region) through the ARNs it is keyed by.
"""

from __future__ import annotations

import base64
import hashlib
import hmac
import json
import secrets
import threading
import time
import uuid
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from typing import Any

from ._exceptions import (
    BadRequestException,
    ChimeError,
    ConflictException,
    ForbiddenException,
    NotFoundException,
    ResourceLimitExceededException,
)
from ._store import Record, Store

DEFAULT_ACCOUNT_ID = "123456789012"
DEFAULT_MAX_RESULTS = 50
MAX_TAGS = 50

Params = dict[str, Any]
Handler = Callable[["Backend", "Context", Params], Params]
HANDLERS: dict[str, Handler] = {}


def handles(operation: str) -> Callable[[Handler], Handler]:
    """Register a Backend method as the handler of one operation."""

    def register(func: Handler) -> Handler:
        HANDLERS[operation] = func
        return func

    return register


@dataclass(frozen=True)
class Context:
    """Who is calling: the account and region taken from the request's SigV4 credential scope."""

    account: str
    region: str

    @property
    def arn_prefix(self) -> str:
        """The start of every Chime ARN in this account and region."""
        return f"arn:aws:chime:{self.region}:{self.account}:"


@dataclass
class Behaviour:
    """Knobs that change how the emulator answers, settable at start and at run time."""

    missing_error: str = "NotFoundException"
    consistency_delay_ms: float = 0.0


class Backend:
    """The emulated service: state plus one handler per operation."""

    def __init__(self, store: Store | None = None, behaviour: Behaviour | None = None) -> None:
        self.store = store or Store()
        self.behaviour = behaviour or Behaviour()
        self.lock = threading.RLock()
        self._token_key = secrets.token_bytes(16)

    # -- dispatch ---------------------------------------------------------------------------

    def handle(self, operation: str, ctx: Context, params: Params, idempotency_member: str | None) -> Params:
        """Run one operation atomically, honouring its ClientRequestToken if the model has one."""
        with self.lock:
            try:
                token_key = None
                if idempotency_member and params.get(idempotency_member):
                    token_key = f"{ctx.account}|{ctx.region}|{operation}|{params[idempotency_member]}"
                    fingerprint = _fingerprint({k: v for k, v in params.items() if k != idempotency_member})
                    seen = self.store["tokens"].get(token_key)
                    if seen is not None:
                        if seen["fingerprint"] != fingerprint:
                            raise ConflictException(
                                f"ClientRequestToken was already used for a {operation} request with other parameters"
                            )
                        return dict(seen["output"])
                output = HANDLERS[operation](self, ctx, params)
                if token_key is not None:
                    self.store["tokens"].put(token_key, {"fingerprint": fingerprint, "output": output})
                return output
            finally:
                self.store.commit()

    def reset(self) -> None:
        """Forget all state."""
        with self.lock:
            self.store.reset()

    # -- helpers ------------------------------------------------------------------------------

    def _missing(self, what: str, arn: str) -> ChimeError:
        if self.behaviour.missing_error == "ForbiddenException":
            return ForbiddenException(f"Forbidden: {what} {arn} is not accessible")
        return NotFoundException(f"{what} {arn} not found")

    def _find(self, table: str, what: str, ctx: Context, key: str, arn: str, *, describe: bool = False) -> Record:
        """The record under key in ctx's account and region, or the missing-resource error.

        ``describe`` hides records that are still inside the injected consistency delay.
        """
        record = self.store[table].get(key)
        if record is None or not arn.startswith(ctx.arn_prefix) or (describe and not _visible(record)):
            raise self._missing(what, arn)
        return record

    def _instance(self, ctx: Context, arn: str, *, describe: bool = False) -> Record:
        return self._find("app_instances", "AppInstance", ctx, arn, arn, describe=describe)

    def _user(self, ctx: Context, arn: str, *, describe: bool = False) -> Record:
        return self._find("users", "AppInstanceUser", ctx, arn, arn, describe=describe)

    def _bot(self, ctx: Context, arn: str, *, describe: bool = False) -> Record:
        return self._find("bots", "AppInstanceBot", ctx, arn, arn, describe=describe)

    def _new(self, now: float, **fields: Any) -> Record:
        record: Record = {k: v for k, v in fields.items() if v is not None}
        record.update(CreatedTimestamp=now, LastUpdatedTimestamp=now)
        record["_visible_after"] = now + self.behaviour.consistency_delay_ms / 1000.0
        return record

    def _paginate(
        self, operation: str, scope: str, rows: Iterator[tuple[str, Record]], params: Params
    ) -> tuple[list[Record], str | None]:
        """One page of rows after the NextToken's position; tokens are bound to operation and scope."""
        limit = params.get("MaxResults", DEFAULT_MAX_RESULTS)
        after = self._read_token(params["NextToken"], operation, scope) if params.get("NextToken") else None
        page: list[Record] = []
        last_key = ""
        for key, record in rows:
            if after is not None and key <= after:
                continue
            if not _visible(record):
                continue
            if len(page) == limit:
                return page, self._make_token(operation, scope, last_key)
            page.append(record)
            last_key = key
        return page, None

    def _make_token(self, operation: str, scope: str, last_key: str) -> str:
        body = base64.urlsafe_b64encode(json.dumps([operation, scope, last_key]).encode()).decode()
        return body + "." + self._sign(body)

    def _read_token(self, token: str, operation: str, scope: str) -> str:
        body, _, signature = token.rpartition(".")
        try:
            if not hmac.compare_digest(signature, self._sign(body)):
                raise ValueError
            op, bound_scope, last_key = json.loads(base64.urlsafe_b64decode(body))
        except ValueError:
            raise BadRequestException("NextToken is invalid") from None
        if op != operation or bound_scope != scope:
            raise BadRequestException("NextToken was issued for a different request")
        return str(last_key)

    def _sign(self, body: str) -> str:
        return hmac.new(self._token_key, body.encode(), hashlib.sha256).hexdigest()[:32]

    def _taggable(self, ctx: Context, arn: str) -> None:
        for table in ("app_instances", "users", "bots"):
            if self.store[table].get(arn) is not None and arn.startswith(ctx.arn_prefix):
                return
        raise self._missing("Resource", arn)

    def _add_tags(self, arn: str, tags: list[dict[str, str]]) -> None:
        current = (self.store["tags"].get(arn) or {}).get("Tags", {})
        self.store["tags"].put(arn, {"Tags": _merge_tags(current, tags)})

    def _delete_user_tree(self, user_arn: str) -> None:
        for key, _ in list(self.store["endpoints"].items(user_arn + "|")):
            self.store["endpoints"].delete(key)
        self._delete_member(user_arn, "users")

    def _delete_member(self, arn: str, table: str) -> None:
        for key, admin in list(self.store["admins"].items()):
            if admin["AdminArn"] == arn:
                self.store["admins"].delete(key)
        self.store["tags"].delete(arn)
        self.store[table].delete(arn)

    def _identity(self, arn: str) -> Record:
        member = self.store["users"].get(arn) or self.store["bots"].get(arn) or {}
        return {"Arn": arn, "Name": member.get("Name", "")}

    # -- AppInstance ----------------------------------------------------------------------------

    @handles("CreateAppInstance")
    def create_app_instance(self, ctx: Context, p: Params) -> Params:
        _merge_tags({}, p.get("Tags") or [])
        arn = f"{ctx.arn_prefix}app-instance/{uuid.uuid4()}"
        self.store["app_instances"].put(
            arn, self._new(time.time(), AppInstanceArn=arn, Name=p["Name"], Metadata=p.get("Metadata"))
        )
        if p.get("Tags"):
            self._add_tags(arn, p["Tags"])
        return {"AppInstanceArn": arn}

    @handles("DescribeAppInstance")
    def describe_app_instance(self, ctx: Context, p: Params) -> Params:
        return {"AppInstance": self._instance(ctx, p["AppInstanceArn"], describe=True)}

    @handles("UpdateAppInstance")
    def update_app_instance(self, ctx: Context, p: Params) -> Params:
        record = dict(self._instance(ctx, p["AppInstanceArn"]))
        record.update(Name=p["Name"], Metadata=p["Metadata"], LastUpdatedTimestamp=time.time())
        self.store["app_instances"].put(p["AppInstanceArn"], record)
        return {"AppInstanceArn": p["AppInstanceArn"]}

    @handles("DeleteAppInstance")
    def delete_app_instance(self, ctx: Context, p: Params) -> Params:
        arn = p["AppInstanceArn"]
        self._instance(ctx, arn)
        for user_arn, _ in list(self.store["users"].items(arn + "/user/")):
            self._delete_user_tree(user_arn)
        for bot_arn, _ in list(self.store["bots"].items(arn + "/bot/")):
            self._delete_member(bot_arn, "bots")
        for key, _ in list(self.store["admins"].items(arn + "|")):
            self.store["admins"].delete(key)
        self.store["retention"].delete(arn)
        self.store["tags"].delete(arn)
        self.store["app_instances"].delete(arn)
        return {}

    @handles("ListAppInstances")
    def list_app_instances(self, ctx: Context, p: Params) -> Params:
        rows = self.store["app_instances"].items(ctx.arn_prefix + "app-instance/")
        page, token = self._paginate("ListAppInstances", ctx.arn_prefix, rows, p)
        return {"AppInstances": page, "NextToken": token}

    # -- AppInstanceUser ------------------------------------------------------------------------

    @handles("CreateAppInstanceUser")
    def create_app_instance_user(self, ctx: Context, p: Params) -> Params:
        instance_arn = p["AppInstanceArn"]
        self._instance(ctx, instance_arn)
        arn = f"{instance_arn}/user/{p['AppInstanceUserId']}"
        if self.store["users"].get(arn) is not None:
            raise ConflictException(f"AppInstanceUser {p['AppInstanceUserId']} already exists in {instance_arn}")
        _merge_tags({}, p.get("Tags") or [])
        record = self._new(
            time.time(),
            AppInstanceUserArn=arn,
            Name=p["Name"],
            Metadata=p.get("Metadata"),
            ExpirationSettings=p.get("ExpirationSettings"),
        )
        self.store["users"].put(arn, record)
        if p.get("Tags"):
            self._add_tags(arn, p["Tags"])
        return {"AppInstanceUserArn": arn}

    @handles("DescribeAppInstanceUser")
    def describe_app_instance_user(self, ctx: Context, p: Params) -> Params:
        return {"AppInstanceUser": self._user(ctx, p["AppInstanceUserArn"], describe=True)}

    @handles("UpdateAppInstanceUser")
    def update_app_instance_user(self, ctx: Context, p: Params) -> Params:
        record = dict(self._user(ctx, p["AppInstanceUserArn"]))
        record.update(Name=p["Name"], Metadata=p["Metadata"], LastUpdatedTimestamp=time.time())
        self.store["users"].put(p["AppInstanceUserArn"], record)
        return {"AppInstanceUserArn": p["AppInstanceUserArn"]}

    @handles("DeleteAppInstanceUser")
    def delete_app_instance_user(self, ctx: Context, p: Params) -> Params:
        self._user(ctx, p["AppInstanceUserArn"])
        self._delete_user_tree(p["AppInstanceUserArn"])
        return {}

    @handles("ListAppInstanceUsers")
    def list_app_instance_users(self, ctx: Context, p: Params) -> Params:
        arn = p["AppInstanceArn"]
        self._instance(ctx, arn)
        page, token = self._paginate("ListAppInstanceUsers", arn, self.store["users"].items(arn + "/user/"), p)
        return {"AppInstanceArn": arn, "AppInstanceUsers": page, "NextToken": token}

    @handles("PutAppInstanceUserExpirationSettings")
    def put_app_instance_user_expiration_settings(self, ctx: Context, p: Params) -> Params:
        arn = p["AppInstanceUserArn"]
        record = dict(self._user(ctx, arn))
        record.pop("ExpirationSettings", None)
        if p.get("ExpirationSettings"):
            record["ExpirationSettings"] = p["ExpirationSettings"]
        record["LastUpdatedTimestamp"] = time.time()
        self.store["users"].put(arn, record)
        return {"AppInstanceUserArn": arn, "ExpirationSettings": record.get("ExpirationSettings")}

    # -- AppInstanceBot -------------------------------------------------------------------------

    @handles("CreateAppInstanceBot")
    def create_app_instance_bot(self, ctx: Context, p: Params) -> Params:
        instance_arn = p["AppInstanceArn"]
        self._instance(ctx, instance_arn)
        _merge_tags({}, p.get("Tags") or [])
        arn = f"{instance_arn}/bot/{uuid.uuid4()}"
        record = self._new(
            time.time(),
            AppInstanceBotArn=arn,
            Name=p.get("Name", ""),
            Metadata=p.get("Metadata"),
            Configuration=p["Configuration"],
        )
        self.store["bots"].put(arn, record)
        if p.get("Tags"):
            self._add_tags(arn, p["Tags"])
        return {"AppInstanceBotArn": arn}

    @handles("DescribeAppInstanceBot")
    def describe_app_instance_bot(self, ctx: Context, p: Params) -> Params:
        return {"AppInstanceBot": self._bot(ctx, p["AppInstanceBotArn"], describe=True)}

    @handles("UpdateAppInstanceBot")
    def update_app_instance_bot(self, ctx: Context, p: Params) -> Params:
        record = dict(self._bot(ctx, p["AppInstanceBotArn"]))
        record.update(Name=p["Name"], Metadata=p["Metadata"], LastUpdatedTimestamp=time.time())
        if p.get("Configuration") is not None:
            record["Configuration"] = p["Configuration"]
        self.store["bots"].put(p["AppInstanceBotArn"], record)
        return {"AppInstanceBotArn": p["AppInstanceBotArn"]}

    @handles("DeleteAppInstanceBot")
    def delete_app_instance_bot(self, ctx: Context, p: Params) -> Params:
        self._bot(ctx, p["AppInstanceBotArn"])
        self._delete_member(p["AppInstanceBotArn"], "bots")
        return {}

    @handles("ListAppInstanceBots")
    def list_app_instance_bots(self, ctx: Context, p: Params) -> Params:
        arn = p["AppInstanceArn"]
        self._instance(ctx, arn)
        page, token = self._paginate("ListAppInstanceBots", arn, self.store["bots"].items(arn + "/bot/"), p)
        return {"AppInstanceArn": arn, "AppInstanceBots": page, "NextToken": token}

    # -- AppInstanceAdmin -----------------------------------------------------------------------

    @handles("CreateAppInstanceAdmin")
    def create_app_instance_admin(self, ctx: Context, p: Params) -> Params:
        instance_arn, admin_arn = p["AppInstanceArn"], p["AppInstanceAdminArn"]
        self._instance(ctx, instance_arn)
        is_member = admin_arn.startswith((instance_arn + "/user/", instance_arn + "/bot/"))
        if not is_member or (self.store["users"].get(admin_arn) or self.store["bots"].get(admin_arn)) is None:
            raise BadRequestException(
                f"AppInstanceAdminArn {admin_arn} is not an AppInstanceUser or AppInstanceBot of {instance_arn}"
            )
        key = f"{instance_arn}|{admin_arn}"
        if self.store["admins"].get(key) is not None:
            raise ConflictException(f"{admin_arn} is already an AppInstanceAdmin of {instance_arn}")
        self.store["admins"].put(key, self._new(time.time(), AppInstanceArn=instance_arn, AdminArn=admin_arn))
        return {"AppInstanceAdmin": self._identity(admin_arn), "AppInstanceArn": instance_arn}

    def _admin(self, ctx: Context, p: Params, *, describe: bool = False) -> Record:
        key = f"{p['AppInstanceArn']}|{p['AppInstanceAdminArn']}"
        return self._find("admins", "AppInstanceAdmin", ctx, key, p["AppInstanceAdminArn"], describe=describe)

    @handles("DescribeAppInstanceAdmin")
    def describe_app_instance_admin(self, ctx: Context, p: Params) -> Params:
        record = self._admin(ctx, p, describe=True)
        admin = {
            "Admin": self._identity(record["AdminArn"]),
            "AppInstanceArn": record["AppInstanceArn"],
            "CreatedTimestamp": record["CreatedTimestamp"],
        }
        return {"AppInstanceAdmin": admin}

    @handles("DeleteAppInstanceAdmin")
    def delete_app_instance_admin(self, ctx: Context, p: Params) -> Params:
        self._admin(ctx, p)
        self.store["admins"].delete(f"{p['AppInstanceArn']}|{p['AppInstanceAdminArn']}")
        return {}

    @handles("ListAppInstanceAdmins")
    def list_app_instance_admins(self, ctx: Context, p: Params) -> Params:
        arn = p["AppInstanceArn"]
        self._instance(ctx, arn)
        page, token = self._paginate("ListAppInstanceAdmins", arn, self.store["admins"].items(arn + "|"), p)
        admins = [{"Admin": self._identity(record["AdminArn"])} for record in page]
        return {"AppInstanceArn": arn, "AppInstanceAdmins": admins, "NextToken": token}

    # -- AppInstanceUserEndpoint ----------------------------------------------------------------

    @handles("RegisterAppInstanceUserEndpoint")
    def register_app_instance_user_endpoint(self, ctx: Context, p: Params) -> Params:
        user_arn = p["AppInstanceUserArn"]
        self._user(ctx, user_arn)
        for _, existing in self.store["endpoints"].items(user_arn + "|"):
            same_device = existing["EndpointAttributes"]["DeviceToken"] == p["EndpointAttributes"]["DeviceToken"]
            if same_device and existing["ResourceArn"] == p["ResourceArn"]:
                raise ConflictException(f"The device is already registered as endpoint {existing['EndpointId']}")
        endpoint_id = uuid.uuid4().hex
        record = self._new(
            time.time(),
            AppInstanceUserArn=user_arn,
            EndpointId=endpoint_id,
            Name=p.get("Name", ""),
            Type=p["Type"],
            ResourceArn=p["ResourceArn"],
            EndpointAttributes=p["EndpointAttributes"],
            AllowMessages=p.get("AllowMessages", "ALL"),
            EndpointState={"Status": "ACTIVE"},
        )
        self.store["endpoints"].put(f"{user_arn}|{endpoint_id}", record)
        return {"AppInstanceUserArn": user_arn, "EndpointId": endpoint_id}

    def _endpoint(self, ctx: Context, p: Params, *, describe: bool = False) -> Record:
        key = f"{p['AppInstanceUserArn']}|{p['EndpointId']}"
        return self._find("endpoints", "AppInstanceUserEndpoint", ctx, key, p["AppInstanceUserArn"], describe=describe)

    @handles("DescribeAppInstanceUserEndpoint")
    def describe_app_instance_user_endpoint(self, ctx: Context, p: Params) -> Params:
        return {"AppInstanceUserEndpoint": self._endpoint(ctx, p, describe=True)}

    @handles("UpdateAppInstanceUserEndpoint")
    def update_app_instance_user_endpoint(self, ctx: Context, p: Params) -> Params:
        record = dict(self._endpoint(ctx, p))
        for member in ("Name", "AllowMessages"):
            if p.get(member) is not None:
                record[member] = p[member]
        record["LastUpdatedTimestamp"] = time.time()
        self.store["endpoints"].put(f"{p['AppInstanceUserArn']}|{p['EndpointId']}", record)
        return {"AppInstanceUserArn": p["AppInstanceUserArn"], "EndpointId": p["EndpointId"]}

    @handles("DeregisterAppInstanceUserEndpoint")
    def deregister_app_instance_user_endpoint(self, ctx: Context, p: Params) -> Params:
        self._endpoint(ctx, p)
        self.store["endpoints"].delete(f"{p['AppInstanceUserArn']}|{p['EndpointId']}")
        return {}

    @handles("ListAppInstanceUserEndpoints")
    def list_app_instance_user_endpoints(self, ctx: Context, p: Params) -> Params:
        arn = p["AppInstanceUserArn"]
        self._user(ctx, arn)
        rows = self.store["endpoints"].items(arn + "|")
        page, token = self._paginate("ListAppInstanceUserEndpoints", arn, rows, p)
        return {"AppInstanceUserEndpoints": page, "NextToken": token}

    # -- Retention ------------------------------------------------------------------------------

    @handles("PutAppInstanceRetentionSettings")
    def put_app_instance_retention_settings(self, ctx: Context, p: Params) -> Params:
        arn = p["AppInstanceArn"]
        self._instance(ctx, arn)
        record = {
            "AppInstanceRetentionSettings": p["AppInstanceRetentionSettings"],
            "InitiateDeletionTimestamp": time.time(),
        }
        self.store["retention"].put(arn, record)
        return dict(record)

    @handles("GetAppInstanceRetentionSettings")
    def get_app_instance_retention_settings(self, ctx: Context, p: Params) -> Params:
        arn = p["AppInstanceArn"]
        self._instance(ctx, arn)
        return dict(self.store["retention"].get(arn) or {"AppInstanceRetentionSettings": {}})

    # -- Tags -----------------------------------------------------------------------------------

    @handles("TagResource")
    def tag_resource(self, ctx: Context, p: Params) -> Params:
        self._taggable(ctx, p["ResourceARN"])
        self._add_tags(p["ResourceARN"], p["Tags"])
        return {}

    @handles("UntagResource")
    def untag_resource(self, ctx: Context, p: Params) -> Params:
        arn = p["ResourceARN"]
        self._taggable(ctx, arn)
        current = dict((self.store["tags"].get(arn) or {}).get("Tags", {}))
        for key in p["TagKeys"]:
            current.pop(key, None)
        self.store["tags"].put(arn, {"Tags": current})
        return {}

    @handles("ListTagsForResource")
    def list_tags_for_resource(self, ctx: Context, p: Params) -> Params:
        arn = p["ResourceARN"]
        self._taggable(ctx, arn)
        tags = (self.store["tags"].get(arn) or {}).get("Tags", {})
        return {"Tags": [{"Key": k, "Value": v} for k, v in tags.items()] or None}


def _merge_tags(current: dict[str, str], tags: list[dict[str, str]]) -> dict[str, str]:
    """current plus tags, or the error AWS gives for duplicate, reserved or too many keys."""
    keys = [tag["Key"] for tag in tags]
    if len(set(keys)) != len(keys):
        raise BadRequestException("Tags must not contain duplicate keys")
    if any(key.lower().startswith("aws:") for key in keys):
        raise BadRequestException("Tag keys must not start with the reserved prefix 'aws:'")
    merged = {**current, **{tag["Key"]: tag["Value"] for tag in tags}}
    if len(merged) > MAX_TAGS:
        raise ResourceLimitExceededException(f"A resource can have at most {MAX_TAGS} tags")
    return merged


def _visible(record: Record) -> bool:
    return float(record.get("_visible_after", 0.0)) <= time.time()


def _fingerprint(params: Params) -> str:
    return hashlib.sha256(json.dumps(params, sort_keys=True).encode()).hexdigest()
