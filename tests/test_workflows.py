"""The GitHub Actions workflows of examples/ci/github/ pass actionlint (built from the Go module proxy, cached).

actionlint checks the workflow syntax, expressions, job and step outputs, and the inputs of the actions it knows
at the major versions used (actions/checkout@v6, aws-actions/configure-aws-credentials@v6, pulumi/actions@v6,
actions/github-script@v8, upload-artifact@v6, download-artifact@v7). A broken copy must fail, so the lint can.
"""

from __future__ import annotations

import subprocess
from pathlib import Path

import pytest

REPO = Path(__file__).resolve().parents[1]
WORKFLOWS = sorted((REPO / "examples" / "ci" / "github").glob("*.yml"))


@pytest.fixture(scope="module")
def actionlint() -> str:
    built = subprocess.run(
        [str(REPO / "tools" / "build-actionlint.sh")], capture_output=True, text=True, check=True, timeout=600
    )
    return built.stdout.strip().splitlines()[-1]


def lint(actionlint: str, *files: Path) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [actionlint, "-no-color", *map(str, files)], capture_output=True, text=True, timeout=120, cwd=REPO
    )


def test_the_workflows_pass_actionlint(actionlint: str) -> None:
    assert [path.name for path in WORKFLOWS] == ["chime-deploy.yml", "chime-preview.yml"]
    result = lint(actionlint, *WORKFLOWS)
    assert result.returncode == 0, result.stdout + result.stderr


@pytest.mark.parametrize(
    ("broken", "reported"),
    [
        ("role-to-assume:", 'input "role-to-asume" is not defined'),  # an action input misspelled
        ("steps.preview.outputs.status ==", 'property "previeww" is not defined'),  # a step that does not exist
    ],
)
def test_a_broken_workflow_fails_the_lint(actionlint: str, tmp_path: Path, broken: str, reported: str) -> None:
    text = (REPO / "examples" / "ci" / "github" / "chime-preview.yml").read_text()
    assert broken in text
    wrong = broken.replace("role-to-assume", "role-to-asume").replace("steps.preview", "steps.previeww")
    copy = tmp_path / "chime-preview.yml"
    copy.write_text(text.replace(broken, wrong, 1))
    result = lint(actionlint, copy)
    assert result.returncode == 1
    assert reported in result.stdout, result.stdout
