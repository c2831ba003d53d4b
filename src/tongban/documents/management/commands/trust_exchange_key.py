"""Trust a peer platform's exchange key (the JSON that ``trust_exchange_key --show`` prints there), or print
ours with --show, so that packages signed by it are imported."""

import json
from pathlib import Path

from django.core.management.base import BaseCommand, CommandError

from tongban.core.errors import TongbanError
from tongban.documents.services import exchange


class Command(BaseCommand):
    help = (
        "Trust the exchange key in FILE (JSON: platform_id, key_id, algorithm, public_key_pem) for package "
        "imports; with --show, print this platform's public exchange key in that form instead."
    )

    def add_arguments(self, parser) -> None:
        parser.add_argument("file", type=Path, nargs="?")
        parser.add_argument("--show", action="store_true", help="print this platform's public exchange key")

    def handle(self, *args, **options) -> None:
        if options["show"]:
            self.stdout.write(json.dumps(exchange.own_exchange_key(), ensure_ascii=False, indent=2))
            return
        if options["file"] is None:
            raise CommandError("give the key FILE, or --show")
        try:
            key = json.loads(options["file"].read_text("utf-8"))
            exchange.trust_exchange_key(
                platform=str(key["platform_id"]),
                key_id=str(key["key_id"]),
                algorithm=str(key["algorithm"]),
                public_key_pem=str(key["public_key_pem"]),
            )
        except (ValueError, KeyError, TypeError) as exc:
            raise CommandError(f"not an exchange key: {exc}") from exc
        except TongbanError as exc:
            raise CommandError(exc.message) from exc
        self.stdout.write(f"trusted {key['platform_id']} {key['key_id']}")
