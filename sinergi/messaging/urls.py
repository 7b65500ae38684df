from django.urls import path

from sinergi.messaging import views

URL_PREFIX = "pesan"
app_name = "messaging"
urlpatterns = [
    path("", views.outbox_page, name="outbox"),
]
