from django.conf import settings
from django.http import HttpResponse
from django.shortcuts import redirect
from django.urls import reverse


class PasswordChangeRequiredMiddleware:
    """Sends an account flagged ``must_change_password`` to the password change page until it has
    changed its password (a new account, or one whose password a manager reset).

    Goes right after ``AuthenticationMiddleware``.
    """

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        user = getattr(request, "user", None)
        if user is not None and user.is_authenticated and getattr(user, "must_change_password", False):
            target = reverse("accounts:password_change")
            allowed = {target, reverse("accounts:logout"), reverse("accounts:login")}
            static_prefix = "/" + settings.STATIC_URL.lstrip("/")
            if request.path_info not in allowed and not request.path_info.startswith(static_prefix):
                if request.headers.get("HX-Request"):
                    response = HttpResponse(status=204)
                    response["HX-Redirect"] = target
                    return response
                return redirect(target)
        return self.get_response(request)
