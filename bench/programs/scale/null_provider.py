"""The engine's own floor for the scale workload: resources whose provider makes no call (``scale:shape=null``).

Each resource is a Python dynamic resource with no input and no output but its ID, and an empty recorded
stack trace: the smallest state entry the engine keeps for one (its URN, type, parent, dependencies and
provider reference). The provider answers every call at once. What ``pulumi up``, ``preview`` and ``destroy``
of such a stack cost is what the Python SDK, the dynamic-provider host and the engine (checkpoints included)
cost for that many resources, with nothing of this package in it: a lower bound no provider can go under.

The class lives in this module, not in the program, so it is pickled by reference (as this package's providers
are); the dynamic-provider process imports it from the program's folder, its working directory.
"""

from __future__ import annotations

import itertools
from typing import Any

import pulumi
import pulumi.dynamic
import pulumi.runtime.resource
from pulumi.runtime.proto import source_pb2

_ids = itertools.count()


class NullProvider(pulumi.dynamic.ResourceProvider):
    """Creates, reads, diffs and deletes nothing, at once."""

    def create(self, props: dict[str, Any]) -> pulumi.dynamic.CreateResult:
        return pulumi.dynamic.CreateResult(id_=f"null-{next(_ids)}", outs={})

    def diff(self, _id: str, _olds: dict[str, Any], _news: dict[str, Any]) -> pulumi.dynamic.DiffResult:
        return pulumi.dynamic.DiffResult(changes=False)

    def read(self, id_: str, props: dict[str, Any]) -> pulumi.dynamic.ReadResult:
        return pulumi.dynamic.ReadResult(id_=id_, outs=props)

    def delete(self, _id: str, _props: dict[str, Any]) -> None:
        return None


class NullResource(pulumi.dynamic.Resource):
    def __init__(self, name: str, opts: pulumi.ResourceOptions | None = None) -> None:
        super().__init__(NullProvider(), name, {}, opts)


def declare(users: int, extra: int, component: pulumi.ComponentResource) -> None:
    """One resource for the app, then ``users + extra - 1`` that depend on it, as the users, admins, endpoints
    and retention of the workload depend on the AppInstance; all with empty stack traces."""
    pulumi.runtime.resource._get_stack_trace = source_pb2.StackTrace  # record no frame at all
    app = NullResource("scale-app", pulumi.ResourceOptions(parent=component))
    child = pulumi.ResourceOptions(parent=component, depends_on=[app])
    for i in range(users + extra - 1):
        NullResource(f"scale-null-{i:05d}", child)
