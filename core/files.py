"""The one size rule every uploaded file follows (validators, images), and its message."""

from django.core.exceptions import ValidationError
from django.utils.translation import gettext_lazy as _

MESSAGE_TOO_LARGE = _("The file is too large: at most %(limit)s MB.")


def check_size(value, limit):
    """Refuses a file above `limit` bytes, naming the limit in whole megabytes."""
    if value.size is not None and value.size > limit:
        raise ValidationError(
            MESSAGE_TOO_LARGE, code="too_large", params={"limit": limit // (1024 * 1024)}
        )
