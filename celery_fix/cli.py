"""The `celery-fix` command: options only; the work is in celery_fix.run."""

from __future__ import annotations

from pathlib import Path

import click

from celery_fix import __version__
from celery_fix.interrupts import run_interruptible
from celery_fix.report import FORMATS
from celery_fix.report.color import CHOICES as COLOR_CHOICES
from celery_fix.run import RunOptions, execute
from celery_fix.streams import tolerant_output


@click.command(context_settings={"help_option_names": ["-h", "--help"]})
@click.argument("paths", nargs=-1, type=click.Path(path_type=Path))
@click.option("--apply", "--fix", "apply_fixes", is_flag=True, help="Write the safe fixes to the files (--fix: the same).")
@click.option("--unsafe-fixes/--no-unsafe-fixes", default=None, help="Also apply (and show) fixes that can change behaviour; --no-unsafe-fixes overrides the configuration.")
@click.option("--select", metavar="CODES", help="Comma-separated rule codes or prefixes to run (e.g. CEL202,CEL7, ALL).")
@click.option("--ignore", metavar="CODES", help="Comma-separated rule codes or prefixes to skip.")
@click.option("--extend-select", metavar="CODES", help="Rule codes or prefixes to run on top of the selection.")
@click.option("--extend-ignore", metavar="CODES", help="Rule codes or prefixes to skip on top of `ignore`.")
@click.option("--diff/--no-diff", "show_diff", default=True, show_default=True, help="Print the diff of pending fixes (dry run).")
@click.option("--format", "output_format", type=click.Choice(list(FORMATS)), default=None, help="Output format (default: `format` in the configuration, else text).")
@click.option("--show-source", is_flag=True, help="Show the source lines of each finding (text format).")
@click.option("--color", type=click.Choice(list(COLOR_CHOICES)), default="auto", show_default=True, help="Colour the text output; auto: on a terminal unless NO_COLOR is set.")
@click.option("--statistics", is_flag=True, help="Print the number of findings per rule instead of the findings.")
@click.option("--show-fixes", is_flag=True, help="With --apply: list what was fixed, per file.")
@click.option("--exit-non-zero-on-fix", is_flag=True, help="With --apply: exit 1 when something was fixed, even if nothing remains.")
@click.option("--exit-zero", is_flag=True, help="Exit 0 even when findings remain.")
@click.option("-q", "--quiet", is_flag=True, help="Print only findings and errors, no diff or summary.")
@click.option("--config", "config_file", type=click.Path(path_type=Path, dir_okay=False), help="Read this configuration file (a pyproject.toml, or a celery-fix.toml with top-level keys) instead of the nearest one.")
@click.option("--no-cache", is_flag=True, help="Do not read or write .celery-fix-cache/.")
@click.option("--jobs", "-j", type=click.IntRange(min=1), default=None, help="Worker processes (default: CPU count).")
@click.option("--list-rules", is_flag=True, help="List the rules (code, name, fix, default, whether plain Fixit can run them) and exit.")
@click.option("--explain", metavar="CODE", help="Print a rule's documentation and exit.")
@click.option("--force-exclude", is_flag=True, help="Apply `exclude` and .gitignore to files named on the command line too (pre-commit, editors).")
@click.option("--stdin-filename", type=click.Path(path_type=Path, dir_okay=False), help="With `-` (read the module from standard input): the file it stands for; the project around it is indexed. --apply writes the fixed module to standard output.")
@click.option("--show-settings", is_flag=True, help="Print the resolved configuration for the first path (as TOML) and exit.")
@click.option("--show-files", is_flag=True, help="Print the files that would be checked, one per line, and exit.")
@click.option("--add-noqa", is_flag=True, help="Add `# noqa: CODE` to every line with a finding --apply would not fix (adopting celery-fix on a legacy codebase).")
@click.option("--changed-since", metavar="REF", help="Report only the files changed since the git ref REF (git diff --name-only REF, and untracked files); the whole project is still indexed.")
@click.option("--list-tasks", is_flag=True, help="Print the inventory of Celery tasks in PATHS and exit.")
@click.version_option(__version__, prog_name="celery-fix")
def main(**kwargs) -> None:
    """Find and fix unsafe Celery task design. PATHS default to the current directory; `-` reads
    one module from standard input (see --stdin-filename).

    Without --apply this is a dry run: it prints the findings and the diff of the fixes it would
    make, and exits 1 when anything is found. Exit codes: 0 nothing found, 1 findings,
    2 usage error or files that could not be read or parsed.
    """
    tolerant_output()
    raise SystemExit(run_interruptible(lambda: execute(RunOptions(**kwargs))))
