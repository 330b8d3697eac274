from allauth.headless.urls import Client, build_urlpatterns
from django.urls import include, path

from . import views

# InvenTree's urls.py: the headless browser API under api/auth/, allauth.urls under accounts/.
urlpatterns = [
    path("api/auth/", include((build_urlpatterns(Client.BROWSER), "headless"), namespace="browser")),
    path("accounts/", include("allauth.urls")),
    path("start", views.start),
    path("done", views.done),
]
