from urllib.parse import parse_qsl, urlencode, urlsplit, urlunsplit

from allauth.socialaccount.adapter import get_adapter
from allauth.socialaccount.models import SocialAccount
from django.http import JsonResponse

from .errors import last_error


def start(request):
    """What InvenTree's frontend starts with: the headless provider redirect (allauth.headless
    RedirectToProviderView: provider.redirect(request, "login", next_url=..., headless=True)),
    without the form's CSRF round trip. login_hint goes on to the provider, as the scripted
    browser adds it to ssoctl's authorize URL."""
    provider = get_adapter().get_provider(request, "oidc")
    response = provider.redirect(request, "login", next_url="/done", headless=True)
    hint = request.GET.get("login_hint")
    if hint and response.status_code in (301, 302):
        parts = urlsplit(response["Location"])
        query = parse_qsl(parts.query, keep_blank_values=True) + [("login_hint", hint)]
        response["Location"] = urlunsplit(parts._replace(query=urlencode(query)))
    return response


def done(request):
    """How the login ended: the user allauth created and what InvenTree's group sync reads
    (SocialAccount.extra_data["userinfo"][SSO_GROUP_KEY], InvenTree/sso.py ensure_sso_groups)."""
    user = request.user
    if not user.is_authenticated:
        error = request.GET.get("error") or "not logged in"
        if last_error:
            error = f"{error} ({last_error[0]})"
        return JsonResponse({"ok": False, "error": error})
    account = SocialAccount.objects.get(user=user, provider="oidc")
    userinfo = account.extra_data.get("userinfo", {})
    return JsonResponse({"ok": True, "user": {
        "uid": account.uid,
        "username": user.username,
        "email": user.email,
        "first_name": user.first_name,
        "last_name": user.last_name,
        # ensure_sso_groups iterates extra_data["userinfo"].get(SSO_GROUP_KEY, []) with a for
        # loop: a string yields its characters.
        "groups": list(userinfo.get("groups", [])),
        "extra_data_keys": sorted(account.extra_data.keys()),
    }})
