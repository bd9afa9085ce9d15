# Placeholder views, replaced by the accounts work.
from django.contrib.auth import views as auth_views
from django.contrib.auth.decorators import login_not_required
from django.http import HttpResponse

login_view = login_not_required(auth_views.LoginView.as_view(template_name="accounts/login.html"))
logout_view = auth_views.LogoutView.as_view()


def locked_out(request, credentials, *args, **kwargs):
    return HttpResponse("locked", status=429)


def profile(request):
    return HttpResponse("profile")


password_change = profile
user_list = profile


def user_detail(request, pk):
    return HttpResponse("x")


user_create = profile
user_edit = user_detail
user_reset_password = user_detail
audit = profile
