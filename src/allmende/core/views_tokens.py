"""A page where people create (and see once) and revoke their API tokens."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from .models import ApiToken
from .services.tokens import create_api_token, revoke_api_token


@login_required
def tokens(request: HttpRequest) -> HttpResponse:
    secret = None
    if request.method == "POST":
        name = request.POST.get("name", "").strip()[:100]
        if not name:
            messages.error(request, _("Give the token a name."))
        else:
            _token, secret = create_api_token(user=request.user, name=name)
    rows = ApiToken.objects.filter(user=request.user).order_by("-created")
    return render(request, "core/tokens.html", {"tokens": rows, "secret": secret})


@login_required
@require_POST
def revoke(request: HttpRequest, pk: int) -> HttpResponse:
    token = get_object_or_404(ApiToken, pk=pk, user=request.user)
    revoke_api_token(token, by=request.user)
    messages.success(request, _("The token was revoked."))
    return redirect("account-tokens")
