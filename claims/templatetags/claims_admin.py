"""Template tags for the admin index: the queue links with their counts, and queue health."""

from django import template

from claims import queues

register = template.Library()


@register.simple_tag(takes_context=True)
def queue_overview(context):
    """The queues with their counts for the signed-in user (one query)."""
    request = context["request"]
    counts = queues.queue_counts(request.user)
    return [
        {"key": q.key, "label": q.label, "help": q.help, "count": counts[q.key]}
        for q in queues.QUEUES
    ]
