"""The product's URLs plus the floors: /bench/floor/ (the cheapest Django JSON view) and
/bench/floor-auth/ (the same, after loading the session's user, as every API view does)."""

from django.http import JsonResponse
from django.urls import include, path


def floor(request):
    return JsonResponse({"ok": True})


def floor_authenticated(request):
    # What every API request pays before its own work: the session and the user.
    return JsonResponse({"user": request.user.get_username()})


urlpatterns = [
    path("bench/floor/", floor),
    path("bench/floor-auth/", floor_authenticated),
    path("", include("factcheck.urls")),
]
