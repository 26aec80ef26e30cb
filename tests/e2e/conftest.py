"""End-to-end fixtures: the real pulumi CLI and language host against the session's emulator."""

from __future__ import annotations

from collections.abc import Callable, Iterator
from pathlib import Path

import pytest

from tests.support import Emulator
from tools.harness.engine import Stack, engine_env, pulumi_bin_dir

PROGRAMS = Path(__file__).resolve().parent / "programs"


@pytest.hookimpl(tryfirst=True)  # before `-m` deselects
def pytest_collection_modifyitems(items: list[pytest.Item]) -> None:
    """Every test here runs the real engine: mark it e2e, so `pytest -m "not e2e"` is the fast loop."""
    here = Path(__file__).resolve().parent
    for item in items:
        if here in item.path.resolve().parents:
            item.add_marker(pytest.mark.e2e)


@pytest.fixture(scope="session")
def engine(tmp_path_factory: pytest.TempPathFactory) -> dict[str, str]:
    """Environment for pulumi commands, with one file backend and PULUMI_HOME for the session."""
    return engine_env(tmp_path_factory.mktemp("pulumi"), pulumi_bin_dir())


@pytest.fixture
def stack_factory(engine: dict[str, str], emulator: Emulator, tmp_path: Path) -> Iterator[Callable[..., Stack]]:
    """Make throw-away stacks of a tests/e2e/programs folder, or of any project folder via ``source``."""
    made: list[Stack] = []

    def make(program: str = "spec", source: Path | None = None, *, keep_runtime: bool = False) -> Stack:
        workdir = tmp_path / f"s{len(made)}"
        stack = Stack(
            source or PROGRAMS / program, workdir, engine, emulator.url, program=program, keep_runtime=keep_runtime
        )
        made.append(stack)
        return stack

    yield make
    for stack in made:
        stack.remove()


@pytest.fixture
def stack(stack_factory: Callable[..., Stack]) -> Stack:
    """A throw-away stack of the data-driven `spec` program."""
    return stack_factory("spec")
