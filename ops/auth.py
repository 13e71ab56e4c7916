from axes.backends import AxesStandaloneBackend


class AxesBackend(AxesStandaloneBackend):
    """django-axes' check, first among the authentication backends.

    Every sign-in form passes the request, and is throttled by username and address. A call to
    `authenticate()` without one (Django's test client `login()`, a script) has no address to
    throttle; it is passed on to the next backend instead of failing with an error.
    """

    def authenticate(self, request=None, username=None, password=None, **kwargs):
        if request is None:
            return None
        return super().authenticate(request, username=username, password=password, **kwargs)
