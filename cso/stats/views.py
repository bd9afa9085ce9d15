from django.http import HttpResponse


def indicators(request):
    return HttpResponse("")


def communities(request):
    return HttpResponse("")


def targets(request):
    return HttpResponse("")
