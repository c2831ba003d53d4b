from django.core.management.base import BaseCommand

from tongban.office.services import install_shipped_forms


class Command(BaseCommand):
    help = "Store the request forms that ship with the platform (office/forms/*.json) that are missing or changed."

    def handle(self, *args, **options):
        stored = install_shipped_forms()
        self.stdout.write(
            f"{len(stored)} form(s) stored: {', '.join(stored)}" if stored else "Forms are up to date."
        )
