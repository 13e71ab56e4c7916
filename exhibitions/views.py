from django.shortcuts import render


def home(request):
    """The public home page. Template: `exhibitions/home.html`."""
    return render(request, "exhibitions/home.html")
