"""A URLconf for the fault tests: views that meet a database outage half-way through a write."""

from django.db import OperationalError, transaction
from django.http import HttpResponse
from django.urls import include, path

from branches.models import Unit


@transaction.atomic
def half_written(request):
    Unit.objects.create(name="故障演练单位一", kind=Unit.Kind.BUREAU)
    raise OperationalError("server closed the connection unexpectedly")


def fine(request):
    return HttpResponse("ok")


urlpatterns = [
    path("half-written/", half_written),
    path("fine/", fine),
    path("", include("config.urls")),
]

handler500 = "ops.views.server_error"
