"""Sign the usage-log chain head with a key held outside the database and print the checkpoint as JSON,
for cron to ship off the DB host (THREATS T-E3)."""

import dataclasses
import json
from pathlib import Path

from django.core.management.base import BaseCommand

from tongban.sharing import usage_log


class Command(BaseCommand):
    help = (
        "Print a signed checkpoint (every chain head) of the data usage log; store it off the database host."
    )

    def add_arguments(self, parser) -> None:
        parser.add_argument(
            "--key-ref", type=Path, required=True, help="file holding the signer's private key reference"
        )

    def handle(self, *args, **options) -> None:
        checkpoint = usage_log.sign_checkpoint(private_key_ref=options["key_ref"].read_text("utf-8").strip())
        self.stdout.write(json.dumps(dataclasses.asdict(checkpoint), sort_keys=True))
