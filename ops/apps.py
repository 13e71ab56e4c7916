from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class OpsConfig(AppConfig):
    name = "ops"
    verbose_name = _("Operations and audit")
    default_auto_field = "django.db.models.BigAutoField"

    def ready(self):
        from django.contrib.auth.signals import user_logged_in
        from django.db.models.signals import post_migrate

        from core.signals import data_replaced
        from ops import cache

        cache.connect_signals()
        data_replaced.connect(_pages_out_of_date, dispatch_uid="ops.cache.data_replaced")
        # A deploy runs migrate: pages cached by the previous release (its templates, code and
        # translations) are left behind.
        post_migrate.connect(_pages_out_of_date, sender=self, dispatch_uid="ops.cache.migrate")
        user_logged_in.connect(_session_seen, dispatch_uid="ops.session_seen")


def _pages_out_of_date(**kwargs):
    from ops import cache

    cache.bump_all()


def _session_seen(sender, request, user, **kwargs):
    # Signing in writes the session anyway: the first page after it need not write it again.
    from ops.middleware import SessionIdleMiddleware

    SessionIdleMiddleware.seen(request.session)
