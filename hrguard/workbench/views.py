"""工作台 (the home page ``/`` of every role) and the global search page ``/search/``."""

from __future__ import annotations

from django.contrib.auth.decorators import login_required
from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.utils import timezone

from . import search as global_search
from .selectors import workbench_for


@login_required
def home(request: HttpRequest) -> HttpResponse:
    bench = workbench_for(request.user, today=timezone.localdate())
    return render(request, "workbench/home.html", {"bench": bench})


@login_required
def search(request: HttpRequest) -> HttpResponse:
    results = global_search.search(request.user, request.GET.get("q", ""))
    status = 400 if results.error else 200
    return render(request, "workbench/search.html", {"results": results}, status=status)
