from django.shortcuts import get_object_or_404, render

from .models import EducationBase


def home(request):
    """The public home page. Template: `exhibitions/home.html`."""
    return render(request, "exhibitions/home.html")


def base_detail(request, slug):
    """A public education base. Template: `exhibitions/base_detail.html` with `base`."""
    base = get_object_or_404(EducationBase.objects.public(), slug=slug)
    return render(request, "exhibitions/base_detail.html", {"base": base})
