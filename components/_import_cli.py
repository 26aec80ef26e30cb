"""``chime-identity-import``: list the AppInstances of an account and region, or write a spec that adopts one.

::

    chime-identity-import [--region R]                      # list AppInstances with their counts
    chime-identity-import ARN [-o team.yaml] [--users admins|all] [--user-pattern GLOB]... [--user ID]...
                          [--endpoints] [--stack STACK] [--allow-empty]

It reaches the API as the providers do (:mod:`..dynamic_providers._config`): ``--region``, ``--profile``,
``--endpoint-url`` and ``--assume-role-arn`` stand for ``chimesdkidentity:*`` stack config, then the config of
``--stack`` (its ``chimesdkidentity:*``, ``aws:region`` and ``aws:profile``), then ``AWS_REGION``,
``AWS_PROFILE``, ``AWS_ENDPOINT_URL_CHIME_SDK_IDENTITY`` and the credential chain. The spec goes to ``-o``
(stdout by default); notes, the ``pulumi config set --secret`` lines for device tokens, and the closing note
(what was read, in how many requests and how long) go to stderr. Every failure is one line and exit status 1.
"""

from __future__ import annotations

import argparse
import json
import shlex
import subprocess
import sys
import time
from collections.abc import Sequence
from pathlib import Path
from typing import Any, TextIO

import yaml

from pulumi_chime_sdk_identity.dynamic_providers import _config
from pulumi_chime_sdk_identity.dynamic_providers._errors import ApiError, ChimeSdkIdentityError
from pulumi_chime_sdk_identity.dynamic_providers.rules import region_problem

from ._importer import (
    USERS_ADMINS,
    USERS_ALL,
    CountingApi,
    ImportFailure,
    Selection,
    Summary,
    import_app_instance,
    list_app_instances,
    unmark_made_by_stack,
)

PROG = "chime-identity-import"


def build_parser() -> argparse.ArgumentParser:
    """The command line of chime-identity-import."""
    parser = argparse.ArgumentParser(
        prog=PROG,
        description="List the Chime SDK AppInstances of an account and region, or write a MessagingApp spec "
        "(the file MessagingApp.from_spec reads) that adopts one: its first `pulumi up` creates, changes and "
        "deletes nothing.",
    )
    parser.add_argument("arn", nargs="?", help="the AppInstance to import; without it, list the AppInstances")
    parser.add_argument("-o", "--output", default="-", help="spec file to write (.yaml, .yml or .json; - for stdout)")
    users = parser.add_argument_group("what to import (the AppInstance, its retention, bots and admins always)")
    users.add_argument(
        "--users",
        choices=(USERS_ADMINS, USERS_ALL),
        default=USERS_ADMINS,
        help="users to import: those that are admins (default; always), or all",
    )
    users.add_argument(
        "--user-pattern", action="append", default=[], metavar="GLOB", help="also users whose id matches"
    )
    users.add_argument("--user", action="append", default=[], metavar="ID", help="also this user (repeat for more)")
    users.add_argument("--endpoints", action="store_true", help="also the imported users' push endpoints")
    users.add_argument("--allow-empty", action="store_true", help="import an AppInstance without users or bots")
    parser.add_argument(
        "--stack",
        help="reach the API with this stack's chimesdkidentity:*/aws:* config (the flags win), and set the device "
        "tokens as secrets on it (pulumi config set --secret, run here) instead of printing the commands",
    )
    aws = parser.add_argument_group("where (as the providers' chimesdkidentity:* config; default: the AWS environment)")
    aws.add_argument("--region", help="region to list (an ARN's own region wins)")
    aws.add_argument("--profile", help="AWS profile")
    aws.add_argument("--endpoint-url", help="API endpoint, e.g. the emulator's http://127.0.0.1:4580")
    aws.add_argument("--assume-role-arn", help="role to assume for the calls")
    return parser


# The stack config keys the providers read (dynamic_providers._config), which --stack brings along.
RESOURCE_TYPE_PREFIX = "pulumi-python:dynamic/chimesdkidentity:"
_STACK_KEYS = (
    "chimesdkidentity:region",
    "chimesdkidentity:profile",
    "chimesdkidentity:endpoint",
    "chimesdkidentity:assumeRoleArn",
    "chimesdkidentity:maxAttempts",
    "aws:region",
    "aws:profile",
)


def _pulumi_json(*command: str) -> Any:
    """The JSON a `pulumi` command prints; one line naming the command if it fails."""
    result = subprocess.run(["pulumi", *command], capture_output=True, text=True, check=False)
    if result.returncode != 0:
        reason = (result.stderr.strip().splitlines() or ["failed"])[-1]
        raise ImportFailure(f"pulumi {' '.join(command)}: {reason}")
    return json.loads(result.stdout or "{}")


def _stack_config(stack: str) -> dict[str, str]:
    """The provider settings of a stack's config (``pulumi config --json``), as the providers would get them."""
    found = _pulumi_json("config", "--json", "--stack", stack)
    return {key: str(found[key]["value"]) for key in _STACK_KEYS if "value" in found.get(key, {})}


def _made_by_stack(stack: str) -> set[str]:
    """The IDs of the resources the stack created itself (in its state, with no ``adopt_id``)."""
    state = _pulumi_json("stack", "export", "--stack", stack)
    return {
        str(resource["id"])
        for resource in state.get("deployment", {}).get("resources", [])
        if resource.get("type", "").startswith(RESOURCE_TYPE_PREFIX)
        and "id" in resource
        and not (resource.get("inputs") or {}).get("adopt_id")
    }


def _configure(args: argparse.Namespace) -> None:
    """The providers' configuration: the flags, then ``--stack``'s config, under the same keys; then the environment."""
    keys = {
        "chimesdkidentity:region": args.region,
        "chimesdkidentity:profile": args.profile,
        "chimesdkidentity:endpoint": args.endpoint_url,
        "chimesdkidentity:assumeRoleArn": args.assume_role_arn,
    }
    config = _stack_config(args.stack) if args.stack else {}
    config.update({key: value for key, value in keys.items() if value})
    _config.configure(config)


def _api(region: str) -> CountingApi:
    problem = region_problem(region)
    if problem is not None:
        raise ImportFailure(problem)
    return CountingApi(region)


def _print_list(found: list[Summary], region: str, out: TextIO) -> None:
    if not found:
        raise ImportFailure(f"no AppInstances in {region} for these credentials")
    header = ("ARN", "NAME", "USERS", "BOTS", "ADMINS", "ENDPOINTS", "RETENTION")
    rows = [
        (
            s.arn,
            s.name,
            str(s.users),
            str(s.bots),
            str(s.admins),
            str(s.endpoints),
            f"{s.retention_days}d" if s.retention_days else "off",
        )
        for s in found
    ]
    widths = [max(len(row[i]) for row in [header, *rows]) for i in range(len(header))]
    for row in [header, *rows]:
        print("  ".join(cell.ljust(width) for cell, width in zip(row, widths, strict=True)).rstrip(), file=out)


def _dump(spec: dict[str, Any], output: str, arn: str) -> str:
    if output.endswith(".json"):
        return json.dumps(spec, indent=2, ensure_ascii=False) + "\n"
    header = (
        f"# MessagingApp spec written by {PROG} from {arn}.\n"
        "# Every value is the live one, so the first `pulumi up` adopts without changing anything; review, then\n"
        "# edit it like any spec. adopt_id / adopt only matter when a resource enters the stack.\n"
    )
    return header + yaml.safe_dump(spec, sort_keys=False, allow_unicode=True, width=120)


def _set_secrets(stack: str, tokens: list[tuple[str, str]]) -> None:
    for key, token in tokens:  # on stdin, never on a command line another process could read
        result = subprocess.run(
            ["pulumi", "config", "set", "--secret", "--stack", stack, key],
            input=token,
            capture_output=True,
            text=True,
            check=False,
        )
        if result.returncode != 0:
            reason = (result.stderr.strip().splitlines() or ["failed"])[-1]
            raise ImportFailure(f"pulumi config set --secret --stack {stack} {key}: {reason}")


def _import(args: argparse.Namespace, out: TextIO, err: TextIO) -> None:
    started = time.monotonic()
    api = _api(_config.region_for(arn=args.arn) if args.arn.count(":") >= 5 else _config.region_for())
    selection = Selection(
        users=args.users, patterns=tuple(args.user_pattern), user_ids=tuple(args.user), endpoints=args.endpoints
    )
    imported = import_app_instance(api, args.arn, selection, allow_empty=args.allow_empty)
    if args.stack:
        unmark_made_by_stack(imported.spec, args.arn, _made_by_stack(args.stack))
    text = _dump(imported.spec, args.output, args.arn)
    if args.output == "-":
        out.write(text)
    else:
        Path(args.output).write_text(text, encoding="utf-8")
    if imported.tokens and args.stack:
        _set_secrets(args.stack, imported.tokens)
        print(f"set {len(imported.tokens)} device token(s) as secrets on stack {args.stack}", file=err)
    elif imported.tokens:
        print("# the device tokens the spec names, into encrypted stack config:", file=err)
        for key, token in imported.tokens:
            print(f"pulumi config set --secret {shlex.quote(key)} {shlex.quote(token)}", file=err)
    counts = imported.counts
    of_users = f" of {imported.total_users}" if imported.total_users is not None else ""
    print(
        f"{PROG}: wrote {args.output if args.output != '-' else 'the spec'}: the AppInstance"
        f"{', retention' if 'retention_days' in imported.spec else ''}, {counts['users']}{of_users} users, "
        f"{counts['bots']} bots, {counts['admins']} admins, {counts['endpoints']} endpoints; "
        f"{api.requests} requests in {time.monotonic() - started:.2f} s",
        file=err,
    )


def main(argv: Sequence[str] | None = None, *, out: TextIO | None = None, err: TextIO | None = None) -> int:
    """Run the command; 0 on success, 1 with one line on stderr on failure."""
    out = out or sys.stdout
    err = err or sys.stderr
    args = build_parser().parse_args(argv)
    try:
        _configure(args)
        if args.arn:
            _import(args, out, err)
        else:
            started = time.monotonic()
            region = _config.region_for()
            api = _api(region)
            found = list_app_instances(api)
            _print_list(found, region, out)
            print(
                f"{PROG}: {len(found)} AppInstances; {api.requests} requests in {time.monotonic() - started:.2f} s",
                file=err,
            )
    except ApiError as error:
        print(
            f"{PROG}: error: {error.operation}: {error.code}: {error.aws_message or 'failed'}".splitlines()[0], file=err
        )
        return 1
    except (ChimeSdkIdentityError, OSError) as error:
        print(f"{PROG}: error: {str(error).splitlines()[0] if str(error) else type(error).__name__}", file=err)
        return 1
    return 0
