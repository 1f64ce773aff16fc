"""Benchmark celery-fix against ruff and Fixit, side by side, on generated or real projects.

    python bench/run.py --sizes 50,150,425        # generated projects (the documented run)
    python bench/run.py --apps 5                  # one small generated project
    python bench/run.py --path ~/src/saleor       # a real project

Per project: celery-fix cold (--no-cache, and with -j1), celery-fix twice with its cache (the
first run fills it, the second is the warm time), `ruff check --select E9,F
--no-cache`, and `fixit lint` with celery-fix's rules. Each command runs in its
own child process; we record wall-clock time and peak memory of its whole
process tree. See bench/README.md.
"""

from __future__ import annotations

import argparse
import json
import os
import platform
import random
import re
import shlex
import shutil
import subprocess
import sys
import tempfile
import threading
import time
from dataclasses import asdict, dataclass, field
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))
import generate  # sibling script, not a package: hence the sys.path line

REPO_ROOT = Path(__file__).resolve().parent.parent
RELEVANT_RE = re.compile(rb"(?i:celery)|delay\(|apply_async|shared_task|transaction")
SKIP_DIRS = {"node_modules", "__pycache__", "site-packages", "venv", "env"}

FIXIT_FULL_MAX_APPS = 60  # above this, Fixit takes minutes: sample and extrapolate
FIXIT_FULL_MAX_FILES = 1000  # the same cut-off for --path projects
FIXIT_DEFAULT_SAMPLE = 300

TARGETS = {  # from the speed issue with every rule on (the paperless-ngx-like small tree: cold <= 15x)
    "cold <= 5x ruff": lambda r: r["cold/ruff"] <= 5,
    "fixit >= 10x cold": lambda r: r["fixit/cold"] >= 10,
    "warm <= 1x ruff": lambda r: r["warm/ruff"] <= 1,
    "one-file <= 0.25 s": lambda r: r["one-file s"] <= 0.25,
    "edited one-file <= 0.25 s": lambda r: r["edited one-file s"] <= 0.25,
    "peak < 1 GB": lambda r: r["celery-fix peak MB"] < 1024,
    "default jobs <= -j1": lambda r: r["cold/cold -j1"] <= 1,
}


# --------------------------------------------------------------------------
# Measuring one command.
# --------------------------------------------------------------------------

@dataclass
class Measurement:
    seconds: float | None = None
    peak_mb: float | None = None
    rc: int | None = None
    error: str | None = None
    extrapolated_from: int | None = None  # files actually linted, when scaled up
    stderr: str = field(default="", repr=False)
    profile: dict | None = None  # celery-fix's own per-phase figures (CELERY_FIX_PROFILE)

    def as_dict(self) -> dict:
        data = asdict(self)
        data.pop("stderr")
        return data


class TreeMemorySampler(threading.Thread):
    """Polls the summed memory of a process and its descendants.

    wait4's ru_maxrss only gives the largest single process, which undercounts
    a tool that fans out to worker processes. PSS (not RSS) is summed so that
    pages shared between forked workers are not counted twice.
    """

    def __init__(self, pid: int, interval: float = 0.1):
        super().__init__(daemon=True)
        self.pid, self.interval = pid, interval
        self.peak_kb = 0
        self._done = threading.Event()

    def run(self) -> None:
        while not self._done.is_set():
            self.peak_kb = max(self.peak_kb, sum(map(_memory_kb, _process_tree(self.pid))))
            self._done.wait(self.interval)

    def stop(self) -> None:
        self._done.set()
        self.join()


def _process_tree(pid: int) -> list[int]:
    pids, stack = [], [pid]
    while stack:
        current = stack.pop()
        pids.append(current)
        try:
            for task in os.listdir(f"/proc/{current}/task"):
                with open(f"/proc/{current}/task/{task}/children") as fh:
                    stack.extend(int(child) for child in fh.read().split())
        except OSError:  # exited meanwhile, or no /proc (then only wait4's figure counts)
            pass
    return pids


def _memory_kb(pid: int) -> int:
    try:
        with open(f"/proc/{pid}/smaps_rollup") as fh:
            for line in fh:
                if line.startswith("Pss:"):
                    return int(line.split()[1])
    except OSError:
        pass
    return 0


def measure(cmd: list[str], cwd: Path, ok_codes=(0, 1), env: dict | None = None) -> Measurement:
    """Run cmd once in its own child; time it and take its tree's peak memory."""
    with tempfile.TemporaryFile() as out, tempfile.TemporaryFile() as err:
        start = time.perf_counter()
        try:
            proc = subprocess.Popen(cmd, cwd=cwd, env=env, stdout=out, stderr=err)
        except OSError as exc:
            return Measurement(error=f"cannot start {cmd[0]}: {exc}")
        sampler = TreeMemorySampler(proc.pid)
        sampler.start()
        # wait4, not proc.wait(): its rusage is this child's alone (with its reaped descendants).
        _, status, usage = os.wait4(proc.pid, 0)
        seconds = time.perf_counter() - start
        sampler.stop()
        proc.returncode = rc = os.waitstatus_to_exitcode(status)
        err.seek(0)
        stderr = err.read().decode(errors="replace")
    peak_mb = max(usage.ru_maxrss, sampler.peak_kb) / 1024  # both in KiB on Linux
    error = None if rc in ok_codes else f"exit {rc}: {_tail(stderr)}"
    return Measurement(seconds, peak_mb, rc, error, stderr=stderr)


def _tail(text: str, lines: int = 3) -> str:
    return " | ".join(text.strip().splitlines()[-lines:]) or "(no stderr)"


def best_of(runs: list[Measurement]) -> Measurement:
    """Fastest run's time, highest peak memory; the first error wins."""
    failed = [m for m in runs if m.error]
    if failed:
        return failed[0]
    best = min(runs, key=lambda m: m.seconds)
    best.peak_mb = max(m.peak_mb for m in runs)
    return best


def find_tool(name: str) -> str | None:
    # Prefer the running interpreter's bin dir: skips pyenv/asdf shims, which add
    # start-up time that matters next to ruff's sub-second runs.
    local = Path(sys.executable).parent / name
    return str(local) if local.exists() else shutil.which(name)


# --------------------------------------------------------------------------
# The tools.
# --------------------------------------------------------------------------

def bench_celery_fix(cmd: list[str] | None, root: Path, repeat: int, one_file: Path | None = None) -> dict[str, Measurement]:
    if cmd is None:
        missing = Measurement(error="celery-fix not found (pip install -e . or pass --celery-fix CMD)")
        return {"cold": missing, "cold -j1": missing, "first": missing, "warm": missing, "one-file": missing,
                "one-file edited": missing}
    # the cache lives in a temporary directory (CELERY_FIX_CACHE_DIR), never in the benchmarked tree;
    # every run starts in the root and names the tree `.` and the file relative to it, as pre-commit does
    with tempfile.TemporaryDirectory(prefix="celery-fix-bench-cache-") as cache:
        cold, single = [], []
        for _ in range(repeat):  # interleaved: a drift in the machine's load hits both alike
            shutil.rmtree(cache, ignore_errors=True)
            cold.append(_celery_fix(cmd, ["--no-cache", "."], root, cache))
            single.append(_celery_fix(cmd, ["--no-cache", "-j1", "."], root, cache))
        shutil.rmtree(cache, ignore_errors=True)  # in case --no-cache still wrote one
        first = _celery_fix(cmd, ["."], root, cache)
        warm = best_of([_celery_fix(cmd, ["."], root, cache) for _ in range(repeat)])
        runs = {"cold": best_of(cold), "cold -j1": best_of(single), "first": first, "warm": warm}
        if one_file is not None:  # warm cache and index, one named file (pre-commit with one staged file)
            runs["one-file"] = best_of([_celery_fix(cmd, [str(one_file)], root, cache) for _ in range(repeat)])
    if one_file is not None:
        runs["one-file edited"] = _edited_one_file(cmd, root, one_file, repeat)
    return runs


def _edited_one_file(cmd: list[str], root: Path, one_file: Path, repeat: int) -> Measurement:
    """Pre-commit with one staged file as it usually is: edited since the last run, on a warm cache
    (the unchanged file's run is answered by the cache). On a copy of the tree: the benchmark never
    writes to a tree it was pointed at."""
    with tempfile.TemporaryDirectory(prefix="celery-fix-bench-edit-") as scratch:
        copy, cache = Path(scratch) / root.name, str(Path(scratch) / "cache")
        shutil.copytree(root, copy, ignore=shutil.ignore_patterns(".git", *SKIP_DIRS), symlinks=True)
        _celery_fix(cmd, ["."], copy, cache)
        runs = []
        for attempt in range(repeat):
            with open(copy / one_file, "a", encoding="utf-8") as edited:
                edited.write(f"\n# edited by the benchmark ({attempt})\n")
            runs.append(_celery_fix(cmd, [str(one_file)], copy, cache))
        return best_of(runs)


def _celery_fix(cmd: list[str], args: list[str], root: Path, cache: str) -> Measurement:
    with tempfile.TemporaryDirectory() as scratch:
        target = Path(scratch) / "profile.json"
        env = {**os.environ, "CELERY_FIX_PROFILE": str(target), "CELERY_FIX_CACHE_DIR": cache}
        m = measure([*cmd, *args], root, ok_codes=(0, 1), env=env)
        try:
            m.profile = json.loads(target.read_text())
        except (OSError, ValueError):
            m.profile = None
    if not m.error and "Traceback (most recent call last)" in m.stderr:
        # A Python crash exits 1, the same code as "findings".
        m.error = f"crashed (exit {m.rc}): {_tail(m.stderr)}"
    return m


def bench_ruff(root: Path, repeat: int) -> Measurement:
    ruff = find_tool("ruff")
    if ruff is None:
        return Measurement(error="ruff not found")
    cmd = [ruff, "check", "--select", "E9,F", "--no-cache", "--exit-zero", str(root)]
    return best_of([measure(cmd, root, ok_codes=(0,)) for _ in range(repeat)])


def _fixit(rules: str, target: Path) -> Measurement:
    fixit = find_tool("fixit")
    if fixit is None:
        return Measurement(error="fixit not found")
    # Let Fixit import celery_fix.rules from this checkout even if it is not installed.
    env = {**os.environ, "PYTHONPATH": os.pathsep.join(filter(None, [str(REPO_ROOT), os.environ.get("PYTHONPATH")]))}
    # Exit code is a bitmask: 1 = lint errors, 2 = a file failed. Both still time a full run.
    m = measure([fixit, "--rules", rules, "lint", str(target)], target, ok_codes=(0, 1, 2, 3), env=env)
    if "Failed to load rules" in m.stderr:
        # Fixit then lints with no rules at all and exits 0: the time would be meaningless.
        m.error = f"rules not loaded: {_tail(m.stderr, 1)}"
    return m


def bench_fixit(rules: str, root: Path, py_files: list[Path], sample: int | None, seed: int) -> Measurement:
    if not sample or sample >= len(py_files):
        return _fixit(rules, root)
    with tempfile.TemporaryDirectory(prefix="celery-fix-bench-fixit-") as tmp:
        tmp = Path(tmp)
        startup = _fixit(rules, _startup_tree(tmp / "startup"))
        subset = tmp / "subset"
        for rel in random.Random(seed).sample(py_files, sample):
            (subset / rel).parent.mkdir(parents=True, exist_ok=True)
            shutil.copyfile(root / rel, subset / rel)
        m = _fixit(rules, subset)
    if m.error or startup.error:
        return m if m.error else startup
    # Fixed start-up cost once, per-file cost scaled by file count.
    per_file = max(m.seconds - startup.seconds, 0) / sample
    m.seconds = startup.seconds + per_file * len(py_files)
    m.extrapolated_from = sample
    return m


def _startup_tree(path: Path) -> Path:
    # Two files, not one: with one file Fixit skips its process pool, whose start-up
    # (~1.5 s here) every real run pays.
    path.mkdir(parents=True)
    for name in ("a.py", "b.py"):
        (path / name).write_text("x = 1\n")
    return path


# --------------------------------------------------------------------------
# One project.
# --------------------------------------------------------------------------

@dataclass
class Tree:
    files: int
    lines: int
    relevant_files: int
    py_files: list[Path]  # relative to the root
    one_file: Path | None = None  # the largest file with a task: what pre-commit hands over with one staged file


def scan(root: Path) -> Tree:
    """Count what the table reports; also pulls the tree into the page cache,
    so the first tool timed does not pay for cold disk reads."""
    py_files, lines, relevant, largest = [], 0, 0, (0, None)
    for dirpath, dirnames, filenames in os.walk(root):
        dirnames[:] = [d for d in dirnames if not d.startswith(".") and d not in SKIP_DIRS]
        for name in filenames:
            if name.endswith(".py"):
                path = Path(dirpath, name)
                data = path.read_bytes()
                py_files.append(path.relative_to(root))
                lines += data.count(b"\n")
                relevant += bool(RELEVANT_RE.search(data))
                if (b"shared_task" in data or b".task(" in data) and len(data) > largest[0]:
                    largest = (len(data), path.relative_to(root))
    return Tree(len(py_files), lines, relevant, sorted(py_files), largest[1])


def fixit_sample_size(args, apps: int | None, tree: Tree) -> int | None:
    """None = lint the whole tree."""
    if args.fixit_sample is not None:
        return args.fixit_sample or None  # 0 = full run
    small = apps <= FIXIT_FULL_MAX_APPS if apps is not None else tree.files <= FIXIT_FULL_MAX_FILES
    return None if small else FIXIT_DEFAULT_SAMPLE


def bench_project(label: str, root: Path, apps: int | None, args, celery_fix: list[str] | None) -> dict:
    tree = scan(root)
    log(f"[{label}] {tree.files} files, {tree.lines} lines, {tree.relevant_files} celery-relevant")
    runs: dict[str, Measurement] = {}
    log(f"[{label}] ruff")
    runs["ruff"] = bench_ruff(root, args.repeat)
    log(f"[{label}] celery-fix")
    for name, m in bench_celery_fix(celery_fix, root, args.repeat, tree.one_file).items():
        runs[f"celery-fix {name}"] = m
    if not args.skip_fixit:
        sample = fixit_sample_size(args, apps, tree)
        log(f"[{label}] fixit ({f'{sample}-file sample' if sample else 'full run'})")
        runs["fixit"] = bench_fixit(args.fixit_rules, root, tree.py_files, sample, args.seed)
    return {
        "label": label, "path": str(root), "apps": apps,
        "files": tree.files, "lines": tree.lines, "relevant_files": tree.relevant_files,
        "runs": runs, "ratios": ratios(runs, tree),
    }


def ratios(runs: dict[str, Measurement], tree: Tree) -> dict[str, float | None]:
    def secs(key):
        m = runs.get(key)
        return m.seconds if m and not m.error else None

    def div(a, b):
        return a / b if a is not None and b else None

    cold, warm, ruff, fixit = (secs(k) for k in ("celery-fix cold", "celery-fix warm", "ruff", "fixit"))
    one_file = secs("celery-fix one-file")
    edited = secs("celery-fix one-file edited")
    single = secs("celery-fix cold -j1")
    peaks = [m.peak_mb for k, m in runs.items() if k.startswith("celery-fix") and not m.error]
    return {
        "cold/ruff": div(cold, ruff),
        "warm/ruff": div(warm, ruff),
        "one-file s": one_file,
        "edited one-file s": edited,
        "fixit/cold": div(fixit, cold),
        "cold/cold -j1": div(cold, single),
        # Flat across sizes = linear in the number of Celery-relevant files.
        "cold ms/relevant file": div(cold * 1000 if cold is not None else None, tree.relevant_files),
        "celery-fix peak MB": max(peaks) if peaks else None,
    }


# --------------------------------------------------------------------------
# Output.
# --------------------------------------------------------------------------

TIME_COLUMNS = [
    "celery-fix cold", "celery-fix cold -j1", "celery-fix first", "celery-fix warm", "celery-fix one-file",
    "celery-fix one-file edited", "ruff", "fixit",
]


def print_report(results: list[dict]) -> None:
    header = ["size", "files", "lines", "relevant"]
    print("\nWall-clock seconds (first = run that fills the cache; * = extrapolated from a sample; "
          "! = failed, see below)")
    rows = [[r["label"], r["files"], r["lines"], r["relevant_files"]]
            + [fmt_time(r["runs"].get(c)) for c in TIME_COLUMNS] for r in results]
    print_table(header + TIME_COLUMNS, rows)

    print("\nPeak memory, MB (whole process tree; fixit * = of the sample run)")
    rows = [[r["label"]] + [fmt_mem(r["runs"].get(c)) for c in TIME_COLUMNS] for r in results]
    print_table(["size"] + TIME_COLUMNS, rows)

    keys = list(results[0]["ratios"])
    print("\nRatios and per-file cost")
    print_table(["size"] + keys, [[r["label"]] + [fmt_num(r["ratios"][k]) for k in keys] for r in results])

    print("\nTargets (the issue states them for a ~850k-line project)")
    rows = [[r["label"]] + [verdict(check, r["ratios"]) for check in TARGETS.values()] for r in results]
    print_table(["size"] + list(TARGETS), rows)

    print_profiles(results)

    errors = [(r["label"], name, m.error) for r in results for name, m in r["runs"].items() if m.error]
    for label, name, error in errors:
        print(f"\nERROR [{label}] {name}: {error}")


def print_profiles(results: list[dict]) -> None:
    """celery-fix's per-phase seconds for the cold and warm runs: wall = the main process's timeline,
    cpu = work summed over all processes (rule parse, walk and fixes run in workers)."""
    rows, phases = [], []
    for r in results:
        for run in ("cold", "warm", "one-file", "one-file edited"):
            m = r["runs"].get(f"celery-fix {run}")
            if m is None or not m.profile:
                continue
            figures = {f"{k}": v for k, v in m.profile.get("wall", {}).items()}
            figures.update({f"{k} (cpu)": v for k, v in m.profile.get("cpu", {}).items()})
            phases += [p for p in figures if p not in phases]
            rows.append((f"{r['label']} {run}", figures))
    if not rows:
        return
    print("\nWhere the time goes, s (wall: main process; cpu: summed over the worker processes)")
    biggest = {label: max(figures, key=figures.get) for label, figures in rows}
    print_table(["run"] + phases + ["biggest"],
                [[label] + [f"{figures[p]:.2f}" if p in figures else "-" for p in phases] + [biggest[label]]
                 for label, figures in rows])


def verdict(check, ratio_values: dict) -> str:
    try:
        return "PASS" if check(ratio_values) else "FAIL"
    except TypeError:  # a ratio is None: a tool failed or was skipped
        return "n/a"


def fmt_time(m: Measurement | None) -> str:
    return _fmt(m, m and m.seconds, "{:.2f}")


def fmt_mem(m: Measurement | None) -> str:
    return _fmt(m, m and m.peak_mb, "{:.0f}")


def _fmt(m: Measurement | None, value: float | None, spec: str) -> str:
    # "!" = the command ran but failed (e.g. exit 2): shown, but kept out of the ratios.
    if m is None:
        return "-"
    if value is None:
        return "ERR"
    return spec.format(value) + ("!" if m.error else "*" if m.extrapolated_from else "")


def fmt_num(value: float | None) -> str:
    return "n/a" if value is None else f"{value:.2f}"


def print_table(header: list[str], rows: list[list]) -> None:
    cells = [header] + [[str(c) for c in row] for row in rows]
    widths = [max(len(row[i]) for row in cells) for i in range(len(header))]
    for n, row in enumerate(cells):
        print("  ".join(c.rjust(w) if i else c.ljust(w) for i, (c, w) in enumerate(zip(row, widths))))
        if n == 0:
            print("  ".join("-" * w for w in widths))


def tool_version(cmd: list[str] | None) -> str | None:
    if not cmd:
        return None
    try:
        done = subprocess.run([*cmd, "--version"], check=False, capture_output=True, text=True, timeout=60)
    except (OSError, subprocess.TimeoutExpired):
        return None
    return (done.stdout or done.stderr).strip().splitlines()[0] if done.returncode == 0 else None


def write_json(path: Path, results: list[dict], celery_fix: list[str] | None, args) -> None:
    payload = {
        "machine": {"python": platform.python_version(), "platform": platform.platform(),
                    "cpus": os.cpu_count(), "loadavg_at_end": os.getloadavg()},
        "versions": {
            "celery-fix": tool_version(celery_fix),
            "ruff": tool_version([find_tool("ruff")] if find_tool("ruff") else None),
            "fixit": tool_version([find_tool("fixit")] if find_tool("fixit") else None),
        },
        "settings": {"seed": args.seed, "repeat": args.repeat, "fixit_rules": args.fixit_rules,
                     "unrelated_scale": args.unrelated_scale},
        "results": [
            {**r, "runs": {k: m.as_dict() for k, m in r["runs"].items()},
             "targets": {name: verdict(check, r["ratios"]) for name, check in TARGETS.items()}}
            for r in results
        ],
    }
    path.write_text(json.dumps(payload, indent=2) + "\n")


def log(message: str) -> None:
    print(message, file=sys.stderr, flush=True)


# --------------------------------------------------------------------------

def parse_args(argv: list[str] | None):
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    what = parser.add_mutually_exclusive_group()
    what.add_argument("--apps", type=int, help="one generated project with N apps (~2,000 lines each)")
    what.add_argument("--sizes", help="comma-separated app counts (default: 50,150,425 unless --path is given)")
    parser.add_argument("--path", type=Path, action="append", default=[],
                        help="benchmark an existing project (repeatable; with --sizes/--apps, both are run)")
    parser.add_argument("--seed", type=int, default=0, help="generator and Fixit-sample seed")
    parser.add_argument("--unrelated-scale", type=float, default=1.0,
                        help="generator: multiply the non-Celery helper code by this factor")
    parser.add_argument("--repeat", type=int, default=1,
                        help="run ruff and celery-fix cold/warm R times, keep the fastest")
    parser.add_argument("--skip-fixit", action="store_true")
    parser.add_argument("--fixit-sample", type=int, metavar="K",
                        help=f"lint K random files and extrapolate (0 = full run; default: full up to "
                             f"{FIXIT_FULL_MAX_APPS} apps / {FIXIT_FULL_MAX_FILES} files, else "
                             f"{FIXIT_DEFAULT_SAMPLE})")
    parser.add_argument("--fixit-rules", default="celery_fix.rules", help="default: %(default)s")
    parser.add_argument("--celery-fix", default="celery-fix", metavar="CMD",
                        help='command to run, e.g. "python -m celery_fix" (default: %(default)s)')
    parser.add_argument("--json", type=Path, metavar="FILE", help="also write the results here")
    parser.add_argument("--keep", action="store_true", help="keep the generated projects")
    return parser.parse_args(argv)


def resolve_celery_fix(command: str) -> list[str] | None:
    cmd = shlex.split(command)
    exe = find_tool(cmd[0]) if os.sep not in cmd[0] else cmd[0]
    return [exe, *cmd[1:]] if exe else None


def byte_compile(cmd: list[str]) -> None:
    """Compile the measured celery-fix's modules once, as `pip install` does: where
    PYTHONDONTWRITEBYTECODE is set (this machine), every run would compile them from source
    again (about 0.2 s, more than a third of a run on a small tree)."""
    interpreter = _interpreter_of(cmd[0])
    if interpreter is None:
        log("warning: cannot tell celery-fix's interpreter; its modules are not byte-compiled")
        return
    found = subprocess.run([interpreter, "-c", "import celery_fix, os; print(os.path.dirname(celery_fix.__file__))"],
                           capture_output=True, text=True)
    package = found.stdout.strip()
    if found.returncode != 0 or not package:
        log("warning: cannot import celery_fix to byte-compile it")
        return
    subprocess.run([interpreter, "-m", "compileall", "-q", package], capture_output=True)


def _interpreter_of(executable: str) -> str | None:
    """The Python a command runs: itself, or the one its `#!` line names."""
    if Path(executable).name.startswith("python"):
        return executable
    try:
        with open(executable, "rb") as script:
            first = script.readline()
    except OSError:
        return None
    if not first.startswith(b"#!"):
        return None
    words = first[2:].decode(errors="replace").split()
    if len(words) >= 2 and Path(words[0]).name == "env":  # `#!/usr/bin/env python3`
        return shutil.which(words[1])
    return words[0] if words else None


def main(argv: list[str] | None = None) -> int:
    args = parse_args(argv)
    load = os.getloadavg()[0]
    if load > 0.5:
        log(f"warning: load average {load:.1f}; other work on this machine will skew the timings")
    celery_fix = resolve_celery_fix(args.celery_fix)
    if celery_fix is not None:
        byte_compile(celery_fix)
    results = []
    for path in args.path:
        root = path.resolve()
        results.append(bench_project(root.name, root, None, args, celery_fix))
    default_sizes = "" if args.path else "50,150,425"  # --path alone: only the real projects
    sizes = [args.apps] if args.apps else [int(n) for n in (args.sizes or default_sizes).split(",") if n]
    for apps in sizes:
        root = Path(tempfile.mkdtemp(prefix=f"celery-fix-bench-{apps}-"))
        try:
            log(f"[{apps} apps] generating into {root}")
            generate.generate(root, apps, args.seed, args.unrelated_scale)
            results.append(bench_project(f"{apps} apps", root, apps, args, celery_fix))
        finally:
            if args.keep:
                log(f"[{apps} apps] kept {root}")
            else:
                shutil.rmtree(root, ignore_errors=True)
    print_report(results)
    if args.json:
        write_json(args.json, results, celery_fix, args)
    return 0


if __name__ == "__main__":
    sys.exit(main())
