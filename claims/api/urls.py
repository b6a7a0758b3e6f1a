from django.urls import include, path, re_path
from rest_framework.routers import DefaultRouter, SimpleRouter

from claims.api import (
    alerts,
    articles,
    auth,
    claims,
    comments,
    export,
    factchecks,
    feeds,
    metrics,
    sources,
    webhooks,
)
from claims.api.base import not_found

router = DefaultRouter()
router.register("articles", articles.ArticleViewSet, basename="article")
router.register("claims", claims.ClaimViewSet, basename="claim")
router.register("claimreviews", claims.ClaimReviewExportViewSet, basename="claimreview")
router.register("sources", sources.SourceViewSet, basename="source")
router.register("source-requests", sources.SourceRequestViewSet, basename="sourcerequest")
router.register("feeds", feeds.FeedViewSet, basename="feed")
router.register("webhooks", webhooks.WebhookViewSet, basename="webhook")
router.register("factchecks", factchecks.FactCheckViewSet, basename="factcheck")
router.register("factcheck-feeds", factchecks.FactCheckFeedViewSet, basename="factcheckfeed")

claim_router = SimpleRouter()
claim_router.register("comments", comments.CommentViewSet, basename="comment")
claim_router.register("suggestions", comments.SuggestionViewSet, basename="suggestion")

urlpatterns = [
    path("auth/token/", auth.TokenView.as_view(), name="api-token"),
    path("auth/tokens/", auth.TokenListView.as_view(), name="api-tokens"),
    path("auth/tokens/<int:pk>/", auth.TokenDetailView.as_view(), name="api-token-detail"),
    path("metrics/", metrics.MetricsView.as_view(), name="api-metrics"),
    path("claims/export.csv", export.ClaimExportView.as_view(), name="claim-export"),
    path("me/alerts/", alerts.MyAlertsView.as_view(), name="my-alerts"),
    path("claims/<int:claim_pk>/", include(claim_router.urls)),
    path("", include(router.urls)),
    re_path(r"^[\s\S]*$", not_found),
]
