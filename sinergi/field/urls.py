from django.urls import path

from sinergi.field import views

URL_PREFIX = "lapangan"
app_name = "field"
urlpatterns = [
    path("", views.index, name="index"),
    path("sw.js", views.service_worker, name="sw"),
    path("manifest.webmanifest", views.manifest, name="manifest"),
]
