"""docs/benchmarks.md from the results: the numbers and tables are computed here, the prose is in report.md."""

from __future__ import annotations

import re
from collections.abc import Callable
from pathlib import Path

from bench.programs.scale import workload
from bench.scale.plot import plot
from bench.scale.processes import WORKERS, Json, calls_total

TEMPLATE = Path(__file__).with_name("report.md")


def blocks() -> dict[str, str]:
    """The template's blocks by name (see the head of report.md)."""
    parts = re.split(r"^<!-- block: (\w+) -->\n", TEMPLATE.read_text(), flags=re.M)
    return dict(zip(parts[1::2], parts[2::2], strict=True))


def render(results: Json, out: Path) -> None:
    """Write benchmarks.md and benchmarks.png into out."""
    prose = blocks()
    sizes: list[Json] = results["sizes"]
    first, last = sizes[0], sizes[-1]
    top_type, top = max(last["state"]["by_type"].items(), key=lambda item: item[1]["bytes"])
    cold = results.get("cold_start")
    document = prose["document"].format(
        first_users=first["users"],
        last_users=last["users"],
        sizes=",".join(str(s["users"]) for s in sizes),
        latency_ms=results["latency_ms"],
        profile_users=results.get("profile", {}).get("users", 0),
        engine_profile_users=results.get("engine_profile", {}).get("users", 0),
        total_minutes=results["total_minutes"],
        machine=results["machine"],
        background_load=results.get("background_load", 0),
        admins=workload.ADMINS,
        endpoints=workload.ENDPOINTS,
        extra_resources=workload.EXTRA_RESOURCES,
        workers=WORKERS,
        other_share=max_other_share(results),
        before_after=before_after(results, prose["before_after"]),
        under_quota=under_quota(results, prose["under_quota"]),
        time_table=time_table(sizes),
        calls_table=calls_table(sizes),
        up_calls=", ".join(f"{op} {count}" for op, count in last["phases"]["up"]["calls"].items()),
        resources_table=resources_table(sizes),
        cold_start=prose["cold_start"].rstrip("\n").format(**{f"{k}_ms": v * 1000 for k, v in cold.items()})
        if cold
        else "",
        top_type=top_type,
        top_type_count=top["count"],
        top_type_share=top["bytes"] / last["state"]["export_bytes"],
        resource_growth=last["resources"] / first["resources"],
        growth_table=growth_table(sizes),
        skip_program_cpu=last["skip_checkpoints"]["up"]["cpu"].get("program", 0.0),
        where_time_goes="\n".join(where_time_goes(results, prose)),
    )
    out.joinpath("benchmarks.md").write_text(document)
    plot(results, out / "benchmarks.png")


# -- figures and tables ----------------------------------------------------------------------------------------------


def mb(value: float | None) -> str:
    return f"{value / 2**20:.0f}" if value else "-"


def ratio(a: float, b: float) -> str:
    return f"{a / b:.1f}" if b else "-"


def growth(first: float, last: float) -> str:
    return f"x{last / first:.2f}" if first else "-"


def max_other_share(results: Json) -> float:
    phases = [p for s in results["sizes"] for p in [*s["phases"].values(), *s["skip_checkpoints"].values()]]
    return max((p.get("other_cpu_share", 0.0) for p in phases), default=0.0)


def table(header: list[str], rows: list[list[str]]) -> str:
    lines = ["| " + " | ".join(header) + " |", "|" + "|".join("---" for _ in header) + "|"]
    lines += ["| " + " | ".join(row) + " |" for row in rows]
    return "\n".join(lines)


def time_table(sizes: list[Json]) -> str:
    """Seconds of every phase, with checkpoints and without, against the floor's."""
    rows = []
    for s in sizes:
        p, f, k = s["phases"], s["floor"], s["skip_checkpoints"]
        rows.append(
            [
                str(s["users"]),
                str(s["resources"]),
                f"{p['up']['seconds']:.1f}",
                f"{k['up']['seconds']:.1f}",
                f"{f['up']['seconds']:.2f}",
                f"**{ratio(p['up']['seconds'], f['up']['seconds'])}**",
                ratio(k["up"]["seconds"], f["up"]["seconds"]),
                f"{p['preview']['seconds']:.1f}",
                f"{p['refresh']['seconds']:.1f}",
                f"{f['refresh']['seconds']:.2f}",
                ratio(p["refresh"]["seconds"], f["refresh"]["seconds"]),
                f"{p['destroy']['seconds']:.1f}",
                f"{k['destroy']['seconds']:.1f}",
                f"{f['destroy']['seconds']:.2f}",
                ratio(p["destroy"]["seconds"], f["destroy"]["seconds"]),
                ratio(k["destroy"]["seconds"], f["destroy"]["seconds"]),
                f"{max(ph.get('other_cpu_share', 0.0) for ph in [*p.values(), *k.values()]):.0%}",
            ]
        )
    header = [
        "N",
        "dynamic resources",
        "up",
        "up, skip",
        "floor up",
        "up / floor",
        "up skip / floor",
        "no-op preview",
        "refresh",
        "floor refresh",
        "refresh / floor",
        "destroy",
        "destroy, skip",
        "floor destroy",
        "destroy / floor",
        "destroy skip / floor",
        "other jobs' CPU (max)",
    ]
    return table(header, rows)


def calls_table(sizes: list[Json]) -> str:
    """API calls of every phase, in all and per resource, and whether the floor made the same."""
    rows = []
    for s in sizes:
        p, n = s["phases"], s["resources"]
        match = all(f["calls_match"] for f in s["floor"].values())
        errors = sum(ph["errors"] for ph in p.values())
        rows.append(
            [
                str(s["users"]),
                *(f"{calls_total(p[ph])} ({calls_total(p[ph]) / n:.2f})" for ph in ("up", "preview", "refresh")),
                f"{calls_total(p['destroy'])} ({calls_total(p['destroy']) / n:.2f})",
                "yes" if match else "NO",
                str(errors),
            ]
        )
    return table(["N", "up", "no-op preview", "refresh", "destroy", "floor made the same calls", "errors"], rows)


def resources_table(sizes: list[Json]) -> str:
    """Start-up, peak memory and CPU of each process, and the size of the state."""
    rows = []
    for s in sizes:
        up = s["phases"]["up"]
        cpu = up["cpu"]
        st = s["state"]
        rows.append(
            [
                str(s["users"]),
                f"{up['provider_start_s']:.2f}" if up["provider_start_s"] is not None else "-",
                f"{up['first_request_s']:.2f}" if up["first_request_s"] is not None else "-",
                mb(max(ph["peak_rss"].get("engine", 0) for ph in s["phases"].values())),
                mb(max(ph["peak_rss"].get("provider", 0) for ph in s["phases"].values())),
                mb(max(ph["peak_rss"].get("program", 0) for ph in s["phases"].values())),
                " / ".join(f"{cpu.get(role, 0.0):.1f}" for role in ("engine", "program", "provider"))
                + f" / {up['emulator_cpu']:.1f}",
                f"{st['export_bytes'] / 1e6:.2f}",
                f"{st['checkpoint_bytes'] / 1e6:.2f}" if st["checkpoint_bytes"] else "-",
                str(st["entries"]),
                f"{st['export_bytes'] / st['entries']:.0f}",
                f"{st['export_bytes'] / s['resources']:.0f}",
            ]
        )
    header = [
        "N",
        "up start → provider process (s)",
        "up start → first API call (s)",
        "engine peak RSS (MB)",
        "provider peak RSS (MB)",
        "program peak RSS (MB)",
        "CPU s in up: engine / program / provider / emulator",
        "export (MB)",
        "state file (MB)",
        "state entries",
        "bytes per entry",
        "bytes per dynamic resource",
    ]
    return table(header, rows)


def _per(s: Json, seconds: float) -> float:
    """Milliseconds per dynamic resource."""
    return seconds / s["resources"] * 1000.0


GROWTH_ROWS: list[tuple[str, Callable[[Json], float]]] = [
    ("up (ms per resource)", lambda s: _per(s, s["phases"]["up"]["seconds"])),
    ("up, skip checkpoints (ms per resource)", lambda s: _per(s, s["skip_checkpoints"]["up"]["seconds"])),
    ("floor up (ms per resource)", lambda s: _per(s, s["floor"]["up"]["seconds"])),
    ("up / floor", lambda s: s["phases"]["up"]["seconds"] / s["floor"]["up"]["seconds"]),
    ("no-op preview (ms per resource)", lambda s: _per(s, s["phases"]["preview"]["seconds"])),
    ("refresh (ms per resource)", lambda s: _per(s, s["phases"]["refresh"]["seconds"])),
    ("destroy (ms per resource)", lambda s: _per(s, s["phases"]["destroy"]["seconds"])),
    ("destroy, skip checkpoints (ms per resource)", lambda s: _per(s, s["skip_checkpoints"]["destroy"]["seconds"])),
    ("API calls per resource, up", lambda s: calls_total(s["phases"]["up"]) / s["resources"]),
    ("API calls per resource, refresh", lambda s: calls_total(s["phases"]["refresh"]) / s["resources"]),
    ("engine CPU s per resource in up (ms)", lambda s: _per(s, s["phases"]["up"]["cpu"].get("engine", 0.0))),
    ("provider CPU s per resource in up (ms)", lambda s: _per(s, s["phases"]["up"]["cpu"].get("provider", 0.0))),
    ("program CPU s per resource in up (ms) [1]", lambda s: _per(s, s["phases"]["up"]["cpu"].get("program", 0.0))),
    ("state bytes per dynamic resource", lambda s: s["state"]["export_bytes"] / s["resources"]),
    ("engine peak RSS (MB)", lambda s: s["phases"]["up"]["peak_rss"].get("engine", 0) / 2**20),
    ("provider peak RSS (MB)", lambda s: s["phases"]["up"]["peak_rss"].get("provider", 0) / 2**20),
    ("program peak RSS (MB)", lambda s: s["phases"]["up"]["peak_rss"].get("program", 0) / 2**20),
    ("up start → first API call (s)", lambda s: s["phases"]["up"]["first_request_s"] or 0.0),
]


def growth_table(sizes: list[Json]) -> str:
    """Each per-resource figure at every N, and how much it grew from the smallest N to the largest."""
    rows = []
    for label, get in GROWTH_ROWS:
        values = [get(s) for s in sizes]
        rows.append([label, *(f"{v:,.2f}" if v < 100 else f"{v:,.0f}" for v in values), growth(values[0], values[-1])])
    return table(["figure", *(f"N={s['users']}" for s in sizes), "growth"], rows)


def before_after(results: Json, prose: str) -> str:
    """What recording only the program's frames saves, measured side by side with the SDK's full stack traces."""
    sizes = [s for s in results["sizes"] if "full_stack_traces" in s]
    if not sizes:
        return ""
    rows = []
    for s in sizes:
        b, a, f = s["full_stack_traces"], s["phases"], s["floor"]
        bs, st = b["state"], s["state"]
        up, destroy = f["up"]["seconds"], f["destroy"]["seconds"]
        rows.append(
            [
                str(s["users"]),
                f"{bs['entries']} → {st['entries']}",
                f"{bs['export_bytes'] / bs['entries']:.0f} → {st['export_bytes'] / st['entries']:.0f}",
                f"{b['up']['seconds']:.1f} → {a['up']['seconds']:.1f}",
                f"**{ratio(b['up']['seconds'], up)} → {ratio(a['up']['seconds'], up)}**",
                f"{b['destroy']['seconds']:.1f} → {a['destroy']['seconds']:.1f}",
                f"{ratio(b['destroy']['seconds'], destroy)} → {ratio(a['destroy']['seconds'], destroy)}",
                f"{b['up']['cpu'].get('engine', 0.0):.1f} → {a['up']['cpu'].get('engine', 0.0):.1f}",
            ]
        )
    header = [
        "N",
        "state entries",
        "bytes per entry",
        "up (s)",
        "up / floor",
        "destroy (s)",
        "destroy / floor",
        "engine CPU in up (s)",
    ]
    return prose.format(table=table(header, rows))


QUOTA_PHASES = ("up", "refresh", "destroy")


def failures(phase: Json) -> str:
    """Resources the engine reported failed, and the exit code if the command failed."""
    failed = str(len(phase["failed"]))
    return failed if phase["exit_code"] == 0 else f"**{failed} (exit {phase['exit_code']})**"


def orphans(check: Json | None) -> str:
    if check is None:
        return ""
    if not check["orphaned"] and not check["missing"]:
        return "0"
    return f"**{check['orphaned']} orphaned, {check['missing']} missing**"


def same_calls(q: Json, sizes: list[Json], phase: str) -> str:
    """Whether the answered calls equal those of the run without quota at the same N (every 429 re-sent once)."""
    free = next((s["phases"][phase]["calls"] for s in sizes if s["users"] == q["users"]), None)
    if free is None:
        return "-"
    return "yes" if free == q["phases"][phase]["calls"] else "**no**"


def quota_table(runs: list[Json], sizes: list[Json]) -> str:
    """Per N and phase under quota: calls, 429s, retries, failures, wall time against the quota floor, orphans."""
    rows = []
    for q in runs:
        for phase in QUOTA_PHASES:
            p = q["phases"][phase]
            floor = p["floor"]
            throttled = sum(p["throttled"].values())
            rows.append(
                [
                    str(q["users"]),
                    q.get("backend", "default"),
                    phase,
                    str(calls_total(p)),
                    same_calls(q, sizes, phase),
                    str(throttled),
                    str(throttled),  # the provider sends every 429 again: each is one retry
                    failures(p),
                    f"{p['seconds']:.1f}",
                    f"{floor['seconds']:.1f} ({floor['operation'] or '-'} {floor['calls']})",
                    f"**{p['seconds'] / floor['seconds']:.2f}**" if floor["seconds"] else "-",
                    orphans(q["orphans"].get(phase)),
                ]
            )
    header = [
        "N",
        "state backend",
        "phase",
        "API calls answered",
        "same calls as without quota",
        "throttled (429)",
        "retries",
        "failed",
        "wall (s)",
        "quota floor (s): slowest operation, its calls",
        "wall / quota floor",
        "orphans after",
    ]
    return table(header, rows)


def under_quota(results: Json, prose: str) -> str:
    """The quota-mode section, if this run measured it."""
    runs: list[Json] = results.get("quota", [])
    if not runs:
        return ""
    last = runs[-1]
    rates = sorted({rate for q in runs for rate in q["rates"]})
    throttled_by_op = "; ".join(
        f"{phase}: " + (", ".join(f"{op} {n}" for op, n in last["phases"][phase]["throttled"].items()) or "none")
        for phase in QUOTA_PHASES
    )
    return prose.format(
        rates="/".join(f"{rate:g}" for rate in rates),
        burst=last["burst"],
        sizes=",".join(sorted({str(q["users"]) for q in runs}, key=int)),
        last_users=last["users"],
        last_backend=last.get("backend", "default"),
        throttled_by_op=throttled_by_op,
        table=quota_table(runs, results["sizes"]),
    )


# -- where the time goes: one bullet per measurement the run made --------------------------------------------------


def where_time_goes(results: Json, prose: dict[str, str]) -> list[str]:
    """The bullets of the last section, each from its template block, for the measurements this run has."""
    bullet = {name: text.rstrip("\n") for name, text in prose.items()}
    last = results["sizes"][-1]
    up, skip = last["phases"]["up"], last["skip_checkpoints"]["up"]
    lines = [
        bullet["checkpoints"].format(
            users=last["users"],
            up_s=up["seconds"],
            skip_up_s=skip["seconds"],
            saved_share=1 - skip["seconds"] / up["seconds"],
            destroy_s=last["phases"]["destroy"]["seconds"],
            skip_destroy_s=last["skip_checkpoints"]["destroy"]["seconds"],
            engine_cpu=up["cpu"].get("engine", 0),
            skip_engine_cpu=skip["cpu"].get("engine", 0),
        )
    ]
    engine = results.get("engine_profile")
    if engine and engine.get("cum_share"):
        shares = engine["cum_share"]
        lines.append(
            bullet["engine"].format(
                users=engine["users"],
                samples=engine["samples"],
                save_share=shares.get("saveSnapshot", 0),
                parts=", ".join(f"{label} {share:.0%}" for label, share in shares.items() if label != "saveSnapshot"),
            )
        )
    profile = results.get("profile")
    if profile:
        lines += profile_bullets(results, profile, bullet)
    return lines


def profile_bullets(results: Json, profile: Json, bullet: dict[str, str]) -> list[str]:
    """The provider's timed calls and cProfile, the program's cProfile, and the bare shape against the component."""
    n = profile["users"]
    lines = []
    timed = profile.get("timed_up", {}).get("calls", {})
    if timed:
        share = timed.get("in_flight_share", {})
        floor = next((x["floor"]["up"]["seconds"] for x in results["sizes"] if x["users"] == n), None)
        total_s = profile["timed_up"]["seconds"]
        lines.append(
            bullet["provider_calls"].format(
                users=n,
                total_s=total_s,
                first_call_s=timed.get("first_call_s", 0.0),
                span_s=timed["span_s"],
                floor_note=bullet["floor_note"].format(floor_s=floor) if floor else "",
                tail_s=total_s - timed.get("first_call_s", 0.0) - timed["span_s"],
                methods=", ".join(f"{m} {v['count']} x {v['mean_ms']:.1f} ms" for m, v in timed["methods"].items()),
                workers=WORKERS,
                busy_share=share.get(str(WORKERS), 0.0),
                idle_share=share.get("0", 0.0),
                in_flight=timed["busy_s"] / timed["span_s"],
                latency_ms=results["latency_ms"],
            )
        )
    provider = profile.get("cprofile_up", {}).get("provider")
    if provider:
        total = provider["total"]
        shares = {k: v / total for k, v in provider.items() if k not in ("total", "counts")}
        lines.append(bullet["provider_cprofile"].format(users=n, total=total, **shares, **provider["counts"]))
    for phase in ("up", "preview"):
        program = profile.get(f"cprofile_{phase}", {}).get("program")
        if program:
            total = program["total"]
            shares = {k: program[k] / total for k in PROGRAM_SHARES}
            counts = {k: v for k, v in program.items() if k not in PROGRAM_SHARES}
            lines.append(bullet["program"].format(phase=phase, users=n, **counts, **shares))
    app, bare = profile.get("app"), profile.get("bare")
    if app and bare:
        lines.append(
            bullet["component"].format(
                users=n,
                bare_up_s=bare["up_s"],
                app_up_s=app["up_s"],
                extra_share=app["up_s"] / bare["up_s"] - 1,
                bare_engine_cpu=bare["engine_cpu"],
                app_engine_cpu=app["engine_cpu"],
                bare_program_cpu=bare["program_cpu"],
                app_program_cpu=app["program_cpu"],
            )
        )
    return lines


PROGRAM_SHARES = (
    "idle_waiting_for_engine",
    "blocking_debug_log_rpcs",
    "output_type_annotations",
    "imports",
    "our_code_self_time",
    "sdk_other",
)
"""The program's figures that the report gives as shares of its total."""
