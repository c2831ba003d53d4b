"""Write docs/configuration.md from the help texts of env.py; --check fails when it is stale."""

from pathlib import Path

from django.conf import settings
from django.core.management.base import BaseCommand, CommandError

from tongban import env

TARGET = Path(settings.PROJECT_DIR) / "docs" / "configuration.md"


def render() -> str:
    lines = [
        "# Configuration",
        "",
        "Every setting comes from an environment variable (written by `manage.py envdoc`; do not edit).",
        "With `TONGBAN_DEBUG=false`, a variable marked *required* must be set or start-up stops.",
        "",
        "| variable | kind | default | help |",
        "|---|---|---|---|",
    ]
    for variable in sorted(env.REGISTRY.values(), key=lambda v: v.name):
        if variable.default is not env._UNSET:
            default = f"`{variable.default}`" if variable.default not in ("", []) else "(empty)"
        else:
            default = "*required* (development value used when TONGBAN_DEBUG is on)"
        lines.append(f"| `{variable.name}` | {variable.kind} | {default} | {variable.help} |")
    return "\n".join(lines) + "\n"


class Command(BaseCommand):
    help = "Write docs/configuration.md from env.py help texts."

    def add_arguments(self, parser) -> None:
        parser.add_argument("--check", action="store_true", help="Fail if the file is not current.")

    def handle(self, *args, **options) -> None:
        text = render()
        if options["check"]:
            if not TARGET.exists() or TARGET.read_text(encoding="utf-8") != text:
                raise CommandError("docs/configuration.md is stale: run `python manage.py envdoc`.")
            self.stdout.write("docs/configuration.md is current.")
            return
        TARGET.parent.mkdir(parents=True, exist_ok=True)
        TARGET.write_text(text, encoding="utf-8")
        self.stdout.write(f"wrote {TARGET}")
