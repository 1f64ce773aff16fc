"""The names a function binds in its own scope (shadowing checks in the 7xx and 8xx rules)."""

import libcst as cst
import pytest

from celery_fix.constructs.scopes import local_names


@pytest.mark.parametrize(
    "source, expected",
    [
        ("def f(a, *b, c, **d):\n    pass\n", {"a", "b", "c", "d"}),
        ("def f():\n    x = y = 1\n    for i, (j, k) in z: pass\n", {"x", "y", "i", "j", "k"}),
        ("def f():\n    import a.b\n    from c import d as e\n    with o as w: pass\n", {"a", "e", "w"}),
        ("def f():\n    try:\n        pass\n    except E as err:\n        pass\n", {"err"}),
        # a walrus in a comprehension binds in the function (PEP 572); the loop variable does not
        ("def f(xs):\n    return [y for x in xs if (y := x)]\n", {"xs", "y"}),
        ("def f():\n    def g(): h = 1\n    class C: i = 1\n    lambda q: q\n", {"g", "C"}),
        ("def f():\n    global transaction\n    transaction = 1\n", set()),
    ],
)
def test_local_names(source, expected):
    assert set(local_names(cst.parse_module(source).body[0])) == expected
