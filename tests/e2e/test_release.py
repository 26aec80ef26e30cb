"""Releases: the wheel and sdist carry the component provider, and a git tag is what `pulumi package add` takes.

- The wheel, installed alone into a clean virtualenv, runs examples/typescript: its console script
  ``pulumi-resource-chime-sdk-identity`` is the plugin (found on PATH), that virtualenv the dynamic provider's.
- ``pulumi package add https://<git server>/pulumi-chime-sdk-identity.git@v<version>`` of this repository (a bare
  clone, served over HTTPS on 127.0.0.1) installs the plugin from the tag, with its own virtualenv built from
  requirements.txt, and examples/yaml runs on it.
"""

from __future__ import annotations

import os
import subprocess
import sys
import tarfile
import zipfile
from importlib import metadata
from pathlib import Path
from typing import Any

import yaml

from tests.e2e.git_server import GitServer
from tests.e2e.languages import SECRET_KEY
from tests.support import Emulator
from tools.harness.engine import REPO, Stack

EXAMPLES = REPO / "examples"
VERSION = metadata.version("pulumi-chime-sdk-identity")
PLUGIN_FILES = ("PulumiPlugin.yaml", "__main__.py", "requirements.txt", "constraints.txt", "pulumi-plugin.json")


def without_packages(stack: Stack, virtualenv: Path | None = None) -> None:
    """The copied project's Pulumi.yaml with no package yet (and the dynamic provider's virtualenv set)."""
    path = stack.dir / "Pulumi.yaml"
    project = yaml.safe_load(path.read_text())
    project.pop("packages", None)
    if virtualenv is not None:
        project["runtime"]["options"]["virtualenv"] = str(virtualenv)
    path.write_text(yaml.safe_dump(project, sort_keys=False))


def deployed(stack: Stack, chime: Any) -> None:
    """Up makes the app; a preview after it is quiet; destroy leaves nothing."""
    stack.set_config(SECRET_KEY, "release-test-token", secret=True)
    stack.up()
    arn = stack.outputs()["appInstanceArn"]
    users = chime.list_app_instance_users(AppInstanceArn=arn)["AppInstanceUsers"]
    assert sorted(user["AppInstanceUserArn"].rsplit("/", 1)[1] for user in users) == ["alice", "bob"]
    stack.preview("--expect-no-changes")
    stack.destroy()
    assert chime.list_app_instances()["AppInstances"] == []


def test_the_wheel_alone_serves_the_typescript_example(
    engine: dict[str, str], emulator: Emulator, chime: Any, tmp_path: Path
) -> None:
    dist = tmp_path / "dist"
    subprocess.run([sys.executable, "-m", "build", "-q", "--outdir", str(dist), str(REPO)], check=True, timeout=600)
    (wheel,) = dist.glob("*.whl")
    (sdist,) = dist.glob("*.tar.gz")
    assert wheel.name == f"pulumi_chime_sdk_identity-{VERSION}-py3-none-any.whl"
    with zipfile.ZipFile(wheel) as archive:
        names = set(archive.namelist())
        entry_points = archive.read(f"pulumi_chime_sdk_identity-{VERSION}.dist-info/entry_points.txt")
    assert {
        "pulumi_chime_sdk_identity/__main__.py",
        "pulumi_chime_sdk_identity/pulumi-plugin.json",
        "pulumi_chime_sdk_identity/components/provider.py",
        "pulumi_chime_sdk_identity/components/_wire.py",
    } <= names
    assert b"pulumi-resource-chime-sdk-identity = pulumi_chime_sdk_identity.components.provider:main" in entry_points
    with tarfile.open(sdist) as archive:
        members = {name.split("/", 1)[-1] for name in archive.getnames()}
    assert set(PLUGIN_FILES) <= members, "the sdist is the plugin's directory"

    clean = tmp_path / "clean"
    subprocess.run([sys._base_executable, "-m", "venv", str(clean)], check=True)  # type: ignore[attr-defined]
    pip = [str(clean / "bin" / "python"), "-m", "pip", "install", "-q", "-c", str(REPO / "constraints.txt")]
    subprocess.run([*pip, str(wheel)], check=True, timeout=900)

    # The clean virtualenv's scripts come first on PATH, and this test virtualenv's not at all.
    path = [str(clean / "bin"), *(p for p in engine["PATH"].split(os.pathsep) if p != str(Path(sys.executable).parent))]
    env = {**engine, "PATH": os.pathsep.join(path)}
    stack = Stack(EXAMPLES / "typescript", tmp_path / "s", env, emulator.url, program="typescript", keep_runtime=True)
    try:
        without_packages(stack, virtualenv=clean)
        stack.run("package", "add", str(clean / "bin" / "pulumi-resource-chime-sdk-identity"))
        assert yaml.safe_load((stack.dir / "Pulumi.yaml").read_text())["packages"] == {
            "chime-sdk-identity": f"chime-sdk-identity@{VERSION}"
        }
        deployed(stack, chime)
    finally:
        stack.remove()


def test_package_add_of_a_git_url_at_the_release_tag(
    engine: dict[str, str], emulator: Emulator, chime: Any, tmp_path: Path
) -> None:
    repos = tmp_path / "repos"
    bare = repos / "acme" / "pulumi-chime-sdk-identity.git"  # the engine wants <owner>/<repository>.git
    subprocess.run(["git", "clone", "-q", "--bare", str(REPO), str(bare)], check=True)
    tags = subprocess.run(["git", "-C", str(bare), "tag"], capture_output=True, text=True, check=True).stdout.split()
    if f"v{VERSION}" not in tags:  # a checkout before the release commit is tagged
        subprocess.run(["git", "-C", str(bare), "tag", f"v{VERSION}", "HEAD"], check=True)
    home = tmp_path / "pulumi-home"  # the plugin is installed here, not in the session's PULUMI_HOME
    with GitServer(repos, tmp_path) as server:
        env = {**engine, "PULUMI_HOME": str(home), "SSL_CERT_FILE": str(server.certificate)}
        stack = Stack(EXAMPLES / "yaml", tmp_path / "s", env, emulator.url, program="yaml", keep_runtime=True)
        try:
            without_packages(stack)
            stack.run("package", "add", f"{server.url}/acme/pulumi-chime-sdk-identity.git@v{VERSION}")
            (installed,) = (home / "plugins").glob(f"resource-*pulumi-chime-sdk-identity.git-v{VERSION}")
            assert (installed / "PulumiPlugin.yaml").exists()
            assert (installed / ".venv" / "bin" / "python").exists(), "the plugin's own virtualenv"
            deployed(stack, chime)
        finally:
            stack.remove()
