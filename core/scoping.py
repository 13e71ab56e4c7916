"""Who may work on which rows: the one rule of scope every portal app follows.

Bureau staff and managers work on everything; a branch secretary on the records of the Party
organisations they keep; a base administrator on the records of their education bases. A
queryset declares where its rows belong (`organisation_path`, `base_path`: the lookup from the
model to its Organisation or EducationBase, "" for the organisation or base itself) and
`for_user(user)` does the rest. The admin (`core.scoped_admin.ScopedAdmin`), the reports and the
public pages all ask `for_user`, never spell the rule again.
"""

from django.core.exceptions import ImproperlyConfigured
from django.db import models
from django.db.models import Q

from core.roles import user_sees_all_bases, user_sees_all_organisations


def organisation_condition(user, path):
    """The rows (reached by `path`) of the organisations `user` keeps as secretary."""
    return Q(**{f"{path}__secretaries" if path else "secretaries": user})


def base_condition(user, path):
    """The rows (reached by `path`) of the bases `user` administers."""
    return Q(**{f"{path}__administrators" if path else "administrators": user})


class ScopedQuerySet(models.QuerySet):
    organisation_path = None
    base_path = None

    def for_user(self, user):
        """The rows `user` may work on: all for staff roles, their own organisations' or bases'."""
        conditions = []
        if self.organisation_path is not None:
            if user_sees_all_organisations(user):
                return self
            conditions.append(organisation_condition(user, self.organisation_path))
        if self.base_path is not None:
            if user_sees_all_bases(user):
                return self
            conditions.append(base_condition(user, self.base_path))
        if not conditions:
            raise ImproperlyConfigured(
                f"{type(self).__name__} declares neither organisation_path nor base_path."
            )
        if len(conditions) == 1:
            return self.filter(conditions[0])
        # Either scope grants a row; two joins could repeat it, a subquery cannot.
        either = conditions[0] | conditions[1]
        return self.filter(pk__in=self.model._default_manager.filter(either).values("pk"))
