from django.urls import path

from sinergi.incidents import views

URL_PREFIX = "laporan"
app_name = "incidents"
urlpatterns = [
    path("", views.queue, name="queue"),
    path("aksi-massal/", views.bulk, name="bulk"),
    path("baru/", views.report_new, name="new"),
    path("peta/", views.map_page, name="map"),
    path("peta/data/", views.map_data, name="map_data"),
    path("statistik/", views.stats, name="stats"),
    path("ekspor.<str:fmt>", views.export, name="export"),
    path("publik/", views.public_new, name="public_new"),
    path("lacak/", views.public_track, name="public_track"),
    path("lacak/<str:code>/", views.public_track, name="public_track_code"),
    path("<int:report_id>/", views.report_detail, name="detail"),
    path("<int:report_id>/aksi/", views.report_act, name="act"),
    path("<int:report_id>/lampiran/<int:attachment_id>/", views.attachment, name="attachment"),
]
