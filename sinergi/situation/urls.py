from django.urls import path

from sinergi.situation import views

URL_PREFIX = "situasi"
app_name = "situation"
urlpatterns = [
    path("", views.start, name="start"),
    path("publik/<str:code>/", views.public, name="public"),
    path("<str:code>/", views.room, name="room"),
    path("<str:code>/laporan/", views.reports, name="reports"),
    path("<str:code>/laporan/buat/", views.report_generate, name="report_generate"),
    path("<str:code>/laporan/<str:day>.<str:fmt>", views.report_download, name="report_download"),
]
