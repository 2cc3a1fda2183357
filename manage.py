#!/usr/bin/env python
"""Django's command-line utility. Without DATABASE_URL, the project-local PostgreSQL is used
(and started if it is down): see tksk/localdb.py."""

import os
import sys


def development_defaults(environ) -> None:
    """Without DATABASE_URL this is a developer's checkout on its local database: run with DEBUG
    (and its development-only key), as `make run` does, so that `manage.py shell`,
    `createsuperuser` or `makemigrations` just work. A deployment sets DATABASE_URL and keeps the
    safe defaults of tksk/settings.py (DEBUG off, SECRET_KEY required)."""
    if not environ.get("DATABASE_URL"):
        environ.setdefault("DEBUG", "1")


def main():
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "tksk.settings")
    development_defaults(os.environ)
    from django.core.management import execute_from_command_line

    execute_from_command_line(sys.argv)


if __name__ == "__main__":
    main()
