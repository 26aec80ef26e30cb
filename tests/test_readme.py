"""The README's commands cannot rot: each names a make target, script or flag that exists."""

from __future__ import annotations

import re
import shlex
from pathlib import Path

from pulumi_chime_sdk_identity.components._import_cli import build_parser as import_parser
from pulumi_chime_sdk_identity.emulator._cli import build_parser

REPO = Path(__file__).resolve().parents[1]
README = (REPO / "README.md").read_text()


def shell_lines() -> list[str]:
    blocks = re.findall(r"```sh\n(.*?)```", README, re.S)
    joined = "\n".join(blocks).replace("\\\n", " ")
    return [line.split("#")[0].strip() for line in joined.splitlines() if line.split("#")[0].strip()]


def make_targets() -> set[str]:
    return set(re.findall(r"^([a-z][a-z%-]*):", (REPO / "Makefile").read_text(), re.M))


def is_target(name: str) -> bool:
    """A target of the Makefile, or a name one of its pattern rules (``up-%``) makes."""
    return any(re.fullmatch(re.escape(target).replace("%", "[a-z]+"), name) for target in make_targets())


def test_every_make_command_is_a_target() -> None:
    mentioned = set(re.findall(r"`make ([a-z-]+)(?=[` ])", README))
    mentioned |= {line.split()[1] for line in shell_lines() if line.startswith("make ")}
    assert mentioned, "the README names make commands"
    assert {name for name in mentioned if not is_target(name)} == set()


def test_every_emulator_flag_exists() -> None:
    usage = next(line for line in shell_lines() if line.startswith("chime-identity-emulator"))
    flags = set(re.findall(r"--[a-z-]+", usage))
    known = {option for action in build_parser()._actions for option in action.option_strings}
    assert flags, "the README shows the emulator's options"
    assert flags <= known, flags - known


def test_every_import_flag_exists() -> None:
    usage = re.search(r"```\n(chime-identity-import \[ARN\].*?)```", README, re.S)
    assert usage is not None, "the README shows the import command's options"
    flags = set(re.findall(r"--[a-z-]+", usage.group(1))) | set(re.findall(r"-o\b", usage.group(1)))
    known = {option for action in import_parser()._actions for option in action.option_strings}
    assert flags <= known, flags - known
    assert known - {"-h", "--help"} <= flags, "every option is in the README"


def test_every_script_and_file_named_exists() -> None:
    for line in shell_lines():
        for word in shlex.split(line):
            if word.startswith(("bench/", "tools/", "examples/", ".venv/bin/python")) and not word.endswith("python"):
                assert (REPO / word).exists(), word
    for link in re.findall(r"\]\(((?:examples|tools|bench|docs)/[^)#]+)\)", README):
        assert (REPO / link).exists(), link


def test_every_bench_module_named_exists() -> None:
    modules = set(re.findall(r"python -m (bench\.[a-z_]+)", README))
    assert modules, "the README names the benchmarks it quotes"
    for module in modules:
        path = REPO / module.replace(".", "/")
        assert path.with_suffix(".py").is_file() or (path / "__main__.py").is_file(), module


def test_readme_figures_match_the_build_recipe() -> None:
    version = re.search(r"github.com/pulumi/pulumi/pkg/v3 (v[\d.]+)", (REPO / "tools" / "go.mod").read_text())
    assert version is not None
    assert f"**{version.group(1)}**" in README
    pinned = re.search(r"^pulumi==([\d.]+)$", (REPO / "constraints.txt").read_text(), re.M)
    assert pinned is not None
    assert f"pulumi=={pinned.group(1)}" in README


def test_every_config_key_named_is_read_by_the_providers() -> None:
    named = set(re.findall(r"chimesdkidentity:([A-Za-z]+)", README)) - {"components"}  # type tokens, not config
    assert {"region", "endpoint", "profile", "assumeRoleArn", "maxAttempts", "consistencyWaitSeconds"} <= named
    source = (REPO / "dynamic_providers" / "_config.py").read_text()
    unread = {key for key in named if f'"chimesdkidentity:{key}"' not in source}
    assert unread == set()
