"""The product's URLs plus the floors the API is measured against:

- /bench/floor/: the cheapest Django JSON view (no authentication; a figure, not a budget);
- /bench/floor-auth/: the same after loading the session's user (a figure);
- /bench/floor-token/: a DRF view with the service's own authentication classes and
  IsAuthenticated, called with `Authorization: Token <key>` like the measured API
  requests: the token lookup the service really does, then a tiny JSON. The claim list
  and detail budgets are ratios against this one.
"""

from django.http import JsonResponse
from django.urls import include, path
from rest_framework.permissions import IsAuthenticated
from rest_framework.response import Response
from rest_framework.settings import api_settings
from rest_framework.views import APIView


def floor(request):
    return JsonResponse({"ok": True})


def floor_authenticated(request):
    # What a session request pays before its own work: the session and the user.
    return JsonResponse({"user": request.user.get_username()})


class TokenFloor(APIView):
    """What every token-authenticated API request pays before its own work."""

    authentication_classes = api_settings.DEFAULT_AUTHENTICATION_CLASSES
    permission_classes = [IsAuthenticated]

    def get(self, request):
        return Response({"user": request.user.get_username()})


urlpatterns = [
    path("bench/floor/", floor),
    path("bench/floor-auth/", floor_authenticated),
    path("bench/floor-token/", TokenFloor.as_view()),
    path("", include("factcheck.urls")),
]
