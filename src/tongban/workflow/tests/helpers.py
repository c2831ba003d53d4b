"""Small BPMN documents for tests, built from the shipped standard model."""

from pathlib import Path

SHIPPED = Path(__file__).resolve().parent.parent / "shipped"


def shipped(key: str) -> bytes:
    return (SHIPPED / f"{key}.bpmn").read_bytes()


def standard_with(old: str, new: str) -> bytes:
    """The shipped standard model with one piece of text replaced (it must occur)."""
    text = shipped("standard").decode()
    assert old in text, old
    return text.replace(old, new, 1).encode()
