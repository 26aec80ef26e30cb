"""chime-identity-plan on previews captured from real `pulumi preview --json` runs (tests/components/plans/).

The fixtures were written by tests/e2e/test_plan_summary.py with CHIME_PLAN_FIXTURES set (stack traces and config
dropped); that test proves, through the real CLI, that each summary names what `pulumi up` then does. Here: the
format, folding, determinism, secrets, component type tokens of every language, and the command's exit status.
"""

from __future__ import annotations

import copy
import io
import json
import random
import re
from pathlib import Path
from typing import Any

import pytest

from pulumi_chime_sdk_identity.components import _plan_cli
from pulumi_chime_sdk_identity.components._plan import FOLD_OVER, PlanError, read_plan, render

PLANS = Path(__file__).resolve().parent / "plans"
ENTRY = re.compile(r"^- (create|update|replace|delete) \w+ `([^`]+)`", re.MULTILINE)
PYTHON_APP = "chimesdkidentity:components:MessagingApp"
PROVIDER_APP = "chime-sdk-identity:index:MessagingApp"  # the same component reached from TypeScript, Go or YAML


def fixture(name: str) -> str:
    return (PLANS / f"{name}.json").read_text()


def summary(name: str) -> str:
    return render(read_plan(fixture(name)))


def test_a_destructive_edit_puts_what_is_lost_first() -> None:
    assert summary("replace_users_by_a_new_id") == (
        "### Chime SDK Identity plan: 1 to create, 1 to replace, 1 to delete\n"
        "\n"
        "> [!CAUTION]\n"
        "> **This plan loses data** (2 changes):\n"
        "> - user `chat-carol-user` in `chat-app` is **deleted**, with its tags, endpoints and admin rights, also "
        "those the application gave it at run time; treat what the Messaging API holds for it (channel memberships, "
        "messages) as lost.\n"
        "> - user `solo-dana` in `solo` is **replaced**: the old user is deleted with its tags, endpoints and admin "
        "rights, also those the application gave it at run time, and the new one has only what the stack declares; "
        "treat what the Messaging API holds for the old one (channel memberships, messages) as lost.\n"
        "\n"
        "#### AppInstance `chat-app`\n"
        "\n"
        "**Users**: 1 created, 1 deleted\n"
        "- create user `chat-caroline-user`\n"
        "- delete user `chat-carol-user`\n"
        "\n"
        "#### AppInstance `solo`\n"
        "\n"
        "**Users**: 1 replaced\n"
        "- replace user `solo-dana`: app_instance_user_id\n"
    )


def test_values_only_of_inputs_that_are_neither_secret_nor_sensitive() -> None:
    retention = summary("shorten_retention")
    assert "- update retention `chat-retention`: channel_retention_days: 30 → 7" in retention
    assert "> - retention `chat-retention` in `chat-app` is **shortened** from 30 to 7 days: " in retention
    force = summary("turn_force_destroy_on")
    assert "- update AppInstance `chat-app`: force_destroy: unset → true" in force
    assert "> - AppInstance `chat-app` gets `force_destroy` **turned on**" in force
    renamed = summary("rename_users")
    assert "- update user `chat-alice-user`: name\n" in renamed  # a name is sensitive: the field, not the value
    assert "Robert" not in renamed
    assert "Alice L" not in renamed
    assert "- update AppInstance `chat-app`: name\n" in summary("rename_the_AppInstance")


def test_no_sensitive_or_secret_value_of_any_preview_is_printed() -> None:
    for path in sorted(PLANS.glob("*.json")):
        document = json.loads(path.read_text())
        markdown = render(read_plan(path.read_text()))
        resource_names = {step["urn"].rsplit("::", 1)[-1] for step in document.get("steps", [])}  # printed by design
        for step in document.get("steps", []):
            for state in (step.get("oldState"), step.get("newState")):
                inputs = (state or {}).get("inputs", {})
                for key in ("name", "metadata", "endpoint_attributes"):
                    value = inputs.get(key)
                    if isinstance(value, str) and len(value) > 2 and value not in resource_names:
                        assert f"`{value}`" not in markdown, (path.name, key)
                        assert f" {value}\n" not in markdown, (path.name, key)
                for key, value in (inputs.get("tags") or {}).items():
                    assert key not in markdown, path.name
                    assert value not in markdown, path.name
        assert "[secret]" not in markdown, path.name
        assert "token" not in markdown, path.name


def test_each_section_lists_its_changes_once_and_sorted() -> None:
    markdown = summary("new_stack")
    assert markdown.startswith("### Chime SDK Identity plan: 8 to create\n\nNothing in this plan loses data.\n")
    sections = re.findall(r"^#### AppInstance `([^`]+)`", markdown, re.MULTILINE)
    assert sections == ["chat-app", "solo"]
    names = [name for _, name in ENTRY.findall(markdown)]
    assert len(names) == len(set(names)) == 8
    chat = markdown.split("#### AppInstance `solo`")[0]
    headings = re.findall(r"^\*\*(\w+)\*\*", chat, re.MULTILINE)
    assert headings == ["AppInstance", "Users", "Admins", "Endpoints", "Retention"]
    assert "- create admin `chat-alice-admin` (of `chat-alice-user`)" in chat
    assert "- create retention `chat-retention`: channel_retention_days: 30" in chat
    # A new AppInstance's retention loses nothing: there are no messages yet.
    assert "CAUTION" not in markdown


def test_a_plan_without_change_is_one_line() -> None:
    assert summary("no_change") == "### Chime SDK Identity plan: no change to Chime SDK Identity resources.\n"


def test_a_failed_preview_is_no_plan() -> None:
    plan = read_plan(fixture("failed"))
    assert plan.changes == []
    assert plan.errors
    assert render(plan) == (
        "### Chime SDK Identity plan: **the preview failed**\n\n2 errors (on `chat-zed-user`): this is no plan. "
        "Read the errors in the preview's log.\n"
    )


def test_same_input_same_output_whatever_the_step_order() -> None:
    text = fixture("new_stack")
    expected = render(read_plan(text))
    assert render(read_plan(text)) == expected
    document = json.loads(text)
    for seed in range(3):
        random.Random(seed).shuffle(document["steps"])
        assert render(read_plan(json.dumps(document))) == expected


def swap_component_type(text: str, token: str) -> str:
    """The same preview as the component provider's MessagingApp would print it (its type token in every URN)."""
    return text.replace(PYTHON_APP, token)


def test_components_of_every_language_give_the_same_summary() -> None:
    for path in sorted(PLANS.glob("*.json")):
        text = path.read_text()
        if PYTHON_APP not in text:
            continue
        assert render(read_plan(swap_component_type(text, PROVIDER_APP))) == render(read_plan(text)), path.name


def test_long_lists_are_folded_and_counted() -> None:
    document = json.loads(fixture("add_users"))
    created = next(step for step in document["steps"] if step["op"] == "create")
    for number in range(FOLD_OVER + 2):
        step = copy.deepcopy(created)
        step["urn"] = step["urn"].replace("chat-carol-user", f"chat-u{number:02}-user")
        document["steps"].append(step)
    markdown = render(read_plan(json.dumps(document)))
    total = FOLD_OVER + 4  # carol, dave and the copies
    assert f"**Users**: {total} created" in markdown
    assert f"<details>\n<summary>{total} users created</summary>\n\n- create user `chat-carol-user`" in markdown
    assert len(ENTRY.findall(markdown)) == total
    assert markdown.index("</details>") > markdown.index("`chat-u11-user`")


def test_refresh_steps_and_replacement_halves_are_not_changes() -> None:
    document = json.loads(fixture("replace_users_by_a_new_id"))
    assert any(step["op"] == "refresh" for step in document["steps"])  # captured with --refresh
    replaced = next(step for step in document["steps"] if step["op"] == "replace")
    for half in ("create-replacement", "delete-replaced"):  # as --show-replacement-steps prints them
        document["steps"].append({**copy.deepcopy(replaced), "op": half})
    assert render(read_plan(json.dumps(document))) == summary("replace_users_by_a_new_id")


def test_other_resources_are_counted_not_listed() -> None:
    document = json.loads(fixture("add_users"))
    stack_urn = document["steps"][0]["urn"]
    prefix = stack_urn.split("::pulumi:pulumi:Stack::")[0]
    document["steps"].append({"op": "create", "urn": f"{prefix}::aws:iam/policy:Policy::previewer-policy"})
    markdown = render(read_plan(json.dumps(document)))
    assert "Also in this plan: 1 other resource (1 to create); see the full diff." in markdown
    assert "previewer-policy" not in markdown


@pytest.mark.parametrize(
    ("text", "message"),
    [
        ("", "the input is empty"),
        ("   \n", "the input is empty"),
        ('{"steps": [{"op": "create", "urn": "urn:pulumi:s::p::t::n"}', "the input is truncated"),
        ('{"steps": [{"op": "create", "urn": "urn:pulumi:s::p::t::n"}]]', "the input is not valid JSON"),
        ("[1, 2]", "expected an object with a list of steps"),
        ('{"hello": 1}', "neither steps nor a changeSummary"),
        ('{"steps": [{"op": 1}]}', "step 0 has no op or urn"),
        ('{"steps": [{"op": "create", "urn": "nope"}]}', "is not a Pulumi URN"),
    ],
)
def test_input_that_is_no_whole_preview_is_refused(text: str, message: str) -> None:
    with pytest.raises(PlanError, match=re.escape(message)):
        read_plan(text)


def run(monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str], text: str, *args: str) -> Any:
    monkeypatch.setattr("sys.stdin", io.StringIO(text))
    status = _plan_cli.main(list(args))
    out, err = capsys.readouterr()
    return status, out, err


def test_exit_status_says_whether_data_is_lost(
    monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str], tmp_path: Path
) -> None:
    destructive, harmless = fixture("remove_a_user"), fixture("add_users")
    assert run(monkeypatch, capsys, destructive)[0] == 0  # without the flag, a summary written is success
    status, out, err = run(monkeypatch, capsys, destructive, "--fail-on-data-loss")
    assert (status, err) == (2, "")
    assert "> [!CAUTION]" in out
    assert run(monkeypatch, capsys, harmless, "--fail-on-data-loss")[:3:2] == (0, "")
    (tmp_path / "preview.json").write_text(destructive)
    status, out, _ = run(monkeypatch, capsys, "", str(tmp_path / "preview.json"), "-o", str(tmp_path / "plan.md"))
    assert (status, out) == (0, "")
    assert (tmp_path / "plan.md").read_text() == render(read_plan(destructive))


def test_bad_input_is_one_line_and_exit_1(monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]) -> None:
    status, out, err = run(monkeypatch, capsys, fixture("add_users")[:500], "--fail-on-data-loss")
    assert (status, out) == (1, "")
    assert err.startswith("chime-identity-plan: the input is truncated (line ")
    assert err.count("\n") == 1
    status, out, err = run(monkeypatch, capsys, "", "/nonexistent/preview.json")
    assert (status, out) == (1, "")
    assert err == "chime-identity-plan: cannot read /nonexistent/preview.json: No such file or directory\n"
    status, out, err = run(monkeypatch, capsys, fixture("failed"))
    assert status == 1
    assert "**the preview failed**" in out
    assert err.count("\n") == 1


def test_the_readme_shows_what_the_script_prints() -> None:
    readme = (Path(__file__).resolve().parents[2] / "README.md").read_text()
    assert f"```markdown\n{summary('replace_users_by_a_new_id')}```" in readme


def test_a_yaml_program_through_the_component_provider() -> None:
    """yaml_component_edit.json: `pulumi preview --json` of a YAML program (runtime yaml, type
    chime-sdk-identity:index:MessagingApp, through this repository's component provider) after its spec dropped
    user bob for carol and retention went from 30 to 5 days."""
    text = fixture("yaml_component_edit")
    assert PROVIDER_APP in text
    assert PYTHON_APP not in text
    markdown = render(read_plan(text))
    assert {name: op for op, name in ENTRY.findall(markdown)} == {
        "chat-carol-user": "create",
        "chat-bob-user": "delete",
        "chat-retention": "update",
    }
    assert re.findall(r"^> - \w+ `([^`]+)`", markdown, re.MULTILINE) == ["chat-bob-user", "chat-retention"]
    assert "#### AppInstance `chat-app`" in markdown
