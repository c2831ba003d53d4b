"""``manage.py migrate`` creates the ceiling's one table in the benchmark database."""

import os
import sys
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))
os.environ["DJANGO_SETTINGS_MODULE"] = "ceiling.settings"

from django.core.management import execute_from_command_line

execute_from_command_line(sys.argv)
