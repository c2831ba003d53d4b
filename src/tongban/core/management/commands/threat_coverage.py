"""Check docs/threats.md against the test suite: every threat id is either tested (a test named
``test_T_X9_…`` exists) or marked pending with the work that will bring its test (THREATS.md §4)."""

import ast
import re
from pathlib import Path

from django.conf import settings
from django.core.management.base import BaseCommand, CommandError

DOC = Path(settings.PROJECT_DIR) / "docs" / "threats.md"
ROW = re.compile(r"^\| (T-[A-N]\d+) \| .*\| (tested|pending: .+) \|$", re.MULTILINE)
TEST_NAME = re.compile(r"test_T_([A-N])(\d+)_")
SEARCHED = ("src", "tests")


def ids_with_tests(root: Path) -> set[str]:
    """Threat ids named by test functions (parsed, so a name inside a string does not count)."""
    found = set()
    for folder in SEARCHED:
        for path in (root / folder).rglob("test_*.py"):
            for node in ast.walk(ast.parse(path.read_text("utf-8"))):
                if isinstance(node, ast.FunctionDef) and (match := TEST_NAME.match(node.name)):
                    found.add(f"T-{match[1]}{match[2]}")
    return found


def find_problems(doc_text: str, tests: set[str]) -> tuple[dict[str, str], list[str]]:
    statuses = dict(ROW.findall(doc_text))
    problems = [
        f"{tid} is marked tested but no test_{tid.replace('-', '_')}_… exists"
        for tid, status in statuses.items()
        if status == "tested" and tid not in tests
    ]
    problems += [
        f"{tid} has a test: mark it tested in docs/threats.md"
        for tid, status in statuses.items()
        if status != "tested" and tid in tests
    ]
    problems += [f"{tid} has a test but no row in docs/threats.md" for tid in sorted(tests - set(statuses))]
    return statuses, problems


class Command(BaseCommand):
    help = "Report which threat-model rows have negative tests; --check fails on any inconsistency."

    def add_arguments(self, parser) -> None:
        parser.add_argument("--check", action="store_true")

    def handle(self, *args, **options) -> None:
        statuses, problems = find_problems(DOC.read_text("utf-8"), ids_with_tests(Path(settings.PROJECT_DIR)))
        tested = sum(1 for status in statuses.values() if status == "tested")
        self.stdout.write(f"threat ids: {len(statuses)}, tested: {tested}, pending: {len(statuses) - tested}")
        if problems and options["check"]:
            raise CommandError("\n".join(problems))
        for problem in problems:
            self.stdout.write(problem)
