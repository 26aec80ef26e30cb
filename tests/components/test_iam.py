"""The deployer and previewer IAM policies: their action lists track the providers' API calls, their scoping, their
components. (tests/e2e/test_iam_policies.py derives both lists from the emulator's request log of real CLI runs.)"""

from __future__ import annotations

import ast
import importlib
import json
from pathlib import Path
from typing import Any

import botocore.session
import pulumi
import pytest

from pulumi_chime_sdk_identity.components.iam import (
    CHIME_ACTIONS,
    PREVIEWER_ACTIONS,
    DeployerPolicy,
    DeployerPolicyArgs,
    PreviewerPolicy,
    PreviewerPolicyArgs,
    deployer_policy_document,
    previewer_policy_document,
)

ACCOUNT = "111122223333"
APP_A = f"arn:aws:chime:us-east-1:{ACCOUNT}:app-instance/aaaaaaaa-0000-0000-0000-000000000001"
APP_B = f"arn:aws:chime:eu-central-1:{ACCOUNT}:app-instance/bbbbbbbb-0000-0000-0000-000000000002"
# The reference lists no resource type for these: only "*" can grant them.
UNSCOPABLE = {"chime:CreateAppInstance", "chime:CreateAppInstanceBot", "chime:CreateAppInstanceUser"}
ON_INSTANCE = {
    "chime:DeleteAppInstance",
    "chime:DescribeAppInstance",
    "chime:GetAppInstanceRetentionSettings",
    "chime:PutAppInstanceRetentionSettings",
    "chime:UpdateAppInstance",
}
ON_INSTANCE_AND_MEMBERS = {
    "chime:CreateAppInstanceAdmin",
    "chime:DeleteAppInstanceAdmin",
    "chime:DescribeAppInstanceAdmin",
    "chime:ListAppInstanceAdmins",
    "chime:ListTagsForResource",
    "chime:TagResource",
    "chime:UntagResource",
}


Function = ast.FunctionDef | ast.AsyncFunctionDef


def _params(function: Function) -> list[str]:
    return [arg.arg for arg in (*function.args.posonlyargs, *function.args.args, *function.args.kwonlyargs)]


def _api_calls(tree: ast.AST) -> list[tuple[ast.Call, Function | None]]:
    """Every `<x>.call(...)` / `<x>.pages(...)` with the innermost function it sits in."""
    found: list[tuple[ast.Call, Function | None]] = []

    def visit(node: ast.AST, function: Function | None) -> None:
        if isinstance(node, ast.FunctionDef | ast.AsyncFunctionDef):
            function = node
        if isinstance(node, ast.Call) and isinstance(node.func, ast.Attribute) and node.func.attr in {"call", "pages"}:
            found.append((node, function))
        for child in ast.iter_child_nodes(node):
            visit(child, function)

    visit(tree, None)
    return found


def provider_operations() -> set[str]:
    """The operations the installed providers call.

    The string literal first argument of every `<x>.call("Op", ...)` / `<x>.pages("Op", ...)`; plus, for a
    module-level helper that passes one of its parameters as that first argument (such as
    `update_named(api, "UpdateAppInstance", ...)`), the literals its callers pass for that parameter.
    Any other first argument fails, so no API call can slip past the action list.
    """
    package = importlib.import_module("pulumi_chime_sdk_identity.dynamic_providers")
    modules = [path for folder in package.__path__ for path in sorted(Path(folder).glob("*.py"))]
    assert len(modules) >= 7, modules  # the six resource modules and the shared _provider.py at least
    trees = {module: ast.parse(module.read_text(), filename=str(module)) for module in modules}
    module_level = {id(node) for tree in trees.values() for node in tree.body}

    found: set[str] = set()
    helpers: dict[str, tuple[Function, str]] = {}  # helper name -> (definition, forwarded parameter)
    unaccounted: list[str] = []
    for module, tree in trees.items():
        for call, function in _api_calls(tree):
            first = call.args[0] if call.args else None
            if isinstance(first, ast.Constant) and isinstance(first.value, str):
                found.add(first.value)
            elif function is not None and isinstance(first, ast.Name) and first.id in _params(function):
                if id(function) in module_level:
                    helpers[function.name] = (function, first.id)
                elif function.name not in {"call", "pages"}:  # only Api.pages may forward to Api.call
                    unaccounted.append(f"{module.name}:{call.lineno}")
            else:
                unaccounted.append(f"{module.name}:{call.lineno}")
    assert not unaccounted, f"API calls whose operation cannot be read from the source: {unaccounted}"

    for module, tree in trees.items():
        for node in ast.walk(tree):
            if not isinstance(node, ast.Call):
                continue
            name = node.func.id if isinstance(node.func, ast.Name) else getattr(node.func, "attr", None)
            if name not in helpers:
                continue
            definition, param = helpers[name]
            positional = [arg.arg for arg in (*definition.args.posonlyargs, *definition.args.args)]
            passed: dict[str | None, ast.expr] = dict(zip(positional, node.args, strict=False))
            passed.update({keyword.arg: keyword.value for keyword in node.keywords})
            value = passed.get(param)
            assert isinstance(value, ast.Constant), f"{module.name}:{node.lineno} passes no literal operation"
            assert isinstance(value.value, str), f"{module.name}:{node.lineno}"
            found.add(value.value)
    return found


def test_actions_are_exactly_the_operations_the_providers_call() -> None:
    operations = provider_operations()
    assert operations == {action.removeprefix("chime:") for action in CHIME_ACTIONS}
    model = botocore.session.get_session().get_service_model("chime-sdk-identity")
    assert operations <= set(model.operation_names), operations - set(model.operation_names)


def test_action_tuple_is_sorted_unique_and_prefixed() -> None:
    assert isinstance(CHIME_ACTIONS, tuple)
    assert list(CHIME_ACTIONS) == sorted(set(CHIME_ACTIONS))
    assert all(action.startswith("chime:") for action in CHIME_ACTIONS)
    assert len(CHIME_ACTIONS) == 30


def test_previewer_actions_are_reads_of_the_deployer_list() -> None:
    assert list(PREVIEWER_ACTIONS) == sorted(set(PREVIEWER_ACTIONS))
    assert set(PREVIEWER_ACTIONS) < set(CHIME_ACTIONS)
    model = botocore.session.get_session().get_service_model("chime-sdk-identity")
    for action in PREVIEWER_ACTIONS:
        operation = action.removeprefix("chime:")
        assert operation.startswith(("Describe", "Get", "List")), action
        assert model.operation_model(operation).http["method"] == "GET", action  # REST-JSON: a read is a GET
    reads = ("chime:Describe", "chime:Get", "chime:List")
    writes = {action for action in CHIME_ACTIONS if not action.startswith(reads)}
    assert writes.isdisjoint(PREVIEWER_ACTIONS)
    assert len(writes) == 18


# -- the document, under mocks -------------------------------------------------------------------


class Mocks(pulumi.runtime.Mocks):
    """Records every resource; fails on any invoke (the document must not need the AWS provider)."""

    def __init__(self) -> None:
        self.resources: list[pulumi.runtime.MockResourceArgs] = []

    def new_resource(self, args: pulumi.runtime.MockResourceArgs) -> tuple[str | None, dict[str, Any]]:
        self.resources.append(args)
        outputs = dict(args.inputs)
        if args.typ == "aws:iam/policy:Policy":
            outputs["arn"] = f"arn:aws:iam::{ACCOUNT}:policy/{args.inputs.get('name') or args.name}"
        return f"{args.name}-id", outputs

    def call(self, args: pulumi.runtime.MockCallArgs) -> tuple[dict[str, Any], list[tuple[str, str]] | None]:
        raise AssertionError(f"unexpected invoke {args.token}")


@pytest.fixture(autouse=True)
def mocks() -> Mocks:
    recorder = Mocks()
    pulumi.runtime.set_mocks(recorder, preview=False)  # default project and stack names, as other tests expect
    return recorder


def statements(document: str) -> dict[str, dict[str, Any]]:
    parsed = json.loads(document)
    assert parsed["Version"] == "2012-10-17"
    by_sid = {statement["Sid"]: statement for statement in parsed["Statement"]}
    assert len(by_sid) == len(parsed["Statement"])
    for statement in by_sid.values():
        assert statement["Effect"] == "Allow"
        assert set(statement) == {"Sid", "Effect", "Action", "Resource"}
    return by_sid


def resources_by_action(document: str) -> dict[str, list[str]]:
    """Each action's resources; fails if an action appears in two statements."""
    found: dict[str, list[str]] = {}
    for statement in statements(document).values():
        for action in statement["Action"]:
            assert action not in found, f"{action} granted twice"
            found[action] = statement["Resource"]
    return found


@pulumi.runtime.test
def test_default_document_scopes_to_every_app_instance_of_region_and_account() -> pulumi.Output[None]:
    def check(document: str) -> None:
        granted = resources_by_action(document)
        assert sorted(granted) == list(CHIME_ACTIONS)
        pattern = f"arn:aws:chime:us-east-1:{ACCOUNT}:app-instance/*"
        for action, resources in granted.items():
            assert resources == (["*"] if action in UNSCOPABLE else [pattern]), action

    return deployer_policy_document(region="us-east-1", account_id=ACCOUNT).apply(check)


@pulumi.runtime.test
def test_default_region_and_account_are_wildcards() -> pulumi.Output[None]:
    def check(document: str) -> None:
        granted = resources_by_action(document)
        assert granted["chime:DescribeAppInstance"] == ["arn:aws:chime:*:*:app-instance/*"]
        assert granted["chime:CreateAppInstance"] == ["*"]
        assert [action for action, resources in granted.items() if "*" in resources] == sorted(UNSCOPABLE)

    return deployer_policy_document().apply(check)


@pulumi.runtime.test
def test_given_app_instances_scope_instance_member_admin_and_tag_actions() -> pulumi.Output[None]:
    # One ARN plain, one as an Output (as from another resource), one repeated.
    arns: list[pulumi.Input[str]] = [APP_A, pulumi.Output.from_input(APP_B), APP_A]

    def check(document: str) -> None:
        granted = resources_by_action(document)
        assert sorted(granted) == list(CHIME_ACTIONS)
        for action, resources in granted.items():
            if action in UNSCOPABLE:
                expected = ["*"]
            elif action == "chime:ListAppInstances":
                expected = [f"arn:aws:chime:*:{ACCOUNT}:app-instance/*"]  # account-wide list, never "*"
            elif action in ON_INSTANCE:
                expected = [APP_A, APP_B]
            elif action in ON_INSTANCE_AND_MEMBERS:
                expected = [APP_A, APP_B, f"{APP_A}/*", f"{APP_B}/*"]
            else:  # users, bots, endpoints, expiration: only ARNs under the AppInstances
                expected = [f"{APP_A}/*", f"{APP_B}/*"]
            assert resources == expected, action
        assert "chime:DescribeAppInstanceUser" not in ON_INSTANCE | ON_INSTANCE_AND_MEMBERS | UNSCOPABLE
        # Nothing scoped may reach any other AppInstance or the account-wide pattern.
        scoped = {r for action, rs in granted.items() if action not in UNSCOPABLE for r in rs}
        assert scoped - {f"arn:aws:chime:*:{ACCOUNT}:app-instance/*"} <= {APP_A, APP_B, f"{APP_A}/*", f"{APP_B}/*"}

    return deployer_policy_document(arns, account_id=ACCOUNT).apply(check)


# -- the component, under mocks ------------------------------------------------------------------


@pulumi.runtime.test
def test_deployer_policy_creates_one_policy_child_with_the_document(mocks: Mocks) -> pulumi.Output[None]:
    component = DeployerPolicy(
        "deployer",
        DeployerPolicyArgs(app_instance_arns=[APP_A], account_id=ACCOUNT, name="chime-deployer", description="d"),
    )
    expected = deployer_policy_document([APP_A], account_id=ACCOUNT)

    def check(values: list[Any]) -> None:
        urn, policy_arn, document, expected_document = values
        assert document == expected_document
        assert (
            urn == "urn:pulumi:stack::project::pulumi:pulumi:Stack$chimesdkidentity:components:DeployerPolicy::deployer"
        )
        policies = [r for r in mocks.resources if r.typ == "aws:iam/policy:Policy"]
        assert len(policies) == 1
        assert [r.typ for r in mocks.resources if r.custom] == ["aws:iam/policy:Policy"]
        policy = policies[0]
        assert policy.name == "deployer-policy"
        assert policy.inputs["policy"] == document
        assert policy.inputs["name"] == "chime-deployer"
        assert policy.inputs["description"] == "d"
        assert policy_arn == f"arn:aws:iam::{ACCOUNT}:policy/chime-deployer"
        # The mock monitor qualifies a child's URN type with its parent's type.
        registered = pulumi.runtime.settings.get_monitor().get_registered_resources()  # type: ignore[union-attr]
        child_urns = [u for u in registered if u.endswith("::deployer-policy")]
        assert child_urns == [
            "urn:pulumi:stack::project::chimesdkidentity:components:DeployerPolicy$aws:iam/policy:Policy::deployer-policy"
        ]

    return pulumi.Output.all(component.urn, component.policy_arn, component.document, expected).apply(check)


@pulumi.runtime.test
def test_deployer_policy_defaults(mocks: Mocks) -> pulumi.Output[None]:
    component = DeployerPolicy("all-apps")

    def check(values: list[Any]) -> None:
        policy_arn, document = values
        assert policy_arn.startswith(f"arn:aws:iam::{ACCOUNT}:policy/")
        (policy,) = [r for r in mocks.resources if r.typ == "aws:iam/policy:Policy"]
        assert policy.inputs["policy"] == document
        assert "name" not in policy.inputs  # auto-named by the provider
        assert policy.inputs["description"]
        assert resources_by_action(document)["chime:UpdateAppInstance"] == ["arn:aws:chime:*:*:app-instance/*"]

    # policy_arn resolves once the child is registered; the document may resolve before that.
    return pulumi.Output.all(component.policy_arn, component.document).apply(check)


# -- the previewer policy --------------------------------------------------------------------------


@pulumi.runtime.test
def test_previewer_document_grants_the_reads_scoped_as_the_deployer_scopes_them() -> pulumi.Output[None]:
    arns: list[pulumi.Input[str]] = [APP_A, APP_B]

    def check(documents: list[str]) -> None:
        previewer, deployer = documents
        granted = resources_by_action(previewer)
        assert sorted(granted) == list(PREVIEWER_ACTIONS)
        deployed = resources_by_action(deployer)
        assert all(granted[action] == deployed[action] for action in granted)
        assert "*" not in {r for resources in granted.values() for r in resources}  # no create, nothing unscoped
        assert sorted(statements(previewer)) == [
            "ListAccountAppInstances",
            "ReadAdminsAndTags",
            "ReadAppInstances",
            "ReadUsersAndBots",
        ]

    return pulumi.Output.all(
        previewer_policy_document(arns, account_id=ACCOUNT), deployer_policy_document(arns, account_id=ACCOUNT)
    ).apply(check)


@pulumi.runtime.test
def test_deployer_statement_names_stay_as_they_were() -> pulumi.Output[None]:
    def check(document: str) -> None:
        assert list(statements(document)) == [
            "CreateWithoutResourceLevelPermissions",
            "ListAccountAppInstances",
            "ManageAppInstances",
            "ManageUsersAndBots",
            "ManageAdminsAndTags",
        ]

    return deployer_policy_document().apply(check)


@pulumi.runtime.test
def test_previewer_policy_creates_one_policy_child_with_the_document(mocks: Mocks) -> pulumi.Output[None]:
    component = PreviewerPolicy("previewer", PreviewerPolicyArgs(account_id=ACCOUNT, name="chime-previewer"))
    expected = previewer_policy_document(account_id=ACCOUNT)

    def check(values: list[Any]) -> None:
        urn, policy_arn, document, expected_document = values
        assert document == expected_document
        assert urn.endswith("::pulumi:pulumi:Stack$chimesdkidentity:components:PreviewerPolicy::previewer")
        (policy,) = [r for r in mocks.resources if r.typ == "aws:iam/policy:Policy"]
        assert policy.name == "previewer-policy"
        assert policy.inputs["policy"] == document
        assert policy.inputs["description"].startswith("Previews Amazon Chime SDK Identity resources, read-only")
        assert policy_arn == f"arn:aws:iam::{ACCOUNT}:policy/chime-previewer"
        assert sorted(resources_by_action(document)) == list(PREVIEWER_ACTIONS)

    return pulumi.Output.all(component.urn, component.policy_arn, component.document, expected).apply(check)
