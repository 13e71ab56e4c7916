from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class MembersConfig(AppConfig):
    name = "members"
    verbose_name = _("Party members")
    # The admin's sidebar and index in the order the bureau works (core.admin_site).
    admin_order = ["member", "duespayment", "carevisit", "memberevent"]
