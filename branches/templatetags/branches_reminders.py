from django import template
from django.utils import timezone

from branches.models import Organisation
from branches.selectors import reminders

register = template.Library()


@register.simple_tag(takes_context=True)
def reminders_summary(context):
    """The reminders of the organisations the signed-in user keeps, for the admin index.

    None when the user may not view organisations; three queries otherwise.
    """
    user = context["request"].user
    if not user.has_perm("branches.view_organisation"):
        return None
    organisations = list(Organisation.objects.for_user(user).order_by("code"))
    if not organisations:
        return None
    return reminders(organisations=organisations, today=timezone.localdate())
