from django.core.management.base import BaseCommand

from tongban.documents.services.drafting import PROCESS_KEY, install_process


class Command(BaseCommand):
    help = (
        "Store the 发文 process that ships with the platform (documents/processes/) when missing or changed."
    )

    def handle(self, *args, **options):
        definition_id = install_process()
        self.stdout.write(f"{PROCESS_KEY}: definition {definition_id}")
