# Placeholder views, replaced by the regions pages work.
from django.http import HttpResponse


def browse(request):
    return HttpResponse("browse")


def search(request):
    return HttpResponse("search")


def detail(request, code):
    return HttpResponse("detail")


def edit(request, code):
    return HttpResponse("edit")
