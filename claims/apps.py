from django.apps import AppConfig


class ClaimsConfig(AppConfig):
    default_auto_field = "django.db.models.BigAutoField"
    name = "claims"
    verbose_name = "Fact-check"

    def ready(self) -> None:
        from django.contrib.auth.signals import user_login_failed

        from claims.throttle import on_login_failed

        # Every login path sends this signal; the lockout counts from it.
        user_login_failed.connect(on_login_failed, dispatch_uid="claims-login-failed")
