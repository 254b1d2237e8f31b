"""Random $filter conditions give what the same conditions give in Python."""

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

NAMES = ["  Birke  ", "Ahorn Ämterweg", "Eiche am Markt", "Linde 17"]
# (OData, the same in Python) on names: never null, so logic is two-valued
ATOMS = [
    ("startswith(name, 'A')", lambda n: n.startswith("A")),
    ("endswith(name, 'Markt')", lambda n: n.endswith("Markt")),
    ("contains(name, 'e')", lambda n: "e" in n),
    ("substringof('rk', name)", lambda n: "rk" in n),
    ("length(name) gt 9", lambda n: len(n) > 9),
    ("indexof(name, 'i') eq 2", lambda n: n.find("i") + 1 == 2),
    ("substring(name, 1, 3) eq 'hor'", lambda n: n[1:4] == "hor"),
    ("tolower(name) lt 'b'", lambda n: n.lower() < "b"),
    ("toupper(trim(name)) eq 'BIRKE'", lambda n: n.strip(" ").upper() == "BIRKE"),
    ("name ge 'E'", lambda n: n >= "E"),
    ("length(concat(name, 'xy')) mod 3 eq 1", lambda n: (len(n) + 2) % 3 == 1),
]


def _trees(depth: int):
    leaf = st.integers(0, len(ATOMS) - 1).map(lambda i: ATOMS[i])
    if depth == 0:
        return leaf
    inner = _trees(depth - 1)
    both = st.tuples(inner, inner, st.sampled_from(["and", "or"]))
    return st.one_of(
        leaf,
        inner.map(lambda t: (f"not ({t[0]})", lambda n, f=t[1]: not f(n))),
        both.map(
            lambda t: (
                f"({t[0][0]}) {t[2]} ({t[1][0]})",
                (lambda n, a=t[0][1], b=t[1][1]: a(n) and b(n))
                if t[2] == "and"
                else (lambda n, a=t[0][1], b=t[1][1]: a(n) or b(n)),
            )
        ),
    )


@settings(
    max_examples=40, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture]
)
@given(tree=_trees(3))
def test_random_conditions_agree_with_python(public, city, tree):
    condition, predicate = tree
    response = public.get("Things", **{"$filter": condition, "$orderby": "name"})
    assert response.status_code == 200, (condition, response.content)
    assert [t["name"] for t in response.json()["value"]] == [n for n in NAMES if predicate(n)]
