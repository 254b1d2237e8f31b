"""``$filter`` and ``$orderby`` trees (``sensors/query/ast.py``) compiled to Django ORM
expressions for one entity type.

Every path is checked against the entity table (``entities.py``): navigation segments
become joins (``Datastream/Thing/name`` → ``datastream__thing__name``), JSON properties
become typed key lookups (``properties/a/b``), ``result`` is the float column when
compared with a number and the JSON column otherwise, ``@iot.id``/``id`` the key.
Each sub-expression compiles to a :class:`Term`: its kind (number, text, time, …) and
its expression; a comparison coerces untyped JSON to the other side's kind. Spatial
functions are decided in Python (``geo.py``) and enter the SQL as sets of ids.

Time intervals (a Datastream's ``phenomenonTime``, an Observation's interval
``phenomenonTime``, ``validTime``) compare with an instant as a whole: ``gt t`` means
the interval starts after t, ``lt t`` that it ends before t, ``ge``/``le`` likewise
with equality, ``eq t`` that it is the instant t. In functions and ``$orderby`` an
interval stands for its start.
"""

from django.db.models import (
    BooleanField,
    Expression,
    ExpressionWrapper,
    F,
    OrderBy,
    Q,
    Value,
)
from django.db.models.functions import Coalesce
from django.db.models.lookups import (
    Exact,
    GreaterThan,
    GreaterThanOrEqual,
    IsNull,
    LessThan,
    LessThanOrEqual,
)
from django.utils.translation import gettext as _

from ..query import ast
from ..query.options import OrderBy as OrderItem
from .arithmetic import arithmetic, negate
from .entities import ENTITY_SETS, EntityType, Prop
from .functions import call
from .geo import GeoRef, compare_measure, literal_term
from .sql import CodePoints, JsonValue
from .terms import ORDERED, Term, coerce, constant, fail, kind_name, unify

_LOOKUPS = {
    "eq": Exact,
    "gt": GreaterThan,
    "ge": GreaterThanOrEqual,
    "lt": LessThan,
    "le": LessThanOrEqual,
}
_MIRROR = {"eq": "eq", "ne": "ne", "gt": "lt", "ge": "le", "lt": "gt", "le": "ge"}
_JSON_KINDS = ("object", "array", "any", "json")


class Compiler:
    """Compiles expressions for ``etype``; ``many`` tells whether a path crossed a
    to-many navigation (the caller then removes duplicate rows)."""

    def __init__(self, etype: EntityType) -> None:
        self.etype = etype
        self.many = False

    # -- entry points ---------------------------------------------------------------------

    def condition(self, node: ast.Expr) -> Q:
        """``$filter``'s expression as a condition."""
        return self.boolean(node, "$filter")

    def order(self, item: OrderItem) -> list[OrderBy]:
        term = self.term(item.expr)
        exprs = _order_exprs(term)
        if self.many:
            raise fail(_("$orderby cannot follow a navigation to many entities"))
        return [
            e.desc(nulls_first=True) if item.descending else e.asc(nulls_last=True) for e in exprs
        ]

    # -- nodes ----------------------------------------------------------------------------

    def term(self, node: ast.Expr) -> Term:
        if isinstance(node, ast.GeometryLiteral):
            return literal_term(node)
        if isinstance(node, ast.Literal):
            return constant(node.value)
        if isinstance(node, ast.Path):
            return self.path(node.segments)
        if isinstance(node, ast.LogicalOp):
            return self.logical(node)
        if isinstance(node, ast.UnaryOp):
            return self.unary(node)
        if isinstance(node, ast.BinaryOp):
            if node.op in _LOOKUPS or node.op == "ne":
                return self.compare(node.op, self.term(node.left), self.term(node.right))
            return arithmetic(node.op, self.term(node.left), self.term(node.right))
        if isinstance(node, ast.FunctionCall):
            return call(self.term, node)
        raise fail(_("unsupported expression %(text)s"), text=str(node))

    def logical(self, node: ast.LogicalOp) -> Term:
        parts = [self.boolean(o, node.op) for o in node.operands]
        combined = parts[0]
        for part in parts[1:]:
            combined = combined & part if node.op == "and" else combined | part
        return Term("bool", combined)

    def boolean(self, node: ast.Expr, op: str) -> Q:
        term = self.term(node)
        if term.kind == "json":  # a JSON true/false used as a condition
            term = coerce(term, "bool")
        if term.kind != "bool":
            raise fail(_("%(op)s needs a condition, not %(kind)s"), op=op, kind=kind_name(term))
        return term.expr

    def unary(self, node: ast.UnaryOp) -> Term:
        if node.op == "not":
            return Term("bool", ~self.boolean(node.operand, "not"))
        return negate(self.term(node.operand))

    # -- comparisons ----------------------------------------------------------------------

    def compare(self, op: str, left: Term, right: Term) -> Term:
        if left.kind == "measure" or right.kind == "measure":
            return Term("bool", compare_measure(op, left, right))
        if right.kind == "null" or left.kind == "null":
            return self.compare_null(op, left if right.kind == "null" else right)
        if left.kind == "interval" or right.kind == "interval":
            return compare_interval(op, left, right)
        if left.kind == "bool" or right.kind == "bool":
            return compare_bool(op, left, right)
        left, right = unify(left, right)
        if left.kind not in ORDERED:
            raise fail(_("%(kind)s cannot be compared"), kind=kind_name(left))
        if left.kind == "text":
            left, right = Term("text", CodePoints(left.expr)), Term("text", CodePoints(right.expr))
        if op == "ne":
            return Term("bool", _differ(left, right))
        return Term("bool", Q(_LOOKUPS[op](left.expr, right.expr)))

    def compare_null(self, op: str, term: Term) -> Term:
        if op not in ("eq", "ne"):
            raise fail(_("null can only be compared with eq or ne"))
        if term.kind == "null":
            is_null = Q(pk__isnull=False)
        elif term.kind == "json":
            column, keys = term.expr
            kind = JsonValue(column, keys, "type")
            is_null = Q(IsNull(kind, True)) | Q(Exact(kind, Value("null")))
        elif term.kind == "result":
            kind = JsonValue(F(term.expr + "result"), (), "type")
            no_json = Q(IsNull(kind, True)) | Q(Exact(kind, Value("null")))
            is_null = Q(**{term.expr + "number__isnull": True}) & no_json
        elif term.kind == "interval":
            is_null = Q(IsNull(term.expr[0], True))
        elif term.kind in (*ORDERED, "geometry"):
            expr = term.expr.column_expr() if term.kind == "geometry" else term.expr
            is_null = Q(IsNull(expr, True))
        else:
            raise fail(_("%(kind)s cannot be null"), kind=kind_name(term))
        return Term("bool", is_null if op == "eq" else ~is_null)

    # -- paths ----------------------------------------------------------------------------

    def path(self, segments: tuple[str, ...]) -> Term:
        etype, prefix = self.etype, ""
        for index, name in enumerate(segments):
            rest = segments[index + 1 :]
            if name in ("@iot.id", "id"):
                if rest:
                    raise fail(_("nothing can follow %(name)s"), name=name)
                return Term("number", F(prefix + "pk"))
            nav = etype.nav_by_name.get(name)
            if nav is not None:
                self.many = self.many or nav.many
                prefix += nav.path + "__"
                etype = ENTITY_SETS[nav.target]
                continue
            prop = etype.prop_by_name.get(name)
            if prop is None:
                raise fail(
                    _("%(type)s has no property or navigation %(name)s"),
                    type=etype.singular,
                    name=name,
                )
            return self.prop(etype, prop, prefix, rest)
        raise fail(
            _("%(path)s names an entity, not a value: add a property, e.g. %(path)s/id"),
            path="/".join(segments),
        )

    def prop(self, etype: EntityType, prop: Prop, prefix: str, rest: tuple[str, ...]) -> Term:
        column = prefix + prop.column
        if prop.kind in _JSON_KINDS:
            return Term("json", (F(column), rest))
        if prop.kind == "result" and rest:
            return Term("json", (F(prefix + "result"), rest))
        if rest:
            raise fail(_("%(name)s has no parts"), name=prop.name)
        if prop.kind == "result":
            return Term("result", prefix)
        if prop.kind == "text":
            return Term("text", F(column))
        if prop.kind == "time":
            return Term("time", F(column))
        if prop.kind in ("span", "time_or_span"):
            start = F(f"{column}_start")
            return Term("interval", (start, Coalesce(F(f"{column}_end"), start)))
        if prop.kind == "geometry":
            return Term("geometry", GeoRef(prefix, etype, prop.column))
        raise fail(_("%(name)s cannot be used in an expression"), name=prop.name)


def _differ(left: Term, right: Term) -> Q:
    """``ne`` as OData means it: a value differs from null, null from null does not."""
    differ = ~Q(Exact(left.expr, right.expr))
    left_null, right_null = Q(IsNull(left.expr, True)), Q(IsNull(right.expr, True))
    if right.constant:
        return differ | left_null
    if left.constant:
        return differ | right_null
    return differ | (left_null & ~right_null) | (~left_null & right_null)


def compare_bool(op: str, left: Term, right: Term) -> Term:
    if op not in ("eq", "ne"):
        raise fail(_("conditions can only be compared with eq or ne"))
    left, right = coerce(left, "bool"), coerce(right, "bool")
    if right.constant or left.constant:
        known, other = (right, left) if right.constant else (left, right)
        same = other.expr if known.const else ~other.expr
    else:
        same = (left.expr & right.expr) | (~left.expr & ~right.expr)
    return Term("bool", same if op == "eq" else ~same)


def compare_interval(op: str, left: Term, right: Term) -> Term:
    """An interval against an instant: as a whole (see the module's docstring)."""
    if left.kind != "interval":
        left, right, op = right, left, _MIRROR[op]
    other = coerce(right, "time") if right.kind != "interval" else Term("time", right.expr[0])
    start, end = left.expr
    value = other.expr
    match op:
        case "gt" | "ge":
            found = Q(_LOOKUPS[op](start, value))
        case "lt" | "le":
            found = Q(_LOOKUPS[op](end, value))
        case _:
            same = Q(Exact(start, value)) & Q(Exact(end, value))
            found = same if op == "eq" else ~same
    return Term("bool", found)


def _order_exprs(term: Term) -> list[Expression]:
    if term.kind == "text":
        return [CodePoints(term.expr)]
    if term.kind in ORDERED:
        return [term.expr]
    if term.kind == "interval":
        return [term.expr[0]]
    if term.kind == "result":
        json_text = JsonValue(F(term.expr + "result"), (), "text")
        return [F(term.expr + "number"), CodePoints(json_text)]
    if term.kind == "json":
        column, keys = term.expr
        return [JsonValue(column, keys, "number"), CodePoints(JsonValue(column, keys, "text"))]
    if term.kind == "bool":
        return [ExpressionWrapper(term.expr, output_field=BooleanField())]
    raise fail(_("cannot sort by %(kind)s"), kind=kind_name(term))
