from allauth.socialaccount.adapter import DefaultSocialAccountAdapter

from .errors import last_error


class ErrorRecordingAdapter(DefaultSocialAccountAdapter):
    """allauth's default social account adapter, keeping the authentication error for /done, as
    InvenTree's CustomSocialAccountAdapter (InvenTree/auth_overrides.py) sends it to its error log."""

    def on_authentication_error(self, request, provider, error=None, exception=None, extra_context=None):
        detail = f"{type(exception).__name__}: {exception}" if exception is not None else ""
        last_error[:] = [": ".join(part for part in (str(error), detail) if part)]
        return super().on_authentication_error(request, provider, error, exception, extra_context)
