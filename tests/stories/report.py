"""Print the per-story table (expected flag -> raised?) used for RESULTS.md.

    FACTCHECK_TEST_DATABASE_URL=postgres://... python -m tests.stories.report [SLUG ...]

Creates a throwaway test database (as pytest does, from factcheck.test_settings), runs
each story on an empty corpus, prints Markdown, and drops the database.
"""

from __future__ import annotations

import os
import sys


def main(argv: list[str]) -> int:
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "factcheck.test_settings")
    import django

    django.setup()
    from django.core.management import call_command
    from django.test.utils import setup_databases, setup_test_environment, teardown_databases

    from tests.stories.harness import markdown, run_story, story_slugs

    slugs = argv or story_slugs()
    setup_test_environment()
    old = setup_databases(verbosity=0, interactive=False)
    try:
        blocks = []
        for slug in slugs:
            call_command("flush", interactive=False, verbosity=0)
            blocks.append(markdown(run_story(slug)))
        print("\n\n".join(blocks))
    finally:
        teardown_databases(old, verbosity=0)
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
