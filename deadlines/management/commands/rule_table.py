from pathlib import Path

from django.conf import settings
from django.core.management.base import BaseCommand

from deadlines.ruletable import render

DEFAULT_PATH = Path(settings.BASE_DIR) / "docs" / "rules.md"


class Command(BaseCommand):
    help = "Print the deadline rule table generated from the rule data (--write: into docs/rules.md)."

    def add_arguments(self, parser):
        parser.add_argument("--write", action="store_true", help=f"write it to {DEFAULT_PATH}")

    def handle(self, *args, write: bool = False, **options):
        text = render()
        if write:
            DEFAULT_PATH.parent.mkdir(parents=True, exist_ok=True)
            DEFAULT_PATH.write_text(text, encoding="utf-8")
            self.stdout.write(f"wrote {DEFAULT_PATH}")
        else:
            self.stdout.write(text, ending="")
