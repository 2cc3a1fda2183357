#!/usr/bin/env python
"""Django's command-line utility. Without DATABASE_URL, the project-local PostgreSQL is used
(and started if it is down): see tksk/localdb.py."""

import os
import sys


def main():
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "tksk.settings")
    from django.core.management import execute_from_command_line

    execute_from_command_line(sys.argv)


if __name__ == "__main__":
    main()
