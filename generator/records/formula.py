"""Formulas of derived indicators: a tiny, closed grammar, parsed once and never ``eval``-ed.

A formula multiplies and divides indicator ids and plain numbers, with parentheses::

    sqls / mqls
    open-opportunities * win-rate * deal-size / sales-cycle

``×`` and ``÷`` may stand for ``*`` and ``/``. Nothing else is accepted: no function calls, no
attribute access, no other operators, so a taxonomy cannot make the build run code.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from functools import lru_cache


class FormulaError(ValueError):
    """A formula that does not follow the grammar; the message says where and what."""


@dataclass(frozen=True)
class Name:
    """An indicator id in a formula."""

    id: str


@dataclass(frozen=True)
class Const:
    """A plain number in a formula."""

    value: float


@dataclass(frozen=True)
class Op:
    """A product or quotient of two sub-formulas."""

    op: str  # "*" or "/"
    left: Node
    right: Node


Node = Name | Const | Op

_TOKEN = re.compile(
    r"\s*(?:(?P<num>\d+(?:\.\d+)?)|(?P<name>[a-z0-9]+(?:-[a-z0-9]+)*)|(?P<op>[*/×÷()]))"
)
_SYMBOL = {"×": "*", "÷": "/"}


def _tokens(text: str) -> list[str]:
    tokens: list[str] = []
    pos = 0
    text = text.rstrip()
    while pos < len(text):
        match = _TOKEN.match(text, pos)
        if match is None or match.end() == pos:
            pos += len(text[pos:]) - len(text[pos:].lstrip())  # point at the character itself
            raise FormulaError(f"unexpected {text[pos:].strip()[:1]!r} at character {pos + 1}")
        token = match.group(match.lastgroup or 0)
        tokens.append(_SYMBOL.get(token, token))
        pos = match.end()
    return tokens


class _Parser:
    def __init__(self, tokens: list[str]):
        self.tokens = tokens
        self.pos = 0

    def peek(self) -> str | None:
        return self.tokens[self.pos] if self.pos < len(self.tokens) else None

    def take(self) -> str:
        token = self.peek()
        if token is None:
            raise FormulaError("ends too early: an indicator id or a number is missing")
        self.pos += 1
        return token

    def expr(self) -> Node:
        node = self.term()
        while self.peek() in ("*", "/"):
            op = self.take()
            node = Op(op, node, self.term())
        return node

    def term(self) -> Node:
        token = self.take()
        if token == "(":
            node = self.expr()
            if self.peek() != ")":
                raise FormulaError("a parenthesis is not closed")
            self.take()
            return node
        if token in ("*", "/", ")"):
            raise FormulaError(f"expected an indicator id or a number, got {token!r}")
        if re.fullmatch(r"\d+(?:\.\d+)?", token):
            return Const(float(token))
        return Name(token)


@lru_cache(maxsize=256)
def parse(text: str) -> Node:
    """The formula's tree; raises `FormulaError` with a plain-words message."""
    parser = _Parser(_tokens(text))
    if not parser.tokens:
        raise FormulaError("is empty")
    node = parser.expr()
    if parser.peek() is not None:
        raise FormulaError(f"unexpected {parser.peek()!r} after a complete formula "
                           "(only *, / and parentheses join indicator ids)")
    return node


def names(node: Node) -> list[str]:
    """The indicator ids a formula reads, in order of first appearance."""
    if isinstance(node, Name):
        return [node.id]
    if isinstance(node, Const):
        return []
    seen = names(node.left)
    return seen + [n for n in names(node.right) if n not in seen]


def evaluate(node: Node, values: dict[str, float]) -> float | None:
    """The formula's value from its inputs; None when an input is missing or a divisor is 0."""
    if isinstance(node, Name):
        return values.get(node.id)
    if isinstance(node, Const):
        return node.value
    left, right = evaluate(node.left, values), evaluate(node.right, values)
    if left is None or right is None:
        return None
    if node.op == "*":
        return left * right
    return left / right if right != 0 else None


def quotient_of_names(node: Node) -> tuple[str, str] | None:
    """``(a, b)`` when the formula is exactly ``a / b`` (so its counts can be kept for pooling)."""
    if isinstance(node, Op) and node.op == "/" and isinstance(node.left, Name) \
            and isinstance(node.right, Name):
        return node.left.id, node.right.id
    return None


def show(node: Node, labels: dict[str, str] | None = None) -> str:
    """The formula written out with ``×`` and ``÷`` (and labels for ids, when given)."""
    if isinstance(node, Name):
        return (labels or {}).get(node.id, node.id)
    if isinstance(node, Const):
        return f"{node.value:g}"

    def side(child: Node, right: bool) -> str:
        text = show(child, labels)
        # Parentheses only where they change the meaning: a ÷ (b × c).
        return f"({text})" if isinstance(child, Op) and right else text

    return f"{side(node.left, False)} {'×' if node.op == '*' else '÷'} {side(node.right, True)}"
