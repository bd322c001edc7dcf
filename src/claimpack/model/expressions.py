"""Evaluate checks.csv expressions safely: a small parser for arithmetic over claim ids, never eval.

Grammar (loosest first):
    expr       := and_expr ("or" and_expr)*
    and_expr   := not_expr ("and" not_expr)*
    not_expr   := "not" not_expr | comparison
    comparison := sum (("==" | "!=" | "<" | "<=" | ">" | ">=") sum)*     (chained as in maths)
    sum        := term (("+" | "-") term)*
    term       := unary (("*" | "/") unary)*
    unary      := ("-" | "+") unary | NUMBER | ID | "(" expr ")"
Claim ids are kebab-case, so "a-b" is one id; a minus between ids needs spaces: "a - b".
There are no functions, attributes, indexing, strings or names other than claim ids.
"""

from __future__ import annotations

import operator
import re
from dataclasses import dataclass, field
from decimal import Decimal

MAX_LENGTH = 2000
MAX_DEPTH = 60
_TOKEN = re.compile(r"""
    (?P<space>\s+)
  | (?P<number>\d+(?:\.\d+)?(?:[eE][+-]?\d+)?)
  | (?P<id>[a-z][a-z0-9]*(?:-[a-z0-9]+)*)
  | (?P<op>==|!=|<=|>=|<|>|\+|-|\*|/|\(|\))
""", re.X)
_KEYWORDS = {"and", "or", "not"}
_COMPARE = {"==": operator.eq, "!=": operator.ne, "<": operator.lt, "<=": operator.le,
            ">": operator.gt, ">=": operator.ge}


class ExpressionError(ValueError):
    """An expression that is not in the grammar, or cannot be evaluated."""

    def __init__(self, message: str, position: int | None = None):
        self.position = position
        super().__init__(message if position is None else f"{message} at character {position + 1}")


@dataclass(frozen=True)
class Token:
    kind: str
    text: str
    position: int


@dataclass(frozen=True)
class Node:
    kind: str  # number | id | neg | binary | compare | and | or | not
    value: object = None
    children: tuple = ()
    operators: tuple = ()


def tokenize(expression: str) -> list[Token]:
    if not isinstance(expression, str) or not expression.strip():
        raise ExpressionError("expression is empty")
    if len(expression) > MAX_LENGTH:
        raise ExpressionError(f"expression is longer than {MAX_LENGTH} characters")
    tokens, position = [], 0
    while position < len(expression):
        match = _TOKEN.match(expression, position)
        if not match:
            char = expression[position]
            if char == ".":
                raise ExpressionError("attribute access ('.') is not allowed", position)
            if char in "[]":
                raise ExpressionError("indexing is not allowed", position)
            if char in "\"'":
                raise ExpressionError("strings are not allowed", position)
            if char == "_" or char.isalpha():
                name = re.match(r"\w+", expression[position:]).group()
                following = expression[position + len(name):].lstrip()[:1]
                if following == "(":
                    raise ExpressionError(f"function calls are not allowed ({name}(...))", position)
                raise ExpressionError(f"{char!r} is not part of a kebab-case claim id", position)
            raise ExpressionError(f"unexpected character {char!r}", position)
        kind = match.lastgroup
        if kind != "space":
            text = match.group()
            if kind == "id" and text in _KEYWORDS:
                kind = "keyword"
            tokens.append(Token(kind, text, position))
        position = match.end()
    return tokens


class _Parser:
    def __init__(self, tokens: list[Token], source: str):
        self.tokens, self.index, self.source, self.depth = tokens, 0, source, 0

    def peek(self) -> Token | None:
        return self.tokens[self.index] if self.index < len(self.tokens) else None

    def take(self) -> Token:
        token = self.peek()
        if token is None:
            raise ExpressionError("expression ends too early", len(self.source))
        self.index += 1
        return token

    def accept(self, *texts: str) -> Token | None:
        token = self.peek()
        if token is not None and token.text in texts and token.kind in ("op", "keyword"):
            self.index += 1
            return token
        return None

    def parse(self) -> Node:
        node = self.or_expr()
        token = self.peek()
        if token is not None:
            raise ExpressionError(f"unexpected {token.text!r}", token.position)
        return node

    def nested(self, method):
        self.depth += 1
        if self.depth > MAX_DEPTH:
            raise ExpressionError(f"expression nests deeper than {MAX_DEPTH} levels")
        try:
            return method()
        finally:
            self.depth -= 1

    def or_expr(self) -> Node:
        nodes = [self.and_expr()]
        while self.accept("or"):
            nodes.append(self.and_expr())
        return nodes[0] if len(nodes) == 1 else Node("or", children=tuple(nodes))

    def and_expr(self) -> Node:
        nodes = [self.not_expr()]
        while self.accept("and"):
            nodes.append(self.not_expr())
        return nodes[0] if len(nodes) == 1 else Node("and", children=tuple(nodes))

    def not_expr(self) -> Node:
        if self.accept("not"):
            return Node("not", children=(self.nested(self.not_expr),))
        return self.comparison()

    def comparison(self) -> Node:
        nodes, ops = [self.sum()], []
        while (token := self.accept(*_COMPARE)) is not None:
            ops.append(token.text)
            nodes.append(self.sum())
        return nodes[0] if not ops else Node("compare", children=tuple(nodes), operators=tuple(ops))

    def sum(self) -> Node:
        node = self.term()
        while (token := self.accept("+", "-")) is not None:
            node = Node("binary", token.text, (node, self.term()))
        return node

    def term(self) -> Node:
        node = self.unary()
        while (token := self.accept("*", "/")) is not None:
            node = Node("binary", token.text, (node, self.unary()))
        return node

    def unary(self) -> Node:
        if self.accept("-"):
            return Node("neg", children=(self.nested(self.unary),))
        if self.accept("+"):
            return self.nested(self.unary)
        token = self.take()
        if token.kind == "number":
            return Node("number", float(token.text))
        if token.kind == "id":
            following = self.peek()
            if following is not None and following.text == "(":
                raise ExpressionError(f"function calls are not allowed ({token.text}(...))", following.position)
            return Node("id", token.text)
        if token.text == "(":
            node = self.nested(self.or_expr)
            if not self.accept(")"):
                raise ExpressionError("missing ')'", len(self.source))
            return node
        raise ExpressionError(f"unexpected {token.text!r}", token.position)


def parse(expression: str) -> Node:
    """Parse an expression, or raise ExpressionError saying where and why it is not one."""
    return _Parser(tokenize(expression), expression).parse()


def identifiers(node: Node) -> list[str]:
    """Claim ids an expression uses, in order of first use."""
    found: list[str] = []
    stack = [node]
    while stack:
        current = stack.pop()
        if current.kind == "id" and current.value not in found:
            found.append(current.value)
        stack.extend(reversed(current.children))
    return found


def is_bound(node: Node) -> bool:
    """Does every comparison hold at most one claim against constants (a bound, not a relation)?"""
    stack = [node]
    while stack:
        current = stack.pop()
        if current.kind == "compare":
            if len(identifiers(current)) > 1:
                return False
        else:
            stack.extend(current.children)
    return True


@dataclass
class Outcome:
    holds: bool
    comparisons: list[tuple[float, str, float]] = field(default_factory=list)

    def detail(self) -> str:
        return "; ".join(f"{_short(a)} {op} {_short(b)}" for a, op, b in self.comparisons)


def _short(number: float) -> str:
    """A number for a reader: six significant digits, grouped, never in scientific notation."""
    if abs(number) >= 1e6:
        return f"{number:,.0f}"
    text = f"{number:,.6g}"
    return format(Decimal(f"{number:.6g}"), ",f") if "e" in text else text


def evaluate(node: Node, values: dict[str, float], tolerance: float = 0.0) -> Outcome:
    """Evaluate a parsed expression; its top level must be a comparison or a logical combination."""
    outcome = Outcome(False)
    result = _eval(node, values, tolerance, outcome, 0)
    if not isinstance(result, bool):
        raise ExpressionError("expression is not a comparison (it gives a number, not true or false)")
    outcome.holds = result
    return outcome


def _eval(node: Node, values: dict[str, float], tolerance: float, outcome: Outcome, depth: int):
    if depth > MAX_DEPTH * 4:
        raise ExpressionError("expression nests too deeply")
    kind = node.kind
    if kind == "number":
        return node.value
    if kind == "id":
        if node.value not in values:
            hint = " (put spaces around a minus between ids: 'a - b')" if "-" in node.value else ""
            raise ExpressionError(f"unknown claim id {node.value!r}{hint}")
        value = values[node.value]
        if value is None:
            raise ExpressionError(f"claim {node.value!r} has no value")
        return float(value)
    if kind == "neg":
        return -_number(_eval(node.children[0], values, tolerance, outcome, depth + 1))
    if kind == "binary":
        left = _number(_eval(node.children[0], values, tolerance, outcome, depth + 1))
        right = _number(_eval(node.children[1], values, tolerance, outcome, depth + 1))
        if node.value == "+":
            return left + right
        if node.value == "-":
            return left - right
        if node.value == "*":
            return left * right
        if right == 0:
            raise ExpressionError("division by zero")
        return left / right
    if kind == "compare":
        operands = [_number(_eval(child, values, tolerance, outcome, depth + 1)) for child in node.children]
        holds = True
        for left, op, right in zip(operands, node.operators, operands[1:]):
            outcome.comparisons.append((left, op, right))
            if op == "==":
                holds &= abs(left - right) <= tolerance
            elif op == "!=":
                holds &= abs(left - right) > tolerance
            else:
                holds &= _COMPARE[op](left, right)
        return holds
    if kind in ("and", "or"):
        results = [_boolean(_eval(child, values, tolerance, outcome, depth + 1)) for child in node.children]
        return all(results) if kind == "and" else any(results)
    if kind == "not":
        return not _boolean(_eval(node.children[0], values, tolerance, outcome, depth + 1))
    raise ExpressionError(f"unknown node {kind}")


def _number(value) -> float:
    if isinstance(value, bool):
        raise ExpressionError("a comparison cannot be used as a number")
    return value


def _boolean(value) -> bool:
    if not isinstance(value, bool):
        raise ExpressionError("'and', 'or' and 'not' need comparisons on both sides")
    return value
