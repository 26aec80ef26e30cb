"""MessagingUser: one AppInstanceUser with its admin flag and push endpoints, as one component.

Children, all with ``parent=self`` and named from the component's name ``<name>``:

- ``<name>-user``: the :class:`AppInstanceUser`;
- ``<name>-admin``: an :class:`AppInstanceAdmin` promoting the user, when ``admin=True``;
- ``<name>-endpoint-<key>``: one :class:`AppInstanceUserEndpoint` per entry of ``endpoints``.

With ``adopt=True`` the user exists already: it is taken under management (with its admin role when ``admin``
is set), and each endpoint with an ``adopt_id`` adopts that endpoint of the user.

Endpoints are keyed by a stable key you choose (``"phone"``, ``"ipad"``), never by position, so adding,
removing or reordering entries touches only the entries concerned. Children reach the API in the
region of ``app_instance_arn``; there is no region input.
"""

from __future__ import annotations

from typing import ClassVar

import pulumi

from . import _adopt
from ._args import EndpointArgs, MessagingUserArgs
from ._declare import declare_user, string_dict
from ._schema import check_args

__all__ = ["TYPE_TOKEN", "EndpointArgs", "MessagingUser", "MessagingUserArgs"]

TYPE_TOKEN = "chimesdkidentity:components:MessagingUser"


class MessagingUser(pulumi.ComponentResource):
    """A Chime SDK user with its admin flag and push endpoints (type ``chimesdkidentity:components:MessagingUser``).

    Rename the component without replacing its children by aliasing the old name; children follow
    because their names start with the component's::

        MessagingUser("alice-smith", args, opts=pulumi.ResourceOptions(aliases=[pulumi.Alias(name="alice")]))
    """

    type_token: ClassVar[str] = TYPE_TOKEN
    """The component's type; from other languages it is the package's, ``chime-sdk-identity:index:MessagingUser``."""
    arn: pulumi.Output[str]
    """The user's ARN."""
    admin_id: pulumi.Output[str | None]
    """ID of the AppInstanceAdmin resource (``<app_instance_arn>|<user_arn>``), or None when not admin."""
    endpoint_ids: pulumi.Output[dict[str, str]]
    """The endpoint IDs AWS assigned, by endpoint key."""

    def __init__(self, resource_name: str, args: MessagingUserArgs, opts: pulumi.ResourceOptions | None = None) -> None:
        """Create the user, its admin (if ``args.admin``) and its endpoints; ValueError names any bad input."""
        args = check_args(MessagingUserArgs, "MessagingUser", resource_name, args, _adopt.user_problems(args))
        super().__init__(self.type_token, resource_name, None, opts)
        child = pulumi.ResourceOptions(parent=self)
        declared = declare_user(resource_name, args.app_instance_arn, args.user_id, args, child, args.app_instance_arn)
        self.arn = declared.arn
        self.admin_id = pulumi.Output.from_input(declared.admin_id)
        self.endpoint_ids = string_dict(declared.endpoint_ids)

        self.register_outputs({"arn": self.arn, "admin_id": self.admin_id, "endpoint_ids": self.endpoint_ids})
