from django import template

from core.workbench import workbench as build

register = template.Library()


@register.simple_tag(takes_context=True)
def workbench(context):
    """The signed-in user's to-dos and shortcuts, for the admin index (core.workbench)."""
    return build(context["request"])
