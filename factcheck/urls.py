from django.contrib import admin
from django.contrib.auth.views import LoginView
from django.urls import include, path
from drf_spectacular.views import SpectacularAPIView, SpectacularSwaggerSplitView

from claims.throttle import ThrottledAuthenticationForm

urlpatterns = [
    path("admin/", admin.site.urls),
    path("api/schema/", SpectacularAPIView.as_view(), name="schema"),
    # The split view serves its start-up script as a file: no inline script, so the docs
    # work under the Content-Security-Policy.
    path("api/docs/", SpectacularSwaggerSplitView.as_view(url_name="schema"), name="api-docs"),
    # The Browsable API's login, under the same lockout as the admin (claims/throttle.py).
    path(
        "api/session/login/",
        LoginView.as_view(
            template_name="rest_framework/login.html",
            authentication_form=ThrottledAuthenticationForm,
        ),
        name="api-session-login",
    ),
    path("api/session/", include("rest_framework.urls", namespace="rest_framework")),
    path("api/", include("claims.api.urls")),
]
