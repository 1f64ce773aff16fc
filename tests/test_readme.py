from pathlib import Path

from celery_fix.docs import CATALOGUE, catalogue_source, with_table

README = Path(__file__).resolve().parent.parent / "README.md"


def test_rules_table_is_current():
    text = README.read_text(encoding="utf-8")
    assert with_table(text) == text, "README rules table is stale: run `python -m celery_fix.docs`"


def test_rule_catalogue_is_current():
    assert CATALOGUE.read_text(encoding="utf-8") == catalogue_source(), (
        "celery_fix/engine/catalogue.py is stale: run `python -m celery_fix.docs`"
    )


def test_readme_test_command_matches_ci():
    ci = (README.parent / ".ci" / "run").read_text(encoding="utf-8")
    assert "python -m pytest -q" in README.read_text(encoding="utf-8")
    assert "python -m pytest -q" in ci
