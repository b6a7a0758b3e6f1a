from django.apps import AppConfig


class WorkersConfig(AppConfig):
    default_auto_field = "django.db.models.BigAutoField"
    name = "workers"
    verbose_name = "Workers"

    def ready(self) -> None:
        # Register every task in every process (web, worker, commands): factcheck.queue
        # looks tasks up by name, and in eager mode an unregistered name would be sent to
        # the memory broker and never run.
        from workers import checks, tasks  # noqa: F401
