"""Each rule's own VALID / INVALID cases, run through Fixit's harness (plain Fixit, no engine)."""

from fixit.testing import add_lint_rule_tests_to_module

from celery_fix.engine.registry import all_rule_classes

# the harness wants instances: given classes it silently generates no test at all
add_lint_rule_tests_to_module(globals(), [rule_cls() for rule_cls in all_rule_classes()])


def test_every_rule_generated_cases():
    generated = [name for name in globals() if name.endswith("Rule")]
    assert len(generated) == len(all_rule_classes()) > 0
