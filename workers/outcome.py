"""What a fetch-like service call did: the one result type of sources and webhooks.

`workers.sources.fetch_source_request` and `workers.webhooks.deliver` record their
attempt on their row and answer with an Outcome; the task (workers.tasks) turns RETRY
into a declared retry with backoff.
"""

from __future__ import annotations

from dataclasses import dataclass
from enum import StrEnum


class Status(StrEnum):
    DONE = "done"  # fetched into the corpus / delivered to the receiver
    RETRY = "retry"  # a transient failure, recorded; try again later
    FAILED = "failed"  # for good, with the reason on the row
    GONE = "gone"  # the row no longer exists


@dataclass(frozen=True)
class Outcome:
    status: Status
    reason: str = ""
    source_id: int | None = None  # a fetch: the corpus document it became
    retry_after: float | None = None  # a receiver's Retry-After, in seconds

    def as_dict(self) -> dict:
        return {
            "status": str(self.status),
            "reason": self.reason,
            **({"source": self.source_id} if self.source_id is not None else {}),
        }
