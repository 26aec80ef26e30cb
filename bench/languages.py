"""Cold `pulumi up` and no-op `pulumi preview` of the quickstart's app in Python, TypeScript, Go and YAML.

Run from the project root: .venv/bin/python -m bench.languages [--runs 3]
(after `make pulumi LANGUAGES="nodejs go yaml"`; about 5 minutes)

Each run, per language, on a fresh stack of a fresh copy of the example (examples/quickstart for Python,
examples/<language> for the others), against the emulator in its own process, all in one run so the figures
compare side by side: the SDK is generated and linked first (`pulumi package add`, not timed), then `pulumi up`
of the empty stack (cold: the program, the language host, the component provider and the dynamic provider all
start), then `pulumi preview` with nothing to change; then the stack is destroyed. Go's build cache is warm
after the first run (the first Go run includes compiling the program's dependencies). Medians are printed.
"""

from __future__ import annotations

import argparse
import statistics
import tempfile
import time
from pathlib import Path

from tests.e2e.languages import SECRET_KEY
from tools.harness.emulator_process import EmulatorProcess
from tools.harness.engine import REPO, Stack, engine_env, pulumi_bin_dir

EXAMPLES = {
    "python (quickstart, raw resources)": ("quickstart", False),
    "typescript": ("typescript", True),
    "go": ("go", True),
    "yaml": ("yaml", True),
}


def timed(action: object) -> float:
    start = time.perf_counter()
    action()  # type: ignore[operator]
    return time.perf_counter() - start


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n", 1)[0])
    parser.add_argument("--runs", type=int, default=3)
    runs = parser.parse_args().runs
    figures: dict[str, dict[str, list[float]]] = {name: {"up": [], "preview": []} for name in EXAMPLES}
    with tempfile.TemporaryDirectory() as workdir, EmulatorProcess() as emulator:
        env = engine_env(Path(workdir) / "home", pulumi_bin_dir())
        for run in range(runs):
            for name, (folder, other_language) in EXAMPLES.items():
                place = Path(workdir) / f"{folder}-{run}"
                stack = Stack(REPO / "examples" / folder, place, env, emulator.url, keep_runtime=other_language)
                if other_language:
                    stack.run("package", "add", str(REPO))
                    stack.set_config(SECRET_KEY, "bench-token", secret=True)
                figures[name]["up"].append(timed(stack.up))
                figures[name]["preview"].append(timed(lambda stack=stack: stack.preview("--expect-no-changes")))
                stack.remove()
    print(f"| program | cold `pulumi up` (s) | no-op `pulumi preview` (s) |  (median of {runs})")
    print("|---|---|---|")
    for name, times in figures.items():
        print(f"| {name} | {statistics.median(times['up']):.1f} | {statistics.median(times['preview']):.1f} |")


if __name__ == "__main__":
    main()
