from pathlib import Path

from celery_fix.docs import CATALOGUE, RULES_DOC, catalogue_source, rules_doc, with_table

README = Path(__file__).resolve().parent.parent / "README.md"


def test_rules_table_is_current():
    text = README.read_text(encoding="utf-8")
    assert with_table(text) == text, "README rules table is stale: run `python -m celery_fix.docs`"


def test_rule_catalogue_is_current():
    assert CATALOGUE.read_text(encoding="utf-8") == catalogue_source(), (
        "celery_fix/engine/catalogue.py is stale: run `python -m celery_fix.docs`"
    )


def test_rules_doc_is_current():
    assert RULES_DOC.read_text(encoding="utf-8") == rules_doc(), "docs/rules.md is stale: run `python -m celery_fix.docs`"


def test_rules_doc_has_an_anchor_and_the_options_of_every_rule():
    from celery_fix.engine.registry import all_rule_classes

    text = rules_doc()
    for rule_cls in all_rule_classes():
        assert f'<a id="{rule_cls.CODE.lower()}"></a>' in text
        assert all(f"| `{key}` |" in text for key in rule_cls.OPTIONS)


def test_readme_test_command_matches_ci():
    ci = (README.parent / ".ci" / "run").read_text(encoding="utf-8")
    assert "python -m pytest -q" in README.read_text(encoding="utf-8")
    assert "python -m pytest -q" in ci
