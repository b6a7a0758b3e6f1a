"""factory_boy factories. Claims start extracted; `claim_in_state` walks the workflow."""

from __future__ import annotations

import factory

from claims import workflow
from claims.models import Article, Claim, ClaimState, Source, content_hash


class ArticleFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Article

    title = factory.Sequence(lambda n: f"Article {n}")
    outlet = "Example Outlet"
    body = factory.Sequence(
        lambda n: f"Officials said 1,{n:03d} troops arrived on Monday. Article number {n}."
    )
    content_hash = factory.LazyAttribute(lambda o: content_hash(o.body))
    status = Article.Status.PROCESSED


class SourceFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Source

    title = factory.Sequence(lambda n: f"Source {n}")
    outlet = "Wire"
    body = factory.Sequence(lambda n: f"Source text number {n} about troops.")
    content_hash = factory.LazyAttribute(lambda o: content_hash(o.body))


class ClaimFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Claim

    article = factory.SubFactory(ArticleFactory)
    start = 0
    end = factory.LazyAttribute(lambda o: len(o.article.body.split(".")[0]) + 1)
    text = factory.LazyAttribute(lambda o: o.article.body[o.start : o.end])
    normalized = factory.LazyAttribute(lambda o: o.text.lower())
    checkworthiness = 0.8
    claim_type = "event"


def claim_in_state(state: str, *, ruler=None, **kwargs) -> Claim:
    claim = ClaimFactory(**kwargs)
    if state == ClaimState.EXTRACTED:
        return claim
    if state == ClaimState.DISMISSED:
        workflow.dismiss(claim, user=ruler)
        return claim
    workflow.start_corroboration(claim, worker="test")
    if state in (ClaimState.VERIFIED, ClaimState.DISPUTED):
        workflow.rule(claim, user=ruler, verdict=state, rationale="checked against two sources")
    if state == ClaimState.PROPOSED:
        workflow.propose(claim, user=ruler, verdict="verified", rationale="two sources agree")
    return claim
