from django.urls import path

from sinergi.ops import views

URL_PREFIX = "ops"
app_name = "ops"
urlpatterns = [
    path("", views.jobs_page, name="jobs"),
]
