"""The example forms of issue 14 and a parser for what a rendered form shows."""

import json
from html.parser import HTMLParser
from pathlib import Path

EXAMPLES = Path(__file__).resolve().parents[1] / "examples"


def example(name: str) -> tuple[dict, dict]:
    data = json.loads((EXAMPLES / f"{name}.json").read_text("utf-8"))
    return data["schema"], data["ui_schema"]


class Page(HTMLParser):
    """Ids, labels' for, the controls (name → attributes) and the text of a rendered fragment."""

    def __init__(self, html: str) -> None:
        super().__init__()
        self.ids: set[str] = set()
        self.label_for: set[str] = set()
        self.controls: dict[str, dict[str, str | None]] = {}
        self.buttons: list[dict[str, str | None]] = []
        self.outputs: dict[str, str] = {}
        self.text: list[str] = []
        self._output: str | None = None
        self.feed(html)

    def handle_starttag(self, tag, attrs):
        attributes = dict(attrs)
        if attributes.get("id"):
            self.ids.add(attributes["id"])
        if tag == "label" and attributes.get("for"):
            self.label_for.add(attributes["for"])
        if tag in ("input", "select", "textarea") and attributes.get("name"):
            self.controls.setdefault(attributes["name"], attributes)
        if tag == "button":
            self.buttons.append(attributes)
        if tag == "output":
            self._output = attributes.get("id")
            self.outputs[self._output] = ""

    def handle_endtag(self, tag):
        if tag == "output":
            self._output = None

    def handle_data(self, data):
        if self._output:
            self.outputs[self._output] += data
        self.text.append(data)

    @property
    def all_text(self) -> str:
        return "".join(self.text)
