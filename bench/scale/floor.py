"""The floor: the same API calls as a phase made, from a plain boto3 script."""

from __future__ import annotations

import collections
import time
import uuid
from collections.abc import Callable
from concurrent.futures import ThreadPoolExecutor
from typing import Any

from bench.programs.scale import workload
from bench.scale.processes import WORKERS, Json
from tools.harness.emulator_process import EmulatorProcess, chime_client

# Dependency level of each operation in a phase: all of a level runs before the next level starts.
UP_LEVELS = {
    "CreateAppInstance": 0,
    "CreateAppInstanceUser": 1,
    "PutAppInstanceRetentionSettings": 1,
    "CreateAppInstanceAdmin": 2,
    "RegisterAppInstanceUserEndpoint": 2,
}
REFRESH_LEVELS = dict.fromkeys(
    (
        "DescribeAppInstance",
        "ListTagsForResource",
        "DescribeAppInstanceUser",
        "DescribeAppInstanceAdmin",
        "DescribeAppInstanceUserEndpoint",
        "GetAppInstanceRetentionSettings",
    ),
    0,
)
DESTROY_LEVELS = {
    "DeleteAppInstanceAdmin": 0,
    "DeregisterAppInstanceUserEndpoint": 0,
    "DeleteAppInstanceUser": 1,
    "PutAppInstanceRetentionSettings": 1,
    # The AppInstance's delete guard: what is left in it once the stack's own users are gone.
    "ListAppInstanceUsers": 2,
    "ListAppInstanceBots": 2,
    "DeleteAppInstance": 3,
}


def tag_list(tags: dict[str, str]) -> list[dict[str, str]]:
    return [{"Key": key, "Value": value} for key, value in sorted(tags.items())]


class Floor:
    """What a plain boto3 script needs for the same work: one client, 4 threads, dependency levels."""

    def __init__(self, url: str, users: int) -> None:
        self.users = users
        self.client = chime_client(
            url,
            region=workload.REGION,
            access_key="AKIDFLOOR",
            retries={"mode": "standard", "max_attempts": 10},
            connect_timeout=10,
            read_timeout=30,
        )
        self.phase = "up"
        self.app_arn = ""
        self.user_arns: dict[int, str] = {}
        self.endpoint_ids: dict[int, str] = {}

    def user_arn(self, i: int) -> str:
        return self.user_arns.get(i) or f"{self.app_arn}/user/{workload.user_id(i)}"

    def task(self, operation: str, i: int) -> Callable[[], Any]:
        """The i-th call of operation in the current phase (i picks the user)."""
        c, app, token = self.client, self.app_arn, uuid.uuid4().hex
        match operation:
            case "CreateAppInstance":
                return lambda: self.created_app(
                    c.create_app_instance(
                        Name=f"floor-{self.users}",
                        Tags=tag_list(workload.app_tags(self.users)),
                        ClientRequestToken=token,
                    )["AppInstanceArn"]
                )
            case "CreateAppInstanceUser":
                return lambda: self.user_arns.__setitem__(
                    i,
                    c.create_app_instance_user(
                        AppInstanceArn=app,
                        AppInstanceUserId=workload.user_id(i),
                        Name=workload.user_name(i),
                        Tags=tag_list({**workload.app_tags(self.users), **workload.user_tags(i)}),
                        ClientRequestToken=token,
                    )["AppInstanceUserArn"],
                )
            case "PutAppInstanceRetentionSettings":
                # destroy clears retention
                days = {"RetentionDays": workload.RETENTION_DAYS} if self.phase == "up" else {}
                settings = {"ChannelRetentionSettings": days}
                return lambda: c.put_app_instance_retention_settings(
                    AppInstanceArn=app, AppInstanceRetentionSettings=settings
                )
            case "CreateAppInstanceAdmin":
                return lambda: c.create_app_instance_admin(AppInstanceArn=app, AppInstanceAdminArn=self.user_arn(i))
            case "RegisterAppInstanceUserEndpoint":
                return lambda: self.endpoint_ids.__setitem__(
                    i,
                    c.register_app_instance_user_endpoint(
                        AppInstanceUserArn=self.user_arn(i),
                        Name="",
                        Type="GCM",
                        ResourceArn=workload.PINPOINT_APP,
                        EndpointAttributes={"DeviceToken": workload.device_token(i)},
                        AllowMessages="ALL",
                        ClientRequestToken=token,
                    )["EndpointId"],
                )
            case "DescribeAppInstance":
                return lambda: c.describe_app_instance(AppInstanceArn=app)
            case "ListTagsForResource":  # the AppInstance, then the users
                arn = app if i % (self.users + 1) == 0 else self.user_arn(i % (self.users + 1) - 1)
                return lambda: c.list_tags_for_resource(ResourceARN=arn)
            case "DescribeAppInstanceUser":
                return lambda: c.describe_app_instance_user(AppInstanceUserArn=self.user_arn(i))
            case "DescribeAppInstanceAdmin":
                return lambda: c.describe_app_instance_admin(AppInstanceArn=app, AppInstanceAdminArn=self.user_arn(i))
            case "DescribeAppInstanceUserEndpoint":
                return lambda: c.describe_app_instance_user_endpoint(
                    AppInstanceUserArn=self.user_arn(i), EndpointId=self.endpoint_ids[i]
                )
            case "GetAppInstanceRetentionSettings":
                return lambda: c.get_app_instance_retention_settings(AppInstanceArn=app)
            case "DeleteAppInstanceAdmin":
                return lambda: c.delete_app_instance_admin(AppInstanceArn=app, AppInstanceAdminArn=self.user_arn(i))
            case "DeregisterAppInstanceUserEndpoint":
                return lambda: c.deregister_app_instance_user_endpoint(
                    AppInstanceUserArn=self.user_arn(i), EndpointId=self.endpoint_ids[i]
                )
            case "DeleteAppInstanceUser":
                return lambda: c.delete_app_instance_user(AppInstanceUserArn=self.user_arn(i))
            case "ListAppInstanceUsers":
                return lambda: c.list_app_instance_users(AppInstanceArn=app, MaxResults=50)
            case "ListAppInstanceBots":
                return lambda: c.list_app_instance_bots(AppInstanceArn=app, MaxResults=50)
            case "DeleteAppInstance":
                return lambda: c.delete_app_instance(AppInstanceArn=app)
        raise SystemExit(f"the floor does not know {operation}: add it to bench/scale/floor.py")

    def created_app(self, arn: str) -> None:
        self.app_arn = self.app_arn or arn

    def run(self, counts: dict[str, int], levels: dict[str, int]) -> float:
        """Make counts[operation] calls of each operation, level by level, 4 at a time; the wall seconds."""
        unknown = sorted(set(counts) - set(levels))
        if unknown:
            raise SystemExit(f"the floor has no dependency level for {unknown}: add them to bench/scale/floor.py")
        started = time.perf_counter()
        with ThreadPoolExecutor(max_workers=WORKERS) as pool:
            for level in sorted(set(levels.values())):
                tasks = [
                    self.task(operation, i)
                    for operation, count in counts.items()
                    if levels[operation] == level
                    for i in range(count)
                ]
                for future in [pool.submit(task) for task in tasks]:
                    future.result()
        return time.perf_counter() - started


def measure_floor(emulator: EmulatorProcess, users: int, phases: dict[str, Json]) -> Json:
    """Replay up, refresh and destroy's call counts from plain boto3; check the log shows the same counts."""
    floor = Floor(emulator.url, users)
    result: Json = {}
    for phase, levels in (("up", UP_LEVELS), ("refresh", REFRESH_LEVELS), ("destroy", DESTROY_LEVELS)):
        counts = phases[phase]["calls"]
        floor.phase = phase
        since = len(emulator.requests())
        seconds = floor.run(counts, levels)
        made = dict(sorted(collections.Counter(entry["operation"] for entry in emulator.requests(since)).items()))
        result[phase] = {"seconds": round(seconds, 3), "calls_match": made == counts, "calls": made}
    return result
