"""Django settings as InvenTree 1.5.0 sets up django-allauth (src/backend/InvenTree/InvenTree/settings.py,
"# region auth", summarised in ../shared/apps/python/README.md), reduced to what its SSO login uses.

The OpenID Connect app comes from social_providers (INVENTREE_SOCIAL_PROVIDERS, allauth's
SOCIALACCOUNT_PROVIDERS format) with InvenTree's documented settings: server_url and the scopes its
group sync needs (docs/docs/settings/SSO.md: the groups scope); no oauth_pkce_enabled and no
token_auth_method, so allauth's defaults apply (no PKCE; client_secret_post unless discovery offers
only client_secret_basic).
"""
import os

SECRET_KEY = "ssoctl-clientlibs-not-secret"
DEBUG = False
ALLOWED_HOSTS = ["127.0.0.1", "localhost"]

INSTALLED_APPS = [
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "allauth",
    "allauth.account",
    "allauth.headless",
    "allauth.socialaccount",
    "allauth.usersessions",
    # InvenTree also enables allauth.mfa (needs fido2>=1.1.2, not in Debian bookworm): left out.
    # social_backends: each gets the 'allauth.socialaccount.providers.' prefix.
    "allauth.socialaccount.providers.openid_connect",
    "harness",
]
MIDDLEWARE = [
    "django.middleware.security.SecurityMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "allauth.usersessions.middleware.UserSessionsMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "allauth.account.middleware.AccountMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    # The harness's own: an exception during the login is reported, not hidden in a 500 page.
    "harness.middleware.ReportExceptions",
]
AUTHENTICATION_BACKENDS = [
    "django.contrib.auth.backends.ModelBackend",
    "allauth.account.auth_backends.AuthenticationBackend",
]
ROOT_URLCONF = "harness.urls"
TEMPLATES = [{
    "BACKEND": "django.template.backends.django.DjangoTemplates",
    "APP_DIRS": True,
    "OPTIONS": {"context_processors": [
        "django.template.context_processors.request",
        "django.contrib.auth.context_processors.auth",
        "django.contrib.messages.context_processors.messages",
    ]},
}]
DATABASES = {"default": {"ENGINE": "django.db.backends.sqlite3", "NAME": os.environ["HARNESS_DB"]}}
DEFAULT_AUTO_FIELD = "django.db.models.AutoField"
USE_TZ = True
EMAIL_BACKEND = "django.core.mail.backends.locmem.EmailBackend"
LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "handlers": {"last": {"class": "harness.errors.LastErrorHandler", "level": "WARNING"}},
    "loggers": {"allauth": {"handlers": ["last"], "level": "WARNING"},
                "django.request": {"handlers": ["last"], "level": "WARNING"}},
}

SOCIALACCOUNT_PROVIDERS = {
    "openid_connect": {
        "APPS": [{
            "provider_id": "oidc",
            "name": "Test provider",
            "client_id": os.environ["CLIENT_ID"],
            "secret": os.environ["CLIENT_SECRET"],
            "settings": {
                "server_url": os.environ["ISSUER"],
                "scope": ["openid", "profile", "email", "groups"],
                # The admin's choice where a test case makes one (empty: allauth's default).
                **({"token_auth_method": os.environ["TOKEN_AUTH_METHOD"]} if os.environ.get("TOKEN_AUTH_METHOD") else {}),
            },
        }],
    },
}
SOCIALACCOUNT_STORE_TOKENS = True
SOCIALACCOUNT_ADAPTER = "harness.adapter.ErrorRecordingAdapter"
SOCIALACCOUNT_OPENID_CONNECT_URL_PREFIX = ""
ACCOUNT_EMAIL_UNKNOWN_ACCOUNTS = False
ACCOUNT_EMAIL_NOTIFICATIONS = True
USERSESSIONS_TRACK_ACTIVITY = True
ACCOUNT_DEFAULT_HTTP_PROTOCOL = "http"
ACCOUNT_PREVENT_ENUMERATION = True
HEADLESS_ONLY = True
HEADLESS_CLIENTS = "browser"
# InvenTree's CustomHeadlessAdapter gives allauth its frontend's URLs; these stand in for them (an
# unverified email makes allauth build the confirmation link at login).
HEADLESS_FRONTEND_URLS = {
    "socialaccount_login_error": "/done",
    "account_confirm_email": "/web/verify-email/{key}",
    "account_reset_password_from_key": "/web/reset-password/{key}",
    "account_signup": "/web/register",
}
LOGIN_REDIRECT_URL = "/done"
