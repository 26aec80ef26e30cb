"""The two IAM policies' actions, derived from the emulator's request log of real CLI runs.

`PREVIEWER_ACTIONS` must be exactly the operations that `pulumi preview`, `pulumi preview --refresh` and
`pulumi refresh --preview-only` call, and `CHIME_ACTIONS` (the deployer's) exactly those that `pulumi up`,
`refresh` and `destroy` add, over the examples and a program of every resource kind walked through what calls
the API: check's reads (a new user and admin in an existing AppInstance), updates of every kind, refreshes, and
resources deleted outside Pulumi while the emulator answers Forbidden for missing ones, as AWS does for users
(refresh then lists the parent to tell gone from forbidden, down to ListAppInstances). A preview that needed an
action the previewer lacks, or a policy action no run used, fails the test.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from pulumi_chime_sdk_identity.components.iam import CHIME_ACTIONS, PREVIEWER_ACTIONS
from tests.e2e.test_preview_promise import args, raw_program, resource, state_id
from tests.support import Emulator
from tools.harness.engine import REPO, Stack

PREVIEWS = (("preview",), ("preview", "--refresh"), ("refresh", "--preview-only"))


class Recorder:
    """Runs pulumi commands and keeps the API operations each one made, by whether it is a preview."""

    def __init__(self, emulator: Emulator) -> None:
        self.emulator = emulator
        self.previewed: dict[str, set[str]] = {}  # operation -> the commands that made it
        self.deployed: dict[str, set[str]] = {}

    def run(self, stack: Stack, *args: str) -> None:
        start = len(self.emulator.requests())
        env = stack.env
        if "--preview-only" in args:  # PULUMI_SKIP_CONFIRMATIONS counts as --yes, which --preview-only refuses
            stack.env = {key: value for key, value in env.items() if key != "PULUMI_SKIP_CONFIRMATIONS"}
        try:
            stack.run(*args, *(["--yes", "--skip-preview"] if args[0] in ("up", "destroy") else []))
        finally:
            stack.env = env
        preview = args[0] == "preview" or "--preview-only" in args
        for operation in self.emulator.operations(start):
            (self.previewed if preview else self.deployed).setdefault(operation, set()).add(" ".join(args))

    def previews(self, stack: Stack) -> None:
        for command in PREVIEWS[1:]:
            self.run(stack, *command)


def every_kind() -> dict[str, dict[str, Any]]:
    """The preview promise's program of every resource kind, with retention on its second AppInstance too."""
    program = raw_program()
    program["app2-retention"] = resource(
        "AppInstanceRetentionSettings", "app2-retention", app_instance_arn="${app2.arn}", channel_retention_days=9
    )
    return program


def walk_every_kind(stack: Stack, emulator: Emulator, record: Recorder) -> None:
    program = every_kind()
    stack.declare(*program.values())
    record.run(stack, "preview")
    record.run(stack, "up")
    record.previews(stack)

    # Check reads the IDs a new user and admin in an existing AppInstance would take; up updates every kind.
    program["dave"] = resource(
        "AppInstanceUser", "dave", app_instance_arn="${app.arn}", app_instance_user_id="dave", name="Dave"
    )
    program["dave-admin"] = resource(
        "AppInstanceAdmin", "dave-admin", app_instance_arn="${app.arn}", admin_arn="${dave.arn}"
    )
    args(program, "app").update(name="chat-2", tags=None)  # UpdateAppInstance, UntagResource
    args(program, "alice").update(metadata="m", tags={"team": "core"}, expiration_settings={"expiration_days": 30})
    args(program, "bot").update(name="Helper 2")
    args(program, "phone").update(allow_messages="NONE")
    stack.declare(*program.values())
    record.run(stack, "preview")
    record.run(stack, "up")
    record.run(stack, "refresh", "--yes", "--skip-preview")

    # Deleted outside Pulumi while Describe answers Forbidden for what is missing: refresh lists the parents.
    chime = emulator.client()
    user, endpoint = state_id(stack, "phone").split("|")
    chime.deregister_app_instance_user_endpoint(AppInstanceUserArn=user, EndpointId=endpoint)
    chime.delete_app_instance_admin(AppInstanceArn=state_id(stack, "app"), AppInstanceAdminArn=state_id(stack, "dave"))
    chime.delete_app_instance_user(AppInstanceUserArn=state_id(stack, "bob"))
    chime.delete_app_instance_bot(AppInstanceBotArn=state_id(stack, "bot"))
    chime.delete_app_instance(AppInstanceArn=state_id(stack, "app2"))
    emulator.configure(missing_error="ForbiddenException")
    record.previews(stack)
    record.run(stack, "refresh", "--yes", "--skip-preview")
    record.run(stack, "up")  # creates them again
    record.run(stack, "destroy")


def test_policies_hold_exactly_the_actions_the_cli_calls(
    stack_factory: Callable[..., Stack], emulator: Emulator
) -> None:
    record = Recorder(emulator)
    for example in ("quickstart", "from_spec"):
        stack = stack_factory(example, source=REPO / "examples" / example)
        for command in (("preview",), ("up",), *PREVIEWS[1:], ("destroy",)):
            record.run(stack, *command)
    walk_every_kind(stack_factory("spec"), emulator, record)

    previewed = {f"chime:{operation}" for operation in record.previewed}
    assert previewed - set(PREVIEWER_ACTIONS) == set(), "previews call actions PreviewerPolicy lacks"
    assert set(PREVIEWER_ACTIONS) - previewed == set(), "PreviewerPolicy holds actions no preview calls"
    called = previewed | {f"chime:{operation}" for operation in record.deployed}
    assert called - set(CHIME_ACTIONS) == set(), "the CLI calls actions DeployerPolicy lacks"
    assert set(CHIME_ACTIONS) - called == set(), "DeployerPolicy holds actions no command calls"
    print("\npreviewed:", {op: sorted(commands) for op, commands in sorted(record.previewed.items())})
    print("deployed:", {op: sorted(commands) for op, commands in sorted(record.deployed.items())})
