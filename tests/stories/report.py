"""Print the per-story table (expected flag -> raised?) used for RESULTS.md.

    FACTCHECK_TEST_DATABASE_URL=postgres://... python -m tests.stories.report [SLUG ...]

Each story runs in its own process on its own throwaway test database (as pytest
creates it, from factcheck.test_settings), on an empty corpus; the tables are printed as
Markdown. One process per story because results were seen to depend on an earlier
story run in the same process after a flush that restarts the id sequences.
"""

from __future__ import annotations

import os
import subprocess
import sys


def run_one(slug: str) -> str:
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "factcheck.test_settings")
    os.environ["FACTCHECK_TEST_DB_NAME"] = f"factcheck_stories_{os.getpid()}"
    import django

    django.setup()
    from django.test.utils import setup_databases, setup_test_environment, teardown_databases

    from tests.stories.harness import markdown, run_story

    setup_test_environment()
    old = setup_databases(verbosity=0, interactive=False)
    try:
        return markdown(run_story(slug))
    finally:
        teardown_databases(old, verbosity=0)


def main(argv: list[str]) -> int:
    if argv[:1] == ["--one"]:
        print(run_one(argv[1]))
        return 0
    from tests.stories.harness import story_slugs

    blocks = []
    for slug in argv or story_slugs():
        done = subprocess.run(
            [sys.executable, "-m", "tests.stories.report", "--one", slug],
            capture_output=True,
            text=True,
            check=False,
        )
        if done.returncode:
            sys.stderr.write(done.stderr)
            return done.returncode
        blocks.append(done.stdout.strip())
    print("\n\n".join(blocks))
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
