"""Write a sealed document's exchange package (zip) to a file, for a body outside the platform."""

from pathlib import Path

from django.core.management.base import BaseCommand, CommandError

from tongban.core.errors import TongbanError
from tongban.documents.services import exchange


class Command(BaseCommand):
    help = "Export the exchange package (sealed PDF, metadata, signed manifest) of document ID to FILE."

    def add_arguments(self, parser) -> None:
        parser.add_argument("document_id", type=int)
        parser.add_argument("file", type=Path)

    def handle(self, *args, **options) -> None:
        try:
            data = exchange.export_package(options["document_id"])
        except TongbanError as exc:
            raise CommandError(exc.message) from exc
        options["file"].write_bytes(data)
        self.stdout.write(f"{options['file']}: {len(data)} bytes")
