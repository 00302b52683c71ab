from django.http import HttpRequest, HttpResponse


def dashboard(request: HttpRequest) -> HttpResponse:
    return HttpResponse("")


def detail(request: HttpRequest, pk: int) -> HttpResponse:
    return HttpResponse("")
